/// Bech32 (BIP173) and Bech32m (BIP350): a human-readable part (HRP), the
/// separator `1`, 5-bit data symbols from `qpzry9x8gf2tvdw0s3jn54khce6mua7l`,
/// and a 6-symbol BCH checksum. The two variants differ only in the constant
/// XORed into the checksum; decoding tells them apart by that constant.
///
/// This type is the generic layer; ``SegwitAddress`` adds the BIP173/BIP350
/// rules for native segwit addresses on top of it.
public enum Bech32 {
    /// Checksum variant.
    public enum Variant: Sendable, Equatable {
        /// BIP173 Bech32 (checksum constant 1): segwit v0 addresses.
        case bech32
        /// BIP350 Bech32m (checksum constant 0x2bc830a3): segwit v1+ addresses.
        case bech32m

        @inline(__always)
        var constant: UInt32 {
            switch self {
            case .bech32: 1
            case .bech32m: 0x2BC8_30A3
            }
        }
    }

    /// Default overall length limit from BIP173.
    public static let defaultLengthLimit = 90
    /// Maximum HRP length from BIP173.
    public static let maxHRPLength = 83

    /// Encodes `hrp` and 5-bit `data` values with a checksum of `variant`,
    /// enforcing the default 90-character limit. The result is all
    /// lowercase; an all-uppercase `hrp` is accepted and lowercased.
    ///
    /// - Throws: ``Bech32Error`` for an invalid HRP, a data value above 31,
    ///   or a result longer than 90 characters.
    public static func encode(hrp: String, data: [UInt8], variant: Variant) throws(Bech32Error) -> String {
        try encode(hrp: hrp, data: data, variant: variant, lengthLimit: defaultLengthLimit)
    }

    /// Same as ``encode(hrp:data:variant:)`` with a custom overall length
    /// limit (e.g. for Lightning invoices, which exceed 90 characters).
    public static func encode(hrp: String, data: [UInt8], variant: Variant, lengthLimit: Int) throws(Bech32Error) -> String {
        var hrp = hrp
        try validateHRPForEncoding(&hrp)
        for (index, value) in data.enumerated() where value > 31 {
            throw Bech32Error(.invalidDataValue(value, index: index))
        }
        let length = hrp.utf8.count + 1 + data.count + 6
        guard length <= lengthLimit else { throw Bech32Error(.tooLong(length: length, limit: lengthLimit)) }
        return hrp.withUTF8 { hrpBytes in
            data.withUnsafeBufferPointer { dataBuffer in
                String(unsafeUninitializedCapacity: length) { out in
                    write(hrp: hrpBytes, data: dataBuffer, variant: variant, into: out)
                }
            }
        }
    }

    /// Decodes a Bech32 or Bech32m string, detecting the variant from the
    /// checksum.
    ///
    /// - Parameters:
    ///   - string: all lowercase or all uppercase; mixed case is rejected.
    ///   - lengthLimit: maximum overall length (BIP173 default 90).
    /// - Returns: the lowercase HRP, the 5-bit data values without the
    ///   checksum, and the checksum variant.
    /// - Throws: ``Bech32Error`` naming the first rule the string breaks.
    public static func decode(_ string: String, lengthLimit: Int = 90) throws(Bech32Error) -> (hrp: String, data: [UInt8], variant: Variant) {
        var utf8Copy = string
        let result = utf8Copy.withUTF8 { bytes in
            Result { () throws(Bech32Error) in try decode(utf8: bytes, original: string, lengthLimit: lengthLimit) }
        }
        return try result.get()
    }

