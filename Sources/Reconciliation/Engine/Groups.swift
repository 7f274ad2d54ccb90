/// one_to_many / many_to_one rules with `sum_exact`.
///
/// For each unmatched single row in canonical order (statement line for one_to_many, ledger row for
/// many_to_one) the engine collects up to C = `maxGroupCandidates` available rows from the other
/// side that share the asset (and the exact reference, when the rule has one), lie within the time
/// window and pass the description condition. Candidates are ranked (|Δt| ascending, canonical index
/// ascending) — the outward index walk yields exactly that order. It then picks the
/// lexicographically-first subset (by rank positions) of 2...K = `maxGroupMembers` candidates whose
/// amounts sum exactly to the single row's amount.
enum Groups {
    static func run(rule: ReconRule, ruleIndex: Int, single: inout SideTable, many: inout SideTable,
                    assetCount: Int, limits: ReconLimits, into records: inout [MatchRecord]) {
        let index = CandidateIndex(kind: Conditions.plan(for: rule), table: many, unavailable: many.matched, assetCount: assetCount)
        if index.entries.count < 2 { return }
        let limit = ReconLimits.groupAmountMagnitudeLimit
        var search = SubsetSearch(maxMembers: limits.maxGroupMembers, maxCandidates: limits.maxGroupCandidates,
                                  nodeBudget: limits.maxSubsetSearchNodes)
        var members: [Int32] = []
        var similarities: [SimilarityScore] = []
        members.reserveCapacity(limits.maxGroupCandidates)

        for s in 0..<single.count where !single.matched[s] {
            let target = single.amount[s]
            guard target.magnitude < limit else { continue }
            let (range, pivot) = Conditions.candidateRange(index: index, rule: rule, asset: single.asset[s], ref: single.ref[s],
                                                           amount: target, time: single.time[s])
            if range.count < 2 { continue }
            members.removeAll(keepingCapacity: true)
            similarities.removeAll(keepingCapacity: true)
            var cursor = OutwardCursor(index: index, range: range, pivot: pivot)
            var visited = 0, evaluations = 0
            let mine: [UInt8] = rule.description != nil ? single.normalizedDescription(s) : []
            while visited < limits.maxIndexEntriesVisited, members.count < limits.maxGroupCandidates, let e = cursor.next(index.keys) {
                visited += 1
                let c = Int(index.entries[e])
                guard !many.matched[c], many.asset[c] == single.asset[s],
                      many.amount[c].magnitude < limit,
                      rule.reference == nil || (single.ref[s] >= 0 && many.ref[c] == single.ref[s]),
                      Conditions.timeHolds(rule.time, many.time[c], single.time[s]) else { continue }
                if let desc = rule.description {
                    if evaluations >= limits.maxSimilarityEvaluations { break }
                    evaluations += 1
                    let score = Similarity.score(mine, many.normalizedDescription(c), method: desc.method)
                    guard desc.minSimilarity.isSatisfied(by: score) else { continue }
                    similarities.append(score)
                }
                members.append(Int32(c))
            }
            if members.count < 2 { continue }
            guard let picked = search.find(amounts: members.map { many.amount[Int($0)] }, target: target) else { continue }

            let chosen = picked.map { members[$0] }
            single.matched[s] = true
            var maxDt: UInt64 = 0
            var referencesAgree = rule.reference != nil || single.ref[s] >= 0
            for c in chosen {
                many.matched[Int(c)] = true
                maxDt = max(maxDt, AmountMath.absDiff(many.time[Int(c)], single.time[s]))
                if many.ref[Int(c)] != single.ref[s] { referencesAgree = rule.reference != nil }
            }
            let minSimilarity = rule.description == nil ? nil : picked.map { similarities[$0] }.min()?.perMille
            let confidence = Confidence.perMille(driftBps: 0, secondsApart: maxDt, similarityPerMille: minSimilarity,
                                                 referencesAgree: referencesAgree, rowsInMatch: chosen.count + 1)
            let isStatementSingle = single.side == .statement
            records.append(MatchRecord(ruleIndex: ruleIndex,
                                       ledger: isStatementSingle ? chosen : [Int32(s)],
                                       statement: isStatementSingle ? [Int32(s)] : chosen,
                                       confidence: confidence, amountDifference: .zero, maxTimeDifference: maxDt))
        }
    }
}

