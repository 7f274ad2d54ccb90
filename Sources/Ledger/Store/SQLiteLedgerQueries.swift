import CofferBase
import CofferStorage
import GRDB

/// The read side of the SQLite store: single transfers, balance history, transfer listings and
/// per-asset totals. Pages are keyset-paginated on (timestamp, id), never OFFSET.
extension SQLiteLedgerStore {
    public func transfer(_ id: LedgerID) async throws -> CommittedTransfer? {
        try await embedded.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.transferColumns) FROM ledger_transfers WHERE id = ?", arguments: [id.value]).map { try LedgerRowDecoding.transfer($0) }
        }
    }

    public func history(of id: LedgerID, limit: Int, after cursor: PageCursor?) async throws -> Page<BalanceHistoryEntry>? {
        let limit = try TransferQuery.validate(limit: limit)
        return try await embedded.pool.read { db in
            guard try Self.account(id, db: db) != nil else { return nil }
            // Timestamps are unique across the ledger, so the (timestamp, id) key reduces to the timestamp.
            let after = cursor.map { Int64(clamping: $0.position) } ?? -1
            let query = Self.historySQL.page
            let values: [Int: any DatabaseValueConvertible] = [1: id.value, 2: after, 3: limit + 1]
            let rows = try Row.fetchAll(db.cachedStatement(sql: query.sql), arguments: Self.arguments(query.parameters, values))
            let entries = try rows.prefix(limit).map { row throws in try LedgerRowDecoding.historyEntry(of: id, row) }
            return Page(items: entries, nextCursor: rows.count > limit ? entries.last?.cursor : nil)
        }
    }

    public func transfers(_ query: TransferQuery) async throws -> Page<CommittedTransfer> {
        let limit = try TransferQuery.validate(limit: query.limit)
        if let reference = query.reference, reference.isEmpty { throw LedgerError("the reference to search for is empty") }
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let reference = query.reference {
            conditions.append("reference = ? AND reference <> ''")
            arguments.append(reference)
        }
        if let scope = query.scope {
            // The namespace's ids sort between "<name>/" and "<name>0" ('0' follows '/').
            conditions.append("id >= ? AND id < ?")
            arguments += [scope.prefix, scope.tenantID + "0"]
        }
        if let from = query.from {
            conditions.append("timestamp >= ?")
            arguments.append(Int64(clamping: from))
        }
        if let to = query.to {
            conditions.append("timestamp < ?")
            arguments.append(Int64(clamping: to))
        }
        if let cursor = query.cursor {
            conditions.append("timestamp >= ? AND (timestamp > ? OR id > ?)")
            arguments += [Int64(clamping: cursor.position), Int64(clamping: cursor.position), cursor.key]
        }
        let sql: String
        var all: [(any DatabaseValueConvertible)?]
        if let account = query.account {
            // One index range per side (debit, credit), each already in timestamp order and limited, then merged.
            func side(_ column: String) -> String {
                "SELECT * FROM (SELECT \(Self.transferColumns) FROM ledger_transfers WHERE " + (["\(column) = ?"] + conditions).joined(separator: " AND ")
                    + " ORDER BY timestamp, id LIMIT ?)"
            }
            sql = "\(side("debit_account_id")) UNION ALL \(side("credit_account_id")) ORDER BY timestamp, id LIMIT ?"
            all = [account.value] + arguments + [limit + 1]
            all += [account.value] + arguments + [limit + 1]
            all.append(limit + 1)
        } else {
            sql = "SELECT \(Self.transferColumns) FROM ledger_transfers" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
                + " ORDER BY timestamp, id LIMIT ?"
            all = arguments + [limit + 1]
        }
        let statementArguments = StatementArguments(all)
        return try await embedded.pool.read { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: statementArguments)
            let transfers = try rows.prefix(limit).map { try LedgerRowDecoding.transfer($0) }
            let next = rows.count > limit ? transfers.last.map { PageCursor(position: $0.timestamp, key: $0.id.value) } : nil
            return Page(items: transfers, nextCursor: next)
        }
    }

    public func totals() async throws -> [AssetTotals] {
        try await embedded.pool.read { db in
            var sums: [String: [LedgerSum]] = [:]
            for code in try String.fetchAll(db, sql: "SELECT code FROM ledger_assets") { sums[code] = Array(repeating: LedgerSum(), count: 4) }
            for row in try Row.fetchAll(db, sql: """
                SELECT a.asset, b.debits_pending, b.debits_posted, b.credits_pending, b.credits_posted
                FROM ledger_accounts a JOIN ledger_account_balances b ON b.account_id = a.id
                """) {
                let asset: String = row["asset"]
                let balances = try LedgerRowDecoding.balances(row, at: 1)
                var sum = sums[asset] ?? Array(repeating: LedgerSum(), count: 4)
                sum[0].add(balances.debitsPosted)
                sum[1].add(balances.creditsPosted)
                sum[2].add(balances.debitsPending)
                sum[3].add(balances.creditsPending)
                sums[asset] = sum
            }
            return sums.sorted { $0.key < $1.key }.map { asset, sum in
                AssetTotals(asset: asset, debitsPosted: sum[0], creditsPosted: sum[1], debitsPending: sum[2], creditsPending: sum[3])
            }
        }
    }
}
