/// Ethereum (and every EVM chain's) addresses: the last 20 bytes of Keccak-256 of the
/// uncompressed public key, written with the EIP-55 mixed-case checksum.
public enum EthereumAddress {
    /// The EIP-55 checksummed address of `publicKey`, with the `0x` prefix.
    public static func encode(_ publicKey: Secp256k1.PublicKey) -> String {
        checksummed(addressBytes(publicKey))
    }

    /// The 20 address bytes of `publicKey`.
    public static func addressBytes(_ publicKey: Secp256k1.PublicKey) -> [UInt8] {
        var uncompressed = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var hash = [UInt8](repeating: 0, count: 32)
        withUnsafeMutableBytes(of: &uncompressed) { buffer in
            let key = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<65])
            publicKey.writeUncompressed(into: key)
            hash.withUnsafeMutableBytes { Keccak256.hash(UnsafeRawBufferPointer(rebasing: key[1..<65]), into: $0) }
        }
        return Array(hash[12..<32])
    }

    /// EIP-55: hex digit i is upper-case when nibble i of Keccak-256(lower-case hex) is 8 or more.
    public static func checksummed(_ address: [UInt8]) -> String {
        precondition(address.count == 20, "an Ethereum address is 20 bytes")
        let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
        var ascii = [UInt8](repeating: 0, count: 42)
        ascii[0] = UInt8(ascii: "0")
        ascii[1] = UInt8(ascii: "x")
        for (i, byte) in address.enumerated() {
            ascii[2 + 2 * i] = hexDigits[Int(byte >> 4)]
            ascii[3 + 2 * i] = hexDigits[Int(byte & 0x0F)]
        }
        var hash = [UInt8](repeating: 0, count: 32)
        ascii.withUnsafeBytes { lowerHex in
            hash.withUnsafeMutableBytes { Keccak256.hash(UnsafeRawBufferPointer(rebasing: lowerHex[2..<42]), into: $0) }
        }
        for i in 0..<40 where ascii[2 + i] >= UInt8(ascii: "a") {
            let nibble = i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0F
            if nibble >= 8 { ascii[2 + i] -= 32 }
        }
        return String(decoding: ascii, as: UTF8.self)
    }

    /// Validates `0x` + 40 hex digits; a mixed-case address must carry a correct EIP-55 checksum.
    /// Returns the 20 address bytes.
    @discardableResult
    public static func decode(_ address: String) throws(AddressError) -> [UInt8] {
        guard address.hasPrefix("0x") || address.hasPrefix("0X") else {
            throw AddressError("ethereum address must start with 0x")
        }
        let digits = address.dropFirst(2)
        guard digits.utf8.count == 40 else {
            throw AddressError("ethereum address must have 40 hex digits after 0x, got \(digits.count)")
        }
        if let bad = digits.firstIndex(where: { !$0.isHexDigit || !$0.isASCII }) {
            throw AddressError("ethereum address has a non-hex character \"\(digits[bad])\" at position \(digits.distance(from: digits.startIndex, to: bad) + 3)")
        }
        let bytes: [UInt8]
        do { bytes = try Hex.decode(digits) } catch { throw AddressError("invalid ethereum address: \(error)") }
        let hasLower = digits.contains(where: \.isLowercase)
        let hasUpper = digits.contains(where: \.isUppercase)
        if hasLower && hasUpper {
            let expected = checksummed(bytes)
            guard expected.dropFirst(2) == digits else {
                throw AddressError("ethereum address has a wrong EIP-55 checksum (mixed case does not match); the checksummed form is \(expected)")
            }
        }
        return bytes
    }
}
