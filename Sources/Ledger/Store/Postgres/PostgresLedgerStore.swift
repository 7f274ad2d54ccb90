import CofferStorage
import CofferBase
public import Foundation
import PostgresNIO

/// The ledger on PostgreSQL, for several Coffer processes sharing one database.
///
/// Each process merges its callers' batches into group commits (as on SQLite); across processes,
/// every commit takes one transaction-scoped advisory lock first, so commits are serialised in a
/// single total order. That order is what the batch hash chain and the unique, increasing commit
/// timestamps need, and one lock cannot deadlock. Commits run at READ COMMITTED, so every read
/// after the lock sees all earlier commits. A result is returned only after COMMIT, which with
/// PostgreSQL's default `synchronous_commit = on` means the WAL is flushed.
public final class PostgresLedgerStore: LedgerStore {
    let pool: PostgresPool
    public var database: any SQLDatabase { pool }
    let clock: @Sendable () -> UInt64
    private let writer: LedgerGroupCommitter
    public let pendingExpirySignal = PendingExpirySignal()

    /// `clock` returns nanoseconds since 1970; tests inject their own to drive expiry.
    public init(database: PostgresPool, clock: @escaping @Sendable () -> UInt64 = SQLiteLedgerStore.systemClock) {
        pool = database
        self.clock = clock
        // The accounts of the last commit, reused by the next if no other process committed since.
        let accounts = LedgerAccountCache()
        writer = LedgerGroupCommitter(clock: clock, signal: pendingExpirySignal) { batches, admissions, companions, now in
            try await PostgresLedgerCommit.commit(batches, admissions: admissions, companions: companions, database: database, now: now, cache: accounts)
        }
    }

    // Columns in `LedgerRowDecoding`'s orders; amounts come back as text (UInt128 has no PostgreSQL type).
    static let transferColumns = """
        id, debit_account_id, credit_account_id, asset, amount::text, request_debit_account_id, request_credit_account_id, \
        request_asset, request_amount::text, flags, pending_id, timeout, code, reference, metadata, timestamp
        """
    static let balanceColumns = "debits_pending::text, debits_posted::text, credits_pending::text, credits_posted::text"
    static let accountColumns = """
        a.id, a.asset, a.owner, a.code, a.metadata, a.flags, a.timestamp, \
        b.debits_pending::text, b.debits_posted::text, b.credits_pending::text, b.credits_posted::text
        """
    static let accountSource = "ledger_accounts a JOIN ledger_account_balances b ON b.account_id = a.id"
    /// The accounts whose ids are in the text array `$1`, as `LedgerRowDecoding.account` reads them.
    static let accountsByID = "SELECT \(accountColumns) FROM \(accountSource) WHERE a.id = ANY($1)"
    static let outcomeColumns = "pending_id, kind, transfer_id, timestamp"

    public func createAsset(_ asset: Asset) async throws -> Bool {
        let now = Int64(clamping: clock())
        return try await pool.transaction("creating asset \(asset.code)") { connection in
            let inserted = try await connection.rows("""
                INSERT INTO ledger_assets (code, decimals, chain, contract, timestamp)
                VALUES (\(asset.code), \(Int16(asset.decimals)), \(asset.chain), \(asset.contract), \(now))
                ON CONFLICT (code) DO NOTHING RETURNING code
                """)
            if !inserted.isEmpty { return true }
            guard let existing = try await Self.asset(asset.code, connection: connection), existing == asset else {
                throw LedgerError(.conflict, "asset-exists", "asset \(asset.code) already exists with other decimals, chain or contract; assets never change")
            }
            return false
        }
    }

    public func asset(_ code: String) async throws -> Asset? {
        try await pool.transaction("reading asset \(code)") { connection in try await Self.asset(code, connection: connection) }
    }

    static func asset(_ code: String, connection: PostgresConnection) async throws -> Asset? {
        guard let row = try await connection.rows("SELECT code, decimals, chain, contract FROM ledger_assets WHERE code = \(code)").first else { return nil }
        let (code, decimals, chain, contract) = try row.decode((String, Int16, String?, String?).self)
        return try Asset(code: code, decimals: UInt8(clamping: decimals), chain: chain, contract: contract)
    }

    public func createAccount(_ account: Account) async throws -> AccountResult {
        if account.flags.contains(.debitsMustNotExceedCredits) && account.flags.contains(.creditsMustNotExceedDebits) {
            return .flagsAreMutuallyExclusive
        }
        let now = Int64(clamping: clock())
        return try await pool.transaction("creating account \(account.id)") { connection in
            guard try await Self.asset(account.asset, connection: connection) != nil else {
                return try await Self.account(account.id, connection: connection).map { .resubmitting(account, over: $0) } ?? .assetNotFound
            }
            let inserted = try await connection.rows("""
                INSERT INTO ledger_accounts (id, asset, owner, code, metadata, flags, timestamp)
                VALUES (\(account.id.value), \(account.asset), \(account.owner), \(Int32(account.code)), \(account.metadata),
                        \(Int64(account.flags.rawValue)), \(now))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """)
            guard !inserted.isEmpty else {
                guard let existing = try await Self.account(account.id, connection: connection) else {
                    throw LedgerError(.unavailable, "retry", "account \(account.id) was being created concurrently; retry")
                }
                return .resubmitting(account, over: existing)
            }
            try await connection.execute("""
                INSERT INTO ledger_account_balances (account_id, debits_pending, debits_posted, credits_pending, credits_posted)
                VALUES (\(account.id.value), 0, 0, 0, 0)
                """)
            return .created
        }
    }

