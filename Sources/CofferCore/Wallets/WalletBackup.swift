import CofferStorage
import Tenancy
import CofferBase
import Vault
import WalletCore

/// Encrypted exports of a wallet in formats other tools read: an Ethereum V3 keystore (a key
/// wallet's key, or an HD wallet's key at a path) under the caller's password, or SLIP-39 shares
/// of an HD wallet's master secret under the caller's passphrase.
enum WalletBackup {
    static let byFormat: [String: Set<String>] = [
        "ethereum-keystore": ["password", "kdf", "path"],
        "slip39": ["passphrase", "threshold", "shares", "groups", "group_threshold", "iteration_exponent"],
    ]
    /// PBKDF2 cost of SLIP-39 shares by default: 10000 << 4 iterations at every recovery.
    static let defaultIterationExponent = 4

    /// The export and the audit detail that describes it (never the secret).
    static func export(_ request: BackupWalletRequest, wallet: String, unlocked: UnlockedVault) async throws -> (BackupView, String) {
        guard let allowed = byFormat[request.format] else { throw ServiceError.invalid("format must be ethereum-keystore or slip39") }
        let given: [(String, Bool)] = [
            ("password", request.password != nil), ("kdf", request.kdf != nil), ("path", request.path != nil), ("passphrase", request.passphrase != nil),
            ("threshold", request.threshold != nil), ("shares", request.shares != nil), ("groups", request.groups != nil),
            ("group_threshold", request.groupThreshold != nil), ("iteration_exponent", request.iterationExponent != nil),
        ]
        if let misplaced = given.first(where: { $0.1 && !allowed.contains($0.0) }) {
            throw ServiceError.invalid("\(misplaced.0) does not apply to format \(request.format); it takes \(allowed.sorted().joined(separator: ", "))")
        }
        return request.format == "slip39"
            ? try await shares(request, wallet: wallet, unlocked: unlocked)
            : try await keystore(request, wallet: wallet, unlocked: unlocked)
    }

    static func keystore(_ request: BackupWalletRequest, wallet: String, unlocked: UnlockedVault) async throws -> (BackupView, String) {
        guard let password = request.password else { throw ServiceError.invalid("password is missing") }
        guard password.count >= 8 else { throw ServiceError.invalid("password must have at least 8 characters") }
        let kdfName = request.kdf ?? "scrypt"
        let kdf: EthereumKeystoreV3.KeyDerivation
        switch kdfName {
        case "scrypt": kdf = .standard
        case "pbkdf2": kdf = .pbkdf2(iterations: 262_144)
        default: throw ServiceError.invalid("kdf must be scrypt or pbkdf2")
        }
        let path = try request.path.map { text throws(ServiceError) in
            do { return try DerivationPath(parsing: text) } catch { throw ServiceError.invalid("path: \(error)") }
        }
        let key = try await unlocked.withSecret(of: wallet) { secret, info throws -> Secp256k1.PrivateKey in
            let keyPath: DerivationPath?
            switch secret {
            case .seed: keyPath = try path ?? DerivationPath(parsing: "m/44'/60'/0'/0/0")
            case .privateKey(_, let curve):
                guard curve == .secp256k1 else {
                    throw ServiceError(.rejected, "backup-unsupported", "this wallet holds an ed25519 key; an Ethereum keystore holds secp256k1 keys only")
                }
                guard path == nil else { throw ServiceError.invalid("path applies to HD wallets only; this wallet holds a single key") }
                keyPath = nil
            case .watchOnly:
                throw VaultError.watchOnly(info.name)
            }
            guard let key = try WalletSigner.key(from: secret, curve: .secp256k1, path: keyPath, walletID: info.id).secp256k1Key else {
                throw ServiceError(.rejected, "backup-unsupported", "this wallet has no secp256k1 key")
            }
            return key
        }
        // scrypt at n = 2^18 takes most of a second: off Swift concurrency's threads.
        let keystore = try await Blocking.run { try EthereumKeystoreV3.encrypt(privateKey: key.secret, password: password, kdf: kdf) }
        let view = BackupView(
            format: "ethereum-keystore", wallet: wallet, path: request.path, keystore: try JSONValue(parsing: keystore),
            threshold: nil, groupThreshold: nil, iterationExponent: nil, shares: nil)
        return (view, "ethereum-v3 \(kdfName)\(request.path.map { " \($0)" } ?? "")")
    }

