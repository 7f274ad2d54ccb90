/// A signed 256-bit integer, the value of every ABI `intN`: its 256-bit two's-complement
/// pattern, so −1 is 2^256 − 1. Parsed from and printed as exact decimal text, never through
/// floating point; the unsigned counterpart is ``EthereumQuantity``.
public struct Int256: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The two's-complement bit pattern (what the ABI's 32-byte word holds).
    public let bitPattern: EthereumQuantity

    /// 2^255 − 1.
    public static let max = Int256(bitPattern: EthereumQuantity.max.dividedReportingRemainder(by: 2).quotient)
    /// −2^255 (its pattern is 2^255, one more than ``max``'s).
    public static let min = Int256(bitPattern: max.bitPattern.adding(1) ?? .zero)

    public static let zero = Int256(bitPattern: .zero)

    /// The value whose two's-complement pattern is `bitPattern`.
    public init(bitPattern: EthereumQuantity) { self.bitPattern = bitPattern }

    /// A 128-bit value.
    public init(_ value: Int128) {
        let magnitude = EthereumQuantity(uint128: value.magnitude)
        bitPattern = value < 0 ? magnitude.twosComplementNegation : magnitude
    }

    public init(integerLiteral value: Int64) { self.init(Int128(value)) }

    /// A non-negative value; nil when it exceeds 2^255 − 1.
    public init?(exactly value: EthereumQuantity) {
        guard value.bitWidth < 256 else { return nil }
        bitPattern = value
    }

    /// Parses a decimal integer with an optional leading `-` (`"-42"`), or a non-negative `0x`
    /// hex number; −2^255 ... 2^255 − 1. No `+`, fraction, exponent or whitespace.
    public init(parsing text: String) throws(EthereumQuantityError) {
        guard text.hasPrefix("-") else {
            let value = try EthereumQuantity(parsing: text)
            guard let exact = Int256(exactly: value) else { throw EthereumQuantityError("\(text) is larger than 2^255 - 1") }
            self = exact
            return
        }
        let digits = String(text.dropFirst())
        guard !digits.hasPrefix("0x") && !digits.hasPrefix("0X") else {
            throw EthereumQuantityError("\(text): write negative integers in decimal")
        }
        let magnitude = try EthereumQuantity(decimal: digits)
        // |value| <= 2^255: fewer than 256 bits, or exactly 2^255 (whose negation is itself).
        let negated = magnitude.twosComplementNegation
        guard magnitude.bitWidth < 256 || (magnitude == negated && magnitude != .zero) else {
            throw EthereumQuantityError("\(text) is smaller than -2^255")
        }
        bitPattern = negated
    }

    /// Whether the value is below zero.
    public var isNegative: Bool { bitPattern.bitWidth == 256 }

    /// |value|: at most 2^255.
    public var magnitude: EthereumQuantity { isNegative ? bitPattern.twosComplementNegation : bitPattern }

    /// The value as an `Int128` when it fits, else nil.
    public var int128: Int128? {
        guard fits(bits: 128), let low = magnitude.uint128 else { return nil }
        // Within range: |value| <= 2^127, so the negation cannot overflow except for Int128.min.
        return isNegative ? Int128(truncatingIfNeeded: 0 &- low) : Int128(low)
    }

    /// Whether the value lies in −2^(bits−1) ... 2^(bits−1) − 1 (the range of `int<bits>`).
    public func fits(bits: Int) -> Bool {
        // For negative v, v >= -2^(b-1) exactly when ~v = -v - 1 < 2^(b-1).
        let nonNegative = isNegative ? (bitPattern.twosComplementNegation.subtracting(1) ?? .zero) : bitPattern
        return nonNegative.bitWidth < bits
    }

    /// Decimal digits with a leading `-` when negative.
    public var description: String { (isNegative ? "-" : "") + magnitude.description }

    public static func < (lhs: Int256, rhs: Int256) -> Bool {
        lhs.isNegative != rhs.isNegative ? lhs.isNegative : lhs.bitPattern < rhs.bitPattern
    }
}
