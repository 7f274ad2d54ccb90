/// JSON text written straight into UTF-8 bytes: the one string escaper behind every JSON Coffer
/// writes (responses, JSON Lines, records). Only ASCII needs escaping, and every byte of a
/// multi-byte UTF-8 sequence is 0x80 or above, so non-ASCII text is copied as it is.
public enum JSONText {
    /// Appends `string` as a JSON string literal (RFC 8259): `"` and `\` escaped, control
    /// characters as `\n`, `\r`, `\t` or `\u00XX`.
    public static func appendString(_ string: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var text = string
        // Most strings (ids, amounts, times) need no escaping: copied in one append.
        let plain = text.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if !plain { escape(text, into: &buffer) }
        buffer.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func escape(_ text: String, into buffer: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer += #"\""#.utf8
            case UInt8(ascii: "\\"): buffer += #"\\"#.utf8
            case UInt8(ascii: "\n"): buffer += #"\n"#.utf8
            case UInt8(ascii: "\r"): buffer += #"\r"#.utf8
            case UInt8(ascii: "\t"): buffer += #"\t"#.utf8
            case 0..<0x20:
                buffer += #"\u00"#.utf8
                buffer.append(hexDigits[Int(byte >> 4)])
                buffer.append(hexDigits[Int(byte & 0xF)])
            default: buffer.append(byte)
            }
        }
    }
}

extension JSONValue {
    /// Compact JSON text (no whitespace, members in their order) as UTF-8 bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        write(to: &out)
        return out
    }

    /// Compact JSON text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends the compact JSON text of this value.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let flag): out += (flag ? "true" : "false").utf8
        case .number(let literal): out += literal.utf8
        case .string(let text): JSONText.appendString(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON integer.
    public static func integer<T: BinaryInteger>(_ value: T) -> JSONValue { .number(String(value)) }
}
