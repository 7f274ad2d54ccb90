import ArgumentParser
import CofferBase
import CofferCore
import CofferStorage
import Foundation
import Vault
import WalletCore

/// Where Coffer's state lives, for every command that reads or changes it: the embedded SQLite
/// database of a data directory (`--data-dir`, else `$COFFER_DATA_DIR`, else
/// ~/.local/share/coffer), or PostgreSQL (`--database`, else `$COFFER_DATABASE_URL`), which holds
/// everything a data directory would (ledger, tenants, vault, wallets).
struct StoreOptions: ParsableArguments {
    @Option(help: "Data directory for the embedded SQLite database (default: $COFFER_DATA_DIR, else ~/.local/share/coffer).")
    var dataDir: String?

    @Option(help: ArgumentHelp(
        "PostgreSQL instead of the embedded database: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require] (default: $COFFER_DATABASE_URL).",
        discussion: "Prefer $COFFER_DATABASE_URL when the URL carries a password: arguments are visible to other users of the machine."))
    var database: String?

    var databaseURL: String? {
        database ?? ProcessInfo.processInfo.environment["COFFER_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens the stores, runs `body` with them, and closes them (on PostgreSQL the pool runs for
    /// the length of `body`).
    func withStores<T: Sendable>(_ body: (CofferStores) async throws -> T) async throws -> T {
        if let url = databaseURL {
            guard dataDir == nil else { throw UsageError("--data-dir and --database exclude each other: the data is either embedded or in PostgreSQL") }
            return try await PostgresPool.withPool(url: url, migrations: CofferStores.postgresMigrations) { pool in
                try await body(CofferStores(postgres: pool))
            }
        }
        let database = try CofferDatabase(directory: DataDirectory(explicit: dataDir), migrations: CofferStores.sqliteMigrations)
        return try await body(CofferStores(embedded: database))
    }
}

/// `--tenant`: act as one of the HTTP API's tenants (its names, its wallets), as its admin key would.
struct TenantOption: ParsableArguments {
    @Option(help: "Act as this tenant (id from `coffer tenant create`): names are the tenant's own, as over the HTTP API.")
    var tenant: String?

    func caller() throws -> Caller { try Caller.commandLine(tenantID: tenant) }
}

/// The vault passphrase, from a file (never an argument).
struct VaultPassphraseOption: ParsableArguments {
    @Option(help: "File holding the vault passphrase (default: $COFFER_VAULT_PASSPHRASE_FILE). One trailing newline is dropped.")
    var passphraseFile: String?

    var path: String? {
        passphraseFile ?? ProcessInfo.processInfo.environment["COFFER_VAULT_PASSPHRASE_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func passphrase() throws -> SecretBytes {
        guard let path else {
            throw ServiceError.invalid("no vault passphrase: pass --passphrase-file FILE or set COFFER_VAULT_PASSPHRASE_FILE", code: "no-passphrase")
        }
        return try SecretInput.passphraseBytes(file: path, what: "vault passphrase file")
    }

    /// The vault for `stores`: unlocked when a passphrase file is given, else locked (commands that
    /// need a key then say how to give one). A database without a vault gives a locked one that
    /// says so, so commands that need no key still work; with `create`, the vault is created with
    /// the passphrase first, as `coffer serve` does.
    func access(_ stores: CofferStores, create: Bool = false) async throws -> VaultAccess {
        guard let path else {
            return .locked(stores.vault, reason: "the vault is locked: pass --passphrase-file FILE or set COFFER_VAULT_PASSPHRASE_FILE",
                           category: .invalidInput)
        }
        if !create, try await !Vault(store: stores.vault, actor: "cli").isInitialized() {
            return .locked(stores.vault, reason: "the vault is not initialised; run `coffer vault init` first", category: .rejected)
        }
        return try await VaultAccess.unlock(stores.vault, passphraseFile: path, createWith: create ? KDFOptions.testParameters ?? .default : nil)
    }
}

/// The options of a command that calls the application core: where the data is, who acts, and
/// the vault passphrase.
struct ServiceOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @OptionGroup var tenant: TenantOption
    @OptionGroup var vault: VaultPassphraseOption

    /// Opens the services and runs `body` with them and the caller. `createVault`: a database
    /// without a vault gets one, made with the passphrase (see `VaultPassphraseOption.access`).
    func run<T: Sendable>(createVault: Bool = false, _ body: (CofferServices, Caller) async throws -> T) async throws -> T {
        let caller = try tenant.caller()
        return try await store.withStores { stores in
            try await body(CofferServices(stores: stores, vault: try await vault.access(stores, create: createVault), signers: CofferServices.payloadSigners), caller)
        }
    }
}

/// Argon2id cost options for init and rotate.
struct KDFOptions: ParsableArguments {
    @Option(help: "Argon2id memory in MiB (default 64 for init; unchanged for rotate).")
    var memoryMib: UInt64?

    @Option(help: "Argon2id iterations (default 3 for init; unchanged for rotate).")
    var iterations: UInt64?

    func parameters(base: Argon2idParameters?) -> Argon2idParameters? {
        guard memoryMib != nil || iterations != nil || base != nil else { return nil }
        let start = base ?? .default
        return Argon2idParameters(memoryBytes: memoryMib.map { $0 << 20 } ?? start.memoryBytes, iterations: iterations ?? start.iterations)
    }

    /// Tests use tiny parameters through this variable; it is documented as test-only.
    static var testParameters: Argon2idParameters? {
        ProcessInfo.processInfo.environment["COFFER_INSECURE_TEST_KDF"] == "1" ? .insecureTesting : nil
    }
}
