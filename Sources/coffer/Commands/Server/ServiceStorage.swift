import ArgumentParser
import CofferPostgres
import CofferServer
import CofferStorage
import Foundation
import Ledger
import Vault

/// The service's stores on the embedded database or on PostgreSQL (`--database` or
/// `$COFFER_DATABASE_URL`), shared by `coffer serve`, `coffer tenant` and `coffer apikey`.
enum ServiceStorage {
    struct Opened {
        let ledger: any LedgerStore
        let tenancy: any TenancyStore
        let readiness: [@Sendable () async -> String?]
        /// The embedded database when the stores live in it (nil on PostgreSQL).
        var embedded: CofferDatabase? = nil
    }

    static func open(dataDir: String?, database url: String?) async throws -> Opened {
        if let url {
            guard dataDir == nil else { throw UsageError("--data-dir and --database exclude each other") }
            let database = try await PostgresPool(url: url, migrations: CofferSchema.postgresMigrations, maximumConnections: 16)
            let ledger = PostgresLedgerStore(database: database)
            return Opened(ledger: ledger, tenancy: PostgresTenancyStore(database: database), readiness: [
                { await reachable(ledger, "PostgreSQL at \(database.location)") },
            ])
        }
        let database = try CofferDatabase(directory: DataDirectory(explicit: dataDir), migrations: CofferSchema.migrations)
        let ledger = SQLiteLedgerStore(database: database)
        return Opened(ledger: ledger, tenancy: SQLiteTenancyStore(database: database), readiness: [
            { await reachable(ledger, "the database \(database.path)") },
        ], embedded: database)
    }

    /// The vault of `coffer serve`: always in the embedded database of the data directory, also
    /// when the ledger and tenants are on PostgreSQL (the vault has no PostgreSQL store yet).
    static func openVault(stores: Opened, dataDir: String?, passphraseFile: String?) throws -> VaultServices {
        let database = try stores.embedded ?? CofferDatabase(directory: DataDirectory(explicit: dataDir), migrations: CofferSchema.migrations)
        return try VaultServices.open(
            database: database, passphraseFile: passphraseFile, parameters: KDFOptions.testParameters ?? .default, signers: PayloadSigners.all)
    }

    static func reachable(_ ledger: any LedgerStore, _ name: String) async -> String? {
        do {
            _ = try await ledger.asset("ready")
            return nil
        } catch {
            return "\(name) is unreachable: \(String(describing: error).prefix(200))"
        }
    }
}

struct ServiceStorageOptions: ParsableArguments {
    @Option(help: "Data directory for the embedded SQLite database (default: $COFFER_DATA_DIR, else ~/.local/share/coffer).")
    var dataDir: String?

    @Option(help: "PostgreSQL instead of the embedded database: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (default: $COFFER_DATABASE_URL).")
    var database: String?

    func open() async throws -> ServiceStorage.Opened {
        try await ServiceStorage.open(dataDir: dataDir, database: database ?? ProcessInfo.processInfo.environment["COFFER_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 })
    }
}
