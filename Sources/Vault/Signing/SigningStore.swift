import CofferStorage
import Foundation
import GRDB
import WalletCore

/// A stored signing request and where it stands.
public struct SigningRequestRecord: Sendable, Equatable {
    public enum Status: String, Sendable { case denied, pendingApproval = "pending_approval", approved, signed }
    public let id: String
    public let requestHash: String
    /// The request's canonical JSON text (RFC 8785), exactly what its hash covers.
    public let document: String
    public let walletID: String
    public var status: Status
    public var decision: PolicyDecision
    public var result: SigningResult?
}

/// Policies, approvers, requests and approvals in the embedded database.
public final class SigningStore: Sendable {
    let database: CofferDatabase

    public init(database: CofferDatabase) { self.database = database }

    public static let migrations: [SchemaMigration] = [
        SchemaMigration(domain: "vault", number: 2, name: "signing-policy") { db in
            try db.execute(sql: """
                CREATE TABLE policy_versions (
                    version INTEGER PRIMARY KEY,
                    document TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    actor TEXT NOT NULL
                );
                CREATE TABLE approvers (
                    id TEXT PRIMARY KEY,
                    public_key BLOB NOT NULL UNIQUE,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE signing_requests (
                    id TEXT PRIMARY KEY,
                    request_hash TEXT NOT NULL,
                    document TEXT NOT NULL,
                    wallet_id TEXT NOT NULL,
                    asset TEXT NOT NULL,
                    amount TEXT NOT NULL,
                    status TEXT NOT NULL,
                    decision TEXT NOT NULL,
                    result TEXT,
                    created_at TEXT NOT NULL,
                    signed_at TEXT,
                    signed_unix INTEGER
                );
                CREATE INDEX signing_requests_spend ON signing_requests (wallet_id, asset, status, signed_unix);
                CREATE TABLE approvals (
                    request_id TEXT NOT NULL REFERENCES signing_requests(id),
                    approver_id TEXT NOT NULL REFERENCES approvers(id),
                    signature BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (request_id, approver_id)
                );
                """)
        },
        // A wallet's own policy (set over the HTTP API): when a wallet has one, it replaces the
        // vault-wide policy for that wallet's requests; versions are kept like the vault-wide ones.
        SchemaMigration(domain: "vault", number: 3, name: "wallet-policies") { db in
            try db.execute(sql: """
                CREATE TABLE wallet_policy_versions (
                    wallet_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    document TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    PRIMARY KEY (wallet_id, version)
                ) WITHOUT ROWID;
                """)
        },
    ]

    // MARK: policy

    public func setPolicy(document: String, actor: String, audit: AuditEvent, at time: String) throws -> Int {
        try database.pool.write { db in
            let version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM policy_versions") ?? 0) + 1
            try db.execute(sql: "INSERT INTO policy_versions (version, document, created_at, actor) VALUES (?, ?, ?, ?)",
                           arguments: [version, document, time, actor])
            var event = audit
            event.detail = "version \(version)"
            try AuditAppender.append(event, at: time, db: db)
            return version
        }
    }

