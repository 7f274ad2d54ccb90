/// One side's rows in canonical order, as parallel arrays (structure of arrays).
///
/// Canonical order is (asset, time, id) with assets ordered by Swift `String` comparison and ids
/// unique per side, so it is a total order independent of the input order: every later tie-break
/// ("lowest canonical index") is therefore input-order independent too. Hot fields live in flat
/// arrays so the per-rule scans touch few cache lines; strings are only consulted for output,
/// descriptions (lazily) and id tie-breaks during the initial sort.
struct SideTable {
    let side: ReconSide
    let rows: [ReconRow]
    /// canonical index → index into `rows`.
    let orig: [Int32]
    /// Asset rank (position of the asset in the sorted list of all assets on both sides).
    let asset: [Int32]
    /// Interned trimmed reference shared by both sides; -1 when empty (never matches). Filled by
    /// `intern(into:)` once both sides are built (the two sides are built in parallel).
    private(set) var ref: [Int32]
    let amount: [Int128]
    let time: [Int64]
    var matched: [Bool]
    /// Lazily normalised descriptions (only allocated when some rule compares descriptions).
    private var normalized: [[UInt8]?]
    private let maxDescriptionBytes: Int

    var count: Int { orig.count }

    @inline(__always) func id(_ i: Int) -> String { rows[Int(orig[i])].id }

    mutating func normalizedDescription(_ i: Int) -> [UInt8] {
        if let cached = normalized[i] { return cached }
        let bytes = Similarity.normalizedBytes(rows[Int(orig[i])].description, maxBytes: maxDescriptionBytes)
        normalized[i] = bytes
        return bytes
    }

    init(side: ReconSide, rows: [ReconRow], assetRank: [String: Int32], wantsDescriptions: Bool, maxDescriptionBytes: Int) throws(ReconError) {
        let n = rows.count
        guard n < Int(Int32.max) else {
            throw ReconError(.rowInvalid, "\(side.rawValue) side has \(n) rows; at most \(Int32.max - 1) rows per run are supported — split the run by asset or period")
        }
        var ids = Set<String>(minimumCapacity: n)
        // Packed sort key (asset rank, time) in one Int128 so the common comparison is one integer compare;
        // the time is offset by 2^63 to sort signed values correctly as unsigned bits.
        var packed = [Int128](repeating: 0, count: n)
        for (i, row) in rows.enumerated() {
            guard !row.id.isEmpty else {
                throw ReconError(.rowInvalid, "\(side.rawValue) row #\(i) has an empty id; every row needs a unique id")
            }
            guard !row.asset.isEmpty else {
                throw ReconError(.rowInvalid, "\(side.rawValue) row \"\(row.id)\" has an empty asset")
            }
            guard ids.insert(row.id).inserted else {
                throw ReconError(.rowDuplicateId, "\(side.rawValue) id \"\(row.id)\" occurs more than once; ids must be unique per side")
            }
            let rank = assetRank[row.asset]!  // every asset was ranked by the caller
            packed[i] = (Int128(rank) << 64) | Int128(UInt64(bitPattern: row.time) ^ (1 << 63))
        }
        var order = [Int32](0..<Int32(n))
        order.sort { a, b in
            let ka = packed[Int(a)], kb = packed[Int(b)]
            if ka != kb { return ka < kb }
            return rows[Int(a)].id < rows[Int(b)].id
        }
        var asset = [Int32](), amount = [Int128](), time = [Int64]()
        asset.reserveCapacity(n); amount.reserveCapacity(n); time.reserveCapacity(n)
        for o in order {
            let row = rows[Int(o)]
            asset.append(Int32(truncatingIfNeeded: packed[Int(o)] >> 64))
            amount.append(row.amount)
            time.append(row.time)
        }
        self.side = side
        self.rows = rows
        self.orig = order
        self.asset = asset
        self.ref = []
        self.amount = amount
        self.time = time
        self.matched = [Bool](repeating: false, count: n)
        self.normalized = wantsDescriptions ? [[UInt8]?](repeating: nil, count: n) : []
        self.maxDescriptionBytes = maxDescriptionBytes
    }

    /// Interns this side's trimmed references into `references` (shared by both sides, so equal
    /// references get equal numbers), in canonical order: the numbering is input-order independent.
    mutating func intern(into references: inout [String: Int32]) {
        var ref = [Int32]()
        ref.reserveCapacity(count)
        for o in orig {
            let r = Self.trimmed(rows[Int(o)].reference)
            if r.isEmpty {
                ref.append(-1)
            } else if let existing = references[r] {
                ref.append(existing)
            } else {
                let next = Int32(references.count)
                references[r] = next
                ref.append(next)
            }
        }
        self.ref = ref
    }

    /// Removes leading/trailing whitespace (`Character.isWhitespace`, so Unicode spaces too).
    /// References are otherwise compared byte-for-byte: case-sensitive, inner spaces significant.
    static func trimmed(_ s: String) -> String {
        guard let first = s.utf8.first, let last = s.utf8.last else { return "" }
        // Fast path: the ends are printable ASCII, so there is nothing to trim (the common case).
        @inline(__always) func plain(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F }
        if plain(first) && plain(last) { return s }
        var sub = Substring(s)
        while let c = sub.first, c.isWhitespace { sub.removeFirst() }
        while let c = sub.last, c.isWhitespace { sub.removeLast() }
        return String(sub)
    }
}
