import CofferBase
import WalletCore

/// Public facts about one wallet's secp256k1 keys, computed by the vault for the intent check:
/// the master key fingerprint and the public keys at the derivation origins a payload names (HD
/// wallets), or the one public key (single-key wallets). It holds no private key and can sign
/// nothing: it only lets a decoder recognise the wallet's own outputs (Bitcoin change) before the
/// policy has decided anything.
public struct WalletPublicKeys: Sendable, PSBTKeySource {
    /// At most this many origins are derived for one request (each costs a BIP32 derivation).
    public static let maximumOrigins = 1_000

    public let walletID: String
    /// The HD wallet's master key fingerprint (BIP32); nil for single-key wallets.
    public let masterFingerprint: UInt32?
    /// The single-key wallet's secp256k1 key; nil for HD and ed25519 wallets.
    public let singlePublicKey: Secp256k1.PublicKey?
    /// The keys at the requested origins that carry the wallet's own fingerprint.
    private let derived: [DerivationPath: Secp256k1.PublicKey]

    /// Derives, from `secret`, the public keys at those `origins` whose master fingerprint is the
    /// wallet's own (others cannot be this wallet's keys and are skipped). Private keys exist only
    /// during this call.
    init(secret: WalletSecret, walletID: String, origins: [PSBTKeyOrigin]) throws(PolicyError) {
        self.walletID = walletID
        switch secret {
        case .seed(let seed):
            let master: ExtendedPrivateKey
            do { master = try ExtendedPrivateKey(seed: seed) } catch { throw PolicyError("wallet \(walletID): \(error)") }
            let fingerprint = master.privateKey.publicKey.fingerprint
            let paths = Set(origins.filter { $0.masterFingerprint == fingerprint }.map(\.path))
            guard paths.count <= Self.maximumOrigins else {
                throw PolicyError("payload: the PSBT's outputs name \(paths.count) derivation paths of this wallet; at most \(Self.maximumOrigins) are checked")
            }
            var derived: [DerivationPath: Secp256k1.PublicKey] = [:]
            for path in paths {
                // A path the wallet cannot derive (an invalid child, astronomically unlikely) proves nothing.
                if let key = try? master.derive(path: path).privateKey.publicKey { derived[path] = key }
            }
            masterFingerprint = fingerprint
            singlePublicKey = nil
            self.derived = derived
        case .privateKey(let key, .secp256k1):
            do { singlePublicKey = try Secp256k1.PrivateKey(secret: key).publicKey } catch { throw PolicyError("wallet \(walletID): \(error)") }
            masterFingerprint = nil
            derived = [:]
        case .privateKey(_, .ed25519), .watchOnly:
            // A watch-only wallet never signs (the service refuses it first): nothing to recognise.
            masterFingerprint = nil
            singlePublicKey = nil
            derived = [:]
        }
    }

    /// The key at `origin`, when the origin is this wallet's (its fingerprint) and was requested.
    public func publicKey(for origin: PSBTKeyOrigin) -> Secp256k1.PublicKey? {
        guard let masterFingerprint, origin.masterFingerprint == masterFingerprint else { return nil }
        return derived[origin.path]
    }
}

extension UnlockedVault {
    /// The wallet's public keys at `origins` (see ``WalletPublicKeys``), computed inside
    /// ``withSecret(of:_:)``: the secret never leaves the vault, and no signature is made.
    public func publicKeys(of wallet: String, at origins: [PSBTKeyOrigin]) async throws -> WalletPublicKeys {
        try await withSecret(of: wallet) { secret, info in try WalletPublicKeys(secret: secret, walletID: info.id, origins: origins) }
    }
}
