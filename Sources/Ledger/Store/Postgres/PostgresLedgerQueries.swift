import CofferStorage
import CofferBase
import Foundation
import PostgresNIO

/// The read side of the PostgreSQL store, with the same semantics as SQLite's: keyset pages on
/// (timestamp, id), never OFFSET. Each read runs in one transaction, so a page or a verification
/// sees one consistent state.
extension PostgresLedgerStore {
    public func transfer(_ id: LedgerID) async throws -> CommittedTransfer? {
        try await pool.rows(PostgresQuery(
            unsafeSQL: "SELECT \(Self.transferColumns) FROM ledger_transfers WHERE id = $1", binds: Self.binds(id.value)
        ), "reading transfer \(id)").first.map { try LedgerRowDecoding.transfer(PostgresRowReader($0)) }
    }

    public func history(of id: LedgerID, limit: Int, after cursor: PageCursor?) async throws -> Page<BalanceHistoryEntry>? {
        let limit = try TransferQuery.validate(limit: limit)
        return try await pool.transaction("reading the history of \(id)") { connection in
            guard try await Self.account(id, connection: connection) != nil else { return nil }
            let after = cursor.map { Int64(clamping: $0.position) } ?? -1
            let rows = try await connection.rows(PostgresQuery(
                unsafeSQL: Self.historySQL.page.sql, binds: Self.binds(id.value, after, Int64(limit + 1))))
            let entries = try rows.prefix(limit).map { row throws in try LedgerRowDecoding.historyEntry(of: id, PostgresRowReader(row)) }
            return Page(items: entries, nextCursor: rows.count > limit ? entries.last?.cursor : nil)
        }
    }

    public func transfers(_ query: TransferQuery) async throws -> Page<CommittedTransfer> {
        let limit = try TransferQuery.validate(limit: query.limit)
        if let reference = query.reference, reference.isEmpty { throw LedgerError("the reference to search for is empty") }
        var binds = PostgresBindings()
        func parameter(_ value: some PostgresThrowingDynamicTypeEncodable) throws -> String {
            try binds.append(value)
            return "$\(binds.count)"
        }
        var conditions: [String] = []
        if let reference = query.reference { conditions.append("reference = \(try parameter(reference)) AND reference <> ''") }
        if let scope = query.scope {
            conditions.append("starts_with(id, \(try parameter(scope.prefix)))")
        }
        if let from = query.from { conditions.append("timestamp >= \(try parameter(Int64(clamping: from)))") }
        if let to = query.to { conditions.append("timestamp < \(try parameter(Int64(clamping: to)))") }
        if let cursor = query.cursor {
            let timestamp = try parameter(Int64(clamping: cursor.position))
            conditions.append("timestamp >= \(timestamp) AND (timestamp > \(timestamp) OR id > \(try parameter(cursor.key)))")
        }
        let limitParameter = try parameter(Int64(limit + 1))
        let sql: String
        if let account = query.account {
            let accountParameter = try parameter(account.value)
            // One index range per side, each in timestamp order and limited, then merged.
            func side(_ column: String) -> String {
                "(SELECT \(Self.transferColumns) FROM ledger_transfers WHERE "
                    + (["\(column) = \(accountParameter)"] + conditions).joined(separator: " AND ")
                    + " ORDER BY timestamp, id LIMIT \(limitParameter))"
            }
            sql = "SELECT * FROM (\(side("debit_account_id")) UNION ALL \(side("credit_account_id"))) s ORDER BY timestamp, id LIMIT \(limitParameter)"
        } else {
            sql = "SELECT \(Self.transferColumns) FROM ledger_transfers" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
                + " ORDER BY timestamp, id LIMIT \(limitParameter)"
        }
        let rows = try await pool.rows(PostgresQuery(unsafeSQL: sql, binds: binds), "listing transfers")
        let transfers = try rows.prefix(limit).map { try LedgerRowDecoding.transfer(PostgresRowReader($0)) }
        let next = rows.count > limit ? transfers.last.map { PageCursor(position: $0.timestamp, key: $0.id.value) } : nil
        return Page(items: transfers, nextCursor: next)
    }