    /// Regroups a bit stream from `from`-bit to `to`-bit values (both 1...8),
    /// most significant bit first.
    ///
    /// With `pad: true` a final partial group is zero-padded (encoding).
    /// With `pad: false` (decoding) leftover bits must number fewer than
    /// `from` and all be zero.
    ///
    /// - Throws: ``Bech32Error`` for a bad width, an input value wider than
    ///   `from` bits, excess padding, or non-zero padding.
    public static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) throws(Bech32Error) -> [UInt8] {
        guard (1...8).contains(from), (1...8).contains(to) else {
            throw Bech32Error(.invalidBitWidth(from: from, to: to))
        }
        var accumulator: UInt32 = 0
        var bits = 0
        let maxValue: UInt32 = (1 << to) - 1
        var result: [UInt8] = []
        result.reserveCapacity((data.count * from + to - 1) / to)
        for (index, value) in data.enumerated() {
            guard Int(value) >> from == 0 else {
                throw Bech32Error(.invalidInputValue(value, index: index, bits: from))
            }
            accumulator = ((accumulator << from) | UInt32(value)) & 0xFFFF
            bits += from
            while bits >= to {
                bits -= to
                result.append(UInt8((accumulator >> bits) & maxValue))
            }
        }
        if pad {
            if bits > 0 { result.append(UInt8((accumulator << (to - bits)) & maxValue)) }
        } else if bits >= from {
            throw Bech32Error(.excessPadding(bits: bits))
        } else if (accumulator << (to - bits)) & maxValue != 0 {
            throw Bech32Error(.nonZeroPadding)
        }
        return result
    }

    // MARK: - Internals

    /// The data alphabet; symbol value = index.
    @inline(__always)
    static var charset: StaticString { "qpzry9x8gf2tvdw0s3jn54khce6mua7l" }

    @inline(__always)
    static func symbol(_ value: UInt8) -> UInt8 {
        charset.utf8Start[Int(value & 31)]
    }

    /// Symbol value of a lowercase or uppercase ASCII byte, -1 if not in the charset.
    static let reverseCharset: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        let chars = charset
        for i in 0..<32 {
            let c = chars.utf8Start[i]
            table[Int(c)] = Int8(i)
            if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") { table[Int(c - 0x20)] = Int8(i) }
        }
        return table
    }()

    /// One step of the BCH checksum over GF(32): multiply by x and reduce.
    @inline(__always)
    static func polymodStep(_ chk: UInt32) -> UInt32 {
        let top = chk >> 25
        var chk = (chk & 0x1FF_FFFF) << 5
        chk ^= 0x3B6A_57B2 & (0 &- ((top >> 0) & 1))
        chk ^= 0x2650_8E6D & (0 &- ((top >> 1) & 1))
        chk ^= 0x1EA1_19FA & (0 &- ((top >> 2) & 1))
        chk ^= 0x3D42_33DD & (0 &- ((top >> 3) & 1))
        chk ^= 0x2A14_62B3 & (0 &- ((top >> 4) & 1))
        return chk
    }

    @inline(__always)
    static func lowercased(_ c: UInt8) -> UInt8 {
        c &- 0x41 < 26 ? c | 0x20 : c
    }

    /// Checksum state after absorbing the expanded HRP (high bits, 0, low bits).
    @inline(__always)
    static func hrpChecksum(_ hrp: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var chk: UInt32 = 1
        for c in hrp { chk = polymodStep(chk) ^ UInt32(lowercased(c) >> 5) }
        chk = polymodStep(chk)
        for c in hrp { chk = polymodStep(chk) ^ UInt32(lowercased(c) & 31) }
        return chk
    }

    /// Writes `hrp` (lowercased) + "1" + data symbols + checksum into `out`;
    /// returns the number of bytes written. Inputs must already be validated.
    @inline(__always)
    static func write(hrp: UnsafeBufferPointer<UInt8>, data: UnsafeBufferPointer<UInt8>, variant: Variant,
                      into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var chk = hrpChecksum(hrp)
        var o = 0
        for c in hrp { out[o] = lowercased(c); o += 1 }
        out[o] = UInt8(ascii: "1"); o += 1
        for value in data {
            chk = polymodStep(chk) ^ UInt32(value)
            out[o] = symbol(value); o += 1
        }
        for _ in 0..<6 { chk = polymodStep(chk) }
        chk ^= variant.constant
        for i in 0..<6 {
            out[o] = symbol(UInt8(truncatingIfNeeded: chk >> (5 * (5 - i))))
            o += 1
        }
        return o
    }

    /// HRP rules for encoding: 1...83 characters, ASCII 33...126, not mixed case.
    /// Lowercases `hrp` in place if it was all uppercase.
    static func validateHRPForEncoding(_ hrp: inout String) throws(Bech32Error) {
        let count = hrp.utf8.count
        guard count > 0 else { throw Bech32Error(.emptyHRP) }
        var hasLower = false, hasUpper = false
        for byte in hrp.utf8 {
            guard byte >= 33 && byte <= 126 else {
                throw firstOutOfRangeCharacter(in: hrp) ?? Bech32Error(.invalidCharacter("\u{FFFD}", position: 0))
            }
            if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { hasLower = true }
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { hasUpper = true }
        }
        guard count <= maxHRPLength else { throw Bech32Error(.hrpTooLong(length: count)) }
        if hasLower && hasUpper { throw Bech32Error(.mixedCase) }
        if hasUpper { hrp = String(decoding: hrp.utf8.map(lowercased), as: UTF8.self) }
    }

    /// Error path: the first character outside printable ASCII 33...126.
    static func firstOutOfRangeCharacter(in string: String) -> Bech32Error? {
        for (position, character) in string.enumerated() {
            guard let ascii = character.asciiValue, ascii >= 33, ascii <= 126 else {
                return Bech32Error(.invalidCharacter(character, position: position))
            }
        }
        return nil
    }

    static func decode(utf8 bytes: UnsafeBufferPointer<UInt8>, original: String, lengthLimit: Int)
        throws(Bech32Error) -> (hrp: String, data: [UInt8], variant: Variant) {
        var hasLower = false, hasUpper = false
        var separator = -1
        for (i, byte) in bytes.enumerated() {
            guard byte >= 33 && byte <= 126 else {
                throw firstOutOfRangeCharacter(in: original) ?? Bech32Error(.invalidCharacter("\u{FFFD}", position: i))
            }
            if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { hasLower = true }
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { hasUpper = true }
            if byte == UInt8(ascii: "1") { separator = i }
        }
        // From here on the string is printable ASCII: byte offsets are character positions.
        let count = bytes.count
        if hasLower && hasUpper { throw Bech32Error(.mixedCase) }
        if separator < 0 { throw Bech32Error(.missingSeparator) }
        if separator == 0 { throw Bech32Error(.emptyHRP) }
        if count > lengthLimit { throw Bech32Error(.tooLong(length: count, limit: lengthLimit)) }
        if separator > maxHRPLength { throw Bech32Error(.hrpTooLong(length: separator)) }
        let dataLength = count - separator - 1
        if dataLength < 6 { throw Bech32Error(.checksumTooShort(length: dataLength)) }

        let hrpBytes = UnsafeBufferPointer(rebasing: bytes[0..<separator])
        var chk = hrpChecksum(hrpBytes)
        let table = reverseCharset
        var values = [UInt8]()
        values.reserveCapacity(dataLength - 6)
        for position in (separator + 1)..<count {
            let byte = bytes[position]
            let value = byte < 128 ? table[Int(byte)] : -1
            guard value >= 0 else {
                throw Bech32Error(.invalidDataCharacter(Character(Unicode.Scalar(byte)), position: position))
            }
            chk = polymodStep(chk) ^ UInt32(value)
            if position < count - 6 { values.append(UInt8(value)) }
        }
        let variant: Variant
        switch chk {
        case Variant.bech32.constant: variant = .bech32
        case Variant.bech32m.constant: variant = .bech32m
        default: throw Bech32Error(.invalidChecksum)
        }
        let hrp = String(decoding: hrpBytes.lazy.map(lowercased), as: UTF8.self)
        return (hrp, values, variant)
    }
}

