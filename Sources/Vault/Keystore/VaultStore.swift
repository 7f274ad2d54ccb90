import CofferBase
public import CofferStorage
public import Foundation
import WalletCore

/// The vault's persistent state in either database, written once against `SQLDatabase`: every
/// mutating call is one transaction that appends its audit record, and `insert` can carry another
/// store's write in the same transaction. On PostgreSQL, vault writes serialise on an advisory
/// lock (the audit chain needs one total order across processes); SQLite's single writer already
/// gives one.
public struct VaultStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    public func meta() async throws -> VaultMeta? {
        try await database.read { connection in try Self.meta(on: connection) }
    }

    static func meta(on connection: any SQLConnection) throws -> VaultMeta? {
        try connection.queryOne("""
            SELECT format_version, kdf_memory_bytes, kdf_iterations, kdf_parallelism, kdf_salt, kek_generation, check_nonce,
                   check_ciphertext, created_at, rotated_at
            FROM vault_meta WHERE id = 1
            """) { row in
            VaultMeta(
                formatVersion: Int(try row.int64(0)),
                parameters: Argon2idParameters(
                    memoryBytes: UInt64(clamping: try row.int64(1)), iterations: UInt64(clamping: try row.int64(2)),
                    parallelism: UInt32(clamping: try row.int64(3))),
                salt: try row.blob(4), kekGeneration: try row.int64(5),
                check: Envelope.Sealed(nonce: try row.blob(6), ciphertext: try row.blob(7)),
                createdAt: try row.text(8), rotatedAt: try row.optionalText(9))
        }
    }

    /// Fails with `VaultError.alreadyInitialized` if a vault exists.
    public func initialize(_ meta: VaultMeta, audit: AuditEvent, at time: String) async throws {
        try await database.write { connection in
            try connection.serialize(on: AuditLog.lockKey)
            guard try Self.meta(on: connection) == nil else { throw VaultError.alreadyInitialized }
            try connection.execute("""
                INSERT INTO vault_meta (id, format_version, kdf, kdf_memory_bytes, kdf_iterations, kdf_parallelism, kdf_salt,
                    kek_generation, check_nonce, check_ciphertext, created_at, rotated_at)
                VALUES (1, \(meta.formatVersion), 'argon2id', \(Int64(clamping: meta.parameters.memoryBytes)), \(Int64(clamping: meta.parameters.iterations)),
                    \(Int64(meta.parameters.parallelism)), \(meta.salt), \(meta.kekGeneration), \(meta.check.nonce), \(meta.check.ciphertext),
                    \(meta.createdAt), \(meta.rotatedAt))
                """)
            try AuditLog.append(audit, at: time, on: connection)
        }
    }

    static let walletColumns = """
        id, name, kind, curve, origin, summary, created_at, record_version, secret_nonce, secret_ciphertext, dek_nonce, dek_ciphertext, kek_generation
        """

    static func wallet(_ row: any SQLRow) throws -> StoredWallet {
        StoredWallet(
            id: try row.text(0), name: try row.text(1), rawKind: try row.text(2), curve: try row.optionalText(3),
            origin: try row.text(4), summary: try row.text(5), createdAt: try row.text(6), recordVersion: Int(try row.int64(7)),
            secret: Envelope.Sealed(nonce: try row.blob(8), ciphertext: try row.blob(9)),
            dek: Envelope.Sealed(nonce: try row.blob(10), ciphertext: try row.blob(11)),
            kekGeneration: try row.int64(12))
    }

    public func wallets() async throws -> [StoredWallet] {
        try await database.read { connection in
            try connection.query("SELECT \(raw: Self.walletColumns) FROM vault_wallets ORDER BY created_at, id", Self.wallet)
        }
    }

    /// By id or by name.
    public func wallet(_ reference: String) async throws -> StoredWallet? {
        try await database.read { connection in try Self.wallet(reference, on: connection) }
    }

    static func wallet(_ reference: String, on connection: any SQLConnection) throws -> StoredWallet? {
        try connection.queryOne("""
            SELECT \(raw: walletColumns) FROM vault_wallets WHERE id = \(reference) OR name = \(reference)
            ORDER BY CASE WHEN id = \(reference) THEN 0 ELSE 1 END LIMIT 1
            """, wallet)
    }

    /// Stores a new wallet and its audit record, then runs `alongside` in the same transaction
    /// (an owner's registry row that must exist exactly when the wallet does); if it throws,
    /// nothing is stored. Fails with `VaultError.rotatedSinceUnlock` unless the wallet's data key
    /// is sealed under the vault's current key generation: a wallet sealed by a handle unlocked
    /// before a rotation could never be opened again.
    public func insert(
        _ wallet: StoredWallet, audit: AuditEvent, at time: String, alongside: @escaping @Sendable (any SQLConnection) throws -> Void
    ) async throws {
        try await database.write { connection in
            try connection.serialize(on: AuditLog.lockKey)
            let generation = try connection.queryOne("SELECT kek_generation FROM vault_meta WHERE id = 1") { try $0.int64(0) }
            guard let generation else { throw VaultError.notInitialized }
            guard generation == wallet.kekGeneration else { throw VaultError.rotatedSinceUnlock }
            if try connection.queryOne("SELECT 1 FROM vault_wallets WHERE name = \(wallet.name)", { _ in true }) != nil {
                throw VaultError.nameTaken(wallet.name)
            }
            do {
                try connection.execute("""
                    INSERT INTO vault_wallets (id, name, kind, curve, origin, summary, created_at, record_version,
                        secret_algorithm, secret_nonce, secret_ciphertext, dek_algorithm, dek_nonce, dek_ciphertext, kek_generation)
                    VALUES (\(wallet.id), \(wallet.name), \(wallet.rawKind), \(wallet.curve), \(wallet.origin), \(wallet.summary), \(wallet.createdAt),
                        \(wallet.recordVersion), \(Envelope.algorithm), \(wallet.secret.nonce), \(wallet.secret.ciphertext),
                        \(Envelope.algorithm), \(wallet.dek.nonce), \(wallet.dek.ciphertext), \(wallet.kekGeneration))
                    """)
            } catch let error as StorageError where error.kind == .uniqueViolation {
                throw VaultError.nameTaken(wallet.name)
            }
            try AuditLog.append(audit, at: time, on: connection)
            try alongside(connection)
        }
    }

    /// Replaces the metadata, every wallet's wrapped data key and every service key in ONE
    /// transaction: after a crash either the old or the new key-encryption key opens everything.
    /// Fails with `VaultError.concurrentRotation` unless the stored generation is `meta.kekGeneration - 1`.
    public func rotate(
        to meta: VaultMeta, audit: AuditEvent, at time: String,
        rewrap: @escaping @Sendable (StoredWallet) throws -> Envelope.Sealed,
        rewrapServiceKey: @escaping @Sendable (StoredServiceKey) throws -> Envelope.Sealed
    ) async throws {
        try await database.write { connection in
            try connection.serialize(on: AuditLog.lockKey)
            // Another rotation may have committed since this one unlocked the vault.
            let current = try connection.queryOne("SELECT kek_generation FROM vault_meta WHERE id = 1") { try $0.int64(0) }
            guard current == meta.kekGeneration - 1 else { throw VaultError.concurrentRotation }
            for wallet in try connection.query("SELECT \(raw: Self.walletColumns) FROM vault_wallets", Self.wallet) {
                let dek = try rewrap(wallet)
                try connection.execute("""
                    UPDATE vault_wallets SET dek_nonce = \(dek.nonce), dek_ciphertext = \(dek.ciphertext), kek_generation = \(meta.kekGeneration)
                    WHERE id = \(wallet.id)
                    """)
            }
            for stored in try connection.query("SELECT \(raw: Self.serviceKeyColumns) FROM vault_service_keys", Self.serviceKey) {
                let key = try rewrapServiceKey(stored)
                try connection.execute("""
                    UPDATE vault_service_keys SET key_nonce = \(key.nonce), key_ciphertext = \(key.ciphertext), kek_generation = \(meta.kekGeneration)
                    WHERE purpose = \(stored.purpose)
                    """)
            }
            try connection.execute("""
                UPDATE vault_meta SET format_version = \(meta.formatVersion), kdf = 'argon2id',
                    kdf_memory_bytes = \(Int64(clamping: meta.parameters.memoryBytes)), kdf_iterations = \(Int64(clamping: meta.parameters.iterations)),
                    kdf_parallelism = \(Int64(meta.parameters.parallelism)), kdf_salt = \(meta.salt), kek_generation = \(meta.kekGeneration),
                    check_nonce = \(meta.check.nonce), check_ciphertext = \(meta.check.ciphertext), created_at = \(meta.createdAt),
                    rotated_at = \(meta.rotatedAt)
                WHERE id = 1
                """)
            try AuditLog.append(audit, at: time, on: connection)
        }
    }

    // MARK: Service keys

    static let serviceKeyColumns = "purpose, record_version, key_nonce, key_ciphertext, kek_generation, created_at"

    static func serviceKey(_ row: any SQLRow) throws -> StoredServiceKey {
        StoredServiceKey(
            purpose: try row.text(0), recordVersion: Int(try row.int64(1)),
            key: Envelope.Sealed(nonce: try row.blob(2), ciphertext: try row.blob(3)), kekGeneration: try row.int64(4), createdAt: try row.text(5))
    }

    /// The sealed service key for `purpose`, if one was made.
    public func serviceKey(_ purpose: String) async throws -> StoredServiceKey? {
        try await database.read { connection in
            try connection.queryOne("SELECT \(raw: Self.serviceKeyColumns) FROM vault_service_keys WHERE purpose = \(purpose)", Self.serviceKey)
        }
    }

    /// Stores a new service key and its audit record; false (nothing written) when `purpose` has
    /// one already (another process made it first). Fails with `VaultError.rotatedSinceUnlock`
    /// unless the key is sealed under the vault's current key generation.
    public func insert(_ key: StoredServiceKey, audit: AuditEvent, at time: String) async throws -> Bool {
        try await database.write { connection in
            try connection.serialize(on: AuditLog.lockKey)
            let generation = try connection.queryOne("SELECT kek_generation FROM vault_meta WHERE id = 1") { try $0.int64(0) }
            guard let generation else { throw VaultError.notInitialized }
            guard generation == key.kekGeneration else { throw VaultError.rotatedSinceUnlock }
            let inserted = try connection.execute("""
                INSERT INTO vault_service_keys (\(raw: Self.serviceKeyColumns))
                VALUES (\(key.purpose), \(key.recordVersion), \(key.key.nonce), \(key.key.ciphertext), \(key.kekGeneration), \(key.createdAt))
                ON CONFLICT DO NOTHING
                """) == 1
            if inserted { try AuditLog.append(audit, at: time, on: connection) }
            return inserted
        }
    }

    public func appendAudit(_ event: AuditEvent, at time: String) async throws {
        try await database.write { connection in try AuditLog.append(event, at: time, on: connection) }
    }

    public func auditRecords() async throws -> [AuditRecord] {
        try await database.read { connection in try AuditLog.records(on: connection) }
    }

    /// Up to `limit` records after `seq` that `selection` admits, in order, selected by the
    /// database (one page must not load the whole log).
    public func auditRecords(after seq: Int64, limit: Int, selecting selection: AuditSelection) async throws -> [AuditRecord] {
        try await database.read { connection in try AuditLog.records(after: seq, limit: limit, selecting: selection, on: connection) }
    }
}