    /// The active policy document and its version; nil when none was ever set.
    public func currentPolicy() throws -> (version: Int, document: String)? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT version, document FROM policy_versions ORDER BY version DESC LIMIT 1")
                .map { ($0["version"], $0["document"]) }
        }
    }

    /// Stores a new version of `walletID`'s own policy, audited in the same transaction.
    public func setWalletPolicy(walletID: String, document: String, actor: String, audit: AuditEvent, at time: String) throws -> Int {
        try database.pool.write { db in
            let version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM wallet_policy_versions WHERE wallet_id = ?", arguments: [walletID]) ?? 0) + 1
            try db.execute(sql: "INSERT INTO wallet_policy_versions (wallet_id, version, document, created_at, actor) VALUES (?, ?, ?, ?, ?)",
                           arguments: [walletID, version, document, time, actor])
            var event = audit
            event.detail = "version \(version)"
            try AuditAppender.append(event, at: time, db: db)
            return version
        }
    }

    /// `walletID`'s own active policy; nil when it has none.
    public func walletPolicy(walletID: String) throws -> (version: Int, document: String, createdAt: String)? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT version, document, created_at FROM wallet_policy_versions WHERE wallet_id = ? ORDER BY version DESC LIMIT 1
                """, arguments: [walletID]).map { ($0["version"], $0["document"], $0["created_at"]) }
        }
    }

    /// The policy that decides `walletID`'s requests: its own when it has one, else the vault-wide one.
    public func policy(forWallet walletID: String) throws -> (version: Int, document: String)? {
        if let own = try walletPolicy(walletID: walletID) { return (own.version, own.document) }
        return try currentPolicy()
    }

    // MARK: approvers

    public func addApprover(id: String, publicKey: [UInt8], audit: AuditEvent, at time: String) throws {
        try database.pool.write { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM approvers WHERE id = ? OR public_key = ?", arguments: [id, Data(publicKey)]) != 0 {
                throw PolicyError("an approver with id \"\(id)\" or this public key is already registered")
            }
            try db.execute(sql: "INSERT INTO approvers (id, public_key, created_at) VALUES (?, ?, ?)", arguments: [id, Data(publicKey), time])
            try AuditAppender.append(audit, at: time, db: db)
        }
    }

    public func approvers() throws -> [(id: String, publicKey: [UInt8])] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, public_key FROM approvers ORDER BY id").map { ($0["id"], [UInt8]($0["public_key"] as Data)) }
        }
    }

    // MARK: requests

    public func request(_ id: String) throws -> SigningRequestRecord? {
        try database.pool.read { db in try Self.request(id, db: db) }
    }

    /// Sum of amounts signed from `walletID` in `asset` since `since` (Unix seconds).
    public func spent(walletID: String, asset: String, since: Int64) throws -> UInt128 {
        try database.pool.read { db in
            let amounts = try String.fetchAll(db, sql: """
                SELECT amount FROM signing_requests WHERE wallet_id = ? AND asset = ? AND status = 'signed' AND signed_unix > ?
                """, arguments: [walletID, asset, since])
            return amounts.reduce(UInt128(0)) { total, text in
                let (sum, overflow) = total.addingReportingOverflow(UInt128(text) ?? 0)
                return overflow ? .max : sum
            }
        }
    }

    /// Inserts a new request with its first decision, unless the id exists (then returns the stored one).
    public func insert(_ record: SigningRequestRecord, asset: String, amount: UInt128, audit: AuditEvent, at time: String) throws -> SigningRequestRecord {
        try database.pool.write { db in
            if let existing = try Self.request(record.id, db: db) { return existing }
            try db.execute(sql: """
                INSERT INTO signing_requests (id, request_hash, document, wallet_id, asset, amount, status, decision, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.id, record.requestHash, record.document, record.walletID, asset, String(amount),
                                 record.status.rawValue, try Self.encode(record.decision), time])
            try AuditAppender.append(audit, at: time, db: db)
            return record
        }
    }

    /// Records an approval (once per approver) and returns the approvers that have approved so far.
    public func addApproval(requestID: String, approverID: String, signature: [UInt8], audit: AuditEvent, at time: String) throws -> (inserted: Bool, approvers: Set<String>) {
        try database.pool.write { db in
            let exists = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM approvals WHERE request_id = ? AND approver_id = ?", arguments: [requestID, approverID]) != 0
            if !exists {
                try db.execute(sql: "INSERT INTO approvals (request_id, approver_id, signature, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [requestID, approverID, Data(signature), time])
                try AuditAppender.append(audit, at: time, db: db)
            }
            return (!exists, Set(try String.fetchAll(db, sql: "SELECT approver_id FROM approvals WHERE request_id = ?", arguments: [requestID])))
        }
    }

    public func approvals(requestID: String) throws -> [(approverID: String, signature: [UInt8])] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT approver_id, signature FROM approvals WHERE request_id = ?", arguments: [requestID])
                .map { ($0["approver_id"], [UInt8]($0["signature"] as Data)) }
        }
    }

    /// Moves a request to a new decision (never away from `signed`).
    public func updateDecision(id: String, status: SigningRequestRecord.Status, decision: PolicyDecision, audit: AuditEvent, at time: String) throws {
        try database.pool.write { db in
            try db.execute(sql: "UPDATE signing_requests SET status = ?, decision = ? WHERE id = ? AND status != 'signed'",
                           arguments: [status.rawValue, try Self.encode(decision), id])
            try AuditAppender.append(audit, at: time, db: db)
        }
    }

    /// Stores the signature exactly once: returns false (and changes nothing) if it was already signed.
    public func markSigned(id: String, result: SigningResult, now: Int64, audit: AuditEvent, at time: String) throws -> Bool {
        let resultText = try CanonicalJSON.text(result.json)
        return try database.pool.write { db in
            try db.execute(sql: """
                UPDATE signing_requests SET status = 'signed', result = ?, signed_at = ?, signed_unix = ?
                WHERE id = ? AND status = 'approved'
                """, arguments: [resultText, time, now, id])
            guard db.changesCount == 1 else { return false }
            try AuditAppender.append(audit, at: time, db: db)
            return true
        }
    }

    static func request(_ id: String, db: Database) throws -> SigningRequestRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM signing_requests WHERE id = ?", arguments: [id]).map { row in
            // The result column holds the result's canonical JSON (SigningResult's wire form).
            let result = (row["result"] as String?).flatMap { text in (try? JSONValue(parsing: text)).flatMap { try? SigningResult(json: $0) } }
            return SigningRequestRecord(
                id: row["id"], requestHash: row["request_hash"], document: row["document"], walletID: row["wallet_id"],
                status: SigningRequestRecord.Status(rawValue: row["status"]) ?? .denied,
                decision: (try? JSONDecoder().decode(PolicyDecision.self, from: Data((row["decision"] as String).utf8)))
                    ?? PolicyDecision(outcome: .denied, rule: "corrupt", reason: "stored decision unreadable", approvalsRequired: 0, approvalsReceived: 0),
                result: result)
        }
    }

    static func encode(_ decision: PolicyDecision) throws -> String {
        String(decoding: try JSONEncoder().encode(decision), as: UTF8.self)
    }
}
