/// Solana addresses: the 32-byte ed25519 public key in Base58.
public enum SolanaAddress {
    public static func encode(publicKey: [UInt8]) -> String {
        Base58.encode(publicKey)
    }

    /// Validates the alphabet and the 32-byte length. Off-curve keys (program-derived
    /// addresses) are valid Solana addresses, so the point itself is not checked.
    @discardableResult
    public static func decode(_ address: String) throws(AddressError) -> [UInt8] {
        guard !address.isEmpty else { throw AddressError("solana address is empty") }
        let bytes: [UInt8]
        do { bytes = try Base58.decode(address) } catch { throw AddressError("invalid solana address: \(error)") }
        guard bytes.count == 32 else {
            throw AddressError("invalid solana address: must decode to 32 bytes, got \(bytes.count)")
        }
        return bytes
    }
}
