import CofferBase

/// An exact non-negative decimal, `mantissa × 10^exponent`: a price of one asset in another, a
/// rate, a ratio. Never a floating-point value, so what a feed said is what is stored and every
/// rounding happens once, by an explicit `RoundingRule`.
///
/// The scale is kept (`12.50` is 1250 × 10^-2), but equality, hashing and order are by value:
/// `12.50 == 12.5`. `normalized()` gives the one canonical form of a value.
public struct Price: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The digits of the value.
    public let mantissa: UInt128
    /// The power of ten the mantissa is scaled by, in `Price.exponentRange`.
    public let exponent: Int

    /// The exponents a price may have: -38...38.
    public static let exponentRange = -38...38

    /// `mantissa × 10^exponent`; `exponent` must lie in -38...38 (a programming error otherwise).
    public init(mantissa: UInt128, exponent: Int) {
        precondition(Price.exponentRange.contains(exponent), "Price exponent \(exponent) outside -38...38")
        self.mantissa = mantissa
        self.exponent = exponent
    }

    /// The value zero.
    public static let zero = Price(mantissa: 0, exponent: 0)

    public var isZero: Bool { mantissa == 0 }

    /// Reads a plain decimal: digits, optionally one point followed by digits ("64123.45",
    /// "0.00000001", "12", "12.50"; the scale is kept). Refused, with a message naming `field`:
    /// empty text, signs, exponent notation, spaces or any other character, a leading or
    /// trailing point, leading zeros ("012"), more than 38 significant digits or more than 38
    /// fractional digits.
    public init(parsing text: String, field: String = "price") throws(MarketNumberError) {
        let shown = "\"\(text.prefix(60))\(text.count > 60 ? "…" : "")\""
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .invalidPrice("\(field) is empty; prices are plain decimals such as \"64123.45\"") }
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9"), point = UInt8(ascii: ".")
        var pointIndex: Int?
        for (index, byte) in bytes.enumerated() {
            if byte == point {
                guard pointIndex == nil else { throw .invalidPrice("\(field) \(shown) has more than one decimal point") }
                pointIndex = index
            } else if byte < zero || byte > nine {
                let what: String =
                    switch byte {
                    case UInt8(ascii: "+"), UInt8(ascii: "-"): "a sign"
                    case UInt8(ascii: "e"), UInt8(ascii: "E"): "exponent notation"
                    case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): "whitespace"
                    default: "a character other than digits and one decimal point"
                    }
                throw .invalidPrice("\(field) \(shown) contains \(what); prices are plain non-negative decimals such as \"64123.45\"")
            }
        }
        let integerDigits = bytes[..<(pointIndex ?? bytes.count)]
        let fractionDigits = pointIndex.map { bytes[($0 + 1)...] } ?? []
        guard !integerDigits.isEmpty else { throw .invalidPrice("\(field) \(shown) starts with a decimal point; write \"0.\" before it") }
        if pointIndex != nil, fractionDigits.isEmpty {
            throw .invalidPrice("\(field) \(shown) ends with a decimal point; remove it or add digits after it")
        }
        guard integerDigits.count == 1 || integerDigits.first != zero else {
            throw .invalidPrice("\(field) \(shown) has leading zeros")
        }
        guard fractionDigits.count <= 38 else {
            throw .invalidPrice("\(field) \(shown) has \(fractionDigits.count) fractional digits; at most 38 are allowed")
        }
        let digits = Array(integerDigits) + Array(fractionDigits)
        let significant = digits.drop(while: { $0 == zero })
        guard significant.count <= 38 else {
            throw .invalidPrice("\(field) \(shown) has \(significant.count) significant digits; at most 38 are allowed")
        }
        var mantissa: UInt128 = 0
        for byte in significant { mantissa = mantissa * 10 + UInt128(byte - zero) }  // < 10^38: no overflow
        self.init(mantissa: mantissa, exponent: -fractionDigits.count)
    }

    /// The value as a plain decimal without exponent notation or trailing fractional zeros:
    /// "12.5", "64123.45", "0.00000001", "1200", "0".
    public var description: String {
        let value = normalized()
        let digits = AmountText.decimal(value.mantissa)
        if value.exponent >= 0 {
            return value.mantissa == 0 ? "0" : digits + String(repeating: "0", count: value.exponent)
        }
        let places = -value.exponent
        if digits.count > places {
            let split = digits.index(digits.endIndex, offsetBy: -places)
            return "\(digits[..<split]).\(digits[split...])"
        }
        return "0." + String(repeating: "0", count: places - digits.count) + digits
    }

    /// The same value with trailing zeros of the mantissa stripped (zero is 0 × 10^0): the
    /// canonical form, equal for equal values.
    public func normalized() -> Price {
        guard mantissa != 0 else { return .zero }
        var mantissa = self.mantissa
        var exponent = self.exponent
        while exponent < 38 {
            let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: 10)
            guard remainder == 0 else { break }
            mantissa = quotient
            exponent += 1
        }
        return Price(mantissa: mantissa, exponent: exponent)
    }

    /// The value at `exponent` (-38...38), rounded once by `rounding` when digits are dropped.
    /// A mantissa that would exceed 2^128-1 is an `arithmetic-overflow` error.
    public func rescaled(to exponent: Int, rounding: RoundingRule = .halfEven) throws(MarketNumberError) -> Price {
        try Price.checkExponent(exponent)
        let mantissa = try scaled(UInt256(low: mantissa), byPowerOfTen: self.exponent - exponent, rounding, "the rescaled price")
        return Price(mantissa: mantissa, exponent: exponent)
    }

    /// `self × other` at `exponent`, rounded once by `rounding` from the exact 256-bit product.
    public func multiplied(by other: Price, exponent: Int, rounding: RoundingRule = .halfEven) throws(MarketNumberError) -> Price {
        try Price.checkExponent(exponent)
        let product = UInt256(product: mantissa, other.mantissa)
        let shift = self.exponent + other.exponent - exponent
        return Price(mantissa: try scaled(product, byPowerOfTen: shift, rounding, "the product"), exponent: exponent)
    }

    /// `self ÷ other` at `exponent`, rounded once by `rounding` from the exact quotient. A zero
    /// divisor is an `invalid-price` error.
    public func divided(by other: Price, exponent: Int, rounding: RoundingRule = .halfEven) throws(MarketNumberError) -> Price {
        try Price.checkExponent(exponent)
        guard other.mantissa != 0 else { throw .invalidPrice("division by a zero price") }
        // value / 10^exponent = (m1 / m2) × 10^shift
        let shift = self.exponent - other.exponent - exponent
        let mantissa: UInt128
        if shift >= 0 {
            // m1 × 10^shift, then one division: the remainder classifies exactly.
            guard let numerator = UInt256(low: self.mantissa).multiplied(byPowerOfTen: shift) else {
                throw .overflow("the quotient exceeds 2^128-1")
            }
            let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: other.mantissa)
            mantissa = try rounded(quotient, Remainder.of(remainder, divisor: other.mantissa), rounding, "the quotient")
        } else {
            // m1 / m2 truncated, its remainder kept as the sticky part of the division by 10^-shift.
            let (quotient, remainder) = self.mantissa.quotientAndRemainder(dividingBy: other.mantissa)
            let (result, rest) = UInt256(low: quotient).dividedByPowerOfTen(-shift, sticky: remainder != 0)
            mantissa = try rounded(result, rest, rounding, "the quotient")
        }
        return Price(mantissa: mantissa, exponent: exponent)
    }

    /// |self − other| ÷ other × 10,000, rounded half-even: how far `self` deviates from the
    /// reference `other`, in basis points. A zero reference is an `invalid-price` error.
    public func basisPoints(from other: Price) throws(MarketNumberError) -> UInt128 {
        guard other.mantissa != 0 else { throw .invalidPrice("basis points from a zero reference price") }
        // round(|r − 10^4|) = |round(r) − 10^4| for r = self/other × 10^4 under half-even,
        // because 10^4 is an even integer: one exact division at exponent -4 suffices.
        let ratio = try divided(by: other, exponent: -4, rounding: .halfEven).mantissa
        return ratio >= 10_000 ? ratio - 10_000 : 10_000 - ratio
    }

    /// Order by value, across exponents: the side with the larger exponent is scaled to the
    /// other's exponent in 256 bits; when that overflows 2^256 it is the larger side, since the
    /// other mantissa is below 2^128. No trap, no loss.
    public static func < (lhs: Price, rhs: Price) -> Bool { compare(lhs, rhs) < 0 }

    public static func == (lhs: Price, rhs: Price) -> Bool { compare(lhs, rhs) == 0 }

    public func hash(into hasher: inout Hasher) {
        let canonical = normalized()
        hasher.combine(canonical.mantissa)
        hasher.combine(canonical.exponent)
    }

    /// -1, 0 or 1 as `lhs` is below, equal to or above `rhs`.
    static func compare(_ lhs: Price, _ rhs: Price) -> Int {
        if lhs.exponent == rhs.exponent || lhs.mantissa == 0 || rhs.mantissa == 0 {
            return lhs.mantissa == rhs.mantissa ? 0 : (lhs.mantissa < rhs.mantissa ? -1 : 1)
        }
        if lhs.exponent > rhs.exponent {
            guard let scaled = UInt256(low: lhs.mantissa).multiplied(byPowerOfTen: lhs.exponent - rhs.exponent) else { return 1 }
            let other = UInt256(low: rhs.mantissa)
            return scaled == other ? 0 : (scaled < other ? -1 : 1)
        }
        return -compare(rhs, lhs)
    }

    static func checkExponent(_ exponent: Int) throws(MarketNumberError) {
        guard exponentRange.contains(exponent) else {
            throw .invalidPrice("exponent \(exponent) is outside -38...38")
        }
    }
}
