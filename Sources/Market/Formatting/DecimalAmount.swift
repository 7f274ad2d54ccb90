/// An exact decimal number held as digit arrays (no Double, no Foundation.Decimal).
///
/// value = (negative ? -1 : 1) × (integerDigits . fractionDigits)
/// `integerDigits` never has leading zeros (zero is an empty array);
/// `fractionDigits` may carry trailing zeros.
struct DecimalAmount: Sendable, Equatable {
    var negative: Bool
    var integerDigits: [UInt8]
    var fractionDigits: [UInt8]

    static let maximumLength = 256

    init(negative: Bool, integerDigits: [UInt8], fractionDigits: [UInt8]) {
        self.negative = negative
        self.integerDigits = Array(integerDigits.drop(while: { $0 == 0 }))
        self.fractionDigits = fractionDigits
    }

    /// Parses `[+-]digits[.digits]` (".5" and "5." are accepted, like Python's Decimal).
    /// Rejects empty input, exponent notation, multiple dots, whitespace, group separators, letters.
    init(parsing text: String) throws(FormatError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else {
            throw FormatError("Invalid amount \"\": empty string; expected a decimal string such as \"1234.56\"")
        }
        guard bytes.count <= Self.maximumLength else {
            throw FormatError("Invalid amount: longer than \(Self.maximumLength) characters")
        }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var integer: [UInt8] = []
        var fraction: [UInt8] = []
        var sawDot = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawDot { fraction.append(byte - UInt8(ascii: "0")) } else { integer.append(byte - UInt8(ascii: "0")) }
            case UInt8(ascii: "."):
                if sawDot {
                    throw FormatError("Invalid amount \"\(text)\": more than one decimal point")
                }
                sawDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                throw FormatError("Invalid amount \"\(text)\": exponent notation is not accepted; write all digits")
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                throw FormatError("Invalid amount \"\(text)\": sign is only allowed as the first character")
            default:
                throw FormatError("Invalid amount \"\(text)\": unexpected character at offset \(index); expected digits with an optional leading '-' and a single '.'")
            }
            index += 1
        }
        guard !integer.isEmpty || !fraction.isEmpty else {
            throw FormatError("Invalid amount \"\(text)\": no digits")
        }
        self.init(negative: negative, integerDigits: integer, fractionDigits: fraction)
    }

    var isZero: Bool { integerDigits.isEmpty && fractionDigits.allSatisfy { $0 == 0 } }

    /// Trailing fractional zeros removed (Python `Decimal.normalize()` on the magnitude).
    var normalized: DecimalAmount {
        var copy = self
        while let last = copy.fractionDigits.last, last == 0 { copy.fractionDigits.removeLast() }
        return copy
    }

    /// Number of significant fractional digits (Babel `get_decimal_precision`).
    var precision: Int { normalized.fractionDigits.count }

    var magnitude: DecimalAmount {
        var copy = self
        copy.negative = false
        return copy
    }

    /// |self| >= 10^exponent (exponent >= 0)
    func magnitudeIsAtLeast(powerOfTen exponent: Int) -> Bool {
        integerDigits.count >= exponent + 1
    }

    /// self / 10^k, exact.
    func shiftedRight(_ k: Int) -> DecimalAmount {
        guard k > 0 else { return self }
        var integer = integerDigits
        if integer.count < k { integer = Array(repeating: 0, count: k - integer.count) + integer }
        let moved = integer.suffix(k)
        return DecimalAmount(negative: negative, integerDigits: Array(integer.dropLast(k)), fractionDigits: Array(moved) + fractionDigits)
    }

    /// self × 10^k, exact.
    func shiftedLeft(_ k: Int) -> DecimalAmount {
        guard k > 0 else { return self }
        var fraction = fractionDigits
        if fraction.count < k { fraction += Array(repeating: 0, count: k - fraction.count) }
        return DecimalAmount(negative: negative, integerDigits: integerDigits + fraction.prefix(k), fractionDigits: Array(fraction.dropFirst(k)))
    }

    /// Rounds half-to-even to exactly `places` fractional digits (Python `Decimal.quantize`
    /// under the default ROUND_HALF_EVEN context). The sign is kept, even for a zero result.
    func roundedHalfEven(places: Int) -> DecimalAmount {
        precondition(places >= 0)
        if fractionDigits.count <= places {
            return DecimalAmount(negative: negative, integerDigits: integerDigits,
                                 fractionDigits: fractionDigits + Array(repeating: 0, count: places - fractionDigits.count))
        }
        var kept = integerDigits + fractionDigits.prefix(places)
        let next = fractionDigits[places]
        let restNonZero = fractionDigits[(places + 1)...].contains { $0 != 0 }
        let lastKept = kept.last ?? 0
        let roundUp = next > 5 || (next == 5 && (restNonZero || lastKept % 2 == 1))
        if roundUp {
            var i = kept.count - 1
            var carry = true
            while carry && i >= 0 {
                if kept[i] == 9 { kept[i] = 0; i -= 1 } else { kept[i] += 1; carry = false }
            }
            if carry { kept.insert(1, at: 0) }
        }
        let integerCount = kept.count - places
        return DecimalAmount(negative: negative, integerDigits: Array(kept.prefix(integerCount)), fractionDigits: Array(kept.suffix(places)))
    }

    /// Integer part as ASCII digits, "0" for zero.
    var integerString: String {
        integerDigits.isEmpty ? "0" : String(decoding: integerDigits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    }

    var fractionString: String {
        String(decoding: fractionDigits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    }

    /// Integer part modulo 10^k (k <= 18).
    func integerModulo(powerOfTen k: Int) -> Int {
        integerDigits.suffix(k).reduce(0) { $0 * 10 + Int($1) }
    }
}
