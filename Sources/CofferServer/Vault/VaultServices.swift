public import CofferStorage
import Foundation
import HTTPTypes
import Hummingbird
public import Vault
import WalletCore

/// The vault as the server uses it: the keystore in the data directory's embedded database
/// (also when the ledger is on PostgreSQL), unlocked once at start from the passphrase file, the
/// signing store, the payload signers and the tenants' wallets. Without a passphrase the vault
/// stays locked and every vault route answers 503 `vault-locked`.
public struct VaultServices: Sendable {
    public let vault: Vault
    public let signing: SigningStore
    public let wallets: TenantWalletStore
    public let signers: [any PayloadSigner]
    /// The unlocked vault; nil while locked.
    let unlocked: UnlockedVault?
    /// Why the vault is locked, for `/ready` and the 503 documents.
    public let lockedReason: String?

    public var isUnlocked: Bool { unlocked != nil }

    /// Opens the vault in `database`. With `passphraseFile`, unlocks it, first creating the vault
    /// with `parameters` if the database has none yet (audited `vault.init`). A passphrase file
    /// that cannot be read or holds the wrong passphrase stops the server from starting: an
    /// operator who configured one meant the vault to be open. The passphrase is never logged
    /// and never part of an error.
    public static func open(
        database: CofferDatabase, passphraseFile: String?, parameters: Argon2idParameters, signers: [any PayloadSigner]
    ) throws(ServerError) -> VaultServices {
        let vault = Vault(store: SQLiteVaultStore(database: database), actor: "server")
        let signing = SigningStore(database: database)
        let wallets = TenantWalletStore(database: database)
        guard let passphraseFile, !passphraseFile.isEmpty else {
            return VaultServices(vault: vault, signing: signing, wallets: wallets, signers: signers, unlocked: nil,
                                 lockedReason: "the vault is locked: start coffer serve with --vault-passphrase-file (or COFFER_VAULT_PASSPHRASE_FILE)")
        }
        let passphrase = try readPassphrase(passphraseFile)
        do {
            if try !vault.isInitialized() { try vault.initialize(passphrase: passphrase, parameters: parameters) }
            let unlocked = try vault.unlock(passphrase: passphrase)
            return VaultServices(vault: vault, signing: signing, wallets: wallets, signers: signers, unlocked: unlocked, lockedReason: nil)
        } catch {
            throw ServerError("cannot unlock the vault with the passphrase in \(passphraseFile): \(error.description)")
        }
    }

    /// The file's bytes less one trailing newline, as `coffer vault` reads it.
    static func readPassphrase(_ path: String) throws(ServerError) -> SecretBytes {
        guard var bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
            throw ServerError("cannot read the vault passphrase file \(path)")
        }
        defer { SecretBytes.wipe(&bytes) }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw ServerError("the vault passphrase file \(path) is not valid UTF-8") }
        return SecretBytes(bytes)
    }

    /// The unlocked vault acting for the caller (audit records name the tenant and the key), or 503.
    func unlocked(for caller: Principal) throws(Problem) -> UnlockedVault {
        guard let unlocked else { throw Self.locked(lockedReason) }
        return unlocked.acting(as: Self.actor(caller))
    }

    /// The audit actor of API calls: `api:<tenant>/<key id>`.
    static func actor(_ caller: Principal) -> String { "api:\(caller.tenantID)/\(caller.keyID)" }

    static func locked(_ reason: String?) -> Problem {
        Problem(.serviceUnavailable, "vault-locked", "The vault is locked",
                detail: reason ?? "the vault is locked: start coffer serve with --vault-passphrase-file")
    }

    /// The `/ready` check: nil when unlocked.
    public var readiness: @Sendable () async -> String? {
        let reason = lockedReason
        return { reason }
    }
}

/// Where the vault routes get the vault: nil when the server was started without one.
struct VaultGate: Sendable {
    let services: VaultServices?

    /// The vault services and the caller's unlocked vault, after checking `scope`; 503 while locked.
    func open(_ context: CofferRequestContext, _ scope: APIScope) throws -> (VaultServices, UnlockedVault, Principal) {
        let caller = try context.caller()
        try caller.require(scope)
        guard let services else { throw VaultServices.locked("the vault is not configured on this server") }
        return (services, try services.unlocked(for: caller), caller)
    }

    /// A vault POST: checks `scope` (503 while locked), collects the body, then runs `work` on a
    /// Dispatch thread (see `Blocking`) under Idempotency-Key semantics.
    func post(
        _ request: Request, _ context: CofferRequestContext, _ scope: APIScope, idempotent: IdempotentPost,
        _ work: @escaping @Sendable ([UInt8], VaultServices, UnlockedVault, Principal) throws -> (HTTPResponse.Status, JSONValue)
    ) async throws -> Response {
        let (services, unlocked, caller) = try open(context, scope)
        let body = try await HTTPBody.collect(request, context)
        return try await idempotent.run(request, context: context, body: body) {
            try await Blocking.run { try work(body, services, unlocked, caller) }
        }
    }
}