/// The vault-wide record: KDF parameters and salt, and a value sealed under the KEK that proves
/// a passphrase right without touching any wallet.
public struct VaultMeta: Sendable, Equatable {
    public var formatVersion: Int
    public var parameters: Argon2idParameters
    public var salt: [UInt8]
    public var kekGeneration: Int64
    public var check: Envelope.Sealed
    public var createdAt: String
    public var rotatedAt: String?

    /// Binds the check value to the parameters it was made with.
    var checkAssociatedData: [UInt8] {
        Array("coffer-vault-v\(formatVersion)|kek-check|\(kekGeneration)|argon2id|\(parameters.memoryBytes)|\(parameters.iterations)|\(parameters.parallelism)|\(Hex.encode(salt))".utf8)
    }
}

/// One wallet row as stored: public columns and two sealed values (secret under its DEK, DEK
/// under the KEK).
public struct StoredWallet: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The kind column exactly as stored (authenticated as stored, so a forged value is detected).
    public var rawKind: String
    public var kind: WalletKind { WalletKind(rawValue: rawKind) ?? .seed }
    public var curve: String?
    public var origin: String
    public var summary: String
    public var createdAt: String
    public var recordVersion: Int
    public var secret: Envelope.Sealed
    public var dek: Envelope.Sealed
    public var kekGeneration: Int64

    var secretAssociatedData: [UInt8] {
        Array("coffer-vault-v\(recordVersion)|secret|\(id)|\(rawKind)|\(curve ?? "")|\(origin)|\(summary)|\(createdAt)|\(Envelope.algorithm)".utf8)
    }

    static func dekAssociatedData(id: String, generation: Int64, recordVersion: Int) -> [UInt8] {
        Array("coffer-vault-v\(recordVersion)|dek|\(id)|\(generation)|\(Envelope.algorithm)".utf8)
    }

    public var info: WalletInfo {
        WalletInfo(id: id, name: name, kind: kind, curve: curve, origin: origin, summary: summary,
                   createdAt: VaultClock.parse(createdAt) ?? Date(timeIntervalSince1970: 0))
    }
}

/// A vault-wide key for one purpose (`webhooks`: the key that seals webhook signing secrets), as
/// stored: 32 random bytes sealed under the KEK like a wallet's data key, re-sealed at rotation.
/// It lets another domain keep secrets that a database dump alone does not reveal.
public struct StoredServiceKey: Sendable, Equatable {
    public var purpose: String
    public var recordVersion: Int
    public var key: Envelope.Sealed
    public var kekGeneration: Int64
    public var createdAt: String

    static func associatedData(purpose: String, generation: Int64, recordVersion: Int) -> [UInt8] {
        Array("coffer-vault-v\(recordVersion)|service-key|\(purpose)|\(generation)|\(Envelope.algorithm)".utf8)
    }
}

/// Timestamps as stored: ISO 8601, UTC, milliseconds.
public enum VaultClock {
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func parse(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
