import Crypto

/// Signs TRON transactions given as their `raw_data` bytes (`raw_data_hex` from TronWeb or the
/// java-tron HTTP API).
///
/// txID = SHA-256(raw_data); the signature is recoverable ECDSA (RFC 6979, low-S) over the txID,
/// written r || s || v with v = recovery id + 27 ("1b"/"1c"), as TronWeb writes it. java-tron
/// accepts v as 0/1 or 27/28 (it adds 27 below 27), so both conventions verify on the network.
public enum TronTransactionSigner {
    /// A signed transaction's id and signature.
    public struct Signature: Sendable, Equatable {
        /// SHA-256(raw_data), 32 bytes: the transaction id explorers show.
        public let txID: [UInt8]
        /// r (32) || s (32) || v (1), v = 27 + recovery id.
        public let signature: [UInt8]

        public var txIDHex: String { Hex.encode(txID) }
        public var signatureHex: String { Hex.encode(signature) }
    }

    /// Checks that `rawData` is a TRON transaction body (see ``TronRawData``) and signs its txID.
    public static func sign(rawData: [UInt8], with key: Secp256k1.PrivateKey) throws(TronTransactionError) -> Signature {
        _ = try TronRawData(rawData)
        let txID = transactionID(rawData: rawData)
        let recoverable: Secp256k1.RecoverableSignature
        do { recoverable = try key.signRecoverable(digest: txID) } catch {
            throw TronTransactionError("signing failed: \(error)")
        }
        return Signature(txID: txID, signature: recoverable.compact + [27 + recoverable.recoveryID])
    }

    /// SHA-256 of the raw transaction bytes.
    public static func transactionID(rawData: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: rawData))
    }

    /// The base58 address whose key made `signature` over `txID`, accepting v as 0/1 or 27/28
    /// like java-tron. Lets a caller check a signature against the contract's owner address.
    public static func signerAddress(txID: [UInt8], signature: [UInt8]) throws(TronTransactionError) -> String {
        guard txID.count == 32 else { throw TronTransactionError("txID must be 32 bytes, got \(txID.count)") }
        guard signature.count == 65 else { throw TronTransactionError("signature must be 65 bytes (r, s, v), got \(signature.count)") }
        let v = signature[64]
        guard v <= 1 || v == 27 || v == 28 else { throw TronTransactionError("signature v must be 0, 1, 27 or 28, got \(v)") }
        do {
            let recoverable = try Secp256k1.RecoverableSignature(compact: Array(signature[0..<64]), recoveryID: v >= 27 ? v - 27 : v)
            return TronAddress.encode(try recoverable.recoverPublicKey(digest: txID))
        } catch {
            throw TronTransactionError("signature does not verify: \(error)")
        }
    }
}
