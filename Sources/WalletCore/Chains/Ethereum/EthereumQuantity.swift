/// An unsigned 256-bit integer: the type of every Ethereum wire quantity (wei amounts, gas,
/// nonces, chain ids).
///
/// Parsed exactly from decimal or `0x` hex text, never through floating point; anything above
/// 2^256 − 1 is refused rather than wrapped. RLP and the ABI want it as big-endian bytes:
/// ``minimalBytes`` (no leading zeros) and ``word`` (32 bytes).
public struct EthereumQuantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Four 64-bit limbs, most significant first.
    private var limbs: (UInt64, UInt64, UInt64, UInt64)

    public static let zero = EthereumQuantity(0)
    /// 2^256 − 1.
    public static let max = EthereumQuantity(limbs: (.max, .max, .max, .max))

    private init(limbs: (UInt64, UInt64, UInt64, UInt64)) { self.limbs = limbs }

    /// A small value.
    public init(_ value: UInt64) { limbs = (0, 0, 0, value) }

    /// Big-endian bytes, leading zeros allowed; more than 256 significant bits is an error.
    public init<Bytes: Collection>(bigEndian bytes: Bytes) throws(EthereumQuantityError) where Bytes.Element == UInt8 {
        let significant = bytes.drop(while: { $0 == 0 })
        guard significant.count <= 32 else {
            throw EthereumQuantityError("value has \(significant.count) significant bytes; the maximum is 32 (2^256 - 1)")
        }
        var words = [UInt64](repeating: 0, count: 4)
        for (offset, byte) in significant.reversed().enumerated() {
            words[3 - offset / 8] |= UInt64(byte) << (8 * UInt64(offset % 8))
        }
        self.init(words: words)
    }

    /// Parses a non-negative integer written in decimal (`"21000"`) or hex (`"0x5208"`).
    /// No sign, no fraction, no exponent, no whitespace, no separators; at most 2^256 − 1.
    public init(parsing text: String) throws(EthereumQuantityError) {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            let digits = text.dropFirst(2)
            guard !digits.isEmpty else { throw EthereumQuantityError("\"\(text)\" has no hex digits after 0x") }
            guard digits.utf8.allSatisfy({ Hex.nibble($0) <= 0x0F }) else {
                throw EthereumQuantityError("\"\(Self.excerpt(text))\" is not a hex number")
            }
            guard digits.utf8.count <= 64 || digits.utf8.dropLast(64).allSatisfy({ $0 == UInt8(ascii: "0") }) else {
                throw EthereumQuantityError("\(Self.excerpt(text)) is larger than 2^256 - 1")
            }
            let padded = String(repeating: "0", count: digits.utf8.count % 2) + digits
            // Validated above: only hex digits, an even count.
            guard let bytes = try? Hex.decode(padded) else { throw EthereumQuantityError("\"\(Self.excerpt(text))\" is not a hex number") }
            self = try EthereumQuantity(bigEndian: bytes)
            return
        }
        try self.init(decimal: text)
    }

    /// Parses a non-negative decimal integer exactly.
    public init(decimal text: String) throws(EthereumQuantityError) {
        guard !text.isEmpty else { throw EthereumQuantityError("empty number") }
        if text.hasPrefix("-") {
            throw EthereumQuantityError("\(Self.excerpt(text)) is negative; quantities are unsigned")
        }
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            if text.contains(".") || text.contains("e") || text.contains("E") {
                throw EthereumQuantityError("\(Self.excerpt(text)) is not a whole number; write integers in base units (wei), without a fraction or exponent")
            }
            throw EthereumQuantityError("\"\(Self.excerpt(text))\" is not a decimal integer")
        }
        var value = EthereumQuantity.zero
        for digit in text.utf8 {
            guard let next = value.multiplied(by: 10)?.adding(UInt64(digit - UInt8(ascii: "0"))) else {
                throw EthereumQuantityError("\(Self.excerpt(text)) is larger than 2^256 - 1")
            }
            value = next
        }
        self = value
    }

    private static func excerpt(_ text: String) -> String {
        text.count <= 90 ? text : String(text.prefix(40)) + "..." + String(text.suffix(40))
    }

    /// Big-endian bytes without leading zeros; zero is the empty array (RLP's encoding of 0).
    public var minimalBytes: [UInt8] { Array(word.drop(while: { $0 == 0 })) }

    /// The 32-byte big-endian word (ABI encoding).
    public var word: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for limb in words {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift))) }
        }
        return out
    }

    /// The number of significant bits (0 for zero).
    public var bitWidth: Int {
        for (index, limb) in words.enumerated() where limb != 0 {
            return (3 - index) * 64 + (64 - limb.leadingZeroBitCount)
        }
        return 0
    }

    /// The value as a `UInt64` when it fits.
    public var uint64: UInt64? { limbs.0 == 0 && limbs.1 == 0 && limbs.2 == 0 ? limbs.3 : nil }

    /// A 128-bit value.
    public init(uint128 value: UInt128) {
        limbs = (0, 0, UInt64(truncatingIfNeeded: value >> 64), UInt64(truncatingIfNeeded: value))
    }

    /// The value as a `UInt128` when it fits (token amounts almost always do), else nil.
    public var uint128: UInt128? {
        limbs.0 == 0 && limbs.1 == 0 ? UInt128(limbs.2) << 64 | UInt128(limbs.3) : nil
    }

    /// The limbs as an array, most significant first.
    private var words: [UInt64] { [limbs.0, limbs.1, limbs.2, limbs.3] }

    private init(words: [UInt64]) { limbs = (words[0], words[1], words[2], words[3]) }

    /// `self * factor`, or nil when the product exceeds 2^256 − 1.
    public func multiplied(by factor: UInt64) -> EthereumQuantity? {
        var words = self.words
        var carry: UInt64 = 0
        for index in stride(from: 3, through: 0, by: -1) {
            let (high, low) = words[index].multipliedFullWidth(by: factor)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            words[index] = sum
            carry = high &+ (overflow ? 1 : 0)  // high <= 2^64 - 2, so this cannot wrap
        }
        return carry == 0 ? EthereumQuantity(words: words) : nil
    }

    /// `self + addend`, or nil when the sum exceeds 2^256 − 1.
    public func adding(_ addend: UInt64) -> EthereumQuantity? {
        rippling(addend) { $0.addingReportingOverflow($1) }
    }

    /// `self − subtrahend`, or nil when that would be negative.
    public func subtracting(_ subtrahend: UInt64) -> EthereumQuantity? {
        rippling(subtrahend) { $0.subtractingReportingOverflow($1) }
    }

    /// Applies `step` to the lowest limb and ripples the carry (or borrow) upwards; nil if it
    /// leaves the top limb.
    private func rippling(
        _ amount: UInt64, _ step: (UInt64, UInt64) -> (partialValue: UInt64, overflow: Bool)
    ) -> EthereumQuantity? {
        var words = self.words
        var carry = amount
        for index in stride(from: 3, through: 0, by: -1) where carry != 0 {
            let (result, overflow) = step(words[index], carry)
            words[index] = result
            carry = overflow ? 1 : 0
        }
        return carry == 0 ? EthereumQuantity(words: words) : nil
    }

    /// `2^256 − self` modulo 2^256: the two's-complement bit pattern of `-self`.
    public var twosComplementNegation: EthereumQuantity {
        let inverted = EthereumQuantity(limbs: (~limbs.0, ~limbs.1, ~limbs.2, ~limbs.3))
        return inverted.adding(1) ?? .zero  // only ~0 + 1 overflows, i.e. -0 == 0
    }

    /// Divides by a non-zero small divisor, returning quotient and remainder.
    public func dividedReportingRemainder(by divisor: UInt64) -> (quotient: EthereumQuantity, remainder: UInt64) {
        var words = self.words
        var remainder: UInt64 = 0
        for index in 0..<4 {
            let (quotient, rest) = divisor.dividingFullWidth((remainder, words[index]))
            words[index] = quotient
            remainder = rest
        }
        return (EthereumQuantity(words: words), remainder)
    }

    /// Decimal digits, as wire formats carry big values.
    public var description: String {
        if self == .zero { return "0" }
        var digits: [UInt8] = []
        var value = self
        while value != .zero {
            let (quotient, remainder) = value.dividedReportingRemainder(by: 10_000_000_000_000_000_000)
            var chunk = remainder
            for _ in 0..<19 {
                digits.append(UInt8(ascii: "0") + UInt8(chunk % 10))
                chunk /= 10
            }
            value = quotient
        }
        while digits.count > 1 && digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    public static func == (lhs: EthereumQuantity, rhs: EthereumQuantity) -> Bool {
        lhs.limbs == rhs.limbs
    }

    public static func < (lhs: EthereumQuantity, rhs: EthereumQuantity) -> Bool {
        lhs.words.lexicographicallyPrecedes(rhs.words)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(limbs.0)
        hasher.combine(limbs.1)
        hasher.combine(limbs.2)
        hasher.combine(limbs.3)
    }
}

/// Why a number was refused as an Ethereum quantity.
public struct EthereumQuantityError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
