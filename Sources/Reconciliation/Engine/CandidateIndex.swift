/// Hash-bucket key: asset always; reference and/or exact amount when the rule pins them.
struct BucketKey: Hashable {
    var asset: Int32
    var ref: Int32
    var amount: Int128
}

/// A per-rule index over the candidate side's *available* rows, built once per rule.
///
/// Kinds (chosen by `IndexPlan`):
/// - `bucket`: hash (asset[, reference][, exact amount]) → rows in canonical order, so each bucket
///   is sorted by time; a time window becomes a binary-searched sub-range. O(1) lookup.
/// - `amount`: per asset, rows sorted by (amount, canonical index); a tolerance becomes a
///   binary-searched amount range [b − δ, b + δ].
/// - `time`: per asset, rows in canonical (time) order; a window becomes a sub-range.
///
/// `keys[e]` is the coordinate the range and the outward walk use: time for bucket/time indexes,
/// amount for the amount index. Rows matched while the rule runs stay in the index and are skipped
/// lazily (counted against `maxIndexEntriesVisited`).
struct CandidateIndex {
    enum Kind: Equatable {
        case bucket(useRef: Bool, useAmount: Bool)
        case amount
        case time
    }

    let kind: Kind
    private(set) var bucketOf: [BucketKey: Int32] = [:]
    /// bucket → start offset (bucket kind) or asset rank → start offset (amount/time kinds); count + 1 entries.
    private(set) var starts: [Int32] = []
    private(set) var entries: [Int32] = []
    private(set) var keys: [Int128] = []

    init(kind: Kind, table: SideTable, unavailable: [Bool], assetCount: Int) {
        self.kind = kind
        switch kind {
        case .bucket(let useRef, let useAmount):
            var bucketOfRow = [Int32](repeating: -1, count: table.count)
            var counts: [Int32] = []
            var map = [BucketKey: Int32](minimumCapacity: max(16, table.count / 4))
            for c in 0..<table.count where !unavailable[c] {
                if useRef && table.ref[c] < 0 { continue }  // an empty reference never matches `exact`
                let key = BucketKey(asset: table.asset[c], ref: useRef ? table.ref[c] : -2, amount: useAmount ? table.amount[c] : 0)
                if let b = map[key] {
                    counts[Int(b)] += 1
                    bucketOfRow[c] = b
                } else {
                    let b = Int32(counts.count)
                    map[key] = b
                    counts.append(1)
                    bucketOfRow[c] = b
                }
            }
            var starts = [Int32](repeating: 0, count: counts.count + 1)
            for b in 0..<counts.count { starts[b + 1] = starts[b] + counts[b] }
            var cursor = starts
            let total = Int(starts[counts.count])
            var entries = [Int32](repeating: 0, count: total)
            var keys = [Int128](repeating: 0, count: total)
            // Rows are visited in canonical order, so each bucket ends up sorted by (time, index).
            for c in 0..<table.count where bucketOfRow[c] >= 0 {
                let b = Int(bucketOfRow[c])
                let p = Int(cursor[b])
                entries[p] = Int32(c)
                keys[p] = Int128(table.time[c])
                cursor[b] += 1
            }
            self.bucketOf = map
            self.starts = starts
            self.entries = entries
            self.keys = keys
        case .time, .amount:
            var entries: [Int32] = []
            entries.reserveCapacity(table.count)
            for c in 0..<table.count where !unavailable[c] { entries.append(Int32(c)) }
            if kind == .amount {
                // Canonical order is (asset, time, id); re-sort by (asset, amount, canonical index).
                entries.sort { a, b in
                    let aa = table.asset[Int(a)], ab = table.asset[Int(b)]
                    if aa != ab { return aa < ab }
                    let ma = table.amount[Int(a)], mb = table.amount[Int(b)]
                    if ma != mb { return ma < mb }
                    return a < b
                }
            }
            var starts = [Int32](repeating: 0, count: assetCount + 1)
            for e in entries { starts[Int(table.asset[Int(e)]) + 1] += 1 }
            for a in 0..<assetCount { starts[a + 1] += starts[a] }
            self.starts = starts
            self.keys = kind == .amount ? entries.map { table.amount[Int($0)] } : entries.map { Int128(table.time[Int($0)]) }
            self.entries = entries
        }
    }

    /// Entry range for a bucket key (bucket kind), or empty.
    func bucketRange(_ key: BucketKey) -> Range<Int> {
        guard let b = bucketOf[key] else { return 0..<0 }
        return Int(starts[Int(b)])..<Int(starts[Int(b) + 1])
    }

    /// Entry range of one asset (amount/time kinds).
    func assetRange(_ asset: Int32) -> Range<Int> {
        Int(starts[Int(asset)])..<Int(starts[Int(asset) + 1])
    }

    /// Narrows a range (sorted by `keys`) to keys in `low...high`.
    func narrow(_ r: Range<Int>, low: Int128, high: Int128) -> Range<Int> {
        let a = lowerBound(r, low)
        var lo = a, hi = r.upperBound
        while lo < hi {
            let mid = (lo + hi) >> 1
            if keys[mid] <= high { lo = mid + 1 } else { hi = mid }
        }
        return a..<max(a, lo)
    }

    /// First position in `r` whose key is ≥ x.
    func lowerBound(_ r: Range<Int>, _ x: Int128) -> Int {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi {
            let mid = (lo + hi) >> 1
            if keys[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// Walks a key-sorted range outward from a pivot value `x`, nearest key first.
///
/// Order: by |key − x| ascending, then by position ascending. Equal keys on the left of the pivot
/// are emitted as a run in ascending position, so for time-keyed ranges the order is exactly
/// (|Δt|, canonical index) — the engine's ranking — and a capped walk keeps the best candidates.
struct OutwardCursor {
    private let lo: Int
    private let hi: Int
    private let x: Int128
    private var right: Int
    private var leftEnd: Int
    private var runPos: Int
    private var runEnd: Int

    init(index: CandidateIndex, range: Range<Int>, pivot x: Int128) {
        lo = range.lowerBound
        hi = range.upperBound
        self.x = x
        right = index.lowerBound(range, x)
        leftEnd = right
        runPos = right
        runEnd = right
    }

    /// Next entry position, or nil when the range is exhausted.
    mutating func next(_ keys: [Int128]) -> Int? {
        if runPos == runEnd && leftEnd > lo {
            // Load the next run of equal keys on the left, to be emitted in ascending position.
            let k = keys[leftEnd - 1]
            var s = leftEnd - 1
            while s > lo && keys[s - 1] == k { s -= 1 }
            runPos = s
            runEnd = leftEnd
            leftEnd = s
        }
        let hasLeft = runPos < runEnd, hasRight = right < hi
        if hasLeft && hasRight {
            // Left keys are < x ≤ right keys; on equal distance the left one has the lower position.
            if AmountMath.absDiff(x, keys[runPos]) <= AmountMath.absDiff(keys[right], x) {
                runPos += 1
                return runPos - 1
            }
            right += 1
            return right - 1
        }
        if hasLeft { runPos += 1; return runPos - 1 }
        if hasRight { right += 1; return right - 1 }
        return nil
    }
}
