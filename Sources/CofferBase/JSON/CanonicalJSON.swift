/// RFC 8785, the JSON Canonicalization Scheme (JCS), over ``JSONValue``: one byte sequence for
/// every JSON value, whoever wrote it and however, so that a hash of it means the same thing to
/// every reader. Signing requests are approved by hashing this form.
///
/// - Objects: members sorted by their keys' UTF-16 code units (not code points, not bytes: a
///   key with an emoji sorts before one with U+FB33), no duplicate keys.
/// - Strings: `"` and `\` escaped, U+0008, U+0009, U+000A, U+000C, U+000D as `\b \t \n \f \r`, the
///   other controls below U+0020 as `\u00xx` (lower-case hex); everything else as its UTF-8
///   bytes, unescaped and unnormalised.
/// - No whitespace between tokens.
/// - Numbers: JCS prints every number as ECMAScript does, which needs IEEE 754 doubles. Coffer
///   accepts only the numbers a double holds exactly and that every JSON reader agrees on:
///   integers of magnitude at most 2^53, in any spelling (`56.0`, `1e2`, `-0`), printed in their
///   shortest form (`56`, `100`, `0`). Anything else — fractions, larger integers — is refused
///   with an error naming where it is and telling the client to send it as a decimal string,
///   which is how money travels anyway.
///
/// Pure Swift: no Foundation, whose serialisers differ between platforms and versions.
public enum CanonicalJSON {
    /// 2^53: the largest magnitude of a number this encoding accepts.
    public static let maximumMagnitude: UInt64 = 1 << 53

    /// The canonical UTF-8 bytes of `value`. `path` names the value in errors (e.g. `payload`).
    public static func encode(_ value: JSONValue, path: String = "") throws(JSONError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try write(value, path: path, into: &out)
        return out
    }

    /// The canonical text of `value`.
    public static func text(_ value: JSONValue, path: String = "") throws(JSONError) -> String {
        String(decoding: try encode(value, path: path), as: UTF8.self)
    }

    /// The value of a JSON number literal when it is an integer of magnitude at most 2^53
    /// (`"56.0"` and `"1e2"` are; `"1.5"` and `"1e300"` are not), else nil.
    public static func integer(_ literal: String) -> Int64? {
        guard case .integer(let negative, let magnitude) = NumberLiteral.classify(literal) else { return nil }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    private static func write(_ value: JSONValue, path: String, into out: inout [UInt8]) throws(JSONError) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .string(let text): writeString(text, into: &out)
        case .number(let literal): out.append(contentsOf: try canonicalNumber(literal, path: path).utf8)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try write(element, path: "\(path)[\(index)]", into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            let sorted = members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
            out.append(UInt8(ascii: "{"))
            for (index, member) in sorted.enumerated() {
                let memberPath = path.isEmpty ? member.key : "\(path).\(member.key)"
                if index > 0 {
                    guard sorted[index - 1].key != member.key else {
                        throw JSONError("\(memberPath) appears twice; a canonical JSON object has unique member names")
                    }
                    out.append(UInt8(ascii: ","))
                }
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                try write(member.value, path: memberPath, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 8785 section 3.2.2.2 (ECMAScript's JSON.stringify for strings).
    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x00..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
            default:
                // Bytes of multi-byte UTF-8 sequences are all 0x80 or above: copied as they are.
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func canonicalNumber(_ literal: String, path: String) throws(JSONError) -> String {
        let place = path.isEmpty ? "the value" : path
        switch NumberLiteral.classify(literal) {
        case .integer(let negative, let magnitude):
            return magnitude == 0 ? "0" : (negative ? "-" : "") + String(magnitude)
        case .largeInteger(let digits):
            let shown = digits.map { " (\"\($0)\")" } ?? ""
            throw JSONError("\(place): the number \(literal.prefix(40)) is beyond ±2^53, where JSON readers disagree; send it as a decimal string\(shown)")
        case .fraction:
            throw JSONError("\(place): the number \(literal.prefix(40)) is not a whole number; numbers here must be integers of at most 2^53, so send the value as a decimal string")
        case .invalid:
            throw JSONError("\(place): \(literal.prefix(40)) is not a JSON number")
        }
    }
}

/// A JSON number literal read exactly, as decimal digits and a power of ten, so that `56.0`,
/// `5.6e1` and `56` are recognised as one integer without any floating-point rounding.
enum NumberLiteral: Equatable {
    /// An integer of magnitude at most 2^53.
    case integer(negative: Bool, magnitude: UInt64)
    /// An integer beyond 2^53; its decimal text when it has at most 80 digits.
    case largeInteger(String?)
    /// A number with a fractional part.
    case fraction
    /// Not RFC 8259 number syntax.
    case invalid

    static func classify(_ literal: String) -> NumberLiteral {
        var bytes = literal.utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integerPart = bytes.prefix(while: isDigit)
        guard !integerPart.isEmpty, integerPart.count == 1 || integerPart.first != UInt8(ascii: "0") else { return .invalid }
        bytes = bytes.dropFirst(integerPart.count)
        var fractionPart = bytes.prefix(0)
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fractionPart = bytes.prefix(while: isDigit)
            guard !fractionPart.isEmpty else { return .invalid }
            bytes = bytes.dropFirst(fractionPart.count)
        }
        // The exponent, saturated far beyond any digit count a document can hold.
        var exponent = 0
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") {
                exponentNegative = bytes.first == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            let exponentDigits = bytes.prefix(while: isDigit)
            guard !exponentDigits.isEmpty else { return .invalid }
            bytes = bytes.dropFirst(exponentDigits.count)
            for digit in exponentDigits {
                exponent = min(exponent * 10 + Int(digit - UInt8(ascii: "0")), 1_000_000_000)
            }
            if exponentNegative { exponent = -exponent }
        }
        guard bytes.isEmpty else { return .invalid }
        // value = significand × 10^scale, significand without leading or trailing zeros.
        var significand = Array(integerPart) + Array(fractionPart)
        var scale = exponent - fractionPart.count
        significand = Array(significand.drop(while: { $0 == UInt8(ascii: "0") }))
        guard !significand.isEmpty else { return .integer(negative: false, magnitude: 0) }
        while significand.last == UInt8(ascii: "0") {
            significand.removeLast()
            scale += 1
        }
        guard scale >= 0 else { return .fraction }
        let digitCount = significand.count + scale
        guard digitCount <= 16 else {
            guard digitCount <= 80 else { return .largeInteger(nil) }
            let text = String(decoding: significand, as: UTF8.self) + String(repeating: "0", count: scale)
            return .largeInteger((negative ? "-" : "") + text)
        }
        var magnitude = significand.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) }
        for _ in 0..<scale { magnitude *= 10 }
        guard magnitude <= CanonicalJSON.maximumMagnitude else {
            return .largeInteger((negative ? "-" : "") + String(magnitude))
        }
        return .integer(negative: negative, magnitude: magnitude)
    }
}
