import Crypto
import Foundation

/// A Solana transaction on the wire: compact-u16 signature count, 64-byte signatures, then the
/// message (legacy or v0). Signing fills the signature slot of each required signer whose key is
/// given; the first signature, in base58, is the transaction id.
public struct SolanaTransaction: Sendable, Equatable {
    /// The network's limit on a serialized transaction (one IPv6 packet less headers).
    public static let maxSerializedByteCount = 1232

    /// One per required signer, in account-key order; all zeros where not yet signed.
    public private(set) var signatures: [[UInt8]]
    public let message: SolanaMessage

    /// Parses a serialized transaction strictly: the signature count must equal the message's
    /// required signatures, nothing may be truncated or follow the message, every signature
    /// already present must verify.
    public init(serialized bytes: [UInt8]) throws(SolanaTransactionError) {
        guard bytes.count <= Self.maxSerializedByteCount else {
            throw SolanaTransactionError("transaction is \(bytes.count) bytes; Solana accepts at most \(Self.maxSerializedByteCount)")
        }
        var reader = SolanaWireReader(bytes)
        let count = try reader.readCompactU16("the signatures")
        let signatures = try reader.readArray(count, of: 64, "the signatures")
        let message = try SolanaMessage(reading: &reader)
        guard reader.remaining == 0 else {
            throw SolanaTransactionError("transaction has \(reader.remaining) bytes after its message")
        }
        guard count == message.header.requiredSignatures else {
            throw SolanaTransactionError(
                "transaction carries \(count) signatures but its message requires \(message.header.requiredSignatures)")
        }
        self.signatures = signatures
        self.message = message
        try verifyPresentSignatures()
    }

    /// Parses a base64 transaction (surrounding whitespace allowed).
    public init(base64: String) throws(SolanaTransactionError) {
        try self.init(serialized: try Self.decodeBase64(base64, what: "transaction"))
    }

    /// An unsigned transaction around `message`: every signature slot zero.
    public init(message: SolanaMessage) throws(SolanaTransactionError) {
        self.message = message
        signatures = Array(repeating: Self.emptySignature, count: message.header.requiredSignatures)
        guard serialized.count <= Self.maxSerializedByteCount else {
            throw SolanaTransactionError(
                "transaction would be \(serialized.count) bytes; Solana accepts at most \(Self.maxSerializedByteCount)")
        }
    }

    /// Builds an unsigned transaction from a base64 message.
    public init(messageBase64: String) throws(SolanaTransactionError) {
        try self.init(message: try SolanaMessage(serialized: try Self.decodeBase64(messageBase64, what: "message")))
    }

    /// Signs the message with each key, into the slot of the required signer with that public key.
    /// A key that is not a required signer is an error (it would otherwise be silently ignored).
    public mutating func sign(with keypairs: [SolanaKeypair]) throws(SolanaTransactionError) {
        let signers = message.signerKeys
        for keypair in keypairs {
            guard let position = signers.firstIndex(of: keypair.publicKey) else {
                throw SolanaTransactionError(
                    "key \(keypair.address) is not a required signer of this transaction (signers: \(signers.map { SolanaAddress.encode(publicKey: $0) }.joined(separator: ", ")))")
            }
            signatures[position] = try keypair.sign(message.serialized)
        }
    }

    /// The wire bytes.
    public var serialized: [UInt8] {
        SolanaWireReader.compactU16(signatures.count) + signatures.flatMap { $0 } + message.serialized
    }

    public var base64: String { Data(serialized).base64EncodedString() }

    /// The fee payer's signature, base58: the transaction id once signed.
    public var transactionID: String { Base58.encode(signatures[0]) }

    /// Whether every required signer has signed.
    public var isFullySigned: Bool { !signatures.contains(Self.emptySignature) }

    /// Base58 addresses of the required signers whose slot is still empty.
    public var missingSigners: [String] {
        zip(message.signerKeys, signatures).filter { $0.1 == Self.emptySignature }.map { SolanaAddress.encode(publicKey: $0.0) }
    }

    static let emptySignature = [UInt8](repeating: 0, count: 64)

    /// A signature already in the transaction must be the signer's over this message: otherwise the
    /// message was changed after someone signed it, and the network would reject it.
    private func verifyPresentSignatures() throws(SolanaTransactionError) {
        for (position, (key, signature)) in zip(message.signerKeys, signatures).enumerated() where signature != Self.emptySignature {
            let valid = (try? Curve25519.Signing.PublicKey(rawRepresentation: key))?
                .isValidSignature(signature, for: message.serialized) ?? false
            guard valid else {
                throw SolanaTransactionError(
                    "signature \(position) (signer \(SolanaAddress.encode(publicKey: key))) does not verify against this message")
            }
        }
    }

    private static func decodeBase64(_ text: String, what: String) throws(SolanaTransactionError) -> [UInt8] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw SolanaTransactionError("\(what) is empty") }
        guard let data = Data(base64Encoded: trimmed) else {
            throw SolanaTransactionError("\(what) is not valid base64")
        }
        return [UInt8](data)
    }
}