/// Exact bounded subset-sum: the lexicographically-first index set of 2...K elements of a candidate
/// list (≤ C) summing to `target`.
///
/// Depth-first search in index order visits subsets in lexicographic order (a prefix before its
/// extensions), so the first hit is the lexicographically-first subset. Pruning uses, for every
/// suffix `i...` and size `r`, the sum of its r smallest and r largest amounts (precomputed by
/// insertion into a sorted suffix, O(C²) per search): if no r admits `target`, neither that suffix
/// nor any later one can, and the loop exits early. This is exact for mixed signs. Subtrees that
/// failed are remembered by (next index, depth, partial sum) — the outcome depends on nothing else —
/// which collapses the search when many candidates share an amount (e.g. recurring fees). `nodeBudget`
/// bounds adversarial inputs; exhausting it means "no group" for that row, deterministically.
/// Amounts are < 2^120 in magnitude and K ≤ 64, so every partial sum fits `Int128`.
public struct SubsetSearch: Sendable {
    public let maxMembers: Int
    public let maxCandidates: Int
    public let nodeBudget: Int
    private var amounts: [Int128] = []
    private var minSum: [Int128] = []
    private var maxSum: [Int128] = []
    private var sorted: [Int128] = []
    private var chosen: [Int] = []
    private var nodes = 0
    private var failed = Set<FailedState>()
    private var target: Int128 = 0
    private var k = 0

    public init(maxMembers: Int = ReconLimits.default.maxGroupMembers, maxCandidates: Int = ReconLimits.default.maxGroupCandidates,
                nodeBudget: Int = ReconLimits.default.maxSubsetSearchNodes) {
        precondition(maxMembers >= 2 && maxMembers <= 64 && maxCandidates >= 2 && nodeBudget >= 1)
        self.maxMembers = maxMembers
        self.maxCandidates = maxCandidates
        self.nodeBudget = nodeBudget
    }

    /// Positions (ascending) of the chosen subset, or nil. Only the first `maxCandidates` amounts are
    /// considered; every amount must satisfy |a| < 2^120.
    public mutating func find(amounts input: [Int128], target: Int128) -> [Int]? {
        let c = min(input.count, maxCandidates)
        if c < 2 { return nil }
        amounts = Array(input.prefix(c))
        self.target = target
        k = min(maxMembers, c)
        let width = k + 1
        minSum = [Int128](repeating: 0, count: (c + 1) * width)
        maxSum = [Int128](repeating: 0, count: (c + 1) * width)
        sorted.removeAll(keepingCapacity: true)
        for i in stride(from: c - 1, through: 0, by: -1) {
            // Insert amounts[i] keeping `sorted` ascending: it then holds the suffix i..<c.
            let v = amounts[i]
            var pos = sorted.count
            while pos > 0 && sorted[pos - 1] > v { pos -= 1 }
            sorted.insert(v, at: pos)
            var low: Int128 = 0, high: Int128 = 0
            for r in 1...min(k, sorted.count) {
                low += sorted[r - 1]
                high += sorted[sorted.count - r]
                minSum[i * width + r] = low
                maxSum[i * width + r] = high
            }
        }
        chosen = [Int](repeating: 0, count: k)
        nodes = 0
        failed.removeAll(keepingCapacity: true)
        var size = 0
        guard dfs(from: 0, depth: 0, partial: 0, size: &size) else { return nil }
        return Array(chosen.prefix(size))
    }

    /// Can some r more elements from suffix `i...` (r ≥ 1, and ≥ 2 − depth) bring `partial` to target?
    private func feasible(_ i: Int, depth: Int, partial: Int128) -> Bool {
        let rMin = max(1, 2 - depth), rMax = min(k - depth, amounts.count - i)
        if rMin > rMax { return false }
        let width = k + 1
        for r in rMin...rMax where partial + minSum[i * width + r] <= target && target <= partial + maxSum[i * width + r] {
            return true
        }
        return false
    }

    private struct FailedState: Hashable {
        let next: Int32
        let depth: Int32
        let partial: Int128
    }

    private mutating func dfs(from i: Int, depth: Int, partial: Int128, size: inout Int) -> Bool {
        let state = FailedState(next: Int32(i), depth: Int32(depth), partial: partial)
        if failed.contains(state) { return false }
        defer { if size == 0 && nodes <= nodeBudget { failed.insert(state) } }
        var j = i
        while j < amounts.count {
            // Suffixes shrink as j grows, so once infeasible, every later j is infeasible too.
            if !feasible(j, depth: depth, partial: partial) { return false }
            nodes += 1
            if nodes > nodeBudget { return false }
            let p = partial + amounts[j]
            chosen[depth] = j
            if depth >= 1 && p == target { size = depth + 1; return true }
            if depth + 1 < k, j + 1 < amounts.count {
                if dfs(from: j + 1, depth: depth + 1, partial: p, size: &size) { return true }
                if nodes > nodeBudget { return false }
            }
            j += 1
        }
        return false
    }
}
