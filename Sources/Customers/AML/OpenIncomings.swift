/// The incoming amounts not yet paired with an outgoing one, in time order, answering "the
/// earliest unpaired incoming in this range of at most this amount" in O(log n): a segment tree
/// of minimums in which a paired incoming is nil (above every bound).
struct OpenIncomings {
    /// Node 1 is the root, node k's children are 2k and 2k + 1, the leaves start at `leaves`.
    private var tree: [UInt128?]
    private let leaves: Int

    init(_ amounts: [UInt128]) {
        var leaves = 1
        while leaves < amounts.count { leaves *= 2 }
        self.leaves = leaves
        tree = Array(repeating: nil, count: 2 * leaves)
        for (index, amount) in amounts.enumerated() { tree[leaves + index] = amount }
        for node in stride(from: leaves - 1, through: 1, by: -1) { tree[node] = Self.smaller(tree[2 * node], tree[2 * node + 1]) }
    }

    /// The first index in `range` still open with an amount of at most `bound`.
    func first(in range: Range<Int>, atMost bound: UInt128) -> Int? {
        first(node: 1, covering: 0..<leaves, in: range, atMost: bound)
    }

    /// Pairs the incoming at `index`: later searches skip it.
    mutating func close(_ index: Int) {
        var node = leaves + index
        tree[node] = nil
        while node > 1 {
            node /= 2
            tree[node] = Self.smaller(tree[2 * node], tree[2 * node + 1])
        }
    }

    private func first(node: Int, covering: Range<Int>, in range: Range<Int>, atMost bound: UInt128) -> Int? {
        guard covering.overlaps(range), let smallest = tree[node], smallest <= bound else { return nil }
        if covering.count == 1 { return covering.lowerBound }
        let middle = (covering.lowerBound + covering.upperBound) / 2
        return first(node: 2 * node, covering: covering.lowerBound..<middle, in: range, atMost: bound)
            ?? first(node: 2 * node + 1, covering: middle..<covering.upperBound, in: range, atMost: bound)
    }

    private static func smaller(_ left: UInt128?, _ right: UInt128?) -> UInt128? {
        guard let left else { return right }
        guard let right else { return left }
        return min(left, right)
    }
}
