/// Exact basis-point arithmetic on `UInt128` values (prices at 18 decimals, amounts in smallest
/// units). Every comparison is done on full 256-bit products, so no input can overflow and no
/// rounding can turn a near miss into a hit.
public enum BasisPoints {
    /// `|a − b|`.
    public static func distance(_ a: UInt128, _ b: UInt128) -> UInt128 { a > b ? a - b : b - a }

    /// Whether `difference` is strictly more than `bps` basis points of `base`, i.e.
    /// `difference × 10_000 > bps × base`, exactly. A difference of exactly the threshold does
    /// not exceed it; with `base == 0` any positive difference exceeds any threshold.
    public static func exceeds(_ difference: UInt128, bps: UInt32, of base: UInt128) -> Bool {
        Wide256(UInt128(bps), times: base) < Wide256(difference, times: 10_000)
    }

    /// `difference / base` in basis points, rounded down to 2 decimals, as an exact decimal
    /// string (e.g. `"523.80"`): what alert messages show. `nil` when `base == 0` (unbounded).
    public static func describe(_ difference: UInt128, of base: UInt128) -> String? {
        guard base > 0 else { return nil }
        // difference × 10_000 × 100 / base, floor: hundredths of a basis point.
        let hundredths = Wide256(difference, times: 1_000_000).divided(by: base).quotient
        let (whole, cents) = hundredths.divided(by: 100)
        return whole.decimalString + "." + (cents < 10 ? "0" : "") + String(cents)
    }
}

/// Why a decimal string was rejected by ``DecimalText/parse(_:decimals:)``.
public enum DecimalTextError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The string has no characters.
    case empty
    /// A character other than an ASCII digit or a single `.` (signs, spaces, exponents, `_`…);
    /// `offset` counts Unicode scalars from 0.
    case invalidCharacter(String, offset: Int)
    /// A `.` without digits on both sides (`"1."`, `".5"`, `"."`).
    case missingDigits
    /// More fractional digits than the scale allows (`limit` 0: a whole number was required).
    case tooManyFractionDigits(limit: Int)
    /// The value does not fit in `UInt128` at the requested scale.
    case overflow

    public var description: String {
        switch self {
        case .empty: "is empty"
        case let .invalidCharacter(character, offset):
            "has an invalid character \"\(character)\" at offset \(offset) (only digits and one '.' are allowed; no signs, spaces or exponents)"
        case .missingDigits: "needs digits on both sides of the '.'"
        case let .tooManyFractionDigits(limit):
            limit == 0 ? "must be a whole number (no fractional digits)" : "has more than \(limit) fractional digits"
        case .overflow: "is too large"
        }
    }
}

/// Exact conversion between decimal strings and scaled unsigned integers: `"1.5"` at 18
/// decimals is `1_500_000_000_000_000_000`. Used for rule thresholds (pegs, fiat values,
/// smallest-unit amounts) and for every number an alert shows, so no binary floating point is
/// ever involved.
public enum DecimalText {
    /// 10^18: one whole unit of an 18-decimal value.
    public static let one18: UInt128 = 1_000_000_000_000_000_000

    /// Parses `text` (ASCII digits, optionally one `.` followed by at most `decimals` digits)
    /// into the integer `text × 10^decimals`. Leading zeros are accepted; an empty string, a
    /// sign, whitespace, junk, a bare `.`, excess fractional digits and overflow are rejected.
    /// `decimals` must be in `0...38`.
    public static func parse(_ text: String, decimals: Int) throws(DecimalTextError) -> UInt128 {
        precondition((0...38).contains(decimals), "decimals must be in 0...38")
        guard !text.isEmpty else { throw .empty }
        var whole: UInt128 = 0
        var fraction: UInt128 = 0
        var wholeDigits = 0
        var fractionDigits = 0
        var seenPoint = false
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if scalar == "." && !seenPoint {
                seenPoint = true
                continue
            }
            guard scalar >= "0" && scalar <= "9" else {
                throw .invalidCharacter(String(scalar), offset: offset)
            }
            let digit = UInt128(scalar.value - 48)
            if seenPoint {
                fractionDigits += 1
                guard fractionDigits <= decimals else { throw .tooManyFractionDigits(limit: decimals) }
                fraction = fraction * 10 + digit  // at most 38 digits: fits
            } else {
                wholeDigits += 1
                let (times10, overflow1) = whole.multipliedReportingOverflow(by: 10)
                let (next, overflow2) = times10.addingReportingOverflow(digit)
                guard !overflow1, !overflow2 else { throw .overflow }
                whole = next
            }
        }
        guard wholeDigits > 0, !seenPoint || fractionDigits > 0 else { throw .missingDigits }
        let (scaled, overflow1) = whole.multipliedReportingOverflow(by: power10(decimals))
        let (value, overflow2) = scaled.addingReportingOverflow(fraction * power10(decimals - fractionDigits))
        guard !overflow1, !overflow2 else { throw .overflow }
        return value
    }

    /// The exact decimal string of `value / 10^decimals`, without trailing fractional zeros
    /// (`1_500_000_000_000_000_000` at 18 decimals is `"1.5"`, one unit is `"1"`).
    /// `decimals` must be in `0...38`. `parse(format(v, d), d) == v` for every `v`.
    public static func format(_ value: UInt128, decimals: Int) -> String {
        precondition((0...38).contains(decimals), "decimals must be in 0...38")
        guard decimals > 0 else { return String(value) }
        let (whole, fraction) = value.quotientAndRemainder(dividingBy: power10(decimals))
        guard fraction > 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: decimals - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return String(whole) + "." + digits
    }

    static func power10(_ exponent: Int) -> UInt128 {
        var result: UInt128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
