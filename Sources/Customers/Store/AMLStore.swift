public import CofferStorage
public import Vault

/// An alert as stored: what the scanner found (`AMLAlert`) plus its disposition.
public struct StoredAMLAlert: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case open, dismissed, escalated, reported }

    public let key: String
    public let scope: String
    public let rule: String
    public let customer: String
    public let asset: String
    /// The flagged movements: JSON array of objects with id, direction, amount, time, counterparty.
    public let evidence: String
    public let detail: String
    /// The sum of the flagged movements' amounts.
    public let amount: UInt128
    public let at: Int64
    public var status: Status
    public var dispositionBy: String?
    public var dispositionReason: String?

    public init(key: String, scope: String, rule: String, customer: String, asset: String, evidence: String, detail: String, amount: UInt128,
                at: Int64, status: Status = .open, dispositionBy: String? = nil, dispositionReason: String? = nil) {
        self.key = key
        self.scope = scope
        self.rule = rule
        self.customer = customer
        self.asset = asset
        self.evidence = evidence
        self.detail = detail
        self.amount = amount
        self.at = at
        self.status = status
        self.dispositionBy = dispositionBy
        self.dispositionReason = dispositionReason
    }
}

/// One posted movement of a customer's account, as the AML rules read the ledger.
public struct LedgerMovementRow: Sendable, Equatable {
    public let transferID: String
    public let accountID: String
    public let owner: String
    public let asset: String
    public let amount: UInt128
    /// Nanoseconds since 1970 (the ledger's timestamps).
    public let timestamp: Int64
    public let outgoing: Bool
    /// The payout's destination when the transfer settles a payout.
    public let counterparty: String?
}

extension CustomerStore {
    /// Replaces the screening list `list` of a tenant with `addresses`, in one transaction.
    public func replaceScreeningList(_ list: String, addresses: [String], scope: String, at now: Int64) async throws -> Int {
        try await database.write { connection in
            try connection.execute("DELETE FROM aml_screening WHERE scope = \(scope) AND list = \(list)")
            var count = 0
            for address in Set(addresses).sorted() {
                count += try connection.execute("""
                    INSERT INTO aml_screening (scope, address, list, imported_at) VALUES (\(scope), \(address), \(list), \(now)) ON CONFLICT DO NOTHING
                    """)
            }
            return count
        }
    }

    /// A tenant's screened addresses with the lists that hold them.
    public func screening(scope: String) async throws -> [(address: String, list: String)] {
        try await database.read { connection in
            try connection.query("SELECT address, list FROM aml_screening WHERE scope = \(scope) ORDER BY list, address") { (try $0.text(0), try $0.text(1)) }
        }
    }

    /// The posted movements (not pending holds, not voids) of accounts that name an owner, in
    /// `[from, to)` (nanoseconds), oldest first. `accountPrefix` keeps them to one tenant (its
    /// scope prefix); nil means the operator's own accounts (ids without a scope).
    public func ledgerMovements(accountPrefix: String?, from: Int64, to: Int64) async throws -> [LedgerMovementRow] {
        let scopeFilter: SQL = accountPrefix.map { " AND substr(a.id, 1, CAST(\($0.utf8.count) AS INTEGER)) = \($0)" } ?? " AND a.id NOT LIKE '%/%'"
        return try await database.read { connection in
            var rows: [LedgerMovementRow] = []
            for (side, outgoing) in [("debit_account_id", true), ("credit_account_id", false)] {
                let sql: SQL = """
                    SELECT t.id, a.id, a.owner, t.asset, CAST(t.amount AS TEXT), t.timestamp, p.destination
                    FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.\(raw: side)
                    LEFT JOIN payouts p ON p.id = t.reference
                    WHERE a.owner <> '' AND t.timestamp >= \(from) AND t.timestamp < \(to) AND (t.flags & 10) = 0
                    """ + scopeFilter
                rows += try connection.query(sql) { row in
                    LedgerMovementRow(transferID: try row.text(0), accountID: try row.text(1), owner: try row.text(2), asset: try row.text(3),
                                      amount: try row.amount(4, "transfer amount"), timestamp: try row.int64(5), outgoing: outgoing,
                                      counterparty: try row.optionalText(6))
                }
            }
            return rows.sorted { ($0.timestamp, $0.transferID, $0.outgoing ? 1 : 0) < ($1.timestamp, $1.transferID, $1.outgoing ? 1 : 0) }
        }
    }

    static let alertColumns = "key, scope, rule, customer, asset, evidence, detail, amount, at, status, disposition_by, disposition_reason"

    static func alert(_ row: any SQLRow) throws -> StoredAMLAlert {
        StoredAMLAlert(key: try row.text(0), scope: try row.text(1), rule: try row.text(2), customer: try row.text(3), asset: try row.text(4),
                       evidence: try row.text(5), detail: try row.text(6), amount: try row.amount(7, "alert amount"), at: try row.int64(8),
                       status: StoredAMLAlert.Status(rawValue: try row.text(9)) ?? .open, dispositionBy: try row.optionalText(10),
                       dispositionReason: try row.optionalText(11))
    }

    /// Stores alerts not stored before (by key); returns the keys that are new.
    public func record(_ alerts: [StoredAMLAlert], at now: Int64) async throws -> Set<String> {
        try await database.write { connection in
            var new: Set<String> = []
            for alert in alerts {
                if try connection.execute("""
                    INSERT INTO aml_alerts (key, scope, rule, customer, asset, evidence, detail, amount, at, status, created_at)
                    VALUES (\(alert.key), \(alert.scope), \(alert.rule), \(alert.customer), \(alert.asset), \(alert.evidence), \(alert.detail),
                            \(alert.amount), \(alert.at), 'open', \(now))
                    ON CONFLICT DO NOTHING
                    """) == 1 { new.insert(alert.key) }
            }
            return new
        }
    }

    /// A tenant's alerts with `at` in `[from, to)` (seconds), oldest first.
    public func alerts(scope: String, from: Int64, to: Int64, status: StoredAMLAlert.Status? = nil) async throws -> [StoredAMLAlert] {
        try await database.read { connection in
            let filter: SQL = status.map { " AND status = \($0.rawValue)" } ?? ""
            return try connection.query("""
                SELECT \(raw: Self.alertColumns) FROM aml_alerts WHERE scope = \(scope) AND at >= \(from) AND at < \(to)
                """ + filter + " ORDER BY at, key", Self.alert)
        }
    }

    public func alert(_ key: String) async throws -> StoredAMLAlert? {
        try await database.read { connection in
            try connection.queryOne("SELECT \(raw: Self.alertColumns) FROM aml_alerts WHERE key = \(key)", Self.alert)
        }
    }

    /// Dispositions an alert (any status but `open` is final), with its audit record.
    public func disposition(_ key: String, status: StoredAMLAlert.Status, by actor: String, reason: String, audit: AuditEvent, time: String) async throws -> Bool {
        try await database.write { connection in
            let changed = try connection.execute("""
                UPDATE aml_alerts SET status = \(status.rawValue), disposition_by = \(actor), disposition_reason = \(reason)
                WHERE key = \(key) AND status = 'open'
                """) == 1
            if changed { try AuditLog.append(audit, at: time, on: connection) }
            return changed
        }
    }
}
