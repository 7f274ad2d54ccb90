import CofferStorage
import Foundation
import GRDB
import Vault
import WalletCore

/// A fresh vault in a temporary SQLite database, with fast (insecure) KDF parameters.
struct TemporaryVault {
    let directory: URL
    let database: CofferDatabase
    let vault: Vault
    static let passphrase = SecretBytes(Array("correct horse battery".utf8))

    init(initialize: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-vault-\(UUID().uuidString)")
        database = try CofferDatabase(directory: DataDirectory(explicit: directory.path), migrations: VaultMigrations.all + SigningStore.migrations)
        vault = Vault(store: SQLiteVaultStore(database: database), actor: "test")
        if initialize { try vault.initialize(passphrase: Self.passphrase, parameters: .insecureTesting) }
    }

    /// Every wallet row as raw column values, to prove that a failed operation changed nothing.
    func snapshot() throws -> [[String: DatabaseValue]] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM vault_wallets ORDER BY id").map { row in
                Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0] as DatabaseValue) })
            } + Row.fetchAll(db, sql: "SELECT * FROM vault_meta").map { row in
                Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0] as DatabaseValue) })
            }
        }
    }

    func auditActions() throws -> [String] {
        try vault.auditRecords().map { "\($0.action):\($0.outcome)" }
    }
}

func secretBytes(_ text: String) -> SecretBytes { SecretBytes(Array(text.utf8)) }

func hex(_ text: String) -> [UInt8] {
    // Test literals; a malformed one is a bug in the test.
    try! Hex.decode(text)
}
