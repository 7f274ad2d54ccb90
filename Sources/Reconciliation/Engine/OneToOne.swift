/// one_to_one rules: each unmatched statement line, in canonical order, takes its best available
/// ledger candidate.
///
/// Ranking of candidates (a total order): |amount difference| ascending, |time difference|
/// ascending, description similarity descending (only when the rule compares descriptions),
/// canonical ledger index ascending. The result is the greedy matching in statement canonical order
/// — exactly what the brute-force model in the tests computes, without comparing all pairs.
enum OneToOne {
    struct Candidate {
        let row: Int32
        let amountDiff: UInt128
        let timeDiff: UInt64
    }

    static func run(rule: ReconRule, ruleIndex: Int, statement S: inout SideTable, ledger L: inout SideTable,
                    assetCount: Int, limits: ReconLimits, into records: inout [MatchRecord]) {
        let index = CandidateIndex(kind: Conditions.plan(for: rule), table: L, unavailable: L.matched, assetCount: assetCount)
        if index.entries.isEmpty { return }
        // Exact amount in the bucket key makes every amount difference 0, and the outward walk yields
        // (|Δt|, index) order, so without a description the first passing candidate is the best one.
        let firstIsBest: Bool
        if case .bucket(_, true) = index.kind, rule.description == nil { firstIsBest = true } else { firstIsBest = false }
        var candidates: [Candidate] = []
        candidates.reserveCapacity(limits.maxCandidatesPerRow)

        for d in 0..<S.count where !S.matched[d] {
            let (range, pivot) = Conditions.candidateRange(index: index, rule: rule, asset: S.asset[d], ref: S.ref[d],
                                                           amount: S.amount[d], time: S.time[d])
            if range.isEmpty { continue }
            candidates.removeAll(keepingCapacity: true)
            var cursor = OutwardCursor(index: index, range: range, pivot: pivot)
            var visited = 0, examined = 0
            while visited < limits.maxIndexEntriesVisited, examined < limits.maxCandidatesPerRow, let e = cursor.next(index.keys) {
                visited += 1
                let c = Int(index.entries[e])
                guard !L.matched[c], L.asset[c] == S.asset[d],
                      rule.reference == nil || (S.ref[d] >= 0 && L.ref[c] == S.ref[d]),
                      Conditions.amountHolds(rule.amount, ledger: L.amount[c], statement: S.amount[d]),
                      Conditions.timeHolds(rule.time, L.time[c], S.time[d]) else { continue }
                // Only candidates that pass every cheap condition count against the cap: an amount-range
                // walk may cross many rows outside the time window, which cost a visit but are no candidates.
                examined += 1
                candidates.append(Candidate(row: Int32(c), amountDiff: AmountMath.absDiff(L.amount[c], S.amount[d]),
                                            timeDiff: AmountMath.absDiff(L.time[c], S.time[d])))
                if firstIsBest { break }
            }
            if candidates.isEmpty { continue }
            if candidates.count > 1 {
                candidates.sort { x, y in
                    if x.amountDiff != y.amountDiff { return x.amountDiff < y.amountDiff }
                    if x.timeDiff != y.timeDiff { return x.timeDiff < y.timeDiff }
                    return x.row < y.row
                }
            }
            var chosen: Candidate?
            var similarity: SimilarityScore?
            if let desc = rule.description {
                // Similarity is evaluated lazily, tie-group by tie-group of (Δamount, Δtime): the first
                // group with a passing candidate wins, and within it the highest similarity (then lowest
                // index). At most `maxSimilarityEvaluations` scores are computed per statement line.
                let mine = S.normalizedDescription(d)
                var evaluations = 0
                var i = 0
                groups: while i < candidates.count {
                    var j = i + 1
                    while j < candidates.count, candidates[j].amountDiff == candidates[i].amountDiff,
                          candidates[j].timeDiff == candidates[i].timeDiff { j += 1 }
                    for k in i..<j {
                        if evaluations >= limits.maxSimilarityEvaluations { break groups }
                        evaluations += 1
                        let score = Similarity.score(mine, L.normalizedDescription(Int(candidates[k].row)), method: desc.method)
                        if desc.minSimilarity.isSatisfied(by: score), similarity.map({ score > $0 }) ?? true {
                            chosen = candidates[k]
                            similarity = score
                        }
                    }
                    if chosen != nil { break }
                    i = j
                }
            } else {
                chosen = candidates[0]
            }
            guard let best = chosen else { continue }
            let c = Int(best.row)
            L.matched[c] = true
            S.matched[d] = true
            let referencesAgree = rule.reference != nil || (S.ref[d] >= 0 && S.ref[d] == L.ref[c])
            let drift = AmountMath.driftBps(L.amount[c], S.amount[d], cap: 150)
            records.append(MatchRecord(
                ruleIndex: ruleIndex, ledger: [best.row], statement: [Int32(d)],
                confidence: Confidence.perMille(driftBps: Int(drift), secondsApart: best.timeDiff,
                                                similarityPerMille: similarity?.perMille, referencesAgree: referencesAgree, rowsInMatch: 2),
                amountDifference: AmountDelta(S.amount[d], minus: L.amount[c]),
                maxTimeDifference: best.timeDiff))
        }
    }
}
