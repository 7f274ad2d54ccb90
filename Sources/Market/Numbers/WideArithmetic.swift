/// A 256-bit unsigned intermediate: the exact product of two `UInt128`s, scaled by powers of ten
/// with overflow reported, and divided by a `UInt128` with `dividingFullWidth`. Internal: the
/// module's results are always `UInt128`, only their intermediates need the width.
struct UInt256: Sendable, Equatable, Comparable {
    var high: UInt128
    var low: UInt128

    init(high: UInt128 = 0, low: UInt128) {
        self.high = high
        self.low = low
    }

    /// The exact product `a × b`.
    init(product a: UInt128, _ b: UInt128) {
        let (high, low) = a.multipliedFullWidth(by: b)
        self.init(high: high, low: low)
    }

    var isZero: Bool { high == 0 && low == 0 }

    /// The value when it fits in 128 bits.
    var narrow: UInt128? { high == 0 ? low : nil }

    static func < (a: UInt256, b: UInt256) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    /// `self × factor`, nil when the product exceeds 2^256-1.
    func multiplied(by factor: UInt128) -> UInt256? {
        let (lowHigh, lowLow) = low.multipliedFullWidth(by: factor)
        let (highHigh, highLow) = high.multipliedFullWidth(by: factor)
        guard highHigh == 0 else { return nil }
        let (sum, carry) = highLow.addingReportingOverflow(lowHigh)
        guard !carry else { return nil }
        return UInt256(high: sum, low: lowLow)
    }

    /// `self × 10^exponent` (exponent ≥ 0), nil when it exceeds 2^256-1.
    func multiplied(byPowerOfTen exponent: Int) -> UInt256? {
        var result = self
        var rest = exponent
        while rest > 0 {
            if result.isZero { return result }
            let step = min(rest, 38)
            guard let next = result.multiplied(by: powerOfTen(step)) else { return nil }
            result = next
            rest -= step
        }
        return result
    }

    /// Quotient and remainder of `self / divisor` (divisor > 0).
    func quotientAndRemainder(dividingBy divisor: UInt128) -> (quotient: UInt256, remainder: UInt128) {
        let (highQuotient, highRemainder) = high.quotientAndRemainder(dividingBy: divisor)
        // highRemainder < divisor, so the full-width division cannot overflow.
        let (lowQuotient, remainder) = divisor.dividingFullWidth((highRemainder, low))
        return (UInt256(high: highQuotient, low: lowQuotient), remainder)
    }

    /// `self / 10^exponent` (exponent ≥ 1) truncated, and where the discarded part lies relative
    /// to one half; `sticky` says a nonzero part was already discarded below `self`. Guard digit
    /// and sticky bit: the last division is by ten, everything before only sets `sticky`.
    func dividedByPowerOfTen(_ exponent: Int, sticky: Bool = false) -> (quotient: UInt256, remainder: Remainder) {
        precondition(exponent >= 1)
        var value = self
        var sticky = sticky
        var rest = exponent - 1
        while rest > 0 {
            if value.isZero { break }
            let step = min(rest, 38)
            let (quotient, remainder) = value.quotientAndRemainder(dividingBy: powerOfTen(step))
            sticky = sticky || remainder != 0
            value = quotient
            rest -= step
        }
        let (quotient, digit) = value.quotientAndRemainder(dividingBy: 10)
        let remainder: Remainder =
            switch digit {
            case 0: sticky ? .belowHalf : .zero
            case 1...4: .belowHalf
            case 5: sticky ? .aboveHalf : .half
            default: .aboveHalf
            }
        return (quotient, remainder)
    }
}

/// 10^0 ... 10^38, every power of ten a `UInt128` holds.
let powersOfTen: [UInt128] = {
    var table: [UInt128] = [1]
    for _ in 1...38 { table.append(table[table.count - 1] * 10) }
    return table
}()

/// 10^exponent for 0...38.
@inline(__always) func powerOfTen(_ exponent: Int) -> UInt128 { powersOfTen[exponent] }

/// `value` truncated and classified, rounded by `rule` and narrowed to 128 bits, or an overflow
/// error naming `what`.
func rounded(_ quotient: UInt256, _ remainder: Remainder, _ rule: RoundingRule, _ what: String) throws(MarketNumberError) -> UInt128 {
    guard let narrow = quotient.narrow else { throw .overflow("\(what) exceeds 2^128-1") }
    do {
        return try rule.apply(narrow, remainder)
    } catch {
        throw .overflow("\(what) exceeds 2^128-1")
    }
}

/// `value × 10^shift` exactly when shift ≥ 0, else divided by 10^-shift and rounded by `rule`.
func scaled(_ value: UInt256, byPowerOfTen shift: Int, _ rule: RoundingRule, _ what: String) throws(MarketNumberError) -> UInt128 {
    if shift >= 0 {
        guard let product = value.multiplied(byPowerOfTen: shift) else { throw .overflow("\(what) exceeds 2^128-1") }
        return try rounded(product, .zero, rule, what)
    }
    let (quotient, remainder) = value.dividedByPowerOfTen(-shift)
    return try rounded(quotient, remainder, rule, what)
}
