import CofferCore
import CofferStorage
import Foundation
import GRDB
import GRDBSQLite
import Ledger

/// A ledger store `coffer bench ledger` measures, and the bare database cost it is compared with.
/// SQLite is the one built in; another store (PostgreSQL) plugs in by implementing this.
protocol LedgerBenchBackend: Sendable {
    /// Shown in the report, e.g. "SQLite (WAL, synchronous=FULL)".
    var name: String { get }
    /// The store under test, holding `asset` and `accounts` (created in bulk: setup, not measured).
    func makeStore(asset: Asset, accounts: [Account]) async throws -> any LedgerStore
    /// The floor: the time to insert `rows` as transfer rows into a table with the schema of the
    /// store's transfer table, in the same database with the same durability settings, in one
    /// transaction through one prepared statement, including the durable commit. Called after
    /// the store committed at least one batch.
    func rawInsertFloor(rows: [BenchTransferRow]) async throws -> Duration
}

/// One transfer row exactly as the floor inserts it: every value already formatted, so the floor
/// times the database alone. Like the ledger's rows it fills the eight balance columns (both
/// accounts' balances after the transfer): the amount as the debit account's posted debits and the
/// credit account's posted credits, zeros elsewhere, about the width of the ledger's own values.
struct BenchTransferRow: Sendable {
    /// The transfer table's balance columns, in the order the floors fill them.
    static let balanceColumns = LedgerMigrations.transferBalanceColumns.joined(separator: ", ")

    let id: String
    let debit: String
    let credit: String
    let asset: String
    let amount: String
}

/// The embedded SQLite store on a scratch data directory.
struct SQLiteLedgerBenchBackend: LedgerBenchBackend {
    let database: CofferDatabase
    let name = "SQLite (WAL, synchronous=FULL)"

    /// The floor's table: `ledger_transfers`' own DDL and indexes (read from the schema, so it
    /// follows migrations) under another name. Append-only triggers are left out; they fire on
    /// UPDATE and DELETE only.
    static let floorTable = "bench_floor_transfers"

    init(directory: String) throws {
        database = try CofferDatabase(directory: DataDirectory(explicit: directory), migrations: CofferStores.sqliteMigrations)
    }

    func makeStore(asset: Asset, accounts: [Account]) async throws -> any LedgerStore {
        let store = SQLiteLedgerStore(database: database)
        _ = try await store.createAsset(asset)
        let results = try await store.createAccounts(accounts)
        guard results.allSatisfy(\.isSuccess) else { throw CLIError("bench setup: creating the accounts failed: \(Set(results.map(\.rawValue)).sorted())") }
        try await database.pool.write { db in
            let ddl = try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master WHERE tbl_name = 'ledger_transfers' AND type IN ('table', 'index') AND sql IS NOT NULL
                ORDER BY type DESC
                """)
            for statement in ddl {
                try db.execute(sql: statement.replacingOccurrences(of: "ledger_transfers", with: Self.floorTable)
                    .replacingOccurrences(of: "CREATE TABLE ", with: "CREATE TABLE IF NOT EXISTS ")
                    .replacingOccurrences(of: "CREATE INDEX ", with: "CREATE INDEX IF NOT EXISTS ")
                    .replacingOccurrences(of: "CREATE UNIQUE INDEX ", with: "CREATE UNIQUE INDEX IF NOT EXISTS "))
            }
        }
        return store
    }

    func rawInsertFloor(rows: [BenchTransferRow]) async throws -> Duration {
        try await database.pool.writeWithoutTransaction { db in
            // Rows reference the last committed batch (the column is a foreign key) and take
            // timestamps after every earlier floor row (the column is unique).
            let batch = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM ledger_batches") ?? 0
            let after = try Int64.fetchOne(db, sql: "SELECT MAX(timestamp) FROM \(Self.floorTable)") ?? 0
            let statement = try db.cachedStatement(sql: """
                INSERT INTO \(Self.floorTable) (id, batch, debit_account_id, credit_account_id, asset, amount, request_debit_account_id,
                    request_credit_account_id, request_asset, request_amount, flags, pending_id, timeout, code, reference, metadata,
                    timestamp, expires_at, \(BenchTransferRow.balanceColumns))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, 0, 0, '', '', ?, NULL, '0', ?, '0', '0', '0', '0', '0', ?)
                """)
            let handle = statement.sqliteStatement
            let clock = ContinuousClock()
            let start = clock.now
            try db.execute(sql: "BEGIN IMMEDIATE")
            do {
                for (index, row) in rows.enumerated() {
                    sqlite3_reset(handle)
                    bindText(handle, 1, row.id)
                    sqlite3_bind_int64(handle, 2, batch)
                    bindText(handle, 3, row.debit)
                    bindText(handle, 4, row.credit)
                    bindText(handle, 5, row.asset)
                    bindText(handle, 6, row.amount)
                    bindText(handle, 7, row.debit)
                    bindText(handle, 8, row.credit)
                    bindText(handle, 9, row.asset)
                    bindText(handle, 10, row.amount)
                    sqlite3_bind_int64(handle, 11, after + 1 + Int64(index))
                    bindText(handle, 12, row.amount)
                    bindText(handle, 13, row.amount)
                    let code = sqlite3_step(handle)
                    guard code == SQLITE_DONE else {
                        throw CLIError("bench floor insert failed: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
                    }
                }
                sqlite3_reset(handle)
                try db.execute(sql: "COMMIT")
            } catch {
                sqlite3_reset(handle)
                try? db.execute(sql: "ROLLBACK")
                throw error
            }
            return clock.now - start
        }
    }

    private func bindText(_ handle: OpaquePointer, _ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) { chars in
                sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count), SQLITE_TRANSIENT)
            }
        }
    }
}

/// SQLite's "copy the bound bytes now" destructor, which the C macro spells as a cast of -1.
let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
