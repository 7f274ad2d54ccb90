/// How many rows on each side one match may combine.
public enum Grouping: String, Sendable, Hashable, CaseIterable {
    /// One statement line ↔ one ledger row (default).
    case oneToOne = "one_to_one"
    /// One statement line equals the sum of several ledger rows (a payout split in the ledger).
    case oneToMany = "one_to_many"
    /// Several statement lines equal one ledger row (a transfer settled in instalments).
    case manyToOne = "many_to_one"
}

/// Reference condition. Only `exact` exists: equal after trimming surrounding whitespace,
/// compared case-sensitively, and never matching an empty reference.
public enum ReferenceCondition: String, Sendable, Hashable {
    case exact
}

/// Amount condition. For one_to_one rules the tolerance base `b` is the statement amount.
public enum AmountCondition: Sendable, Hashable {
    /// Amounts equal.
    case exact
    /// |ledger - statement| × 10000 ≤ bps × |statement|, computed without overflow. `bps ≥ 0`.
    case toleranceBps(Int64)
    /// |ledger - statement| ≤ tolerance (minor units). `tolerance ≥ 0`.
    case toleranceAbsolute(Int128)
    /// Group rules only: the group's members sum exactly to the single row's amount.
    case sumExact
}

/// Time condition: |t1 - t2| ≤ windowSeconds (for groups, every member against the single row).
public struct TimeCondition: Sendable, Hashable {
    public let windowSeconds: Int64
    public init(windowSeconds: Int64) { self.windowSeconds = windowSeconds }
}

/// Description condition: similarity of the normalised descriptions ≥ `minSimilarity`.
public struct DescriptionCondition: Sendable, Hashable {
    public let minSimilarity: SimilarityThreshold
    public let method: SimilarityMethod
    public init(minSimilarity: SimilarityThreshold, method: SimilarityMethod = .jaroWinkler) {
        self.minSimilarity = minSimilarity
        self.method = method
    }
}

/// One matching rule. Conditions that are `nil` are not checked. Assets must always be equal.
public struct ReconRule: Sendable, Hashable {
    public let name: String
    public let grouping: Grouping
    public let reference: ReferenceCondition?
    public let amount: AmountCondition?
    public let time: TimeCondition?
    public let description: DescriptionCondition?

    /// Creates an unvalidated rule; `ReconRuleSet` validates it.
    public init(name: String, grouping: Grouping = .oneToOne, reference: ReferenceCondition? = nil,
                amount: AmountCondition? = nil, time: TimeCondition? = nil, description: DescriptionCondition? = nil) {
        self.name = name
        self.grouping = grouping
        self.reference = reference
        self.amount = amount
        self.time = time
        self.description = description
    }
}

/// A validated, priority-ordered list of rules: the only form the engine accepts, so an invalid
/// combination can never reach matching.
public struct ReconRuleSet: Sendable, Hashable {
    public let rules: [ReconRule]

    /// Validates `rules` (first = highest priority).
    ///
    /// Refused: an empty list; empty or duplicate names; `sum_exact` on one_to_one; a group without
    /// `sum_exact`; a group with neither `reference: exact` nor a time window (its candidate set would
    /// be unbounded); a one_to_one rule with none of reference/amount/time (nothing to index — it would
    /// compare all pairs); negative tolerances or windows.
    public init(_ rules: [ReconRule]) throws(ReconError) {
        guard !rules.isEmpty else {
            throw ReconError(.rulesEmpty, "the rule list is empty; give at least one rule, e.g. {\"name\":\"exact\",\"match\":{\"reference\":\"exact\",\"amount\":\"exact\"}}")
        }
        var seen = Set<String>()
        for (index, rule) in rules.enumerated() {
            let label = rule.name.isEmpty ? "#\(index)" : rule.name
            guard !rule.name.isEmpty else {
                throw ReconError(.ruleInvalidValue, "rule #\(index): name is empty; give every rule a unique name", rule: label, field: "name")
            }
            guard seen.insert(rule.name).inserted else {
                throw ReconError(.ruleDuplicateName, "rule \"\(rule.name)\" (#\(index)): the name is already used by an earlier rule; names must be unique", rule: label, field: "name")
            }
            try Self.validate(rule, label: "rule \"\(label)\"", ruleName: label)
        }
        self.rules = rules
    }

    private static func validate(_ rule: ReconRule, label: String, ruleName: String) throws(ReconError) {
        switch rule.amount {
        case .toleranceBps(let bps) where bps < 0:
            throw ReconError(.ruleInvalidValue, "\(label): match.amount.tolerance_bps is \(bps); it must be ≥ 0", rule: ruleName, field: "match.amount.tolerance_bps")
        case .toleranceAbsolute(let tol) where tol < 0:
            throw ReconError(.ruleInvalidValue, "\(label): match.amount.tolerance_abs is \(tol); it must be ≥ 0 minor units", rule: ruleName, field: "match.amount.tolerance_abs")
        default: break
        }
        if let t = rule.time, t.windowSeconds < 0 {
            throw ReconError(.ruleInvalidValue, "\(label): match.time.window_seconds is \(t.windowSeconds); it must be ≥ 0", rule: ruleName, field: "match.time.window_seconds")
        }
        let isSum = rule.amount == .sumExact
        switch rule.grouping {
        case .oneToOne:
            if isSum {
                throw ReconError(.ruleInvalidCombination, "\(label): amount \"sum_exact\" needs a group; add \"group\":\"one_to_many\" or \"many_to_one\", or use amount \"exact\"", rule: ruleName, field: "match.amount")
            }
            if rule.reference == nil && rule.amount == nil && rule.time == nil {
                throw ReconError(.ruleInvalidCombination, "\(label): needs at least one of reference, amount or time so candidates can be indexed (a description-only rule would compare all pairs)", rule: ruleName, field: "match")
            }
        case .oneToMany, .manyToOne:
            if !isSum {
                throw ReconError(.ruleInvalidCombination, "\(label): group \"\(rule.grouping.rawValue)\" needs \"amount\":\"sum_exact\"", rule: ruleName, field: "match.amount")
            }
            if rule.reference == nil && rule.time == nil {
                throw ReconError(.ruleInvalidCombination, "\(label): group \"\(rule.grouping.rawValue)\" needs \"reference\":\"exact\" or a time window to bound its candidates", rule: ruleName, field: "match")
            }
        }
    }
}
