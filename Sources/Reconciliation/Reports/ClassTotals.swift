/// Sums of an asset's balances over all account classes.
///
/// A sum whose running total overflows `Int128` is `nil` (rendered as
/// "overflow") rather than trapping or wrapping to a wrong figure.
struct ClassTotals: Sendable, Equatable {
    var opening: Int128?
    var closing: Int128?
    var inflow: Int128?
    var outflow: Int128?
    var pending: Int128?

    init(_ classes: [ClassBalances]) {
        opening = Self.sum(classes.map(\.opening))
        closing = Self.sum(classes.map(\.closing))
        inflow = Self.sum(classes.map(\.inflow))
        outflow = Self.sum(classes.map(\.outflow))
        pending = Self.sum(classes.map(\.pending))
    }

    /// Checked sum; `nil` on overflow.
    static func sum(_ values: [Int128]) -> Int128? {
        var total: Int128 = 0
        for value in values {
            let (next, overflow) = total.addingReportingOverflow(value)
            if overflow { return nil }
            total = next
        }
        return total
    }
}
