/// The bounds that keep every rule's work per row constant, so a run is
/// O(n log n) overall ("stream and index, not compare all pairs").
///
/// Caps only ever make the engine *miss* a match it would otherwise find, never produce a wrong
/// one, and they are applied in a deterministic order, so results stay reproducible.
public struct ReconLimits: Sendable, Hashable {
    /// K: most members on the "many" side of one group match (one_to_many / many_to_one).
    public var maxGroupMembers: Int = 8
    /// C: most candidate rows considered for one group's subset-sum search, taken in rank order
    /// (|Δt| ascending, then canonical order).
    public var maxGroupCandidates: Int = 32
    /// Search nodes (partial subsets tried) per group search before giving up on that row.
    /// With pruning a real search uses a tiny fraction; this bounds adversarial inputs.
    public var maxSubsetSearchNodes: Int = 100_000
    /// Most candidates kept per driving row for ranking in one_to_one rules: available rows that pass
    /// every cheap condition (asset, reference, amount, time), in index-walk order (nearest first).
    /// Also the most unclassified rows compared per statement line in amount-mismatch classification.
    public var maxCandidatesPerRow: Int = 64
    /// Most index entries visited per driving row, whatever their state (already matched, outside the
    /// window during an amount-range walk, …). Bounds the cost of hot buckets such as recurring
    /// identical payments and of wide tolerance ranges.
    public var maxIndexEntriesVisited: Int = 4_096
    /// Most description similarities computed per driving row (the most expensive check, so it runs
    /// last, only on candidates that passed every cheaper condition).
    public var maxSimilarityEvaluations: Int = 32
    /// Descriptions are compared on at most this many normalised bytes.
    public var maxDescriptionBytes: Int = 256

    /// Rows with |amount| ≥ 2^120 are left out of group (sum) searches: with at most 64 members the
    /// partial sums then stay below 2^126 and subset sums are exact in `Int128`. Such rows still take
    /// part in one_to_one rules.
    public static let groupAmountMagnitudeLimit: UInt128 = 1 << 120

    public static let `default` = ReconLimits()

    public init() {}

    func validate() throws(ReconError) {
        func check(_ ok: Bool, _ field: String, _ range: String) throws(ReconError) {
            if !ok { throw ReconError(.limitsInvalid, "ReconLimits.\(field) must be in \(range)", field: field) }
        }
        try check((2...64).contains(maxGroupMembers), "maxGroupMembers", "2...64")
        try check((2...64).contains(maxGroupCandidates), "maxGroupCandidates", "2...64")
        try check(maxSubsetSearchNodes >= 1, "maxSubsetSearchNodes", "1...")
        try check(maxCandidatesPerRow >= 1, "maxCandidatesPerRow", "1...")
        try check(maxIndexEntriesVisited >= maxCandidatesPerRow, "maxIndexEntriesVisited", "maxCandidatesPerRow...")
        try check(maxSimilarityEvaluations >= 1, "maxSimilarityEvaluations", "1...")
        try check((1...Similarity.maxComparedBytes).contains(maxDescriptionBytes), "maxDescriptionBytes", "1...\(Similarity.maxComparedBytes)")
    }
}

/// The confidence formula (integer per-mille, 0...1000), documented in one place.
///
/// `confidence = 1000 − amount − time − description − reference − group`, clamped to 0...1000:
/// - amount: `2 × driftBps`, capped at 300, where driftBps = ⌈|ledger − statement| × 10000 / |statement|⌉
///   (capped at 150; a non-zero drift against a zero amount counts as 150). 0 for exact/sum_exact.
/// - time: one point per full hour of the largest |Δt| in the match, capped at 200.
/// - description: `(1000 − similarity‰) / 4` with the *lowest* member similarity, only for rules with a
///   description condition (it is not computed otherwise, to keep the hot path cheap).
/// - reference: 150 when the rule does not require `reference: exact` and the references are not all
///   equal and non-empty.
/// - group: `10 × (rows in the match − 2)`, capped at 100 (1:1 = 0; a 1+3 split = 20).
///
/// So an exact reference+amount match at the same hour scores 1000.
public enum Confidence {
    public static func perMille(driftBps: Int, secondsApart: UInt64, similarityPerMille: Int?, referencesAgree: Bool, rowsInMatch: Int) -> Int {
        var c = 1000
        c -= min(300, 2 * driftBps)
        c -= Int(min(200, secondsApart / 3600))
        if let s = similarityPerMille { c -= (1000 - s) / 4 }
        if !referencesAgree { c -= 150 }
        c -= min(100, 10 * max(0, rowsInMatch - 2))
        return min(1000, max(0, c))
    }
}
