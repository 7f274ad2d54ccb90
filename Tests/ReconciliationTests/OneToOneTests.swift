import Testing
@testable import Reconciliation

@Suite("one_to_one conditions")
struct OneToOneTests {
    let exactRules = #"[{"name":"exact","match":{"reference":"exact","amount":"exact"}}]"#

    @Test func referenceIsTrimmedAndCaseSensitive() throws {
        let r = try run([row("l1", 100, ref: "INV-1"), row("l2", 100, ref: "inv-2")],
                        [row("s1", 100, ref: "  INV-1\t"), row("s2", 100, ref: "INV-2")], exactRules)
        #expect(pairs(r) == [["l1", "|", "s1"]])
        #expect(r.matches[0].confidence == 1000, "exact reference+amount at the same time")
    }

    @Test func emptyReferencesNeverMatchExact() throws {
        let r = try run([row("l1", 100, ref: " ")], [row("s1", 100, ref: "")], exactRules)
        #expect(r.matches.isEmpty)
    }

    @Test func assetsMustBeEqual() throws {
        let r = try run([row("l1", 100, ref: "A", asset: "USD")], [row("s1", 100, ref: "A", asset: "EUR")], exactRules)
        #expect(r.matches.isEmpty)
        #expect(Set(r.exceptions) == [.missingInLedger(statementId: "s1"), .missingInStatement(ledgerId: "l1")])
    }

    @Test func negativeZeroAndExtremeAmounts() throws {
        let ledger = [row("neg", -2_500, ref: "N"), row("zero", 0, ref: "Z"), row("max", .max, ref: "X"), row("min", .min, ref: "M")]
        let statement = [row("s-neg", -2_500, ref: "N"), row("s-zero", 0, ref: "Z"), row("s-max", .max, ref: "X"),
                         row("s-min", .min, ref: "M"), row("s-neg-wrong", 2_500, ref: "N")]
        let r = try run(ledger, statement, exactRules)
        #expect(Set(pairs(r)) == [["neg", "|", "s-neg"], ["zero", "|", "s-zero"], ["max", "|", "s-max"], ["min", "|", "s-min"]])
        #expect(r.exceptions == [.missingInLedger(statementId: "s-neg-wrong")])
    }

    @Test func toleranceBpsBoundaryUsesStatementAsBase() throws {
        let rules = #"[{"name":"bps","match":{"reference":"exact","amount":{"tolerance_bps":50}}}]"#
        // base 10000: 50 bps = 50 exactly.
        #expect(try run([row("l", 10_050, ref: "A")], [row("s", 10_000, ref: "A")], rules).matches.count == 1)
        #expect(try run([row("l", 10_051, ref: "A")], [row("s", 10_000, ref: "A")], rules).matches.isEmpty)
        // base is the statement amount: |10000-9950|·10000 = 500000 > 50·9950.
        #expect(try run([row("l", 10_000, ref: "A")], [row("s", 9_950, ref: "A")], rules).matches.isEmpty)
        #expect(try run([row("l", -10_050, ref: "A")], [row("s", -10_000, ref: "A")], rules).matches.count == 1)
    }

    @Test func toleranceBpsWithoutReferenceUsesTheAmountIndex() throws {
        let rules = #"[{"name":"bps","match":{"amount":{"tolerance_bps":50},"time":{"window_seconds":100}}}]"#
        let r = try run([row("far", 10_040, t: 0), row("near", 10_010, t: 0), row("late", 10_000, t: 101), row("out", 10_051, t: 0)],
                        [row("s", 10_000, t: 0)], rules)
        #expect(pairs(r) == [["near", "|", "s"]], "closest amount wins; 'late' is outside the window, 'out' beyond tolerance")
        #expect(r.matches[0].amountDifference == AmountDelta(isNegative: true, magnitude: 10))
    }

    @Test func toleranceBpsWithExtremeAmountsDoesNotOverflow() throws {
        let rules = #"[{"name":"bps","match":{"amount":{"tolerance_bps":20000}}}]"#
        // Base |statement| = 2^127: 20000 bps allow a difference of 2^128 - 1, the largest possible.
        let r = try run([row("l", .max)], [row("s", .min)], rules)
        #expect(pairs(r) == [["l", "|", "s"]])
        #expect(r.matches[0].amountDifference.magnitude == UInt128.max)
        #expect(r.matches[0].amountDifference.int128 == nil)
    }

