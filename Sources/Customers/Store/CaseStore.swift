public import CofferStorage
public import Vault

/// A customer's appeal (against a refusal, or for a higher limit) and what an operator decided.
public struct CustomerCase: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case open, approved, rejected }

    public let id: String
    public let scope: String
    public let customer: String
    /// `limit_raise` (asks for more) or `appeal` (against a refusal or a KYC rejection).
    public let kind: String
    public let asset: String?
    public let limitKind: LimitKind?
    public let requested: UInt128?
    public let statement: String
    public var status: Status
    public var decidedBy: String?
    public var decisionReason: String?
    /// The approved temporary raise: the limit's new value until `expiresAt`.
    public var raiseAmount: UInt128?
    public var expiresAt: Int64?
    public let createdAt: Int64
    public var decidedAt: Int64?

    public init(id: String, scope: String, customer: String, kind: String, asset: String?, limitKind: LimitKind?, requested: UInt128?,
                statement: String, status: Status = .open, decidedBy: String? = nil, decisionReason: String? = nil, raiseAmount: UInt128? = nil,
                expiresAt: Int64? = nil, createdAt: Int64, decidedAt: Int64? = nil) {
        self.id = id
        self.scope = scope
        self.customer = customer
        self.kind = kind
        self.asset = asset
        self.limitKind = limitKind
        self.requested = requested
        self.statement = statement
        self.status = status
        self.decidedBy = decidedBy
        self.decisionReason = decisionReason
        self.raiseAmount = raiseAmount
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.decidedAt = decidedAt
    }
}

extension CustomerStore {
    static let caseColumns = """
        id, scope, customer, kind, asset, limit_kind, requested, statement, status, decided_by, decision_reason, raise_amount, expires_at, created_at, decided_at
        """

    static func customerCase(_ row: any SQLRow) throws -> CustomerCase {
        func amount(_ index: Int) throws -> UInt128? { row.isNull(index) ? nil : try row.amount(index, "case amount") }
        return CustomerCase(
            id: try row.text(0), scope: try row.text(1), customer: try row.text(2), kind: try row.text(3), asset: try row.optionalText(4),
            limitKind: try row.optionalText(5).flatMap { LimitKind(rawValue: $0) }, requested: try amount(6), statement: try row.text(7),
            status: CustomerCase.Status(rawValue: try row.text(8)) ?? .open, decidedBy: try row.optionalText(9), decisionReason: try row.optionalText(10),
            raiseAmount: try amount(11), expiresAt: try row.optionalInt64(12), createdAt: try row.int64(13), decidedAt: try row.optionalInt64(14))
    }

    /// Opens a case; false when one with this id exists.
    public func open(_ customerCase: CustomerCase, audit: AuditEvent, time: String) async throws -> Bool {
        let c = customerCase
        return try await database.write { connection in
            let inserted = try connection.execute("""
                INSERT INTO customer_cases (id, scope, customer, kind, asset, limit_kind, requested, statement, status, created_at)
                VALUES (\(c.id), \(c.scope), \(c.customer), \(c.kind), \(c.asset), \(c.limitKind?.rawValue), \(c.requested), \(c.statement), 'open', \(c.createdAt))
                ON CONFLICT DO NOTHING
                """) == 1
            if inserted { try AuditLog.append(audit, at: time, on: connection) }
            return inserted
        }
    }

    public func customerCase(_ id: String) async throws -> CustomerCase? {
        try await database.read { connection in
            try connection.queryOne("SELECT \(raw: Self.caseColumns) FROM customer_cases WHERE id = \(id)", Self.customerCase)
        }
    }

    /// A tenant's cases, newest first, optionally only those in `status`.
    public func cases(scope: String, status: CustomerCase.Status?, limit: Int) async throws -> [CustomerCase] {
        try await database.read { connection in
            if let status {
                return try connection.query("""
                    SELECT \(raw: Self.caseColumns) FROM customer_cases WHERE scope = \(scope) AND status = \(status.rawValue)
                    ORDER BY created_at DESC, id LIMIT \(limit)
                    """, Self.customerCase)
            }
            return try connection.query("""
                SELECT \(raw: Self.caseColumns) FROM customer_cases WHERE scope = \(scope) ORDER BY created_at DESC, id LIMIT \(limit)
                """, Self.customerCase)
        }
    }

    /// Decides an open case (compare-and-set on `open`) with its audit record; false when it
    /// was decided meanwhile.
    public func decide(_ decided: CustomerCase, audit: AuditEvent, time: String) async throws -> Bool {
        try await database.write { connection in
            let changed = try connection.execute("""
                UPDATE customer_cases SET status = \(decided.status.rawValue), decided_by = \(decided.decidedBy), decision_reason = \(decided.decisionReason),
                    raise_amount = \(decided.raiseAmount), expires_at = \(decided.expiresAt), decided_at = \(decided.decidedAt)
                WHERE id = \(decided.id) AND status = 'open'
                """) == 1
            if changed {
                try Self.bumpConfig(on: connection)
                try AuditLog.append(audit, at: time, on: connection)
            }
            return changed
        }
    }
}
