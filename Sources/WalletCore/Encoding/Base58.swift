import Crypto

/// Base58 with the Bitcoin alphabet
/// (`123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz`, no `0OIl`),
/// and Base58Check (payload followed by the first four bytes of
/// SHA-256(SHA-256(payload))), as used by legacy Bitcoin addresses, WIF keys
/// and BIP32 extended keys.
///
/// Each leading zero byte maps to one leading `'1'` and back. Decoding is
/// strict: whitespace or any character outside the alphabet is an error.
public enum Base58 {
    /// The Bitcoin Base58 alphabet, digit value = index.
    public static let alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

    /// Encodes `bytes` as Base58.
    @inlinable
    public static func encode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if let string = bytes.withContiguousStorageIfAvailable({ encode(UnsafeRawBufferPointer($0)) }) {
            return string
        }
        let copy = Array(bytes)
        return copy.withUnsafeBytes { encode($0) }
    }

    /// Encodes the bytes in `buffer` as Base58.
    public static func encode(_ buffer: UnsafeRawBufferPointer) -> String {
        let count = buffer.count
        var zeros = 0
        while zeros < count && buffer[zeros] == 0 { zeros += 1 }
        // log(256)/log(58^5) ≈ 0.2731 limbs per byte; round up generously.
        let limbCapacity = (count - zeros) * 28 / 100 + 2
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: limbCapacity) { limbs in
            // Little-endian limbs in base 58^5, filled by repeated multiply-add
            // of up-to-4-byte big-endian chunks of the input.
            var used = 0
            var i = zeros
            while i < count {
                let chunkLength = (count - i) % 4 == 0 ? 4 : (count - i) % 4
                var chunk: UInt64 = 0
                for k in 0..<chunkLength { chunk = (chunk << 8) | UInt64(buffer[i + k]) }
                i += chunkLength
                let shift = UInt64(chunkLength * 8)
                var carry = chunk
                for j in 0..<used {
                    let value = (UInt64(limbs[j]) << shift) &+ carry
                    limbs[j] = UInt32(truncatingIfNeeded: value % limbBase)
                    carry = value / limbBase
                }
                while carry != 0 {
                    limbs[used] = UInt32(truncatingIfNeeded: carry % limbBase)
                    carry /= limbBase
                    used += 1
                }
            }
            // Each limb is 5 digits; the top limb has leading zero digits to drop.
            var topDigits = 0
            if used > 0 {
                var top = limbs[used - 1]
                while top != 0 { top /= 58; topDigits += 1 }
            }
            let length = zeros + (used > 0 ? (used - 1) * 5 + topDigits : 0)
            return String(unsafeUninitializedCapacity: length) { out in
                for k in 0..<zeros { out[k] = UInt8(ascii: "1") }
                var o = length
                for j in 0..<used {
                    var limb = limbs[j]
                    let digits = j == used - 1 ? topDigits : 5
                    for _ in 0..<digits {
                        o -= 1
                        out[o] = digitCharacter(UInt8(truncatingIfNeeded: limb % 58))
                        limb /= 58
                    }
                }
                return length
            }
        }
    }

    /// Decodes a Base58 string. The empty string decodes to `[]`.
    ///
    /// - Throws: ``Base58Error`` naming the first character outside the
    ///   alphabet and its 0-based position.
    public static func decode(_ string: some StringProtocol) throws(Base58Error) -> [UInt8] {
        if let fast = string.utf8.withContiguousStorageIfAvailable({ decode(utf8: $0) }) {
            if let fast { return fast }
        } else if let slow = Array(string.utf8).withUnsafeBufferPointer({ decode(utf8: $0) }) {
            return slow
        }
        throw diagnose(string)
    }

    /// Decodes ASCII Base58; nil if any byte is outside the alphabet.
    static func decode(utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = utf8.count
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { digits -> [UInt8]? in
            let valid = digitTable.withUnsafeBufferPointer { table in
                var bad: UInt8 = 0
                for i in 0..<count {
                    let value = table[Int(utf8[i])]
                    bad |= value & 0x80
                    digits[i] = value
                }
                return bad == 0
            }
            if !valid { return nil }
            var zeros = 0
            while zeros < count && digits[zeros] == 0 { zeros += 1 }
            // log(58)/log(2^32) ≈ 0.1832 limbs per digit.
            let limbCapacity = (count - zeros) * 19 / 100 + 2
            return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: limbCapacity) { limbs in
                // Little-endian base-2^32 limbs, multiply-add by chunks of up to 5 digits.
                var used = 0
                var i = zeros
                while i < count {
                    let remaining = count - i
                    let chunkLength = remaining % 5 == 0 ? 5 : remaining % 5
                    var chunk: UInt64 = 0
                    var multiplier: UInt64 = 1
                    for k in 0..<chunkLength {
                        chunk = chunk * 58 + UInt64(digits[i + k])
                        multiplier *= 58
                    }
                    i += chunkLength
                    var carry = chunk
                    for j in 0..<used {
                        let value = UInt64(limbs[j]) * multiplier + carry
                        limbs[j] = UInt32(truncatingIfNeeded: value)
                        carry = value >> 32
                    }
                    while carry != 0 {
                        limbs[used] = UInt32(truncatingIfNeeded: carry)
                        carry >>= 32
                        used += 1
                    }
                }
                var topBytes = 0
                if used > 0 {
                    var top = limbs[used - 1]
                    while top != 0 { top >>= 8; topBytes += 1 }
                }
                let length = zeros + (used > 0 ? (used - 1) * 4 + topBytes : 0)
                return [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
                    for k in 0..<zeros { out[k] = 0 }
                    var o = length
                    for j in 0..<used {
                        var limb = limbs[j]
                        let bytes = j == used - 1 ? topBytes : 4
                        for _ in 0..<bytes {
                            o -= 1
                            out[o] = UInt8(truncatingIfNeeded: limb)
                            limb >>= 8
                        }
                    }
                    initialized = length
                }
            }
        }
    }

    /// Base58Check-encodes `payload` (typically a version byte followed by
    /// data): appends the 4-byte double-SHA-256 checksum, then Base58-encodes.
    @inlinable
    public static func encodeCheck<Bytes: Collection>(_ payload: Bytes) -> String where Bytes.Element == UInt8 {
        if let string = payload.withContiguousStorageIfAvailable({ encodeCheck(UnsafeRawBufferPointer($0)) }) {
            return string
        }
        let copy = Array(payload)
        return copy.withUnsafeBytes { encodeCheck($0) }
    }

    /// Base58Check-encodes the bytes in `payload`.
    public static func encodeCheck(_ payload: UnsafeRawBufferPointer) -> String {
        let count = payload.count
        return withUnsafeTemporaryAllocation(byteCount: count + 4, alignment: 8) { buffer in
            if count > 0 { buffer.baseAddress!.copyMemory(from: payload.baseAddress!, byteCount: count) }
            let checksum = checksum(of: payload)
            buffer.storeBytes(of: checksum, toByteOffset: count, as: UInt32.self)
            return encode(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Decodes a Base58Check string and verifies its checksum.
    ///
    /// - Returns: the payload without the 4 checksum bytes.
    /// - Throws: ``Base58Error`` for an invalid character, a decoded value
    ///   shorter than 4 bytes, or a checksum mismatch.
    public static func decodeCheck(_ string: some StringProtocol) throws(Base58Error) -> [UInt8] {
        var bytes = try decode(string)
        guard bytes.count >= 4 else { throw Base58Error(.tooShortForChecksum(byteCount: bytes.count)) }
        let payloadCount = bytes.count - 4
        let valid = bytes.withUnsafeBytes { raw in
            let expected = checksum(of: UnsafeRawBufferPointer(rebasing: raw[0..<payloadCount]))
            let actual = raw.loadUnaligned(fromByteOffset: payloadCount, as: UInt32.self)
            return constantTimeEqual(expected, actual)
        }
        guard valid else { throw Base58Error(.checksumMismatch) }
        bytes.removeLast(4)
        return bytes
    }

    /// First four bytes of SHA-256(SHA-256(data)), in memory order.
    static func checksum(of data: UnsafeRawBufferPointer) -> UInt32 {
        DoubleSHA256.digest(data).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
    }

    /// Compares with no data-dependent branch.
    static func constantTimeEqual(_ a: UInt32, _ b: UInt32) -> Bool {
        withUnsafeBytes(of: a) { x in withUnsafeBytes(of: b) { y in ConstantTime.equals(x, y) } }
    }

    /// 58^5, the largest power of 58 that keeps limb arithmetic inside UInt64.
    @inline(__always) static var limbBase: UInt64 { 656_356_768 }

    /// The alphabet as a constant C string, so digit -> character is a
    /// branch-free load (random digits defeat a branchy mapping).
    @inline(__always)
    static var alphabetTable: StaticString { "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz" }

    @inline(__always)
    static func digitCharacter(_ value: UInt8) -> UInt8 {
        alphabetTable.utf8Start[Int(value)]
    }

    /// Byte -> digit value (0...57), 0xFF for bytes outside the alphabet.
    static let digitTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.utf8.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    /// Digit value of an ASCII byte, or 0xFF if it is not in the alphabet.
    @inline(__always)
    static func digitValue(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x31...0x39: c &- 0x31        // '1'...'9' -> 0...8
        case 0x41...0x48: c &- 0x38        // 'A'...'H' -> 9...16
        case 0x4A...0x4E: c &- 0x39        // 'J'...'N' -> 17...21
        case 0x50...0x5A: c &- 0x3A        // 'P'...'Z' -> 22...32
        case 0x61...0x6B: c &- 0x40        // 'a'...'k' -> 33...43
        case 0x6D...0x7A: c &- 0x41        // 'm'...'z' -> 44...57
        default: 0xFF
        }
    }

    /// Error path: the first character outside the alphabet and its position.
    private static func diagnose(_ string: some StringProtocol) -> Base58Error {
        for (position, character) in string.enumerated() {
            guard let ascii = character.asciiValue, digitValue(ascii) <= 57 else {
                return Base58Error(.invalidCharacter(character, position: position))
            }
        }
        return Base58Error(.invalidCharacter("\u{FFFD}", position: 0)) // unreachable: fast path accepted it
    }
}

/// Why a Base58 / Base58Check string could not be decoded.
public struct Base58Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The specific problem.
    public enum Kind: Sendable, Equatable {
        /// `character` at 0-based character `position` is not in the Base58 alphabet.
        case invalidCharacter(Character, position: Int)
        /// The string decoded to fewer than 4 bytes, so it cannot carry a checksum.
        case tooShortForChecksum(byteCount: Int)
        /// The trailing 4 bytes do not match the double-SHA-256 of the payload.
        case checksumMismatch
    }

    /// The specific problem.
    public let kind: Kind

    /// Wraps `kind`.
    public init(_ kind: Kind) { self.kind = kind }

    /// One line suitable for showing to a user.
    public var description: String {
        switch kind {
        case .invalidCharacter(let character, let position):
            let hint: String = switch character {
            case "0", "O", "I", "l": " (excluded from Base58 because it looks like another character)"
            default: ""
            }
            return "invalid Base58: character \(describeCharacter(character)) at position \(position) is not in the alphabet\(hint)"
        case .tooShortForChecksum(let count):
            return "invalid Base58Check: decodes to \(count) byte\(count == 1 ? "" : "s"), fewer than the 4-byte checksum"
        case .checksumMismatch:
            return "invalid Base58Check: checksum mismatch (mistyped or corrupted string)"
        }
    }
}
