/// Overflow-free amount arithmetic on `Int128` minor units.
///
/// Every comparison that could exceed 128 bits is done in full width (`multipliedFullWidth`)
/// instead of trapping, saturating silently or going through floating point.
public enum AmountMath {
    /// |a - b| exactly. The largest possible value, `Int128.max - Int128.min`, is `2^128 - 1`,
    /// which fits `UInt128`, and wrapping subtraction yields the right low 128 bits.
    @inlinable
    public static func absDiff(_ a: Int128, _ b: Int128) -> UInt128 {
        a >= b ? UInt128(truncatingIfNeeded: a &- b) : UInt128(truncatingIfNeeded: b &- a)
    }

    /// |t1 - t2| for timestamps, exactly (the difference of two `Int64` fits `UInt64`).
    @inlinable
    public static func absDiff(_ a: Int64, _ b: Int64) -> UInt64 {
        a >= b ? UInt64(truncatingIfNeeded: a &- b) : UInt64(truncatingIfNeeded: b &- a)
    }

    /// `tolerance_bps`: |a - b| × 10000 ≤ bps × |b|, where `b` is the reference amount
    /// (the statement line for one_to_one rules). Both products are compared in 256 bits.
    @inlinable
    public static func withinBps(_ a: Int128, _ b: Int128, bps: Int64) -> Bool {
        precondition(bps >= 0, "bps is validated non-negative")
        let lhs = absDiff(a, b).multipliedFullWidth(by: 10_000)
        let rhs = UInt128(bps).multipliedFullWidth(by: b.magnitude)
        return (lhs.high, lhs.low) <= (rhs.high, rhs.low)
    }

    /// `tolerance_abs`: |a - b| ≤ tolerance.
    @inlinable
    public static func withinAbsolute(_ a: Int128, _ b: Int128, tolerance: Int128) -> Bool {
        precondition(tolerance >= 0, "tolerance is validated non-negative")
        return absDiff(a, b) <= UInt128(tolerance)
    }

    /// Largest |a - b| that `withinBps` accepts for this `b`: floor(bps × |b| / 10000),
    /// saturated to `UInt128.max`. Used to turn the predicate into an index range.
    @inlinable
    public static func maxBpsDelta(_ b: Int128, bps: Int64) -> UInt128 {
        let product = UInt128(bps).multipliedFullWidth(by: b.magnitude)
        if product.high >= 10_000 { return .max }
        return UInt128(10_000).dividingFullWidth((product.high, product.low)).quotient
    }

    /// `b ± d`, saturated to the `Int128` range (for index range bounds only).
    @inlinable
    public static func offset(_ b: Int128, by d: UInt128, up: Bool) -> Int128 {
        if up {
            let room = UInt128(truncatingIfNeeded: Int128.max &- b)
            return d >= room ? .max : b &+ Int128(truncatingIfNeeded: d)
        } else {
            let room = UInt128(truncatingIfNeeded: b &- Int128.min)
            return d >= room ? .min : b &- Int128(truncatingIfNeeded: d)
        }
    }

    /// Drift of `a` against `b` in basis points, rounded up and capped at `cap`
    /// (`cap` when `b == 0` and `a != 0`). Feeds the confidence formula.
    @inlinable
    public static func driftBps(_ a: Int128, _ b: Int128, cap: UInt128) -> UInt128 {
        let diff = absDiff(a, b)
        if diff == 0 { return 0 }
        if b == 0 { return cap }
        let lhs = diff.multipliedFullWidth(by: 10_000)
        let limit = cap.multipliedFullWidth(by: b.magnitude)
        if (lhs.high, lhs.low) >= (limit.high, limit.low) { return cap }
        // lhs < cap × |b|, so the quotient is < cap and dividingFullWidth cannot overflow.
        let (q, r) = b.magnitude.dividingFullWidth((lhs.high, lhs.low))
        return r == 0 ? q : q + 1
    }
}
