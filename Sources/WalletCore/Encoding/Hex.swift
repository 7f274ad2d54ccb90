/// Base-16 encoding of byte strings.
///
/// ``encode(_:)`` always produces lowercase digits without a prefix.
/// ``decode(_:)`` accepts upper- and lowercase digits and an optional `0x` /
/// `0X` prefix, and rejects anything else (no whitespace, no separators).
public enum Hex {
    /// Encodes `bytes` as lowercase hexadecimal, two characters per byte.
    @inlinable
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if let string = bytes.withContiguousStorageIfAvailable({ encode(UnsafeRawBufferPointer($0)) }) {
            return string
        }
        let copy = Array(bytes)
        return copy.withUnsafeBytes { encode($0) }
    }

    /// Encodes the bytes in `buffer` as lowercase hexadecimal.
    public static func encode(_ buffer: UnsafeRawBufferPointer) -> String {
        let count = buffer.count
        if count == 0 { return "" }
        return String(unsafeUninitializedCapacity: count * 2) { out in
            var o = 0
            for byte in buffer {
                out[o] = hexDigit(byte >> 4)
                out[o + 1] = hexDigit(byte & 0x0F)
                o += 2
            }
            return o
        }
    }

    /// Decodes a hexadecimal string (optionally prefixed with `0x` or `0X`,
    /// digits in either case). The empty string and a bare `0x` decode to `[]`.
    ///
    /// - Throws: ``HexError`` naming the first invalid character and its
    ///   position, or the odd digit count.
    public static func decode(_ string: some StringProtocol) throws(HexError) -> [UInt8] {
        let decoded: [UInt8]?
        if let fast = string.utf8.withContiguousStorageIfAvailable({ decode(utf8: $0) }) {
            decoded = fast
        } else {
            decoded = Array(string.utf8).withUnsafeBufferPointer { decode(utf8: $0) }
        }
        if let decoded { return decoded }
        throw diagnose(string)
    }

    /// Decodes ASCII hex (optional 0x/0X prefix); nil on any problem.
    static func decode(utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var start = 0
        if utf8.count >= 2 && utf8[0] == UInt8(ascii: "0") && (utf8[1] | 0x20) == UInt8(ascii: "x") { start = 2 }
        let digitCount = utf8.count - start
        guard digitCount % 2 == 0 else { return nil }
        var valid = true
        let result = [UInt8](unsafeUninitializedCapacity: digitCount / 2) { out, initialized in
            var i = start
            var o = 0
            while i < utf8.count {
                let high = nibble(utf8[i])
                let low = nibble(utf8[i + 1])
                if (high | low) > 0x0F { valid = false; break }
                out[o] = (high << 4) | low
                o += 1
                i += 2
            }
            initialized = o
        }
        return valid ? result : nil
    }

    /// Error path: the first non-hex character, else the odd digit count.
    private static func diagnose(_ string: some StringProtocol) -> HexError {
        var prefixLength = 0
        if string.count >= 2 {
            let first = string[string.startIndex]
            let second = string[string.index(after: string.startIndex)]
            if first == "0" && (second == "x" || second == "X") { prefixLength = 2 }
        }
        var position = 0
        for character in string {
            defer { position += 1 }
            if position < prefixLength { continue }
            if let ascii = character.asciiValue, nibble(ascii) <= 0x0F { continue }
            return HexError(.invalidCharacter(character, position: position))
        }
        return HexError(.oddLength(position - prefixLength))
    }

    @inline(__always) @usableFromInline
    static func hexDigit(_ value: UInt8) -> UInt8 {
        // 0...9 -> '0'...'9', 10...15 -> 'a'...'f'
        value < 10 ? value &+ 0x30 : value &+ 0x57
    }

    /// Value of an ASCII hex digit, or 0xFF if `c` is not one.
    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x30...0x39: c &- 0x30
        case 0x41...0x46: c &- 0x37
        case 0x61...0x66: c &- 0x57
        default: 0xFF
        }
    }
}

/// Why a hex string could not be decoded.
public struct HexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The specific problem.
    public enum Kind: Sendable, Equatable {
        /// The number of hex digits (after any `0x` prefix) is odd.
        case oddLength(Int)
        /// `character` at 0-based `position` (counted in characters of the
        /// whole input, including any `0x` prefix) is not a hex digit.
        case invalidCharacter(Character, position: Int)
    }

    /// The specific problem.
    public let kind: Kind

    /// Wraps `kind`.
    public init(_ kind: Kind) { self.kind = kind }

    /// One line suitable for showing to a user.
    public var description: String {
        switch kind {
        case .oddLength(let count):
            "invalid hex: odd number of digits (\(count)); each byte needs two digits"
        case .invalidCharacter(let character, let position):
            "invalid hex: invalid character \(describeCharacter(character)) at position \(position)"
        }
    }
}

/// Renders a character for an error message: `'g'` for printable ASCII,
/// otherwise its code points (plus the glyph if it is printable), e.g.
/// `U+0020 (space)` or `'é' (U+00E9)`. Never multi-line.
func describeCharacter(_ character: Character) -> String {
    let scalars = character.unicodeScalars
    let codes = scalars.map { scalar -> String in
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }.joined(separator: " ")
    if let ascii = character.asciiValue {
        if ascii > 0x20 && ascii < 0x7F { return "'\(character)'" }
        if ascii == 0x20 { return "U+0020 (space)" }
        return codes + " (control character)"
    }
    let printable = scalars.allSatisfy { scalar in
        scalar.properties.generalCategory != .control && scalar.properties.generalCategory != .format
            && !scalar.properties.isWhitespace && scalar.properties.generalCategory != .unassigned
            && scalar.properties.generalCategory != .surrogate && scalar.properties.generalCategory != .privateUse
    }
    return printable ? "'\(character)' (\(codes))" : codes
}
