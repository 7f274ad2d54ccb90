import CofferBase
public import CofferStorage
import Foundation
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

/// Policies, approvers, signing requests and approvals, in either database: one transaction per
/// change, each audited in the same transaction (see `AuditLog`).
public struct SigningStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    // MARK: policy

    public func setPolicy(document: String, actor: String, audit: AuditEvent, at time: String) async throws -> Int {
        try await database.write { connection in
            try connection.serialize(on: AuditLog.lockKey)
            let version = (try connection.queryOne("SELECT MAX(version) FROM policy_versions") { try $0.optionalInt64(0) } ?? nil).map(Int.init) ?? 0
            try connection.execute("""
                INSERT INTO policy_versions (version, document, created_at, actor) VALUES (\(version + 1), \(document), \(time), \(actor))
                """)
            var event = audit
            event.detail = "version \(version + 1)"
            try AuditLog.append(event, at: time, on: connection)
            return version + 1
        }
    }

    /// The active policy document and its version; nil when none was ever set.
    public func currentPolicy() async throws -> (version: Int, document: String)? {
        try await database.read { connection in try Self.currentPolicy(on: connection) }
    }

    static func currentPolicy(on connection: any SQLConnection) throws -> (version: Int, document: String)? {
        try connection.queryOne("SELECT version, document FROM policy_versions ORDER BY version DESC LIMIT 1") { row in
            (Int(try row.int64(0)), try row.text(1))
        }
    }

    /// Stores a new version of `walletID`'s own policy, audited in the same transaction.
    public func setWalletPolicy(walletID: String, document: String, actor: String, audit: AuditEvent, at time: String) async throws -> Int {
        try await database.write { connection in
            try connection.serialize(on: AuditLog.lockKey)
            let version = (try connection.queryOne("SELECT MAX(version) FROM wallet_policy_versions WHERE wallet_id = \(walletID)") {
                try $0.optionalInt64(0)
            } ?? nil).map(Int.init) ?? 0
            try connection.execute("""
                INSERT INTO wallet_policy_versions (wallet_id, version, document, created_at, actor)
                VALUES (\(walletID), \(version + 1), \(document), \(time), \(actor))
                """)
            var event = audit
            event.detail = "version \(version + 1)"
            try AuditLog.append(event, at: time, on: connection)
            return version + 1
        }
    }

    /// `walletID`'s own active policy; nil when it has none.
    public func walletPolicy(walletID: String) async throws -> (version: Int, document: String, createdAt: String)? {
        try await database.read { connection in try Self.walletPolicy(walletID: walletID, on: connection) }
    }

    static func walletPolicy(walletID: String, on connection: any SQLConnection) throws -> (version: Int, document: String, createdAt: String)? {
        try connection.queryOne("""
            SELECT version, document, created_at FROM wallet_policy_versions WHERE wallet_id = \(walletID) ORDER BY version DESC LIMIT 1
            """) { row in (Int(try row.int64(0)), try row.text(1), try row.text(2)) }
    }

    /// The policy that decides `walletID`'s requests: its own when it has one, else the vault-wide one.
    public func policy(forWallet walletID: String) async throws -> (version: Int, document: String)? {
        try await database.read { connection in
            if let own = try Self.walletPolicy(walletID: walletID, on: connection) { return (own.version, own.document) }
            return try Self.currentPolicy(on: connection)
        }
    }

    // MARK: approvers

    public func addApprover(id: String, publicKey: [UInt8], audit: AuditEvent, at time: String) async throws {
        try await database.write { connection in
            try connection.serialize(on: AuditLog.lockKey)
            if try connection.queryOne("SELECT 1 FROM approvers WHERE id = \(id) OR public_key = \(publicKey)", { _ in true }) != nil {
                throw PolicyError(.conflict, "approver-exists", "an approver with id \"\(id)\" or this public key is already registered")
            }
            try connection.execute("INSERT INTO approvers (id, public_key, created_at) VALUES (\(id), \(publicKey), \(time))")
            try AuditLog.append(audit, at: time, on: connection)
        }
    }

    public func approvers() async throws -> [(id: String, publicKey: [UInt8])] {
        try await database.read { connection in
            try connection.query("SELECT id, public_key FROM approvers ORDER BY id") { row in (try row.text(0), try row.blob(1)) }
        }
    }

    // MARK: requests

    public func request(_ id: String) async throws -> SigningRequestRecord? {
        try await database.read { connection in try Self.request(id, on: connection) }
    }

    /// Sum of amounts signed from `walletID` in `asset` since `since` (Unix seconds).
    public func spent(walletID: String, asset: String, since: Int64) async throws -> UInt128 {
        try await database.read { connection in
            try connection.query("""
                SELECT amount FROM signing_requests WHERE wallet_id = \(walletID) AND asset = \(asset) AND status = 'signed' AND signed_unix > \(since)
                """) { try $0.amount(0, "amount") }
            .reduce(UInt128(0)) { total, amount in
                let (sum, overflow) = total.addingReportingOverflow(amount)
                return overflow ? .max : sum
            }
        }
    }

    /// Inserts a new request with its first decision, unless the id exists (then returns the stored one).
    public func insert(_ record: SigningRequestRecord, asset: String, amount: UInt128, audit: AuditEvent, at time: String) async throws -> SigningRequestRecord {
        try await database.write { connection in try Self.insert(record, asset: asset, amount: amount, audit: audit, at: time, on: connection) }
    }

    /// `insert` inside a caller's transaction (a ledger reservation and its signing request commit together).
    public static func insert(
        _ record: SigningRequestRecord, asset: String, amount: UInt128, audit: AuditEvent, at time: String, on connection: any SQLConnection
    ) throws -> SigningRequestRecord {
        try connection.serialize(on: AuditLog.lockKey)
        if let existing = try request(record.id, on: connection) { return existing }
        try connection.execute("""
            INSERT INTO signing_requests (id, request_hash, document, wallet_id, asset, amount, status, decision, created_at)
            VALUES (\(record.id), \(record.requestHash), \(record.document), \(record.walletID), \(asset), \(amount),
                    \(record.status.rawValue), \(try encode(record.decision)), \(time))
            """)
        try AuditLog.append(audit, at: time, on: connection)
        return record
    }

    /// Records an approval (once per approver) and returns the approvers that have approved so far.
    public func addApproval(requestID: String, approverID: String, signature: [UInt8], audit: AuditEvent, at time: String) async throws -> (inserted: Bool, approvers: Set<String>) {
        try await database.write { connection in
            try connection.serialize(on: AuditLog.lockKey)
            let exists = try connection.queryOne(
                "SELECT 1 FROM approvals WHERE request_id = \(requestID) AND approver_id = \(approverID)", { _ in true }) != nil
            if !exists {
                try connection.execute("""
                    INSERT INTO approvals (request_id, approver_id, signature, created_at) VALUES (\(requestID), \(approverID), \(signature), \(time))
                    """)
                try AuditLog.append(audit, at: time, on: connection)
            }
            let approvers = try connection.query("SELECT approver_id FROM approvals WHERE request_id = \(requestID)") { try $0.text(0) }
            return (!exists, Set(approvers))
        }
    }

    public func approvals(requestID: String) async throws -> [(approverID: String, signature: [UInt8])] {
        try await database.read { connection in
            try connection.query("SELECT approver_id, signature FROM approvals WHERE request_id = \(requestID)") { row in
                (try row.text(0), try row.blob(1))
            }
        }
    }

    /// Moves a request to a new decision (never away from `signed`).
    public func updateDecision(id: String, status: SigningRequestRecord.Status, decision: PolicyDecision, audit: AuditEvent, at time: String) async throws {
        try await database.write { connection in
            try connection.serialize(on: AuditLog.lockKey)
            try connection.execute("""
                UPDATE signing_requests SET status = \(status.rawValue), decision = \(try Self.encode(decision)) WHERE id = \(id) AND status <> 'signed'
                """)
            try AuditLog.append(audit, at: time, on: connection)
        }
    }

    /// Stores the signature exactly once: returns false (and changes nothing) if it was already signed.
    public func markSigned(id: String, result: SigningResult, now: Int64, audit: AuditEvent, at time: String) async throws -> Bool {
        let resultText = try CanonicalJSON.text(result.json)
        return try await database.write { connection in
            try connection.serialize(on: AuditLog.lockKey)
            let changed = try connection.execute("""
                UPDATE signing_requests SET status = 'signed', result = \(resultText), signed_at = \(time), signed_unix = \(now)
                WHERE id = \(id) AND status = 'approved'
                """)
            guard changed == 1 else { return false }
            try AuditLog.append(audit, at: time, on: connection)
            return true
        }
    }

    static func request(_ id: String, on connection: any SQLConnection) throws -> SigningRequestRecord? {
        try connection.queryOne("""
            SELECT id, request_hash, document, wallet_id, status, decision, result FROM signing_requests WHERE id = \(id)
            """) { row in
            // The result column holds the result's canonical JSON (SigningResult's wire form).
            let result = try row.optionalText(6).flatMap { text in (try? JSONValue(parsing: text)).flatMap { try? SigningResult(json: $0) } }
            let decision = (try? JSONDecoding.decode(PolicyDecision.self, from: Array(try row.text(5).utf8)))
                ?? PolicyDecision(outcome: .denied, rule: "corrupt", reason: "stored decision unreadable", approvalsRequired: 0, approvalsReceived: 0)
            return SigningRequestRecord(
                id: try row.text(0), requestHash: try row.text(1), document: try row.text(2), walletID: try row.text(3),
                status: SigningRequestRecord.Status(rawValue: try row.text(4)) ?? .denied, decision: decision, result: result)
        }
    }

    static func encode(_ decision: PolicyDecision) throws -> String {
        try JSONEncoding.text(decision)
    }
}