    @Test func toleranceAbsoluteBoundary() throws {
        let rules = #"[{"name":"abs","match":{"reference":"exact","amount":{"tolerance_abs":"5"}}}]"#
        #expect(try run([row("l", 105, ref: "A")], [row("s", 100, ref: "A")], rules).matches.count == 1)
        #expect(try run([row("l", 95, ref: "A")], [row("s", 100, ref: "A")], rules).matches.count == 1)
        #expect(try run([row("l", 106, ref: "A")], [row("s", 100, ref: "A")], rules).matches.isEmpty)
    }

    @Test func timeWindowBoundary() throws {
        let rules = #"[{"name":"w","match":{"reference":"exact","amount":"exact","time":{"window_seconds":3600}}}]"#
        let timeOnly = #"[{"name":"t","match":{"time":{"window_seconds":3600}}}]"#
        #expect(try run([row("l", 1, t: 1_000)], [row("s", 1, t: 4_600)], timeOnly).matches.count == 1)
        #expect(try run([row("l", 1, t: 1_000)], [row("s", 1, t: 4_601)], timeOnly).matches.isEmpty)
        #expect(try run([row("l", 1, t: 1_000, ref: "A")], [row("s", 1, t: 4_600, ref: "A")], rules).matches.count == 1)
        #expect(try run([row("l", 1, t: 1_000, ref: "A")], [row("s", 1, t: 4_601, ref: "A")], rules).matches.isEmpty)
        #expect(try run([row("l", 1, t: 4_601, ref: "A")], [row("s", 1, t: 1_000, ref: "A")], rules).matches.isEmpty)
        #expect(try run([row("l", 1, t: .min, ref: "A")], [row("s", 1, t: .max, ref: "A")], rules).matches.isEmpty, "no overflow")
    }

    @Test func equalTimeTiesBreakByCanonicalId() throws {
        let ledger = [row("b", 100, t: 50, ref: "A"), row("a", 100, t: 50, ref: "A"), row("c", 100, t: 50, ref: "A")]
        for order in [ledger, ledger.reversed()] {
            let r = try run(order, [row("s", 100, t: 50, ref: "A")], exactRules)
            #expect(pairs(r) == [["a", "|", "s"]])
        }
    }

    @Test func nearestTimeThenLowerIdWins() throws {
        // Candidates at distance 10 on both sides of the statement: the earlier one (lower canonical index) wins.
        let r = try run([row("after", 100, t: 110, ref: "A"), row("before", 100, t: 90, ref: "A"), row("far", 100, t: 0, ref: "A")],
                        [row("s", 100, t: 100, ref: "A")], exactRules)
        #expect(pairs(r) == [["before", "|", "s"]])
    }

    @Test func amountDifferenceOutranksTimeDifference() throws {
        let rules = #"[{"name":"abs","match":{"reference":"exact","amount":{"tolerance_abs":"10"}}}]"#
        let r = try run([row("close-time", 108, t: 100, ref: "A"), row("close-amount", 101, t: 5_000, ref: "A")],
                        [row("s", 100, t: 100, ref: "A")], rules)
        #expect(pairs(r) == [["close-amount", "|", "s"]])
    }

    @Test func descriptionSimilarityJaroWinkler() throws {
        let rules = #"[{"name":"d","match":{"amount":"exact","time":{"window_seconds":86400},"description":{"min_similarity":"0.9"}}}]"#
        let r = try run([row("l-other", 500, t: 0, desc: "Totally different"), row("l-acme", 500, t: 10, desc: "ACME Corp. invoice 42")],
                        [row("s", 500, t: 0, desc: "acme corp invoice 42")], rules)
        #expect(pairs(r) == [["l-acme", "|", "s"]], "closer in time, but 'l-other' fails the description")
        #expect(r.matches[0].confidence == 1000 - 150, "same description, references absent → reference penalty only")
    }

