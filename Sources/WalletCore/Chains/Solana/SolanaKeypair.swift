import CofferBase
import Crypto
import Foundation

/// An ed25519 signing key for Solana (swift-crypto's `Curve25519.Signing`).
public struct SolanaKeypair: Sendable {
    private let privateKey: Curve25519.Signing.PrivateKey
    /// The 32-byte public key, which is also the account address.
    public let publicKey: [UInt8]

    /// From the 32-byte ed25519 seed (the first half of a Solana CLI keypair file; what SLIP-10
    /// derivation produces).
    public init(seed: SecretBytes) throws(SolanaTransactionError) {
        guard seed.count == 32 else {
            throw SolanaTransactionError("an ed25519 private key (seed) must be 32 bytes, got \(seed.count)")
        }
        do {
            privateKey = try seed.withUnsafeBytes { try Curve25519.Signing.PrivateKey(rawRepresentation: $0) }
        } catch {
            throw SolanaTransactionError("ed25519 private key was refused by the crypto library")
        }
        publicKey = Array(privateKey.publicKey.rawRepresentation)
    }

    /// From a Solana CLI keypair file (`solana-keygen`'s id.json): a JSON array of 64 numbers,
    /// the seed then the public key. The public half must match the seed.
    public init(keypairJSON: [UInt8]) throws(SolanaTransactionError) {
        var numbers: [UInt8]
        do {
            numbers = try JSONDecoding.decode([UInt8].self, from: keypairJSON)
        } catch {
            throw SolanaTransactionError("keypair is not a JSON array of numbers 0 to 255 (Solana CLI keypair format)")
        }
        defer { SecretBytes.wipe(&numbers) }
        guard numbers.count == 64 else {
            throw SolanaTransactionError("keypair array must hold 64 numbers (seed and public key), got \(numbers.count)")
        }
        try self.init(seed: SecretBytes(numbers[0..<32]))
        guard Array(numbers[32..<64]) == publicKey else {
            throw SolanaTransactionError("keypair's public half does not match its secret half (\(address)); the file is damaged")
        }
    }

    /// The base58 address.
    public var address: String { SolanaAddress.encode(publicKey: publicKey) }

    /// The 64-byte ed25519 signature of `message`.
    public func sign(_ message: [UInt8]) throws(SolanaTransactionError) -> [UInt8] {
        do {
            return Array(try privateKey.signature(for: message))
        } catch {
            throw SolanaTransactionError("ed25519 signing failed in the crypto library")
        }
    }
}
