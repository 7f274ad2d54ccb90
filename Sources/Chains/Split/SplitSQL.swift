import CofferBase
public import CofferStorage

/// What a split rule is set on: a ledger account (every payment credited to it) or an invoice
/// (the payments to its address, in place of its account's rule).
public enum SplitTargetKind: String, Sendable, CaseIterable {
    case account, invoice
}

/// A split rule as stored, with what it is set on.
public struct StoredSplitRule: Sendable, Equatable {
    public let kind: SplitTargetKind
    /// The stored account id, or the invoice id.
    public let target: String
    public let scope: String
    /// The account payments are credited to: the target account, or the invoice's account.
    public let account: String
    public let asset: String
    public let rule: SplitRule
    /// Seconds since 1970.
    public let updatedAt: Int64

    public init(kind: SplitTargetKind, target: String, scope: String, account: String, asset: String, rule: SplitRule, updatedAt: Int64) {
        self.kind = kind
        self.target = target
        self.scope = scope
        self.account = account
        self.asset = asset
        self.rule = rule
        self.updatedAt = updatedAt
    }
}

/// A part of a split credit that moved money: the transfer from the credited account to the
/// recipient. Kept so that a reversal undoes exactly these, whatever the rule says by then.
public struct AppliedSplitPart: Sendable, Equatable {
    public let creditID: String
    public let position: Int
    public let account: String
    public let amount: UInt128
    public let transferID: String
}

/// Split rules and applied split parts, in either database.
public enum SplitSQL {
    static let columns = "kind, target, scope, account, asset, recipients, updated_at"

    static func rule(_ row: any SQLRow) throws -> StoredSplitRule {
        let kind = try row.text(0)
        guard let parsed = SplitTargetKind(rawValue: kind) else { throw StorageError.corrupt("split rule kind \(kind)") }
        let recipients: SplitRule
        do { recipients = try SplitRule(json: try JSONValue(parsing: try row.text(5))) } catch {
            throw StorageError.corrupt("split rule of \(try row.text(1)): \(error)")
        }
        return StoredSplitRule(kind: parsed, target: try row.text(1), scope: try row.text(2), account: try row.text(3), asset: try row.text(4),
                               rule: recipients, updatedAt: try row.int64(6))
    }

    /// Sets (or replaces) the rule of its target.
    public static func put(_ rule: StoredSplitRule, on connection: any SQLConnection) throws {
        _ = try connection.execute("""
            INSERT INTO split_rules (\(raw: columns))
            VALUES (\(rule.kind.rawValue), \(rule.target), \(rule.scope), \(rule.account), \(rule.asset), \(rule.rule.json.text), \(rule.updatedAt))
            ON CONFLICT (target, kind) DO UPDATE SET scope = excluded.scope, account = excluded.account, asset = excluded.asset,
                recipients = excluded.recipients, updated_at = excluded.updated_at
            """)
    }

    public static func rule(_ kind: SplitTargetKind, _ target: String, on connection: any SQLConnection) throws -> StoredSplitRule? {
        try connection.queryOne("SELECT \(raw: columns) FROM split_rules WHERE target = \(target) AND kind = \(kind.rawValue)", rule)
    }

    /// Removes the rule of a target; false when it had none.
    public static func delete(_ kind: SplitTargetKind, _ target: String, on connection: any SQLConnection) throws -> Bool {
        try connection.execute("DELETE FROM split_rules WHERE target = \(target) AND kind = \(kind.rawValue)") == 1
    }

    /// The rules set on any of `accounts` and `invoices`, by kind and target: a few statements
    /// for a whole block's credits (the targets' primary key probed with `IN` lists).
    static func rules(accounts: Set<String>, invoices: Set<String>, on connection: any SQLConnection) throws -> [SplitTargetKind: [String: StoredSplitRule]] {
        var found: [SplitTargetKind: [String: StoredSplitRule]] = [:]
        try ChainSyncSQL.inLists(Array(accounts.union(invoices))) { list in
            for stored in try connection.query("SELECT \(raw: columns) FROM split_rules WHERE target IN \(list: list)", rule)
            where stored.kind == .account ? accounts.contains(stored.target) : invoices.contains(stored.target) {
                found[stored.kind, default: [:]][stored.target] = stored
            }
        }
        return found
    }

    /// Records the parts of a credit that moved money, in the transaction of the credit.
    static func record(_ parts: [AppliedSplitPart], on connection: any SQLConnection) throws {
        for part in parts {
            _ = try connection.execute("""
                INSERT INTO chain_deposit_splits (credit_id, part, account, amount, transfer_id)
                VALUES (\(part.creditID), \(Int64(part.position)), \(part.account), \(part.amount), \(part.transferID))
                ON CONFLICT DO NOTHING
                """)
        }
    }

    /// The recorded parts of the credits `creditIDs`, by credit id, in rule order.
    static func parts(creditIDs: Set<String>, on connection: any SQLConnection) throws -> [String: [AppliedSplitPart]] {
        var found: [String: [AppliedSplitPart]] = [:]
        try ChainSyncSQL.inLists(Array(creditIDs)) { list in
            for part in try connection.query("""
                SELECT credit_id, part, account, amount, transfer_id FROM chain_deposit_splits WHERE credit_id IN \(list: list) ORDER BY credit_id, part
                """, {
                    AppliedSplitPart(creditID: try $0.text(0), position: Int(try $0.int64(1)), account: try $0.text(2), amount: try $0.amount(3, "amount"),
                                     transferID: try $0.text(4))
                }) {
                found[part.creditID, default: []].append(part)
            }
        }
        return found
    }
}
