import Dispatch

/// The reconciliation matching engine: pure, synchronous and deterministic.
public enum Reconciler {
    /// Matches `ledger` against `statement` with `rules` (in priority order) and classifies what is
    /// left unmatched.
    ///
    /// Guarantees: a row is matched at most once; each rule only sees rows no earlier rule matched;
    /// assets are always equal within a match; the result depends only on the *set* of rows (any
    /// input order gives the identical result). Cost is O(n log n) plus bounded work per row
    /// (see `ReconLimits`); memory is linear in the number of rows.
    ///
    /// `tablesReady` is called once both sides are in canonical order, `ruleFinished` after each rule (a caller's clock times the rules; the engine has none).
    ///
    /// Throws `ReconError` for unusable rows (empty/duplicate ids, empty assets) or invalid limits.
    public static func reconcile(ledger: [ReconRow], statement: [ReconRow], rules: ReconRuleSet,
                                 limits: ReconLimits = .default, tablesReady: () -> Void = {},
                                 ruleFinished: (RuleStat) -> Void = { _ in }) throws(ReconError) -> ReconResult {
        try limits.validate()
        // Asset ranks: sorted distinct assets, so canonical order is (asset string, time, id).
        var assetSet = Set<String>()
        for r in ledger { assetSet.insert(r.asset) }
        for r in statement { assetSet.insert(r.asset) }
        var assetRank: [String: Int32] = [:]
        for (i, a) in assetSet.sorted().enumerated() { assetRank[a] = Int32(i) }

        let wantsDescriptions = rules.rules.contains { $0.description != nil }
        // The two sides are sorted into tables on two threads (they share nothing until
        // references are interned, which runs after both, ledger first: deterministic).
        let built = BuiltSides(), ranks = assetRank
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let result = Result { () throws(ReconError) -> SideTable in
                try SideTable(side: k == 0 ? .ledger : .statement, rows: k == 0 ? ledger : statement, assetRank: ranks,
                              wantsDescriptions: wantsDescriptions, maxDescriptionBytes: limits.maxDescriptionBytes)
            }
            if k == 0 { built.ledger = result } else { built.statement = result }
        }
        var L = try built.ledger!.get(), S = try built.statement!.get()
        var references = [String: Int32](minimumCapacity: ledger.count)
        L.intern(into: &references)
        S.intern(into: &references)
        references = [:]  // interning is done; release the strings before matching
        tablesReady()

        var records: [MatchRecord] = []
        var perRule: [RuleStat] = []
        for (ruleIndex, rule) in rules.rules.enumerated() {
            let before = records.count
            switch rule.grouping {
            case .oneToOne:
                OneToOne.run(rule: rule, ruleIndex: ruleIndex, statement: &S, ledger: &L,
                             assetCount: assetRank.count, limits: limits, into: &records)
            case .oneToMany:
                Groups.run(rule: rule, ruleIndex: ruleIndex, single: &S, many: &L,
                           assetCount: assetRank.count, limits: limits, into: &records)
            case .manyToOne:
                Groups.run(rule: rule, ruleIndex: ruleIndex, single: &L, many: &S,
                           assetCount: assetRank.count, limits: limits, into: &records)
            }
            let new = records[before...]
            perRule.append(RuleStat(name: rule.name, matches: new.count,
                                    ledgerRows: new.reduce(0) { $0 + $1.ledger.count },
                                    statementRows: new.reduce(0) { $0 + $1.statement.count }))
            ruleFinished(perRule[perRule.count - 1])
        }

        let exceptions = Exceptions.classify(ledger: L, statement: S, assetCount: assetRank.count, limits: limits)
        let matches = records.map { r in
            Match(ruleName: rules.rules[r.ruleIndex].name, ruleIndex: r.ruleIndex,
                  ledgerIds: r.ledger.count == 1 ? [L.id(Int(r.ledger[0]))] : r.ledger.sorted().map { L.id(Int($0)) },
                  statementIds: r.statement.count == 1 ? [S.id(Int(r.statement[0]))] : r.statement.sorted().map { S.id(Int($0)) },
                  confidence: r.confidence, amountDifference: r.amountDifference, maxTimeDifference: r.maxTimeDifference)
        }
        return ReconResult(matches: matches, exceptions: exceptions, perRule: perRule)
    }
}

/// A match in canonical indices, converted to ids at the end.
struct MatchRecord {
    let ruleIndex: Int
    let ledger: [Int32]
    let statement: [Int32]
    let confidence: Int
    let amountDifference: AmountDelta
    let maxTimeDifference: UInt64
}

/// Condition predicates shared by the runners. `b` (tolerance base) is always the statement amount.
enum Conditions {
    @inline(__always)
    static func amountHolds(_ cond: AmountCondition?, ledger a: Int128, statement b: Int128) -> Bool {
        switch cond {
        case nil: true
        case .exact?: a == b
        case .toleranceBps(let bps)?: AmountMath.withinBps(a, b, bps: bps)
        case .toleranceAbsolute(let tol)?: AmountMath.withinAbsolute(a, b, tolerance: tol)
        case .sumExact?: false  // group rules check sums, never single pairs
        }
    }

    @inline(__always)
    static func timeHolds(_ cond: TimeCondition?, _ t1: Int64, _ t2: Int64) -> Bool {
        guard let cond else { return true }
        return AmountMath.absDiff(t1, t2) <= UInt64(cond.windowSeconds)
    }

    /// Which index a rule's candidate side gets (see `CandidateIndex`). Cheapest selective key first:
    /// reference (near-unique), then exact amount, then amount range, then time range.
    static func plan(for rule: ReconRule) -> CandidateIndex.Kind {
        let exactAmount = rule.amount == .exact
        if rule.reference != nil { return .bucket(useRef: true, useAmount: exactAmount) }
        if exactAmount { return .bucket(useRef: false, useAmount: true) }
        if rule.grouping == .oneToOne, let amount = rule.amount, amount != .sumExact { return .amount }
        return .time  // validation guarantees a time window here
    }

    /// The candidate range for a driving row and the pivot to walk outward from.
    static func candidateRange(index: CandidateIndex, rule: ReconRule, asset: Int32, ref: Int32,
                               amount: Int128, time: Int64) -> (Range<Int>, Int128) {
        var range: Range<Int>
        switch index.kind {
        case .bucket(let useRef, let useAmount):
            if useRef && ref < 0 { return (0..<0, 0) }
            range = index.bucketRange(BucketKey(asset: asset, ref: useRef ? ref : -2, amount: useAmount ? amount : 0))
        case .time:
            range = index.assetRange(asset)
        case .amount:
            range = index.assetRange(asset)
            let delta: UInt128
            switch rule.amount {
            case .toleranceBps(let bps)?: delta = AmountMath.maxBpsDelta(amount, bps: bps)
            case .toleranceAbsolute(let tol)?: delta = UInt128(tol)
            default: delta = 0
            }
            range = index.narrow(range, low: AmountMath.offset(amount, by: delta, up: false),
                                 high: AmountMath.offset(amount, by: delta, up: true))
            return (range, amount)
        }
        if let w = rule.time {
            range = index.narrow(range, low: Int128(time) - Int128(w.windowSeconds), high: Int128(time) + Int128(w.windowSeconds))
        }
        return (range, Int128(time))
    }
}

/// Where the two threads that build the side tables leave them: each writes its own property once,
/// and both are read only after `concurrentPerform` returned (which orders the writes before).
private final class BuiltSides: @unchecked Sendable {
    var ledger: Result<SideTable, ReconError>?
    var statement: Result<SideTable, ReconError>?
}
