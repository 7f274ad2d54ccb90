import CofferBase
public import Crypto
public import WalletCore

/// One key of one vault wallet, opened for a run of signatures: a hot path that decrypts and
/// derives once. The key stays in wiped memory and goes away with the signer.
public struct WalletSigner: Sendable {
    public enum Key: Sendable {
        case secp256k1(Secp256k1.PrivateKey)
        /// swift-crypto keeps the key in its own zeroising storage.
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    public let key: Key
    public let walletID: String

    /// ECDSA (RFC 6979, low-S, recoverable) over a 32-byte digest.
    public func signDigest(_ digest: [UInt8]) throws -> Secp256k1.RecoverableSignature {
        guard case .secp256k1(let privateKey) = key else { throw VaultError("wallet \(walletID) holds an ed25519 key, not secp256k1") }
        return try privateKey.signRecoverable(digest: digest)
    }

    /// Ed25519 (deterministic, RFC 8032) over a message.
    public func signEd25519(_ message: [UInt8]) throws -> [UInt8] {
        guard case .ed25519(let privateKey) = key else { throw VaultError("wallet \(walletID) holds a secp256k1 key, not ed25519") }
        return Array(try privateKey.signature(for: message))
    }

    /// The secp256k1 private key (for chain signers that need more than a digest signature).
    public var secp256k1Key: Secp256k1.PrivateKey? {
        if case .secp256k1(let key) = key { return key }
        return nil
    }

    /// Opens the key a wallet uses on `curve`: a seed wallet derives it at `path` (BIP32 for
    /// secp256k1, SLIP-10 for ed25519); a single-key wallet must be on that curve and takes no path.
    public static func key(from secret: WalletSecret, curve: Curve, path: DerivationPath?, walletID: String) throws -> WalletSigner {
        switch secret {
        case .seed(let seed):
            guard let path else { throw VaultError("wallet \(walletID) is an HD wallet: the request must give a derivation path") }
            switch curve {
            case .secp256k1:
                return WalletSigner(key: .secp256k1(try ExtendedPrivateKey(seed: seed).derive(path: path).privateKey), walletID: walletID)
            case .ed25519:
                return WalletSigner(key: .ed25519(try Ed25519Keys.privateKey(try Ed25519HDKey(seed: seed).derive(path: path).privateKey)), walletID: walletID)
            }
        case .privateKey(let key, let keyCurve):
            guard keyCurve == curve else { throw VaultError("wallet \(walletID) holds a \(keyCurve.rawValue) key; this request needs \(curve.rawValue)") }
            guard path == nil else { throw VaultError("wallet \(walletID) holds a single key: the request must not give a derivation path") }
            switch curve {
            case .secp256k1: return WalletSigner(key: .secp256k1(try Secp256k1.PrivateKey(secret: key)), walletID: walletID)
            case .ed25519: return WalletSigner(key: .ed25519(try Ed25519Keys.privateKey(key)), walletID: walletID)
            }
        case .watchOnly:
            throw VaultError.watchOnly(walletID)
        }
    }
}

extension UnlockedVault {
    /// A signer for one wallet's key on `curve` (at `path` for HD wallets).
    public func signer(for wallet: String, curve: Curve, path: DerivationPath?) async throws -> WalletSigner {
        try await withSecret(of: wallet) { secret, info in try WalletSigner.key(from: secret, curve: curve, path: path, walletID: info.id) }
    }
}
