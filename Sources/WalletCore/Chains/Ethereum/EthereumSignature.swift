/// A secp256k1 signature as Ethereum carries it outside transactions (personal_sign, EIP-712):
/// 65 bytes `r || s || v` with `v` = 27 + recovery id.
public struct EthereumSignature: Sendable, Equatable {
    /// The underlying low-S signature and its recovery id (0 or 1).
    public let recoverable: Secp256k1.RecoverableSignature

    /// Wraps a signature produced by ``Secp256k1/PrivateKey/signRecoverable(digest:)``.
    public init(_ recoverable: Secp256k1.RecoverableSignature) { self.recoverable = recoverable }

    /// Parses 65 bytes `r || s || v`; `v` may be 27/28 or 0/1. A high-S value is refused (EIP-2):
    /// every message then has exactly one accepted signature per key.
    public init(rsv bytes: [UInt8]) throws(EthereumSignatureError) {
        guard bytes.count == 65 else {
            throw EthereumSignatureError("an Ethereum signature is 65 bytes (r, s, v), got \(bytes.count)")
        }
        let v = bytes[64]
        let recoveryID: UInt8
        switch v {
        case 27, 28: recoveryID = v - 27
        case 0, 1: recoveryID = v
        default: throw EthereumSignatureError("signature v must be 27 or 28 (or 0 or 1), got \(v)")
        }
        try self.init(r: bytes[0..<32], s: bytes[32..<64], recoveryID: recoveryID)
    }

    /// Builds a signature from r and s (big-endian, at most 32 bytes each) and the y parity;
    /// refuses zero, out-of-range and high-S values.
    public init(r: some Collection<UInt8>, s: some Collection<UInt8>, recoveryID: UInt8) throws(EthereumSignatureError) {
        guard r.count <= 32, s.count <= 32 else { throw EthereumSignatureError("signature r and s must be at most 32 bytes each") }
        let rWord = [UInt8](repeating: 0, count: 32 - r.count) + r
        let sWord = [UInt8](repeating: 0, count: 32 - s.count) + s
        guard rWord.contains(where: { $0 != 0 }), sWord.contains(where: { $0 != 0 }) else {
            throw EthereumSignatureError("signature r and s must not be zero")
        }
        guard rWord.lexicographicallyPrecedes(Secp256k1.order), sWord.lexicographicallyPrecedes(Secp256k1.order) else {
            throw EthereumSignatureError("signature r and s must be below the secp256k1 group order")
        }
        guard !Self.halfOrder.lexicographicallyPrecedes(sWord) else {
            throw EthereumSignatureError("signature s is in the upper half of the curve order (EIP-2 forbids malleable signatures)")
        }
        guard recoveryID <= 1 else { throw EthereumSignatureError("signature y parity must be 0 or 1, got \(recoveryID)") }
        do {
            recoverable = try Secp256k1.RecoverableSignature(compact: rWord + sWord, recoveryID: recoveryID)
        } catch {
            throw EthereumSignatureError("invalid signature: \(error)")
        }
    }

    /// Signs a 32-byte digest (RFC 6979 nonces, low S).
    public static func sign(digest: [UInt8], with key: Secp256k1.PrivateKey) throws(EthereumSignatureError) -> EthereumSignature {
        do {
            return EthereumSignature(try key.signRecoverable(digest: digest))
        } catch {
            throw EthereumSignatureError("signing failed: \(error)")
        }
    }

    /// 32 bytes.
    public var r: [UInt8] { Array(recoverable.r) }
    /// 32 bytes, in the lower half of the group order.
    public var s: [UInt8] { Array(recoverable.s) }
    /// The y parity of the nonce point: 0 or 1.
    public var recoveryID: UInt8 { recoverable.recoveryID }

    /// `r || s || v` with v = 27 or 28, the form wallets return from personal_sign and
    /// eth_signTypedData.
    public var rsv: [UInt8] { recoverable.compact + [27 + recoverable.recoveryID] }

    /// The EIP-55 address of the key that made this signature over `digest`.
    public func recoverAddress(digest: [UInt8]) throws(EthereumSignatureError) -> String {
        do {
            return EthereumAddress.encode(try recoverable.recoverPublicKey(digest: digest))
        } catch {
            throw EthereumSignatureError("cannot recover the signer: \(error)")
        }
    }

    /// (n − 1) / 2: the largest low-S value.
    static let halfOrder: [UInt8] = [
        0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0,
    ]
}

/// Why a signature was refused or could not be made.
public struct EthereumSignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