/// Native segregated-witness addresses (BIP173 for v0, BIP350 for v1+).
///
/// Rules enforced in both directions: witness version 0...16; program 2...40
/// bytes; a v0 program is exactly 20 (P2WPKH) or 32 (P2WSH) bytes; v0 uses
/// Bech32 and v1+ uses Bech32m; at most 90 characters. Decoding additionally
/// rejects more than 4 bits of padding and non-zero padding bits.
public enum SegwitAddress {
    /// Encodes a witness program as a lowercase segwit address, e.g.
    /// `encode(hrp: "bc", version: 0, program: hash160)`.
    ///
    /// - Throws: ``Bech32Error`` if the HRP, version or program length is invalid.
    public static func encode(hrp: String, version: UInt8, program: [UInt8]) throws(Bech32Error) -> String {
        guard version <= 16 else { throw Bech32Error(.invalidWitnessVersion(version)) }
        guard program.count >= 2 && program.count <= 40 else {
            throw Bech32Error(.invalidProgramLength(program.count))
        }
        if version == 0 && program.count != 20 && program.count != 32 {
            throw Bech32Error(.invalidV0ProgramLength(program.count))
        }
        var hrp = hrp
        try Bech32.validateHRPForEncoding(&hrp)
        let groups = 1 + (program.count * 8 + 4) / 5
        let length = hrp.utf8.count + 1 + groups + 6
        guard length <= Bech32.defaultLengthLimit else {
            throw Bech32Error(.tooLong(length: length, limit: Bech32.defaultLengthLimit))
        }
        let variant: Bech32.Variant = version == 0 ? .bech32 : .bech32m
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 65) { data in
            // Version symbol followed by the program regrouped 8 -> 5 bits, zero padded.
            data[0] = version
            var n = 1
            var accumulator: UInt32 = 0
            var bits: UInt32 = 0
            for byte in program {
                accumulator = (accumulator << 8) | UInt32(byte)
                bits += 8
                while bits >= 5 {
                    bits -= 5
                    data[n] = UInt8(truncatingIfNeeded: accumulator >> bits) & 31
                    n += 1
                }
            }
            if bits > 0 {
                data[n] = UInt8(truncatingIfNeeded: accumulator << (5 - bits)) & 31
                n += 1
            }
            let dataBuffer = UnsafeBufferPointer(rebasing: data[0..<n])
            return hrp.withUTF8 { hrpBytes in
                String(unsafeUninitializedCapacity: length) { out in
                    Bech32.write(hrp: hrpBytes, data: dataBuffer, variant: variant, into: out)
                }
            }
        }
    }

    /// Decodes and validates a segwit address.
    ///
    /// - Parameters:
    ///   - address: the address, all lowercase or all uppercase.
    ///   - expectedHRP: if non-nil, the address's HRP must equal it
    ///     (case-insensitively), e.g. `"bc"` for mainnet, `"tb"` for testnet.
    /// - Returns: the lowercase HRP, witness version, and witness program.
    /// - Throws: ``Bech32Error`` naming the first rule the address breaks.
    public static func decode(_ address: String, expectedHRP: String?) throws(Bech32Error) -> (hrp: String, version: UInt8, program: [UInt8]) {
        let (hrp, data, variant) = try Bech32.decode(address)
        if let expectedHRP {
            let expected = String(decoding: expectedHRP.utf8.map(Bech32.lowercased), as: UTF8.self)
            guard hrp == expected else { throw Bech32Error(.hrpMismatch(expected: expected, actual: hrp)) }
        }
        guard let version = data.first else { throw Bech32Error(.missingWitnessVersion) }
        guard version <= 16 else { throw Bech32Error(.invalidWitnessVersion(version)) }
        let program = try Bech32.convertBits(Array(data.dropFirst()), from: 5, to: 8, pad: false)
        guard program.count >= 2 && program.count <= 40 else {
            throw Bech32Error(.invalidProgramLength(program.count))
        }
        if version == 0 && program.count != 20 && program.count != 32 {
            throw Bech32Error(.invalidV0ProgramLength(program.count))
        }
        let expectedVariant: Bech32.Variant = version == 0 ? .bech32 : .bech32m
        guard variant == expectedVariant else {
            throw Bech32Error(.wrongVariant(version: version, expected: expectedVariant, actual: variant))
        }
        return (hrp, version, program)
    }
}