    static func shares(_ request: BackupWalletRequest, wallet: String, unlocked: UnlockedVault) async throws -> (BackupView, String) {
        // SLIP-39's passphrase is optional (the shares are the secret); when given it is printable ASCII.
        let passphrase = request.passphrase ?? ""
        guard passphrase.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else {
            throw ServiceError.invalid("passphrase must be printable ASCII characters (SLIP-39 allows no others)")
        }
        let exponent = request.iterationExponent ?? defaultIterationExponent
        guard (0...15).contains(exponent) else { throw ServiceError.invalid("iteration_exponent must be 0 to 15") }
        let groups: [SLIP39GroupSpec]
        let groupThreshold: Int
        if let given = request.groups {
            guard request.threshold == nil, request.shares == nil else { throw ServiceError.invalid("give threshold and shares, or groups, not both") }
            guard !given.isEmpty, given.count <= 16 else { throw ServiceError.invalid("groups must hold 1 to 16 groups") }
            groups = try given.map { group throws(ServiceError) in try spec(threshold: group.threshold, count: group.shares, field: "groups") }
            groupThreshold = request.groupThreshold ?? (given.count == 1 ? 1 : 0)
            guard (1...given.count).contains(groupThreshold) else {
                throw ServiceError.invalid("group_threshold must be 1 to the number of groups (\(given.count))")
            }
        } else {
            guard request.groupThreshold == nil else { throw ServiceError.invalid("group_threshold applies to groups only") }
            guard let threshold = request.threshold, let count = request.shares else {
                throw ServiceError.invalid("threshold and shares are required: 1 <= threshold <= shares <= 16 (or groups)")
            }
            groups = [try spec(threshold: threshold, count: count, field: "threshold and shares")]
            groupThreshold = 1
        }
        let mnemonics = try await unlocked.withSecret(of: wallet) { secret, info throws -> [String] in
            if case .watchOnly = secret { throw VaultError.watchOnly(info.name) }
            guard case .seed(let seed) = secret else {
                throw ServiceError(.rejected, "backup-unsupported", "this wallet holds a single key, not a master secret; use format ethereum-keystore")
            }
            do {
                return try SLIP39.split(masterSecret: seed, groupThreshold: groupThreshold, groups: groups, passphrase: passphrase,
                                        iterationExponent: exponent).flatMap { $0 }
            } catch {
                throw ServiceError.invalid("slip39: \(error)")
            }
        }
        let view = BackupView(
            format: "slip39", wallet: wallet, path: nil, keystore: nil, threshold: groups.count == 1 ? groups[0].memberThreshold : nil,
            groupThreshold: groupThreshold, iterationExponent: exponent, shares: mnemonics)
        return (view, "slip39 \(groups.map { "\($0.memberThreshold) of \($0.memberCount)" }.joined(separator: ", ")) shares")
    }

    static func spec(threshold: Int, count: Int, field: String) throws(ServiceError) -> SLIP39GroupSpec {
        guard (1...16).contains(count), (1...count).contains(threshold) else {
            throw ServiceError.invalid("\(field): 1 <= threshold <= shares <= 16")
        }
        guard threshold > 1 || count == 1 else { throw ServiceError.invalid("\(field): a threshold of 1 allows one share only (SLIP-39)") }
        return SLIP39GroupSpec(memberThreshold: threshold, memberCount: count)
    }
}