    public func totals() async throws -> [AssetTotals] {
        // NUMERIC sums are exact and cannot overflow; LedgerSum keeps them as UInt128 words.
        let rows = try await pool.rows("""
            SELECT s.code, COALESCE(SUM(b.debits_posted), 0)::text, COALESCE(SUM(b.credits_posted), 0)::text,
                   COALESCE(SUM(b.debits_pending), 0)::text, COALESCE(SUM(b.credits_pending), 0)::text
            FROM ledger_assets s
            LEFT JOIN ledger_accounts a ON a.asset = s.code
            LEFT JOIN ledger_account_balances b ON b.account_id = a.id
            GROUP BY s.code ORDER BY s.code
            """, "summing balances per asset")
        return try rows.map { row in
            let columns = PostgresRowReader(row)
            func sum(_ index: Int) throws -> LedgerSum {
                let text = try columns.text(index)
                guard let sum = LedgerSum(decimal: text) else { throw LedgerError.corrupt("sum \"\(text.prefix(80))\"") }
                return sum
            }
            return AssetTotals(asset: try columns.text(0), debitsPosted: try sum(1), creditsPosted: try sum(2), debitsPending: try sum(3), creditsPending: try sum(4))
        }
    }

    public func verify() async throws -> LedgerVerification {
        try await pool.transaction("verifying the ledger") { connection in
            // One snapshot for every read below.
            try await connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            let balanceColumns = LedgerMigrations.transferBalanceColumns.map { "\($0)::text" }.joined(separator: ", ")
            let transfers = try await connection.rows(PostgresQuery(
                unsafeSQL: "SELECT \(Self.transferColumns), batch, \(balanceColumns) FROM ledger_transfers ORDER BY timestamp"
            )).map { row throws in
                let columns = PostgresRowReader(row)
                return LedgerRecomputation.StoredTransfer(
                    transfer: try LedgerRowDecoding.transfer(columns), batch: try columns.int64(16),
                    balances: TransferBalances(debit: try LedgerRowDecoding.balances(columns, at: 17), credit: try LedgerRowDecoding.balances(columns, at: 21)))
            }
            let outcomes = try await connection.rows(PostgresQuery(unsafeSQL: "SELECT \(Self.outcomeColumns), batch FROM ledger_pending_outcomes ORDER BY timestamp"))
                .map { row throws in let columns = PostgresRowReader(row); return (try LedgerRowDecoding.outcome(columns), try columns.int64(4)) }
            let batches = try await connection.rows("SELECT seq, prev_hash, hash FROM ledger_batches ORDER BY seq").map { row throws in
                let (seq, previous, hash) = try row.decode((Int64, Data, Data).self)
                return LedgerRecomputation.StoredBatch(seq: seq, previousHash: Array(previous), hash: Array(hash))
            }
            let accounts = try await connection.rows(PostgresQuery(unsafeSQL: "SELECT \(Self.accountColumns) FROM \(Self.accountSource) ORDER BY a.id COLLATE \"C\""))
                .map { try LedgerRowDecoding.account(PostgresRowReader($0)) }
            let history = try await connection.rows(PostgresQuery(
                unsafeSQL: "SELECT account_id, timestamp, \(Self.balanceColumns) FROM ledger_balance_history"
            )).map { row throws in
                let columns = PostgresRowReader(row)
                return BalanceChange(
                    accountID: try LedgerRowDecoding.id(columns, 0, "account_id"), timestamp: UInt64(clamping: try columns.int64(1)),
                    balances: try LedgerRowDecoding.balances(columns, at: 2))
            }
            return LedgerRecomputation.verify(transfers: transfers, outcomes: outcomes, batches: batches, accounts: accounts, history: history)
        }
    }
}