    /// One statement, outside any transaction (a statement reads one snapshot by itself): a
    /// round trip, not three.
    public func account(_ id: LedgerID) async throws -> Account? {
        try await accounts([id])[id]
    }

    /// The accounts among `ids` that exist, in one statement.
    public func accounts(_ ids: [LedgerID]) async throws -> [LedgerID: Account] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await pool.rows(PostgresQuery(unsafeSQL: Self.accountsByID,
                                                     binds: Self.binds(ids.map(\.value))), "reading \(ids.count) accounts")
        var accounts: [LedgerID: Account] = [:]
        for row in rows {
            let account = try LedgerRowDecoding.account(PostgresRowReader(row))
            accounts[account.id] = account
        }
        return accounts
    }

    static func account(_ id: LedgerID, connection: PostgresConnection) async throws -> Account? {
        try await connection.rows(PostgresQuery(unsafeSQL: "SELECT \(accountColumns) FROM \(accountSource) WHERE a.id = $1", binds: binds(id.value)))
            .first.map { try LedgerRowDecoding.account(PostgresRowReader($0)) }
    }

    public func submit(_ transfers: [Transfer], companion: LedgerCommitCompanion?) async throws -> [TransferResult] {
        try await submit(transfers, admission: nil, companion: companion).results
    }

    public func submit(_ transfers: [Transfer], admission: LedgerCommitAdmission?, companion: LedgerCommitCompanion?) async throws -> AdmittedResults {
        guard transfers.count <= LedgerEngine.maximumBatchSize else {
            throw LedgerError("a batch holds at most \(LedgerEngine.maximumBatchSize) transfers; got \(transfers.count)")
        }
        guard !transfers.isEmpty else { return AdmittedResults(admitted: true, results: []) }
        let committed = try await writer.submit(transfers, admission: admission, companion: companion)
        return AdmittedResults(admitted: committed.admitted, results: committed.results)
    }

    public func nextExpiry() async throws -> UInt64? {
        let rows = try await pool.rows(PostgresQuery(unsafeSQL: LedgerExpirySQL.nextExpiry), "reading the next pending expiry")
        return try rows.first.map { UInt64(clamping: try $0.decode(Int64.self)) }
    }

    /// Queues a batch of no transfers on this store's group committer; it commits under the
    /// ledger's advisory lock like every batch (`PostgresLedgerCommit`), so processes pulsing at
    /// once take turns, and each one's snapshot, read after the lock, holds the outcomes the
    /// others wrote: none can expire a pending transfer twice.
    public func expireDue() async throws -> Int {
        try await writer.submit([]).expired
    }

    public func balances(of id: LedgerID, at timestamp: UInt64) async throws -> AccountBalances? {
        try await pool.transaction("reading the balances of \(id)") { connection in
            guard try await Self.account(id, connection: connection) != nil else { return nil }
            guard let row = try await connection.rows(PostgresQuery(
                unsafeSQL: Self.historySQL.balances.sql, binds: Self.binds(id.value, Int64(clamping: timestamp)))).first
            else { return .zero }
            return try LedgerRowDecoding.balances(PostgresRowReader(row), at: 1)
        }
    }

    public func balances(of selection: LedgerAccountSelection, at timestamp: UInt64) async throws -> [SelectedAccountBalances] {
        let range = selection.idRange
        let query = LedgerHistorySQL.postgres.selectedBalances(owner: selection.owner != nil, range: range != nil)
        var binds = PostgresBindings()
        try binds.append(Int64(clamping: timestamp))
        if let owner = selection.owner { try binds.append(owner) }
        if let range {
            try binds.append(range.from)
            try binds.append(range.to)
        }
        let rows = try await pool.rows(PostgresQuery(unsafeSQL: query.sql, binds: binds), "reading the balances of selected accounts")
        return try rows.map { row in
            let columns = PostgresRowReader(row)
            return SelectedAccountBalances(
                id: try LedgerRowDecoding.id(columns, 0, "account id"), asset: try columns.text(1), owner: try columns.text(2),
                    balances: try LedgerRowDecoding.balances(columns, at: 3))
        }
    }

    /// The balance-history reads in PostgreSQL's dialect.
    static let historySQL = (balances: LedgerHistorySQL.postgres.balances(), page: LedgerHistorySQL.postgres.page())

    /// Bindings for `PostgresQuery(unsafeSQL:binds:)`, whose SQL is assembled from fixed column lists.
    static func binds(_ values: any PostgresThrowingDynamicTypeEncodable...) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { try binds.append(value) }
        return binds
    }
}
