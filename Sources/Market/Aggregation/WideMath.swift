/// A tiny unsigned 256-bit accumulator for sums of `price × seconds` / `price × weight`
/// products, which can exceed 128 bits. Wrapping arithmetic: callers keep sums far below 2^256
/// (a sum of products of a 128-bit and a 63-bit number needs 2^65 terms to overflow).
struct Wide256: Sendable, Hashable, Comparable {
    var high: UInt128
    var low: UInt128

    static let zero = Wide256(high: 0, low: 0)

    init(_ value: UInt128) { self.init(high: 0, low: value) }

    init(high: UInt128, low: UInt128) {
        self.high = high
        self.low = low
    }

    /// `a × b` exactly.
    init(_ a: UInt128, times b: UInt128) {
        let product = a.multipliedFullWidth(by: b)
        self.init(high: product.high, low: product.low)
    }

    static func + (lhs: Wide256, rhs: Wide256) -> Wide256 {
        let (low, carry) = lhs.low.addingReportingOverflow(rhs.low)
        return Wide256(high: lhs.high &+ rhs.high &+ (carry ? 1 : 0), low: low)
    }

    static func - (lhs: Wide256, rhs: Wide256) -> Wide256 {
        let (low, borrow) = lhs.low.subtractingReportingOverflow(rhs.low)
        return Wide256(high: lhs.high &- rhs.high &- (borrow ? 1 : 0), low: low)
    }

    static func += (lhs: inout Wide256, rhs: Wide256) { lhs = lhs + rhs }
    static func -= (lhs: inout Wide256, rhs: Wide256) { lhs = lhs - rhs }

    static func < (lhs: Wide256, rhs: Wide256) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    /// Floor division by a non-zero `UInt128`, with a 256-bit quotient.
    func divided(by divisor: UInt128) -> (quotient: Wide256, remainder: UInt128) {
        precondition(divisor > 0, "division by zero")
        let (highQuotient, highRemainder) = high.quotientAndRemainder(dividingBy: divisor)
        // highRemainder < divisor, so the second step's quotient fits in 128 bits.
        let (lowQuotient, remainder) = divisor.dividingFullWidth((high: highRemainder, low: low))
        return (Wide256(high: highQuotient, low: lowQuotient), remainder)
    }

    /// Exact base-10 digits.
    var decimalString: String {
        if high == 0 { return String(low) }
        let chunk: UInt128 = 100_000_000_000_000_000_000_000_000_000_000_000_000  // 10^38
        var value = self
        var chunks: [UInt128] = []
        while value.high != 0 {
            let (quotient, remainder) = value.divided(by: chunk)
            chunks.append(remainder)
            value = quotient
        }
        var text = String(value.low)
        for part in chunks.reversed() {
            let digits = String(part)
            text += String(repeating: "0", count: 38 - digits.count) + digits
        }
        return text
    }

    /// `self / divisor` rounded half-even, or nil when the divisor is 0 or the quotient does not
    /// fit in 128 bits.
    func dividedHalfEven(by divisor: UInt128) -> UInt128? {
        guard divisor > 0, high < divisor else { return nil }
        let (quotient, remainder) = divisor.dividingFullWidth((high: high, low: low))
        return FixedPoint.roundHalfEven(quotient: quotient, remainder: remainder, divisor: divisor)
    }
}

/// Integer helpers shared by the aggregation code: exact multiply-divide, basis-point
/// comparisons without overflow, saturating time arithmetic.
enum FixedPoint {
    /// Rounds `quotient + remainder / divisor` half-even; nil if rounding up overflows.
    static func roundHalfEven(quotient: UInt128, remainder: UInt128, divisor: UInt128) -> UInt128? {
        let rest = divisor - remainder  // > 0 since remainder < divisor
        let roundUp = remainder > rest || (remainder == rest && quotient & 1 == 1)
        guard roundUp else { return quotient }
        let (up, overflow) = quotient.addingReportingOverflow(1)
        return overflow ? nil : up
    }

    /// `a × b / d` rounded half-even at full precision; nil when `d` is 0 or the result exceeds
    /// 128 bits.
    static func mulDivHalfEven(_ a: UInt128, _ b: UInt128, _ d: UInt128) -> UInt128? {
        Wide256(a, times: b).dividedHalfEven(by: d)
    }

    static func distance(_ a: UInt128, _ b: UInt128) -> UInt128 { a > b ? a - b : b - a }

    /// Whether `difference` is strictly more than `bps` basis points of `base`
    /// (`difference × 10_000 > bps × base`, exactly).
    static func exceedsBps(_ difference: UInt128, of base: UInt128, bps: UInt32) -> Bool {
        Wide256(UInt128(bps), times: base) < Wide256(difference, times: 10_000)
    }

    /// Whether `difference` is at least `bps` basis points of `base`.
    static func reachesBps(_ difference: UInt128, of base: UInt128, bps: UInt32) -> Bool {
        !(Wide256(difference, times: 10_000) < Wide256(UInt128(bps), times: base))
    }

    /// `a − b` clamped to `Int64`'s range.
    static func minus(_ a: Int64, _ b: Int64) -> Int64 {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        guard overflow else { return value }
        return b > 0 ? .min : .max
    }

    /// `a + b` clamped to `Int64`'s range.
    static func plus(_ a: Int64, _ b: Int64) -> Int64 {
        let (value, overflow) = a.addingReportingOverflow(b)
        guard overflow else { return value }
        return b > 0 ? .max : .min
    }

    /// `later − earlier` for `later >= earlier`, exact even across the whole `Int64` range.
    static func span(from earlier: Int64, to later: Int64) -> UInt128 {
        UInt128(UInt64(bitPattern: later &- earlier))
    }
}
