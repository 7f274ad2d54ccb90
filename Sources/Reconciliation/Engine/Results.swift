/// One reconciled group: which rule matched it, the ids on each side and how confident we are.
public struct Match: Sendable, Hashable {
    public let ruleName: String
    /// Position of the rule in the rule set (its priority, 0 = first).
    public let ruleIndex: Int
    /// Ledger ids in canonical order (asset, time, id); several only for `one_to_many`.
    public let ledgerIds: [String]
    /// Statement ids in canonical order (asset, time, id); several only for `many_to_one`.
    public let statementIds: [String]
    /// Integer per-mille, 0...1000. See `Confidence` for the formula.
    public let confidence: Int
    /// Statement sum minus ledger sum (zero for exact and sum_exact matches).
    public let amountDifference: AmountDelta
    /// Largest |time difference| in seconds between the single row and any row it was matched with.
    public let maxTimeDifference: UInt64

    public init(ruleName: String, ruleIndex: Int, ledgerIds: [String], statementIds: [String], confidence: Int, amountDifference: AmountDelta, maxTimeDifference: UInt64) {
        self.ruleName = ruleName
        self.ruleIndex = ruleIndex
        self.ledgerIds = ledgerIds
        self.statementIds = statementIds
        self.confidence = confidence
        self.amountDifference = amountDifference
        self.maxTimeDifference = maxTimeDifference
    }
}

/// Why an unmatched row is unmatched. Every row left unmatched appears in exactly one exception.
public enum ReconException: Sendable, Hashable {
    /// The statement line has no ledger counterpart.
    case missingInLedger(statementId: String)
    /// The ledger row has no statement counterpart.
    case missingInStatement(ledgerId: String)
    /// Same asset and reference on both sides but the amounts differ beyond every rule's tolerance.
    /// `difference` is statement amount minus ledger amount.
    case amountMismatch(ledgerId: String, statementId: String, difference: AmountDelta)
    /// A row identical in (asset, amount, trimmed reference, time) to another row on the same
    /// side (`duplicateOf`, which is the matched twin when there is one, else the first in
    /// canonical order).
    case duplicate(side: ReconSide, id: String, duplicateOf: String)
    /// Same asset, reference and amount on both sides, left apart only by time: the pair is outside
    /// every rule's window. `secondsApart` is |statement time - ledger time|. A caller comparing runs
    /// can also detect rows that match in a later run and treat them as timing differences.
    case timingDifference(ledgerId: String, statementId: String, secondsApart: UInt64)

    /// Stable kind code, e.g. for persistence or metrics.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case missingInLedger = "missing_in_ledger"
        case missingInStatement = "missing_in_statement"
        case amountMismatch = "amount_mismatch"
        case duplicate = "duplicate"
        case timingDifference = "timing_difference"
    }

    public var kind: Kind {
        switch self {
        case .missingInLedger: .missingInLedger
        case .missingInStatement: .missingInStatement
        case .amountMismatch: .amountMismatch
        case .duplicate: .duplicate
        case .timingDifference: .timingDifference
        }
    }
}

/// How many matches one rule produced (a rule only sees rows left by the rules before it).
public struct RuleStat: Sendable, Hashable {
    public let name: String
    public let matches: Int
    public let ledgerRows: Int
    public let statementRows: Int

    public init(name: String, matches: Int, ledgerRows: Int, statementRows: Int) {
        self.name = name
        self.matches = matches
        self.ledgerRows = ledgerRows
        self.statementRows = statementRows
    }
}

/// The full, deterministic outcome of one run.
///
/// `matches` are ordered by rule priority, then by the canonical order (asset, time, id) of the
/// row that drove the match (the statement row for one_to_one/one_to_many, the ledger row for
/// many_to_one). `exceptions` are ordered by classification pass (duplicates, timing differences,
/// amount mismatches, missing in ledger, missing in statement), then canonical order.
public struct ReconResult: Sendable, Hashable {
    public let matches: [Match]
    public let exceptions: [ReconException]
    public let perRule: [RuleStat]

    public init(matches: [Match], exceptions: [ReconException], perRule: [RuleStat]) {
        self.matches = matches
        self.exceptions = exceptions
        self.perRule = perRule
    }
}
