/// TRON addresses: Ethereum's 20-byte key hash behind a 0x41 prefix, in Base58Check ("T...").
public enum TronAddress {
    public static let prefix: UInt8 = 0x41

    public static func encode(_ publicKey: Secp256k1.PublicKey) -> String {
        Base58.encodeCheck([prefix] + EthereumAddress.addressBytes(publicKey))
    }

    /// Validates checksum, length and prefix; returns the 21 bytes (0x41 + hash).
    @discardableResult
    public static func decode(_ address: String) throws(AddressError) -> [UInt8] {
        guard !address.isEmpty else { throw AddressError("tron address is empty") }
        let payload: [UInt8]
        do { payload = try Base58.decodeCheck(address) } catch { throw AddressError("invalid tron address: \(error)") }
        guard payload.count == 21 else {
            throw AddressError("invalid tron address: Base58Check payload must be 21 bytes (0x41 + 20-byte hash), got \(payload.count)")
        }
        guard payload[0] == prefix else {
            throw AddressError("invalid tron address: prefix byte must be 0x41, got 0x\(Hex.encode([payload[0]]))")
        }
        return payload
    }
}
