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

extension SigningResult {
    /// The result's wire members by name, as clients see them.
    var wire: [String: String] { Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0.value) }) }
}

extension SigningStore {
    /// Sets the vault-wide policy (tests).
    func setTestPolicy(_ document: String) throws {
        _ = try setPolicy(document: document, actor: "test", audit: AuditEvent(actor: "test", action: "policy.set", subject: "policy", outcome: "ok"),
                          at: VaultClock.format(Date()))
    }
}

/// SplitMix64: the random choices of one property-test case, seeded by the property framework so
/// a failure replays from its seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
