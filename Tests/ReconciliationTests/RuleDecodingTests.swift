import Testing
@testable import Reconciliation

@Suite("Rule decoding and validation")
struct RuleDecodingTests {
    @Test func decodesTheSpecRules() throws {
        let set = try ruleSet(specRulesJSON)
        #expect(set.rules.map(\.name) == ["exact", "drift", "split", "merge"])
        let exact = set.rules[0], drift = set.rules[1], split = set.rules[2], merge = set.rules[3]
        #expect(exact.grouping == .oneToOne && exact.reference == .exact && exact.amount == .exact && exact.time == nil)
        #expect(drift.amount == .toleranceBps(50) && drift.time == TimeCondition(windowSeconds: 86_400))
        #expect(drift.description?.minSimilarity.numerator == 8 && drift.description?.minSimilarity.denominator == 10)
        #expect(drift.description?.method == .jaroWinkler)
        #expect(split.grouping == .oneToMany && split.amount == .sumExact && split.time?.windowSeconds == 172_800)
        #expect(merge.grouping == .manyToOne)
    }

    @Test func acceptsStringsAndOptions() throws {
        let set = try ruleSet("""
        [{"name":"lev","group":"one_to_one","match":{"amount":{"tolerance_abs":"250"},"time":{"window_seconds":60},
          "description":{"min_similarity":"0.75","method":"levenshtein"}}}]
        """)
        #expect(set.rules[0].amount == .toleranceAbsolute(250))
        #expect(set.rules[0].description == DescriptionCondition(minSimilarity: try SimilarityThreshold("0.75"), method: .levenshtein))
    }

    /// Decoding must fail with `code`, naming the rule and the field.
    func expectFailure(_ json: String, _ code: ReconError.Code, rule: String? = nil, field: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try ReconRuleSet.decode(json: json)
            Issue.record("expected \(code.rawValue)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            if let rule { #expect(error.rule == rule, "\(error)", sourceLocation: sourceLocation) }
            if let field { #expect(error.field == field, "\(error)", sourceLocation: sourceLocation) }
            if let rule { #expect(error.message.contains("\"\(rule)\""), "\(error.message)", sourceLocation: sourceLocation) }
        }
    }

    @Test func refusesUnknownKeys() {
        expectFailure(#"[{"name":"a","match":{"reference":"exact"},"priority":1}]"#, .ruleUnknownField, rule: "a", field: "priority")
        expectFailure(#"[{"name":"b","match":{"reference":"exact","amunt":"exact"}}]"#, .ruleUnknownField, rule: "b", field: "match.amunt")
        expectFailure(#"[{"name":"c","match":{"amount":{"tolerance_pct":1}}}]"#, .ruleUnknownField, rule: "c", field: "match.amount.tolerance_pct")
        expectFailure(#"[{"name":"d","match":{"time":{"window_seconds":1,"slack":2}}}]"#, .ruleUnknownField, rule: "d", field: "match.time.slack")
        expectFailure(#"[{"name":"e","match":{"time":{"window_seconds":1},"description":{"min_similarity":0.8,"algo":"x"}}}]"#,
                      .ruleUnknownField, rule: "e", field: "match.description.algo")
    }

    @Test func refusesInvalidCombinations() {
        expectFailure(#"[{"name":"s","match":{"reference":"exact","amount":"sum_exact"}}]"#, .ruleInvalidCombination, rule: "s", field: "match.amount")
        expectFailure(#"[{"name":"g","group":"one_to_many","match":{"reference":"exact","amount":"exact"}}]"#, .ruleInvalidCombination, rule: "g")
        expectFailure(#"[{"name":"u","group":"many_to_one","match":{"amount":"sum_exact"}}]"#, .ruleInvalidCombination, rule: "u", field: "match")
        expectFailure(#"[{"name":"d","match":{"description":{"min_similarity":0.9}}}]"#, .ruleInvalidCombination, rule: "d", field: "match")
        expectFailure(#"[{"name":"two","match":{"amount":{"tolerance_bps":1,"tolerance_abs":2}}}]"#, .ruleInvalidCombination, rule: "two")
    }

    @Test func refusesInvalidValues() {
        expectFailure(#"[{"name":"n","match":{"amount":{"tolerance_bps":-1}}}]"#, .ruleInvalidValue, rule: "n", field: "match.amount.tolerance_bps")
        expectFailure(#"[{"name":"w","match":{"time":{"window_seconds":-5}}}]"#, .ruleInvalidValue, rule: "w", field: "match.time.window_seconds")
        expectFailure(#"[{"name":"f","match":{"time":{"window_seconds":1.5}}}]"#, .ruleInvalidValue, rule: "f", field: "match.time.window_seconds")
        expectFailure(#"[{"name":"m","match":{"time":{"window_seconds":1},"description":{"min_similarity":1.2}}}]"#,
                      .ruleInvalidValue, rule: "m", field: "match.description.min_similarity")
        expectFailure(#"[{"name":"m2","match":{"time":{"window_seconds":1},"description":{"min_similarity":-0.1}}}]"#,
                      .ruleInvalidValue, rule: "m2", field: "match.description.min_similarity")
        expectFailure(#"[{"name":"r","match":{"reference":"fuzzy"}}]"#, .ruleInvalidValue, rule: "r", field: "match.reference")
        expectFailure(#"[{"name":"g","group":"some","match":{"reference":"exact"}}]"#, .ruleInvalidValue, rule: "g", field: "group")
        expectFailure(#"[{"name":"meth","match":{"time":{"window_seconds":1},"description":{"min_similarity":0.5,"method":"soundex"}}}]"#,
                      .ruleInvalidValue, rule: "meth", field: "match.description.method")
        expectFailure(#"[{"name":"","match":{"reference":"exact"}}]"#, .ruleInvalidValue, field: "name")
        expectFailure(#"[{"match":{"reference":"exact"}}]"#, .ruleMissingField, rule: "#0", field: "name")
        expectFailure(#"[{"name":"nomatch"}]"#, .ruleMissingField, rule: "nomatch", field: "match")
    }

    @Test func refusesDuplicateNamesAndEmptyLists() {
        expectFailure(#"[{"name":"x","match":{"reference":"exact"}},{"name":"x","match":{"amount":"exact"}}]"#, .ruleDuplicateName, rule: "x")
        expectFailure("[]", .rulesEmpty)
        let error = #expect(throws: ReconError.self) { _ = try ReconRuleSet([]) }
        #expect(error?.code == .rulesEmpty)
    }

    @Test func refusesMalformedJSON() {
        expectFailure("[{]", .rulesSyntax)
        expectFailure(#"[{"name":"a","name":"b","match":{}}]"#, .rulesSyntax)
        expectFailure(#"{"name":"a"}"#, .rulesSyntax)
        expectFailure(#"[{"name":"a","match":{"reference":"exact"}},]"#, .rulesSyntax)
        expectFailure(#"[{"name":"a","match":{"amount":{"tolerance_bps":01}}}]"#, .rulesSyntax)
    }

    @Test func errorCodesAreStable() {
        #expect(ReconError.Code.ruleUnknownField.rawValue == "recon.rule.unknown_field")
        #expect(Set(ReconError.Code.allCases.map(\.rawValue)).count == ReconError.Code.allCases.count)
    }
}
