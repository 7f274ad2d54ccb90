import CofferStorage
import Foundation
import Ledger
import PostgresNIO

/// The PostgreSQL store on a scratch database that `coffer bench ledger --postgres URL` creates on
/// the server at URL and drops afterwards. The floor inserts the rows with one `unnest` statement
/// (the fastest plain SQL insert; one statement per row would mostly time network round trips)
/// into a copy of `ledger_transfers` (`LIKE … INCLUDING ALL`: same columns, checks and indexes).
final class PostgresLedgerBenchBackend: LedgerBenchBackend {
    let name: String
    let server: PostgresPool
    let scratch: String
    let database: PostgresPool
    /// The pools run for the benchmark's length (a one-shot command has no service group).
    private let runners: [Task<Void, Never>]

    init(serverURL: String) async throws {
        server = try PostgresPool(url: serverURL, maximumConnections: 1)
        try await server.prepare(migrations: [])
        let serverRunner = Task { [server] in _ = try? await server.run() }
        scratch = "coffer_bench_\(getpid())"
        _ = try await server.rows(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(scratch)"), "dropping an old bench database")
        _ = try await server.rows(PostgresQuery(unsafeSQL: "CREATE DATABASE \(scratch)"), "creating the bench database")
        let location = server.location
        database = try PostgresPool(url: location.url(database: scratch), maximumConnections: 8)
        try await database.prepare(migrations: PostgresLedgerMigrations.all)
        runners = [serverRunner, Task { [database] in _ = try? await database.run() }]
        name = "PostgreSQL \(location.host):\(location.port) (synchronous_commit as configured on the server)"
    }

    func makeStore(asset: Asset, accounts: [Account]) async throws -> any LedgerStore {
        let store = PostgresLedgerStore(database: database)
        _ = try await store.createAsset(asset)
        _ = try await database.rows("""
            INSERT INTO ledger_accounts (id, asset, owner, code, metadata, flags, timestamp)
            SELECT u.id, \(asset.code), '', 0, '', 0, 0 FROM unnest(\(accounts.map(\.id.value))::text[]) AS u(id)
            """, "creating bench accounts")
        _ = try await database.rows("""
            INSERT INTO ledger_account_balances (account_id, debits_pending, debits_posted, credits_pending, credits_posted)
            SELECT u.id, 0, 0, 0, 0 FROM unnest(\(accounts.map(\.id.value))::text[]) AS u(id)
            """, "creating bench balances")
        _ = try await database.rows("CREATE TABLE bench_floor_transfers (LIKE ledger_transfers INCLUDING ALL)", "creating the floor table")
        return store
    }

    func rawInsertFloor(rows: [BenchTransferRow]) async throws -> Duration {
        try await database.transaction("the floor insert") { connection in
            let head = try await connection.rows("""
                SELECT COALESCE((SELECT MAX(seq) FROM ledger_batches), 0), COALESCE((SELECT MAX(timestamp) FROM bench_floor_transfers), 0)
                """)
            guard let row = head.first else { throw CLIError("PostgreSQL returned no bench head") }
            let (batch, after) = try row.decode((Int64, Int64).self)
            let clock = ContinuousClock()
            let start = clock.now
            try await connection.execute("""
                INSERT INTO bench_floor_transfers (id, batch, debit_account_id, credit_account_id, asset, amount, request_debit_account_id,
                    request_credit_account_id, request_asset, request_amount, flags, pending_id, timeout, code, reference, metadata,
                    timestamp, expires_at, \(unescaped: BenchTransferRow.balanceColumns))
                SELECT u.id, \(batch), u.debit, u.credit, u.asset, u.amount::numeric, u.debit, u.credit, u.asset, u.amount::numeric,
                    0, NULL, 0, 0, '', '', \(after) + u.n, NULL, 0, u.amount::numeric, 0, 0, 0, 0, 0, u.amount::numeric
                FROM unnest(\(rows.map(\.id))::text[], \(rows.map(\.debit))::text[], \(rows.map(\.credit))::text[],
                            \(rows.map(\.asset))::text[], \(rows.map(\.amount))::text[]) WITH ORDINALITY AS u(id, debit, credit, asset, amount, n)
                """)
            // The durable COMMIT is part of the floor; the empty transaction after it is what the
            // surrounding `transaction` commits.
            try await connection.execute("COMMIT")
            try await connection.execute("BEGIN")
            return clock.now - start
        }
    }

    /// Drops the scratch database.
    func remove() async {
        runners[1].cancel()
        _ = try? await server.rows(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(scratch) WITH (FORCE)"), "dropping the bench database")
        runners[0].cancel()
    }
}
