/// RFC 4648 base32 (the `A-Z2-7` alphabet), the encoding of TOTP secrets in `otpauth://` URIs
/// and authenticator apps. Encoding writes upper case without padding (what the URIs carry);
/// decoding takes either case, with or without `=` padding, and ignores spaces and hyphens (how
/// people copy secrets), and refuses anything else.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8], padded: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 4) / 5 * 8)
        var buffer: UInt64 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt64(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(alphabet[Int(buffer >> UInt64(bits) & 31)])
            }
        }
        if bits > 0 { output.append(alphabet[Int(buffer << UInt64(5 - bits) & 31)]) }
        if padded { while output.count % 8 != 0 { output.append(UInt8(ascii: "=")) } }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of `text`; nil when it holds a character outside the alphabet, padding in the
    /// middle, or a length no encoding produces.
    public static func decode(_ text: String) -> [UInt8]? {
        var symbols: [UInt8] = []
        var padding = 0
        for character in text.utf8 {
            switch character {
            case UInt8(ascii: " "), UInt8(ascii: "-"):
                continue
            case UInt8(ascii: "="):
                padding += 1
                continue
            default:
                guard padding == 0 else { return nil }
                let upper = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(character) ? character - 32 : character
                guard let value = alphabet.firstIndex(of: upper) else { return nil }
                symbols.append(UInt8(value))
            }
        }
        // Only these remainders end an encoding (8 symbols per 5 bytes).
        guard [0, 2, 4, 5, 7].contains(symbols.count % 8) else { return nil }
        var output: [UInt8] = []
        var buffer: UInt64 = 0
        var bits = 0
        for symbol in symbols {
            buffer = buffer << 5 | UInt64(symbol)
            bits += 5
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt64(bits)))
            }
        }
        // The leftover bits must be zero: otherwise another text encodes these bytes.
        guard buffer & ((1 << UInt64(bits)) - 1) == 0 else { return nil }
        return output
    }
}
