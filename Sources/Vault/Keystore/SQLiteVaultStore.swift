import CofferStorage
import Foundation
import GRDB

/// The vault in Coffer's embedded SQLite database.
public final class SQLiteVaultStore: VaultStore {
    private let database: CofferDatabase

    public init(database: CofferDatabase) {
        self.database = database
    }

    public func meta() throws -> VaultMeta? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM vault_meta WHERE id = 1").map(Self.meta(from:))
        }
    }

    public func initialize(_ meta: VaultMeta, audit: AuditEvent, at time: String) throws {
        try database.pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vault_meta") == 0 else { throw VaultError.alreadyInitialized }
            try Self.save(meta, db: db, insert: true)
            try AuditAppender.append(audit, at: time, db: db)
        }
    }

    public func wallets() throws -> [StoredWallet] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM vault_wallets ORDER BY created_at, id").map(Self.wallet(from:))
        }
    }

    public func wallet(_ reference: String) throws -> StoredWallet? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM vault_wallets WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1",
                             arguments: [reference, reference, reference]).map(Self.wallet(from:))
        }
    }

    public func insert(_ wallet: StoredWallet, audit: AuditEvent, at time: String, alongside: (Database) throws -> Void) throws {
        try database.pool.write { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vault_wallets WHERE name = ?", arguments: [wallet.name]) != 0 {
                throw VaultError("a wallet named \"\(wallet.name)\" already exists; choose another --name")
            }
            try db.execute(sql: """
                INSERT INTO vault_wallets (id, name, kind, curve, origin, summary, created_at, record_version,
                    secret_algorithm, secret_nonce, secret_ciphertext, dek_algorithm, dek_nonce, dek_ciphertext, kek_generation)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    wallet.id, wallet.name, wallet.rawKind, wallet.curve, wallet.origin, wallet.summary, wallet.createdAt,
                    wallet.recordVersion, Envelope.algorithm, Data(wallet.secret.nonce), Data(wallet.secret.ciphertext),
                    Envelope.algorithm, Data(wallet.dek.nonce), Data(wallet.dek.ciphertext), wallet.kekGeneration,
                ])
            try AuditAppender.append(audit, at: time, db: db)
            try alongside(db)
        }
    }

    public func rotate(
        to meta: VaultMeta, audit: AuditEvent, at time: String,
        rewrap: (StoredWallet) throws -> Envelope.Sealed
    ) throws {
        try database.pool.write { db in
            // Another rotation may have committed since this one unlocked the vault.
            let current = try Int64.fetchOne(db, sql: "SELECT kek_generation FROM vault_meta WHERE id = 1")
            guard current == meta.kekGeneration - 1 else { throw VaultError.concurrentRotation }
            let wallets = try Row.fetchAll(db, sql: "SELECT * FROM vault_wallets").map(Self.wallet(from:))
            for wallet in wallets {
                let dek = try rewrap(wallet)
                try db.execute(
                    sql: "UPDATE vault_wallets SET dek_nonce = ?, dek_ciphertext = ?, kek_generation = ? WHERE id = ?",
                    arguments: [Data(dek.nonce), Data(dek.ciphertext), meta.kekGeneration, wallet.id])
            }
            try Self.save(meta, db: db, insert: false)
            try AuditAppender.append(audit, at: time, db: db)
        }
    }

    public func appendAudit(_ event: AuditEvent, at time: String) throws {
        try database.pool.write { db in try AuditAppender.append(event, at: time, db: db) }
    }

    public func auditRecords() throws -> [AuditRecord] {
        try database.pool.read { db in try AuditAppender.records(db: db) }
    }

    public func auditRecords(after seq: Int64, limit: Int, selecting selection: AuditSelection) throws -> [AuditRecord] {
        // Prefixes compare with substr, not LIKE, whose `_` and `%` would match other tenants' ids.
        let subjects = String(decoding: try JSONEncoder().encode(selection.subjects.sorted()), as: UTF8.self)
        return try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM audit_log WHERE seq > ?
                  AND (subject IN (SELECT value FROM json_each(?))
                       OR substr(subject, 1, length(?)) = ? OR substr(actor, 1, length(?)) = ?)
                ORDER BY seq LIMIT ?
                """, arguments: [seq, subjects, selection.subjectPrefix, selection.subjectPrefix,
                                 selection.actorPrefix, selection.actorPrefix, max(0, limit)]).map(AuditAppender.record)
        }
    }

    private static func save(_ meta: VaultMeta, db: Database, insert: Bool) throws {
        let arguments: StatementArguments = [
            meta.formatVersion, "argon2id", Int64(meta.parameters.memoryBytes), Int64(meta.parameters.iterations),
            Int64(meta.parameters.parallelism), Data(meta.salt), meta.kekGeneration, Data(meta.check.nonce),
            Data(meta.check.ciphertext), meta.createdAt, meta.rotatedAt,
        ]
        if insert {
            try db.execute(sql: """
                INSERT INTO vault_meta (id, format_version, kdf, kdf_memory_bytes, kdf_iterations, kdf_parallelism, kdf_salt,
                    kek_generation, check_nonce, check_ciphertext, created_at, rotated_at)
                VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: arguments)
        } else {
            try db.execute(sql: """
                UPDATE vault_meta SET format_version = ?, kdf = ?, kdf_memory_bytes = ?, kdf_iterations = ?, kdf_parallelism = ?,
                    kdf_salt = ?, kek_generation = ?, check_nonce = ?, check_ciphertext = ?, created_at = ?, rotated_at = ?
                WHERE id = 1
                """, arguments: arguments)
        }
    }

    private static func meta(from row: Row) -> VaultMeta {
        VaultMeta(
            formatVersion: row["format_version"],
            parameters: Argon2idParameters(
                memoryBytes: UInt64(clamping: row["kdf_memory_bytes"] as Int64),
                iterations: UInt64(clamping: row["kdf_iterations"] as Int64),
                parallelism: UInt32(clamping: row["kdf_parallelism"] as Int64)),
            salt: [UInt8](row["kdf_salt"] as Data),
            kekGeneration: row["kek_generation"],
            check: Envelope.Sealed(nonce: [UInt8](row["check_nonce"] as Data), ciphertext: [UInt8](row["check_ciphertext"] as Data)),
            createdAt: row["created_at"],
            rotatedAt: row["rotated_at"])
    }

    private static func wallet(from row: Row) -> StoredWallet {
        StoredWallet(
            id: row["id"], name: row["name"], rawKind: row["kind"], curve: row["curve"],
            origin: row["origin"], summary: row["summary"], createdAt: row["created_at"], recordVersion: row["record_version"],
            secret: Envelope.Sealed(nonce: [UInt8](row["secret_nonce"] as Data), ciphertext: [UInt8](row["secret_ciphertext"] as Data)),
            dek: Envelope.Sealed(nonce: [UInt8](row["dek_nonce"] as Data), ciphertext: [UInt8](row["dek_ciphertext"] as Data)),
            kekGeneration: row["kek_generation"])
    }
}

/// Appends to and reads the audit chain inside a caller's transaction.
enum AuditAppender {
    static func append(_ event: AuditEvent, at time: String, db: Database) throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        let seq = (last?["seq"] as Int64? ?? 0) + 1
        let previous = last.map { [UInt8]($0["hash"] as Data) } ?? AuditRecord.genesisHash
        let hash = AuditRecord.computeHash(
            seq: seq, recordedAt: time, actor: event.actor, action: event.action, subject: event.subject,
            requestHash: event.requestHash, outcome: event.outcome, detail: event.detail, previousHash: previous)
        try db.execute(sql: """
            INSERT INTO audit_log (seq, recorded_at, actor, action, subject, request_hash, outcome, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [seq, time, event.actor, event.action, event.subject, event.requestHash, event.outcome,
                             event.detail, Data(previous), Data(hash)])
    }

    static func records(db: Database) throws -> [AuditRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY seq").map(record)
    }

    static func record(_ row: Row) -> AuditRecord {
        AuditRecord(
            seq: row["seq"], recordedAt: row["recorded_at"], actor: row["actor"], action: row["action"],
            subject: row["subject"], requestHash: row["request_hash"], outcome: row["outcome"], detail: row["detail"],
            previousHash: [UInt8](row["prev_hash"] as Data), hash: [UInt8](row["hash"] as Data))
    }
}
