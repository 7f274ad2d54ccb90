import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Vault
import WalletCore

/// `POST /v1/wallets/{id}/backup`: an encrypted export of a wallet, in a format the vault and
/// other tools already read: an Ethereum V3 keystore (a key wallet's key, or an HD wallet's key
/// at a path) under the caller's password, or SLIP-39 shares of an HD wallet's master secret
/// under the caller's passphrase. The response is never stored for Idempotency-Key replay and
/// carries `Cache-Control: no-store`; every export is audited.
struct WalletBackupRoute: Sendable {
    let gate: VaultGate

    static let fields: Set<String> = ["format", "password", "kdf", "path", "passphrase", "threshold", "shares"]
    static let byFormat: [String: Set<String>] = [
        "ethereum-keystore": ["password", "kdf", "path"],
        "slip39": ["passphrase", "threshold", "shares"],
    ]
    /// PBKDF2 cost of SLIP-39 shares: 10000 << 4 iterations at every recovery.
    static let slip39IterationExponent = 4

    func backup(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        _ = try gate.open(context, .admin)
        let body = try await HTTPBody.collect(request, context)
        return try await Blocking.run { try backup(body, context) }
    }

    /// The synchronous part: find the wallet, open its secret, encrypt the export, audit it.
    func backup(_ body: [UInt8], _ context: CofferRequestContext) throws -> Response {
        let (services, unlocked, caller) = try gate.open(context, .admin)
        let (wallet, _) = try WalletRoutes.find(try context.parameters.require("id"), services: services, caller: caller)
        let input = try JSONInput(body, allowed: Self.fields)
        let format = try input.requiredString("format")
        guard let allowed = Self.byFormat[format] else { throw Problem.badRequest("format must be ethereum-keystore or slip39") }
        if let misplaced = Self.fields.subtracting(["format"]).subtracting(allowed).sorted().first(where: { input.has($0) }) {
            throw Problem.badRequest("\(misplaced) does not apply to format \(format); it takes \(allowed.sorted().joined(separator: ", "))")
        }
        let json: JSONValue
        let detail: String
        if format == "ethereum-keystore" {
            (json, detail) = try keystore(input, unlocked: unlocked, walletID: wallet.walletID)
        } else {
            (json, detail) = try shares(input, unlocked: unlocked, walletID: wallet.walletID)
        }
        do {
            try unlocked.audit(AuditEvent(actor: unlocked.vault.actor, action: "wallet.export", subject: wallet.walletID, outcome: "ok", detail: detail))
        } catch {
            throw VaultRouteSupport.problem(error)
        }
        var response = Response.json(json)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func keystore(_ input: JSONInput, unlocked: UnlockedVault, walletID: String) throws -> (JSONValue, String) {
        let password = try input.requiredString("password")
        guard password.count >= 8 else { throw Problem.badRequest("password must have at least 8 characters") }
        let kdfName = try input.string("kdf") ?? "scrypt"
        let kdf: EthereumKeystoreV3.KeyDerivation
        switch kdfName {
        case "scrypt": kdf = .standard
        case "pbkdf2": kdf = .pbkdf2(iterations: 262_144)
        default: throw Problem.badRequest("kdf must be scrypt or pbkdf2")
        }
        let pathText = try input.string("path")
        let path = try pathText.map { text throws(Problem) in
            do { return try DerivationPath(parsing: text) } catch { throw Problem.badRequest("path: \(error)") }
        }
        let keystore = try unlocked.withSecret(of: walletID) { secret, info throws -> [UInt8] in
            let keyPath: DerivationPath?
            switch secret {
            case .seed: keyPath = try path ?? DerivationPath(parsing: "m/44'/60'/0'/0/0")
            case .privateKey(_, let curve):
                guard curve == .secp256k1 else { throw Problem.unprocessable("this wallet holds an ed25519 key; an Ethereum keystore holds secp256k1 keys only", slug: "backup-unsupported") }
                guard path == nil else { throw Problem.badRequest("path applies to HD wallets only; this wallet holds a single key") }
                keyPath = nil
            }
            let signer = try WalletSigner.key(from: secret, curve: .secp256k1, path: keyPath, walletID: info.id)
            guard let key = signer.secp256k1Key else { throw Problem.unprocessable("this wallet has no secp256k1 key", slug: "backup-unsupported") }
            return try EthereumKeystoreV3.encrypt(privateKey: key.secret, password: password, kdf: kdf)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(keystore)) else { throw ServerError("the keystore could not be read back") }
        return (.object([
            ("format", .string("ethereum-keystore")), ("wallet", .string(walletID)), ("path", pathText.map(JSONValue.string) ?? .null),
            ("keystore", VaultRouteSupport.json(object)),
        ]), "ethereum-v3 \(kdfName)\(pathText.map { " \($0)" } ?? "")")
    }

    func shares(_ input: JSONInput, unlocked: UnlockedVault, walletID: String) throws -> (JSONValue, String) {
        let passphrase = try input.requiredString("passphrase")
        guard passphrase.count >= 8, passphrase.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else {
            throw Problem.badRequest("passphrase must be at least 8 printable ASCII characters (SLIP-39 allows no others)")
        }
        guard let threshold = try input.integer("threshold", as: Int.self), let count = try input.integer("shares", as: Int.self),
              (1...16).contains(count), (1...count).contains(threshold) else {
            throw Problem.badRequest("threshold and shares are required: 1 <= threshold <= shares <= 16")
        }
        guard threshold > 1 || count == 1 else { throw Problem.badRequest("a threshold of 1 allows one share only (SLIP-39)") }
        let mnemonics = try unlocked.withSecret(of: walletID) { secret, _ throws -> [String] in
            guard case .seed(let seed) = secret else {
                throw Problem.unprocessable("this wallet holds a single key, not a master secret; use format ethereum-keystore", slug: "backup-unsupported")
            }
            do {
                return try SLIP39.split(masterSecret: seed, groupThreshold: 1, groups: [SLIP39GroupSpec(memberThreshold: threshold, memberCount: count)],
                                        passphrase: passphrase, iterationExponent: Self.slip39IterationExponent).flatMap { $0 }
            } catch {
                throw Problem.badRequest("slip39: \(error)")
            }
        }
        return (.object([
            ("format", .string("slip39")), ("wallet", .string(walletID)), ("threshold", .int(Int64(threshold))),
            ("iteration_exponent", .int(Int64(Self.slip39IterationExponent))), ("shares", .array(mnemonics.map(JSONValue.string))),
        ]), "slip39 \(threshold) of \(count) shares")
    }
}
