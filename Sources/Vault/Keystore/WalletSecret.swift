import CofferBase
import Crypto
public import WalletCore

/// What a vault wallet holds: a BIP32/SLIP-10 seed, one private key on one curve, or (watch-only)
/// an account-level extended public key.
public enum WalletSecret: Sendable {
    /// 16 to 64 bytes: a BIP39 seed (64 bytes) or a SLIP-39 / random master secret.
    case seed(SecretBytes)
    /// A single 32-byte private key.
    case privateKey(SecretBytes, curve: Curve)
    /// A Bitcoin-like account key (depth 3, e.g. m/84'/0'/0'), with the SLIP-132 version it came
    /// with and the script type its addresses use: derives the account's addresses (children 0/i),
    /// signs nothing. Not secret, but it reveals every address of the account, so it is sealed
    /// like the others.
    case watchOnly(ExtendedPublicKey, version: KeyVersion, scheme: BitcoinScheme)

    public var kind: WalletKind {
        switch self {
        case .seed: .seed
        case .privateKey: .privateKey
        case .watchOnly: .watchOnly
        }
    }

    public var curve: Curve? {
        if case .privateKey(_, let curve) = self { return curve }
        return nil
    }

    /// Checks that the secret is usable before it is stored (a valid scalar, a usable seed).
    public func validate() throws(VaultError) {
        switch self {
        case .seed(let seed):
            guard (16...64).contains(seed.count) else { throw VaultError("a seed must be 16 to 64 bytes, got \(seed.count)") }
            do { _ = try ExtendedPrivateKey(seed: seed) } catch { throw VaultError("\(error)") }
        case .privateKey(let key, let curve):
            guard key.count == 32 else { throw VaultError("a private key must be 32 bytes, got \(key.count)") }
            if curve == .secp256k1 {
                do { _ = try Secp256k1.PrivateKey(secret: key) } catch { throw VaultError("\(error)") }
            }
        case .watchOnly(let key, let version, let scheme):
            guard key.depth == 3, key.childIndex.isHardened else {
                throw VaultError("a watch-only wallet takes an account-level extended public key (depth 3, e.g. m/84'/0'/0'); this \(version.publicPrefix) is at depth \(key.depth)\(key.childIndex.isHardened ? "" : " with a non-hardened index")")
            }
            do { _ = try AddressFormat.watchOnly(version: version, scheme: scheme, network: nil, defaultScheme: scheme) } catch { throw VaultError("\(error)") }
        }
    }

    /// Plaintext layout inside the AEAD (format v1): kind byte, curve byte, secret bytes; for a
    /// watch-only wallet kind 3, the scheme's index in ``BitcoinScheme/allCases``, and the 78 bytes
    /// of the serialised extended key (its version included).
    func encoded() -> SecretBytes {
        let (kind, curve, secret): (UInt8, UInt8, SecretBytes) =
            switch self {
            case .seed(let seed): (1, 0, seed)
            case .privateKey(let key, let curve): (2, curve == .secp256k1 ? 1 : 2, key)
            case .watchOnly(let key, let version, let scheme):
                (3, UInt8(BitcoinScheme.allCases.firstIndex(of: scheme) ?? 0), SecretBytes(key.serializedBytes(version: version)))
            }
        return SecretBytes(count: secret.count + 2) { out in
            out[0] = kind
            out[1] = curve
            secret.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: out[2...]).copyMemory(from: $0) }
        }
    }

    static func decode(_ plaintext: SecretBytes) -> WalletSecret? {
        plaintext.withUnsafeBytes { bytes -> WalletSecret? in
            guard bytes.count > 2 else { return nil }
            switch (bytes[0], bytes[1]) {
            case (1, 0): return .seed(SecretBytes(bytes[2...]))
            case (2, 1): return .privateKey(SecretBytes(bytes[2...]), curve: .secp256k1)
            case (2, 2): return .privateKey(SecretBytes(bytes[2...]), curve: .ed25519)
            case (3, let scheme) where Int(scheme) < BitcoinScheme.allCases.count:
                guard case .publicKey(let key, let version)? = try? ExtendedKey(serialized: Array(bytes[2...])) else { return nil }
                return .watchOnly(key, version: version, scheme: BitcoinScheme.allCases[Int(scheme)])
            default: return nil
            }
        }
    }

    /// Public facts safe to store in clear: the master fingerprint or the public key (its address).
    public func publicSummary() -> String {
        switch self {
        case .seed(let seed):
            guard let master = try? ExtendedPrivateKey(seed: seed) else { return "" }
            return "fingerprint:" + Self.hex(master.privateKey.publicKey.fingerprint)
        case .privateKey(let key, .secp256k1):
            guard let privateKey = try? Secp256k1.PrivateKey(secret: key) else { return "" }
            return "ethereum:" + EthereumAddress.encode(privateKey.publicKey)
        case .privateKey(let key, .ed25519):
            guard let hd = try? Ed25519Keys.publicKey(privateKey: key) else { return "" }
            return "solana:" + SolanaAddress.encode(publicKey: hd)
        case .watchOnly(let key, let version, let scheme):
            // The key's own fingerprint (the one its children name as their parent), not the key:
            // the key would show every address of the account to anyone who can list wallets.
            return "\(version.publicPrefix):\(scheme.rawValue):" + Self.hex(key.publicKey.fingerprint)
        }
    }

    /// A BIP32 fingerprint as 8 hex digits, big-endian.
    static func hex(_ fingerprint: UInt32) -> String {
        Hex.encode((0..<4).map { UInt8(truncatingIfNeeded: fingerprint >> (24 - 8 * $0)) })
    }
}

/// The kinds of vault wallet.
public enum WalletKind: String, Sendable, Codable {
    case seed, privateKey = "private-key", watchOnly = "watch-only"
}

/// Ed25519 keys from 32-byte private seeds (swift-crypto keeps them in zeroising storage).
enum Ed25519Keys {
    static func privateKey(_ seed: SecretBytes) throws -> Curve25519.Signing.PrivateKey {
        try seed.withUnsafeBytes { try Curve25519.Signing.PrivateKey(rawRepresentation: $0) }
    }

    static func publicKey(privateKey: SecretBytes) throws -> [UInt8] {
        Array(try Self.privateKey(privateKey).publicKey.rawRepresentation)
    }
}
