/// The balance-history reads, written once for both stores. Since ledger migration 3 an account's
/// history is the union of three ordered index ranges: its transfers as debit account and as credit
/// account (each transfer row carries both accounts' balances after it) and its expiry rows in
/// `ledger_balance_history`. Each range is limited on its own, then the three are merged.
///
/// Parameters are numbered: 1 the account id, 2 the timestamp bound, 3 the row limit. For a
/// driver that takes positional `?`, `parameters` lists them in the order they appear.
struct LedgerHistorySQL: Sendable {
    /// How the store writes parameter `n` (`$2`, or `?`).
    let parameter: @Sendable (Int) -> String
    /// How the store selects an amount column as decimal text (`x::text`, or `x`).
    let amount: @Sendable (String) -> String

    /// The transfer rows' key (SQLite's rowid alias `seq`; PostgreSQL's rows are keyed by id).
    let transferKey: String

    static let sqlite = LedgerHistorySQL(parameter: { _ in "?" }, amount: { $0 }, transferKey: "seq")
    static let postgres = LedgerHistorySQL(parameter: { "$\($0)" }, amount: { "\($0)::text" }, transferKey: "id")

    private static let balanceNames = ["debits_pending", "debits_posted", "credits_pending", "credits_posted"]

    /// The balances in effect at a time (parameter 2): columns (timestamp, the four balances); no
    /// row when the account had no event by then.
    func balances() -> (sql: String, parameters: [Int]) {
        let sources = ranges(page: false)
        return ("SELECT * FROM (\(sources.sql)) AS events ORDER BY timestamp DESC LIMIT 1", sources.parameters)
    }

    /// A page of history after a timestamp (parameter 2): columns (timestamp, the four balances,
    /// transfer id or NULL, expired pending id or NULL), at most parameter 3 rows in timestamp order.
    func page() -> (sql: String, parameters: [Int]) {
        let sources = ranges(page: true)
        return ("SELECT * FROM (\(sources.sql)) AS events ORDER BY timestamp LIMIT \(parameter(3))", sources.parameters + [3])
    }

    /// Every selected account's balances in effect at a time: columns (id, asset, owner, the
    /// four balances), in id order; zeros for an account with no event by then. Parameters, numbered in
    /// this order: the timestamp bound, the owner (when `owner`), the id range [from, to) (when `range`).
    /// Each account costs three index probes, as in the ledger's balances view.
    func selectedBalances(owner: Bool, range: Bool) -> (sql: String, parameters: [Int]) {
        let columns = Self.balanceNames.map { name in
            "CASE WHEN d.timestamp > coalesce(c.timestamp, -1) AND d.timestamp > coalesce(h.timestamp, -1) THEN \(amount("d.debit_\(name)")) "
                + "WHEN c.timestamp > coalesce(h.timestamp, -1) THEN \(amount("c.credit_\(name)")) "
                + "WHEN h.timestamp IS NOT NULL THEN \(amount("h.\(name)")) ELSE '0' END"
        }
        var conditions = ["1 = 1"], parameters = [1, 1, 1], next = 2
        if owner {
            conditions.append("a.owner = \(parameter(next))")
            parameters.append(next)
            next += 1
        }
        if range {
            conditions.append("a.id >= \(parameter(next)) AND a.id < \(parameter(next + 1))")
            parameters += [next, next + 1]
        }
        let sql = """
            SELECT a.id, a.asset, a.owner, \(columns.joined(separator: ", "))
            FROM ledger_accounts a
            LEFT JOIN ledger_transfers d ON d.\(transferKey) = (
                SELECT \(transferKey) FROM ledger_transfers WHERE debit_account_id = a.id AND timestamp <= \(parameter(1)) ORDER BY timestamp DESC LIMIT 1)
            LEFT JOIN ledger_transfers c ON c.\(transferKey) = (
                SELECT \(transferKey) FROM ledger_transfers WHERE credit_account_id = a.id AND timestamp <= \(parameter(1)) ORDER BY timestamp DESC LIMIT 1)
            LEFT JOIN ledger_balance_history h ON h.account_id = a.id AND h.timestamp = (
                SELECT MAX(timestamp) FROM ledger_balance_history WHERE account_id = a.id AND timestamp <= \(parameter(1)))
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY a.id
            """
        return (sql, parameters)
    }

    private func ranges(page: Bool) -> (sql: String, parameters: [Int]) {
        let (order, comparison, limit) = page ? ("ASC", ">", parameter(3)) : ("DESC", "<=", "1")
        func range(_ name: String, select: String, from: String, account: String, time: String, event: String) -> String {
            """
            SELECT * FROM (SELECT \(select)\(page ? ", \(event)" : "") FROM \(from)
            WHERE \(account) = \(parameter(1)) AND \(time) \(comparison) \(parameter(2))
            ORDER BY \(time) \(order) LIMIT \(limit)) AS \(name)
            """
        }
        let sides = ["debit", "credit"].map { side in
            range("\(side)_side", select: (["timestamp"] + Self.balanceNames.map { amount("\(side)_\($0)") }).joined(separator: ", "),
                  from: "ledger_transfers", account: "\(side)_account_id", time: "timestamp", event: "id AS transfer_id, NULL AS expired_id")
        }
        let expiries = range(
            "expiries", select: (["h.timestamp AS timestamp"] + Self.balanceNames.map { amount("h.\($0)") }).joined(separator: ", "),
            from: "ledger_balance_history h LEFT JOIN ledger_pending_outcomes o ON o.timestamp = h.timestamp AND o.kind = 'expired'",
            account: "h.account_id", time: "h.timestamp", event: "NULL AS transfer_id, o.pending_id AS expired_id")
        let perRange = page ? [1, 2, 3] : [1, 2]
        return ((sides + [expiries]).joined(separator: " UNION ALL "), perRange + perRange + perRange)
    }
}
