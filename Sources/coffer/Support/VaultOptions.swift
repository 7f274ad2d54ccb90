import ArgumentParser
import CofferPostgres
import CofferServer
import CofferStorage
import Foundation
import Ledger
import Vault
import WalletCore

/// Every migration of every domain, in one place: the executable composes the schema.
enum CofferSchema {
    static let migrations: [SchemaMigration] = VaultMigrations.all + SigningStore.migrations + LedgerMigrations.all + TenancyMigrations.sqlite
        + ServerVaultMigrations.sqlite
    /// The domains that can live in PostgreSQL (the vault stays in the embedded database).
    static let postgresMigrations: [PostgresMigration] = PostgresLedgerMigrations.all + TenancyMigrations.allPostgres
}

/// Where the data lives and how to reach the vault passphrase (a file, never an argument).
struct VaultOptions: ParsableArguments {
    @Option(help: "Data directory (default: $COFFER_DATA_DIR, else ~/.local/share/coffer).")
    var dataDir: String?

    @Option(help: "File holding the vault passphrase (default: $COFFER_VAULT_PASSPHRASE_FILE). One trailing newline is dropped.")
    var passphraseFile: String?

    func openDatabase() throws -> CofferDatabase {
        try CofferDatabase(directory: DataDirectory(explicit: dataDir), migrations: CofferSchema.migrations)
    }

    func vault() throws -> Vault {
        Vault(store: SQLiteVaultStore(database: try openDatabase()), actor: "cli:\(NSUserName())")
    }

    /// The vault passphrase as bytes in wiped memory.
    func passphrase() throws -> SecretBytes {
        guard let path = passphraseFile ?? ProcessInfo.processInfo.environment["COFFER_VAULT_PASSPHRASE_FILE"], !path.isEmpty else {
            throw CLIError("no vault passphrase: pass --passphrase-file FILE or set COFFER_VAULT_PASSPHRASE_FILE")
        }
        return try SecretInput.passphraseBytes(file: path, what: "vault passphrase file")
    }

    func unlock() throws -> UnlockedVault {
        try vault().unlock(passphrase: try passphrase())
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
        return Argon2idParameters(
            memoryBytes: memoryMib.map { $0 << 20 } ?? start.memoryBytes,
            iterations: iterations ?? start.iterations)
    }

    /// Tests use tiny parameters through this variable; it is documented as test-only.
    static var testParameters: Argon2idParameters? {
        ProcessInfo.processInfo.environment["COFFER_INSECURE_TEST_KDF"] == "1" ? .insecureTesting : nil
    }
}

/// Prints values as one JSON object per line.
enum JSONLine {
    static func print(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        try Terminal.print(String(decoding: data, as: UTF8.self))
    }

    static func walletObject(_ wallet: WalletInfo) -> [String: Any] {
        var object: [String: Any] = [
            "id": wallet.id, "name": wallet.name, "kind": wallet.kind.rawValue, "origin": wallet.origin,
            "summary": wallet.summary, "created_at": VaultClock.format(wallet.createdAt),
        ]
        if let curve = wallet.curve { object["curve"] = curve }
        return object
    }
}
