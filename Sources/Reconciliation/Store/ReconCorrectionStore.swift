public import CofferStorage

/// A correction of an exception: a ledger transfer (adjusting, or reversing one that should not
/// be there) proposed by one approver and posted only once a second approver approved it.
public struct StoredCorrection: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// Waiting for a second approver.
        case proposed
        /// Approved and committed to the ledger (`result` is the ledger's answer).
        case posted
        /// Approved, but the ledger refused the transfer (`result` says why); nothing moved.
        case failed
        /// Refused by an approver; nothing moved.
        case rejected
    }

    public let id: Int64
    public let exception: String
    /// `adjust` or `reverse`.
    public let kind: String
    /// The ledger transfer as its JSON line (the caller's names).
    public let transfer: String
    public let transferID: String
    public let reason: String
    /// SHA-256 (hex) of the correction's canonical document: what both approvers signed.
    public let hash: String
    public let proposer: String
    public let proposedBy: String
    public let proposedAt: Int64
    public let status: Status
    public let approver: String?
    public let decidedBy: String?
    public let decidedAt: Int64?
    public let result: String?

    public init(id: Int64, exception: String, kind: String, transfer: String, transferID: String, reason: String, hash: String, proposer: String,
                proposedBy: String, proposedAt: Int64, status: Status, approver: String?, decidedBy: String?, decidedAt: Int64?, result: String?) {
        self.id = id
        self.exception = exception
        self.kind = kind
        self.transfer = transfer
        self.transferID = transferID
        self.reason = reason
        self.hash = hash
        self.proposer = proposer
        self.proposedBy = proposedBy
        self.proposedAt = proposedAt
        self.status = status
        self.approver = approver
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.result = result
    }
}

extension ReconStore {
    static let correctionColumns = """
        id, exception, kind, transfer, transfer_id, reason, hash, proposer, proposed_by, proposed_at, status, approver, decided_by, decided_at, result
        """

    static func correction(_ row: any SQLRow) throws -> StoredCorrection {
        let status = try row.text(10)
        guard let parsed = StoredCorrection.Status(rawValue: status) else { throw StorageError.corrupt("correction status \"\(status.prefix(20))\" is unknown") }
        return StoredCorrection(
            id: try row.int64(0), exception: try row.text(1), kind: try row.text(2), transfer: try row.text(3), transferID: try row.text(4),
            reason: try row.text(5), hash: try row.text(6), proposer: try row.text(7), proposedBy: try row.text(8), proposedAt: try row.int64(9),
            status: parsed, approver: try row.optionalText(11), decidedBy: try row.optionalText(12), decidedAt: try row.optionalInt64(13),
            result: try row.optionalText(14))
    }

    /// Stores a proposal and runs `alongside` (its audit record) in the same transaction; returns its id.
    public func propose(scope: String, exception: String, kind: String, transfer: String, transferID: String, reason: String, hash: String,
                        proposer: String, proposedBy: String, at time: Int64,
                        alongside: @escaping @Sendable (any SQLConnection, Int64) throws -> Void) async throws -> Int64 {
        try await database.write { connection in
            guard let id = try connection.queryOne("""
                INSERT INTO recon_corrections (scope, exception, kind, transfer, transfer_id, reason, hash, proposer, proposed_by, proposed_at, status)
                VALUES (\(scope), \(exception), \(kind), \(transfer), \(transferID), \(reason), \(hash), \(proposer), \(proposedBy), \(time), 'proposed')
                RETURNING id
                """, { try $0.int64(0) }) else { throw StorageError.corrupt("a new correction got no id") }
            try alongside(connection, id)
            return id
        }
    }

    public func correction(scope: String, id: Int64) async throws -> StoredCorrection? {
        try await database.read { connection in
            try connection.queryOne("SELECT \(raw: Self.correctionColumns) FROM recon_corrections WHERE scope = \(scope) AND id = \(id)", Self.correction)
        }
    }

    /// The corrections of one exception, or all of the scope's, oldest first.
    public func corrections(scope: String, exception: String?) async throws -> [StoredCorrection] {
        var sql: SQL = "SELECT \(raw: Self.correctionColumns) FROM recon_corrections WHERE scope = \(scope)"
        if let exception { sql = sql + " AND exception = \(exception)" }
        let query = sql + " ORDER BY id"
        return try await database.read { connection in try connection.query(query, Self.correction) }
    }

    /// Moves a proposed correction to `status` on the caller's connection (inside the ledger
    /// commit that posts its transfer, or on its own for a rejection). False when it was no
    /// longer proposed: someone decided first.
    public static func decide(scope: String, id: Int64, status: StoredCorrection.Status, approver: String, decidedBy: String, at time: Int64,
                              result: String?, on connection: any SQLConnection) throws -> Bool {
        try connection.execute("""
            UPDATE recon_corrections SET status = \(status.rawValue), approver = \(approver), decided_by = \(decidedBy), decided_at = \(time), result = \(result)
            WHERE scope = \(scope) AND id = \(id) AND status = 'proposed'
            """) == 1
    }
}
