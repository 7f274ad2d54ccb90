import CofferBase

extension ReconRuleSet {
    /// Decodes and validates a rules file.
    ///
    /// Format: a JSON array of `{"name": String, "group"?: "one_to_one"|"one_to_many"|"many_to_one",
    /// "match": {...}}` where `match` may hold `"reference":"exact"`,
    /// `"amount":"exact"|"sum_exact"|{"tolerance_bps":Int}|{"tolerance_abs":"minor units"}`,
    /// `"time":{"window_seconds":Int}` and
    /// `"description":{"min_similarity":0.8|"0.8","method"?:"jaro_winkler"|"levenshtein"}`.
    /// Decoding is strict: unknown keys are refused with an error naming the rule and the field, so
    /// a typo can never silently weaken a rule. Numbers are read from their decimal text (exact).
    public static func decode(json: String) throws(ReconError) -> ReconRuleSet {
        let root: JSONValue
        do { root = try JSONValue(parsing: json) } catch {
            throw ReconError(.rulesSyntax, "the rules file is not valid JSON: \(error.description)")
        }
        guard case .array(let items) = root else {
            throw ReconError(.rulesSyntax, "the rules file must be a JSON array of rule objects, found \(root.kindName)")
        }
        var rules: [ReconRule] = []
        rules.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            rules.append(try decodeRule(item, index: index))
        }
        return try ReconRuleSet(rules)
    }

    private static func decodeRule(_ item: JSONValue, index: Int) throws(ReconError) -> ReconRule {
        guard case .object(let members) = item else {
            throw ReconError(.ruleInvalidValue, "rule #\(index): must be an object, found \(item.kindName)", rule: "#\(index)")
        }
        // Name first, so every later error can name the rule.
        var label = "#\(index)"
        var name: String?
        if let raw = members.first(where: { $0.key == "name" })?.value {
            guard case .string(let s) = raw else {
                throw ReconError(.ruleInvalidValue, "rule #\(index): \"name\" must be a string, found \(raw.kindName)", rule: label, field: "name")
            }
            name = s
            if !s.isEmpty { label = s }
        }
        let ctx = Ctx(label: label, index: index)
        try ctx.onlyKeys(members, allowed: ["name", "group", "match"], path: "")
        guard let name else { throw ctx.error(.ruleMissingField, "\"name\" is required", field: "name") }

        var grouping = Grouping.oneToOne
        if let raw = members.first(where: { $0.key == "group" })?.value {
            let s = try ctx.string(raw, field: "group")
            guard let g = Grouping(rawValue: s) else {
                throw ctx.error(.ruleInvalidValue, "\"group\" is \"\(s)\"; allowed: one_to_one, one_to_many, many_to_one", field: "group")
            }
            grouping = g
        }
        guard let matchValue = members.first(where: { $0.key == "match" })?.value else {
            throw ctx.error(.ruleMissingField, "\"match\" is required (an object of conditions)", field: "match")
        }
        guard case .object(let match) = matchValue else {
            throw ctx.error(.ruleInvalidValue, "\"match\" must be an object, found \(matchValue.kindName)", field: "match")
        }
        try ctx.onlyKeys(match, allowed: ["reference", "amount", "time", "description"], path: "match.")

        var reference: ReferenceCondition?
        var amount: AmountCondition?
        var time: TimeCondition?
        var description: DescriptionCondition?
        for (key, value) in match {
            switch key {
            case "reference":
                let s = try ctx.string(value, field: "match.reference")
                guard let r = ReferenceCondition(rawValue: s) else {
                    throw ctx.error(.ruleInvalidValue, "match.reference is \"\(s)\"; the only supported value is \"exact\"", field: "match.reference")
                }
                reference = r
            case "amount":
                amount = try decodeAmount(value, ctx)
            case "time":
                let obj = try ctx.object(value, field: "match.time")
                try ctx.onlyKeys(obj, allowed: ["window_seconds"], path: "match.time.")
                guard let w = obj.first(where: { $0.key == "window_seconds" })?.value else {
                    throw ctx.error(.ruleMissingField, "match.time needs \"window_seconds\"", field: "match.time.window_seconds")
                }
                let seconds = try ctx.integer(w, field: "match.time.window_seconds")
                guard let s64 = Int64(exactly: seconds) else {
                    throw ctx.error(.ruleInvalidValue, "match.time.window_seconds \(seconds) does not fit 64 bits", field: "match.time.window_seconds")
                }
                time = TimeCondition(windowSeconds: s64)
            case "description":
                let obj = try ctx.object(value, field: "match.description")
                try ctx.onlyKeys(obj, allowed: ["min_similarity", "method"], path: "match.description.")
                guard let ms = obj.first(where: { $0.key == "min_similarity" })?.value else {
                    throw ctx.error(.ruleMissingField, "match.description needs \"min_similarity\" (e.g. 0.8)", field: "match.description.min_similarity")
                }
                let text: String
                switch ms {
                case .number(let t), .string(let t): text = t
                default:
                    throw ctx.error(.ruleInvalidValue, "match.description.min_similarity must be a number or decimal string, found \(ms.kindName)", field: "match.description.min_similarity")
                }
                let threshold: SimilarityThreshold
                do { threshold = try SimilarityThreshold(text) } catch {
                    throw ctx.error(error.code, error.message, field: "match.description.min_similarity")
                }
                var method = SimilarityMethod.jaroWinkler
                if let m = obj.first(where: { $0.key == "method" })?.value {
                    let s = try ctx.string(m, field: "match.description.method")
                    guard let parsed = SimilarityMethod(rawValue: s) else {
                        throw ctx.error(.ruleInvalidValue, "match.description.method is \"\(s)\"; allowed: jaro_winkler, levenshtein", field: "match.description.method")
                    }
                    method = parsed
                }
                description = DescriptionCondition(minSimilarity: threshold, method: method)
            default:
                break  // unreachable: onlyKeys refused it
            }
        }
        return ReconRule(name: name, grouping: grouping, reference: reference, amount: amount, time: time, description: description)
    }

    private static func decodeAmount(_ value: JSONValue, _ ctx: Ctx) throws(ReconError) -> AmountCondition {
        switch value {
        case .string("exact"): return .exact
        case .string("sum_exact"): return .sumExact
        case .string(let s):
            throw ctx.error(.ruleInvalidValue, "match.amount is \"\(s)\"; allowed: \"exact\", \"sum_exact\", {\"tolerance_bps\":N}, {\"tolerance_abs\":\"minor units\"}", field: "match.amount")
        case .object(let obj):
            try ctx.onlyKeys(obj, allowed: ["tolerance_bps", "tolerance_abs"], path: "match.amount.")
            guard obj.count == 1, let (key, v) = obj.first.map({ ($0.key, $0.value) }) else {
                throw ctx.error(.ruleInvalidCombination, "match.amount needs exactly one of \"tolerance_bps\" or \"tolerance_abs\"", field: "match.amount")
            }
            let n = try ctx.integer(v, field: "match.amount.\(key)")
            if key == "tolerance_bps" {
                guard let bps = Int64(exactly: n) else {
                    throw ctx.error(.ruleInvalidValue, "match.amount.tolerance_bps \(n) does not fit 64 bits", field: "match.amount.tolerance_bps")
                }
                return .toleranceBps(bps)
            }
            return .toleranceAbsolute(n)
        default:
            throw ctx.error(.ruleInvalidValue, "match.amount must be a string or an object, found \(value.kindName)", field: "match.amount")
        }
    }

    /// Error context for one rule: every message starts with `rule "<name>"` and carries the field.
    private struct Ctx {
        let label: String
        let index: Int

        func error(_ code: ReconError.Code, _ what: String, field: String) -> ReconError {
            ReconError(code, "rule \"\(label)\" (#\(index)): \(what)", rule: label, field: field)
        }

        func onlyKeys(_ members: [(key: String, value: JSONValue)], allowed: [String], path: String) throws(ReconError) {
            for m in members where !allowed.contains(m.key) {
                throw error(.ruleUnknownField, "unknown field \"\(path)\(m.key)\"; allowed here: \(allowed.joined(separator: ", "))", field: path + m.key)
            }
        }

        func string(_ v: JSONValue, field: String) throws(ReconError) -> String {
            guard case .string(let s) = v else { throw error(.ruleInvalidValue, "\(field) must be a string, found \(v.kindName)", field: field) }
            return s
        }

        func object(_ v: JSONValue, field: String) throws(ReconError) -> [(key: String, value: JSONValue)] {
            guard case .object(let o) = v else { throw error(.ruleInvalidValue, "\(field) must be an object, found \(v.kindName)", field: field) }
            return o
        }

        /// An exact integer from a JSON number or a decimal string ("1e3" and "1000" both give 1000).
        func integer(_ v: JSONValue, field: String) throws(ReconError) -> Int128 {
            let text: String
            switch v {
            case .number(let t), .string(let t): text = t
            default: throw error(.ruleInvalidValue, "\(field) must be an integer, found \(v.kindName)", field: field)
            }
            guard let n = DecimalText.integer(text) else {
                throw error(.ruleInvalidValue, "\(field) is \(text); it must be a whole number within 128 bits", field: field)
            }
            return n
        }
    }
}
