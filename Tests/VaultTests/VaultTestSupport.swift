import CofferBase
import CofferStorage
import CofferTestSupport
import Foundation
import Vault
import WalletCore

/// A fresh vault in a database of its own (a temporary SQLite file unless told otherwise, or a
/// new PostgreSQL database), with fast (insecure) KDF parameters.
struct TemporaryVault {
    /// The vault's database; it keeps a PostgreSQL pool running while the test holds it.
    let storage: TestDatabase
    let vault: Vault
    static let passphrase = SecretBytes(Array("correct horse battery".utf8))

    /// The SQLite database, for tests that tamper with rows through GRDB.
    var database: CofferDatabase { storage.sqlite! }
    var engine: TestEngine { storage.engine }

    init(_ engine: TestEngine = .sqlite, initialize: Bool = true) async throws {
        storage = try await TestDatabase.make(engine, sqlite: VaultMigrations.sqlite, postgres: VaultMigrations.postgres)
        vault = Vault(store: VaultStore(database: storage.database), actor: "test")
        if initialize { try await vault.initialize(passphrase: Self.passphrase, parameters: .insecureTesting) }
    }

    private init(storage: TestDatabase, vault: Vault) {
        self.storage = storage
        self.vault = vault
    }

    /// The same vault opened by another process: its own SQLite connections or PostgreSQL pool.
    func reopened() async throws -> TemporaryVault {
        let again = try await storage.reopened()
        return TemporaryVault(storage: again, vault: Vault(store: VaultStore(database: again.database), actor: "test"))
    }

    /// Every wallet row and the vault's metadata as text (blobs in hex), on either engine, to
    /// prove that a failed operation changed nothing.
    func snapshot() async throws -> [String] {
        try await storage.database.read { connection in
            let wallets = try connection.query("""
                SELECT id, name, kind, curve, origin, summary, created_at, record_version, secret_algorithm, secret_nonce,
                       secret_ciphertext, dek_algorithm, dek_nonce, dek_ciphertext, kek_generation
                FROM vault_wallets ORDER BY id
                """) { row in
                [try row.text(0), try row.text(1), try row.text(2), try row.optionalText(3) ?? "NULL", try row.text(4), try row.text(5),
                 try row.text(6), String(try row.int64(7)), try row.text(8), Hex.encode(try row.blob(9)), Hex.encode(try row.blob(10)),
                 try row.text(11), Hex.encode(try row.blob(12)), Hex.encode(try row.blob(13)), String(try row.int64(14))].joined(separator: "|")
            }
            let meta = try connection.query("""
                SELECT format_version, kdf, kdf_memory_bytes, kdf_iterations, kdf_parallelism, kdf_salt, kek_generation, check_nonce,
                       check_ciphertext, created_at, rotated_at
                FROM vault_meta
                """) { row in
                [String(try row.int64(0)), try row.text(1), String(try row.int64(2)), String(try row.int64(3)), String(try row.int64(4)),
                 Hex.encode(try row.blob(5)), String(try row.int64(6)), Hex.encode(try row.blob(7)), Hex.encode(try row.blob(8)),
                 try row.text(9), try row.optionalText(10) ?? "NULL"].joined(separator: "|")
            }
            return wallets.map { "wallet " + $0 } + meta.map { "meta " + $0 }
        }
    }

    func auditActions() async throws -> [String] {
        try await vault.auditRecords().map { "\($0.action):\($0.outcome)" }
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
    func setTestPolicy(_ document: String) async throws {
        _ = try await setPolicy(document: document, actor: "test", audit: AuditEvent(actor: "test", action: "policy.set", subject: "policy", outcome: "ok"),
                                at: VaultClock.format(Date()))
    }
}

