/// Classification of unmatched rows into exceptions. Every unmatched row lands in exactly one
/// exception; passes run in this order, each seeing only rows not yet classified:
///
/// 1. `duplicate`: per side, rows identical in (asset, amount, trimmed reference, time). The
///    original is the first *matched* such row in canonical order, else the first one; every other
///    unmatched row of the set is a duplicate of it.
/// 2. `timingDifference`: a statement line and a ledger row with the same asset, non-empty reference
///    and amount are still apart, so only time can have kept them apart (they lie outside every
///    rule's window). Pairs are formed greedily in statement canonical order, nearest time first.
/// 3. `amountMismatch`: same asset and non-empty reference, different amounts; each statement line
///    pairs with the ledger row of smallest (|Δamount|, |Δtime|, canonical index).
/// 4. `missingInLedger` / `missingInStatement`: everything left.
///
/// The searches in passes 2–3 use the same hash index and caps as the rules (`maxCandidatesPerRow`,
/// `maxIndexEntriesVisited`), so classification is bounded per row too.
enum Exceptions {
    static func classify(ledger L: SideTable, statement S: SideTable, assetCount: Int, limits: ReconLimits) -> [ReconException] {
        var out: [ReconException] = []
        var doneL = L.matched, doneS = S.matched
        duplicates(L, &doneL, &out)
        duplicates(S, &doneS, &out)

        // Pass 2: timing differences, bucket (asset, reference, amount).
        do {
            let index = CandidateIndex(kind: .bucket(useRef: true, useAmount: true), table: L, unavailable: doneL, assetCount: assetCount)
            for d in 0..<S.count where !doneS[d] && S.ref[d] >= 0 {
                let range = index.bucketRange(BucketKey(asset: S.asset[d], ref: S.ref[d], amount: S.amount[d]))
                if range.isEmpty { continue }
                var cursor = OutwardCursor(index: index, range: range, pivot: Int128(S.time[d]))
                var visited = 0
                while visited < limits.maxIndexEntriesVisited, let e = cursor.next(index.keys) {
                    visited += 1
                    let c = Int(index.entries[e])
                    if doneL[c] { continue }
                    doneL[c] = true
                    doneS[d] = true
                    out.append(.timingDifference(ledgerId: L.id(c), statementId: S.id(d), secondsApart: AmountMath.absDiff(L.time[c], S.time[d])))
                    break
                }
            }
        }

        // Pass 3: amount mismatches, bucket (asset, reference).
        do {
            let index = CandidateIndex(kind: .bucket(useRef: true, useAmount: false), table: L, unavailable: doneL, assetCount: assetCount)
            for d in 0..<S.count where !doneS[d] && S.ref[d] >= 0 {
                let range = index.bucketRange(BucketKey(asset: S.asset[d], ref: S.ref[d], amount: 0))
                if range.isEmpty { continue }
                var cursor = OutwardCursor(index: index, range: range, pivot: Int128(S.time[d]))
                var visited = 0, examined = 0
                var best: (row: Int, amountDiff: UInt128, timeDiff: UInt64)?
                while visited < limits.maxIndexEntriesVisited, examined < limits.maxCandidatesPerRow, let e = cursor.next(index.keys) {
                    visited += 1
                    let c = Int(index.entries[e])
                    if doneL[c] { continue }
                    examined += 1
                    let ad = AmountMath.absDiff(L.amount[c], S.amount[d]), td = AmountMath.absDiff(L.time[c], S.time[d])
                    if let b = best, (b.amountDiff, b.timeDiff, b.row) <= (ad, td, c) { continue }
                    best = (c, ad, td)
                }
                guard let b = best else { continue }
                doneL[b.row] = true
                doneS[d] = true
                if b.amountDiff == 0 {
                    // Only reachable when pass 2 hit its visit cap; it is still a timing difference.
                    out.append(.timingDifference(ledgerId: L.id(b.row), statementId: S.id(d), secondsApart: b.timeDiff))
                } else {
                    out.append(.amountMismatch(ledgerId: L.id(b.row), statementId: S.id(d), difference: AmountDelta(S.amount[d], minus: L.amount[b.row])))
                }
            }
        }

        for d in 0..<S.count where !doneS[d] { out.append(.missingInLedger(statementId: S.id(d))) }
        for c in 0..<L.count where !doneL[c] { out.append(.missingInStatement(ledgerId: L.id(c))) }
        return out
    }

    private struct DuplicateKey: Hashable {
        let asset: Int32
        let ref: Int32
        let amount: Int128
        let time: Int64
    }

    private static func duplicates(_ T: SideTable, _ done: inout [Bool], _ out: inout [ReconException]) {
        // first unclassified row, count of unclassified rows, first matched twin (-1: none)
        var groups: [DuplicateKey: (first: Int, count: Int, twin: Int)] = [:]
        for i in 0..<T.count where !done[i] {
            let key = DuplicateKey(asset: T.asset[i], ref: T.ref[i], amount: T.amount[i], time: T.time[i])
            if let g = groups[key] { groups[key] = (g.first, g.count + 1, -1) } else { groups[key] = (i, 1, -1) }
        }
        if groups.isEmpty { return }
        for i in 0..<T.count where T.matched[i] {
            let key = DuplicateKey(asset: T.asset[i], ref: T.ref[i], amount: T.amount[i], time: T.time[i])
            if let g = groups[key], g.twin < 0 { groups[key] = (g.first, g.count, i) }
        }
        for i in 0..<T.count where !done[i] {
            let key = DuplicateKey(asset: T.asset[i], ref: T.ref[i], amount: T.amount[i], time: T.time[i])
            guard let g = groups[key], g.count > 1 || g.twin >= 0 else { continue }
            let original = g.twin >= 0 ? g.twin : g.first
            if i == original { continue }
            done[i] = true
            out.append(.duplicate(side: T.side, id: T.id(i), duplicateOf: T.id(original)))
        }
    }
}
