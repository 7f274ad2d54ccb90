/// How an exact result that falls between two representable values is rounded, once, to the
/// requested scale. `down` is toward zero and `up` away from zero; for the non-negative values of
/// this module `floor` equals `down` and `ceiling` equals `up`. Default everywhere: `.halfEven`
/// (banker's rounding: no drift when many values are rounded).
public enum RoundingRule: String, Sendable, CaseIterable, Codable {
    case halfEven = "half_even"
    case halfUp = "half_up"
    case halfDown = "half_down"
    case down
    case up
    case floor
    case ceiling
}

/// Where a discarded remainder lies relative to half of one unit of the kept last digit.
enum Remainder: Sendable {
    case zero, belowHalf, half, aboveHalf

    /// The class of `remainder / divisor` (remainder < divisor), without overflow.
    static func of(_ remainder: UInt128, divisor: UInt128) -> Remainder {
        if remainder == 0 { return .zero }
        let rest = divisor - remainder
        if remainder < rest { return .belowHalf }
        return remainder == rest ? .half : .aboveHalf
    }
}

extension RoundingRule {
    /// Whether the truncated `quotient` must be incremented, given what was discarded.
    func incrementsQuotient(_ quotient: UInt128, _ remainder: Remainder) -> Bool {
        switch remainder {
        case .zero: return false
        case .belowHalf: return self == .up || self == .ceiling
        case .aboveHalf: return self != .down && self != .floor
        case .half:
            switch self {
            case .halfEven: return quotient & 1 == 1
            case .halfUp, .up, .ceiling: return true
            case .halfDown, .down, .floor: return false
            }
        }
    }

    /// `quotient` rounded by this rule; an increment past `UInt128.max` is an overflow.
    func apply(_ quotient: UInt128, _ remainder: Remainder) throws(MarketNumberError) -> UInt128 {
        guard incrementsQuotient(quotient, remainder) else { return quotient }
        guard quotient < .max else { throw .overflow("the rounded result exceeds 2^128-1") }
        return quotient + 1
    }
}