/// Why a Bech32/Bech32m string or segwit address was rejected.
public struct Bech32Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The specific problem.
    public enum Kind: Sendable, Equatable {
        /// Nothing before the separator `1`.
        case emptyHRP
        /// The human-readable part is longer than 83 characters.
        case hrpTooLong(length: Int)
        /// `character` at 0-based `position` is outside printable ASCII 33...126.
        case invalidCharacter(Character, position: Int)
        /// The string mixes lowercase and uppercase letters.
        case mixedCase
        /// There is no separator `1`.
        case missingSeparator
        /// The whole string is longer than `limit` characters.
        case tooLong(length: Int, limit: Int)
        /// Fewer than 6 characters follow the separator.
        case checksumTooShort(length: Int)
        /// `character` at 0-based `position` after the separator is not a Bech32 data symbol.
        case invalidDataCharacter(Character, position: Int)
        /// The checksum matches neither Bech32 nor Bech32m.
        case invalidChecksum
        /// Encoding: data value at `index` does not fit in 5 bits.
        case invalidDataValue(UInt8, index: Int)
        /// `convertBits`: a width outside 1...8.
        case invalidBitWidth(from: Int, to: Int)
        /// `convertBits`: input value at `index` does not fit in `bits` bits.
        case invalidInputValue(UInt8, index: Int, bits: Int)
        /// `convertBits` without padding: `bits` leftover bits (a whole extra group).
        case excessPadding(bits: Int)
        /// `convertBits` without padding: the leftover padding bits are not zero.
        case nonZeroPadding
        /// The HRP differs from the one the caller expected (e.g. testnet vs mainnet).
        case hrpMismatch(expected: String, actual: String)
        /// Segwit: the data part is empty, so there is no witness version.
        case missingWitnessVersion
        /// Segwit: witness version above 16.
        case invalidWitnessVersion(UInt8)
        /// Segwit: program not 2...40 bytes.
        case invalidProgramLength(Int)
        /// Segwit: a version 0 program that is neither 20 nor 32 bytes.
        case invalidV0ProgramLength(Int)
        /// Segwit: v0 must use Bech32, v1+ must use Bech32m.
        case wrongVariant(version: UInt8, expected: Bech32.Variant, actual: Bech32.Variant)
    }

    /// The specific problem.
    public let kind: Kind

    /// Wraps `kind`.
    public init(_ kind: Kind) { self.kind = kind }

    /// One line suitable for showing to a user.
    public var description: String {
        switch kind {
        case .emptyHRP:
            "invalid bech32: empty human-readable part (nothing before the separator '1')"
        case .hrpTooLong(let length):
            "invalid bech32: human-readable part is \(length) characters, more than the maximum of 83"
        case .invalidCharacter(let character, let position):
            "invalid bech32: character \(describeCharacter(character)) at position \(position) is outside printable ASCII (33-126)"
        case .mixedCase:
            "invalid bech32: mixes uppercase and lowercase letters"
        case .missingSeparator:
            "invalid bech32: no separator character '1'"
        case .tooLong(let length, let limit):
            "invalid bech32: \(length) characters, more than the limit of \(limit)"
        case .checksumTooShort(let length):
            "invalid bech32: only \(length) character\(length == 1 ? "" : "s") after the separator, fewer than the 6-character checksum"
        case .invalidDataCharacter(let character, let position):
            "invalid bech32: character \(describeCharacter(character)) at position \(position) is not in the data alphabet"
        case .invalidChecksum:
            "invalid bech32: checksum is neither valid Bech32 nor valid Bech32m (mistyped or corrupted string)"
        case .invalidDataValue(let value, let index):
            "cannot encode bech32: data value \(value) at index \(index) does not fit in 5 bits"
        case .invalidBitWidth(let from, let to):
            "cannot regroup bits from \(from)-bit to \(to)-bit values: widths must be 1...8"
        case .invalidInputValue(let value, let index, let bits):
            "cannot regroup bits: value \(value) at index \(index) does not fit in \(bits) bits"
        case .excessPadding(let bits):
            "invalid bech32 data: \(bits) bits of padding, a whole extra group (zero padding of more than 4 bits)"
        case .nonZeroPadding:
            "invalid bech32 data: non-zero padding bits"
        case .hrpMismatch(let expected, let actual):
            "wrong network: address prefix is '\(actual)', expected '\(expected)'"
        case .missingWitnessVersion:
            "invalid segwit address: empty data part, no witness version"
        case .invalidWitnessVersion(let version):
            "invalid segwit address: witness version \(version) is above 16"
        case .invalidProgramLength(let length):
            "invalid segwit address: witness program is \(length) byte\(length == 1 ? "" : "s"), must be 2 to 40"
        case .invalidV0ProgramLength(let length):
            "invalid segwit address: version 0 witness program is \(length) bytes, must be 20 or 32"
        case .wrongVariant(let version, let expected, let actual):
            "invalid segwit address: witness version \(version) requires a \(expected.name) checksum, found \(actual.name)"
        }
    }
}

extension Bech32.Variant {
    /// Display name used in error messages.
    var name: String {
        switch self {
        case .bech32: "Bech32"
        case .bech32m: "Bech32m"
        }
    }
}