    @Test func descriptionHigherSimilarityBreaksTies() throws {
        let rules = #"[{"name":"d","match":{"amount":"exact","time":{"window_seconds":60},"description":{"min_similarity":"0.5"}}}]"#
        let r = try run([row("a", 500, t: 0, desc: "acme corp invoice"), row("b", 500, t: 0, desc: "acme corp invoice 42")],
                        [row("s", 500, t: 0, desc: "acme corp invoice 42")], rules)
        #expect(pairs(r) == [["b", "|", "s"]])
    }

    @Test func descriptionLevenshteinMethod() throws {
        let lev = #"[{"name":"d","match":{"amount":"exact","description":{"min_similarity":"0.58","method":"levenshtein"}}}]"#
        let jw = #"[{"name":"d","match":{"amount":"exact","description":{"min_similarity":"0.58"}}}]"#
        // kitten/sitting: Levenshtein similarity 4/7 ≈ 0.571 < 0.58; Jaro-Winkler ≈ 0.746 ≥ 0.58.
        #expect(try run([row("l", 1, desc: "kitten")], [row("s", 1, desc: "sitting")], lev).matches.isEmpty)
        #expect(try run([row("l", 1, desc: "kitten")], [row("s", 1, desc: "sitting")], jw).matches.count == 1)
    }

    @Test func rowsMatchAtMostOnceAndPriorityHolds() throws {
        let rules = """
        [{"name":"exact","match":{"reference":"exact","amount":"exact"}},
         {"name":"loose","match":{"amount":"exact","time":{"window_seconds":1000}}}]
        """
        let r = try run([row("l1", 100, t: 0, ref: "A"), row("l2", 100, t: 5, ref: "B")],
                        [row("s1", 100, t: 0, ref: "B"), row("s2", 100, t: 0, ref: "Q"), row("s3", 100, t: 0, ref: "Z")], rules)
        #expect(r.matches.map(\.ruleName) == ["exact", "loose"])
        #expect(pairs(r) == [["l2", "|", "s1"], ["l1", "|", "s2"]])
        #expect(r.perRule == [RuleStat(name: "exact", matches: 1, ledgerRows: 1, statementRows: 1),
                              RuleStat(name: "loose", matches: 1, ledgerRows: 1, statementRows: 1)])
        #expect(r.exceptions == [.missingInLedger(statementId: "s3")])
    }

    @Test func confidenceFormula() throws {
        let rules = #"[{"name":"drift","match":{"amount":{"tolerance_bps":50},"time":{"window_seconds":86400},"description":{"min_similarity":0.5}}}]"#
        let r = try run([row("l", 10_025, t: 0, ref: "X", desc: "abcdefghij")], [row("s", 10_000, t: 5 * 3600 + 59, ref: "Y", desc: "abcdefghik")], rules)
        let sim = Similarity.jaroWinkler("abcdefghij", "abcdefghik").perMille
        // drift 25 bps → 50; 5 full hours → 5; description; references differ → 150.
        #expect(r.matches.first?.confidence == 1000 - 50 - 5 - (1000 - sim) / 4 - 150)
        #expect(Confidence.perMille(driftBps: 150, secondsApart: .max, similarityPerMille: 0, referencesAgree: false, rowsInMatch: 20) == 0)
    }

    @Test func invalidRowsAreRefused() throws {
        let rules = try ruleSet(exactRules)
        let dup = #expect(throws: ReconError.self) {
            _ = try Reconciler.reconcile(ledger: [row("x", 1), row("x", 2)], statement: [], rules: rules)
        }
        #expect(dup?.code == .rowDuplicateId)
        let empty = #expect(throws: ReconError.self) {
            _ = try Reconciler.reconcile(ledger: [], statement: [row("", 1)], rules: rules)
        }
        #expect(empty?.code == .rowInvalid)
        var limits = ReconLimits()
        limits.maxGroupMembers = 1
        let bad = #expect(throws: ReconError.self) {
            _ = try Reconciler.reconcile(ledger: [], statement: [], rules: rules, limits: limits)
        }
        #expect(bad?.code == .limitsInvalid && bad?.field == "maxGroupMembers")
    }
}
