public import Foundation
public import GRDB
import WalletCore

/// The vault's persistent state, behind a protocol so SQLite (embedded) and, later,
/// PostgreSQL can hold it. Every mutating call is atomic and appends its audit record in the
/// same transaction.
public protocol VaultStore: Sendable {
    func meta() throws -> VaultMeta?
    /// Fails with `VaultError.alreadyInitialized` if a vault exists.
    func initialize(_ meta: VaultMeta, audit: AuditEvent, at time: String) throws
    func wallets() throws -> [StoredWallet]
    /// By id or by name.
    func wallet(_ reference: String) throws -> StoredWallet?
    /// Stores a new wallet and its audit record, then runs `alongside` in the same transaction
    /// (an owner's registry row that must exist exactly when the wallet does); if it throws,
    /// nothing is stored.
    func insert(_ wallet: StoredWallet, audit: AuditEvent, at time: String, alongside: (Database) throws -> Void) throws
    /// Replaces the metadata and every wallet's wrapped data key in ONE transaction: after a
    /// crash either the old or the new key-encryption key opens everything. Fails with
    /// `VaultError.concurrentRotation` unless the stored generation is `meta.kekGeneration - 1`.
    func rotate(
        to meta: VaultMeta, audit: AuditEvent, at time: String,
        rewrap: (StoredWallet) throws -> Envelope.Sealed
    ) throws
    func appendAudit(_ event: AuditEvent, at time: String) throws
    func auditRecords() throws -> [AuditRecord]
    /// Up to `limit` records after `seq` that `selection` admits, in order, selected by the store
    /// (one page must not load the whole log).
    func auditRecords(after seq: Int64, limit: Int, selecting selection: AuditSelection) throws -> [AuditRecord]
}

/// Which audit records a reader may see: those about one of `subjects`, those whose subject starts
/// with `subjectPrefix`, and those whose actor starts with `actorPrefix` (prefixes compare exactly:
/// no pattern characters).
public struct AuditSelection: Sendable, Equatable {
    public var subjects: Set<String>
    public var subjectPrefix: String
    public var actorPrefix: String

    public init(subjects: Set<String>, subjectPrefix: String, actorPrefix: String) {
        self.subjects = subjects
        self.subjectPrefix = subjectPrefix
        self.actorPrefix = actorPrefix
    }

    /// The same rule in Swift (for stores that filter in memory, and for tests).
    public func admits(_ record: AuditRecord) -> Bool {
        subjects.contains(record.subject) || record.subject.hasPrefix(subjectPrefix) || record.actor.hasPrefix(actorPrefix)
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

/// Timestamps as stored: ISO 8601, UTC, milliseconds.
public enum VaultClock {
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func parse(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
