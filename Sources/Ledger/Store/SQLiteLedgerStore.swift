import CofferBase
public import CofferStorage
import Foundation
public import GRDB

/// The embedded ledger: Coffer's SQLite database (WAL, synchronous=FULL, so a returned result
/// survives power loss). One writer per process merges concurrent callers' batches into group
/// commits; each commit is one IMMEDIATE transaction.
public final class SQLiteLedgerStore: LedgerStore {
    public let embedded: CofferDatabase
    public var database: any SQLDatabase { embedded }
    let clock: @Sendable () -> UInt64
    private let writer: LedgerGroupCommitter
    private let accountReads: CommitStampedCache<LedgerID, Account>
    public let pendingExpirySignal = PendingExpirySignal()

    /// `clock` returns nanoseconds since 1970; tests inject their own to drive expiry.
    public init(database: CofferDatabase, clock: @escaping @Sendable () -> UInt64 = SQLiteLedgerStore.systemClock) {
        embedded = database
        self.clock = clock
        accountReads = database.ledgerAccounts
        // The accounts of the last commit, reused by the next if no other writer committed since.
        let accounts = LedgerAccountCache()
        writer = LedgerGroupCommitter(clock: clock, signal: pendingExpirySignal) { batches, admissions, companions, now in
            try await LedgerCommit.commit(batches, admissions: admissions, companions: companions, database: database, now: now, cache: accounts)
        }
    }

    public static let systemClock: @Sendable () -> UInt64 = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(max(0, now.tv_sec)) * 1_000_000_000 + UInt64(max(0, now.tv_nsec))
    }

    public func createAsset(_ asset: Asset) async throws -> Bool {
        let now = clock()
        return try await embedded.pool.write { db in
            if let existing = try Self.asset(asset.code, db: db) {
                guard existing == asset else {
                    throw LedgerError(.conflict, "asset-exists", "asset \(asset.code) already exists with other decimals, chain or contract; assets never change")
                }
                return false
            }
            try db.execute(
                sql: "INSERT INTO ledger_assets (code, decimals, chain, contract, timestamp) VALUES (?, ?, ?, ?, ?)",
                arguments: [asset.code, Int(asset.decimals), asset.chain, asset.contract, Int64(clamping: now)])
            return true
        }
    }

    public func asset(_ code: String) async throws -> Asset? {
        try embedded.readNow { db in try Self.asset(code, db: db) }
    }

    static func asset(_ code: String, db: Database) throws -> Asset? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM ledger_assets WHERE code = ?"), arguments: [code]) else { return nil }
        let decimals: Int = row["decimals"]
        return try Asset(code: row["code"], decimals: UInt8(clamping: decimals), chain: row["chain"], contract: row["contract"])
    }

    public func createAccount(_ account: Account) async throws -> AccountResult {
        let results = try await createAccounts([account])
        guard let result = results.first else { throw LedgerError.internalFailure("the store returned no result for account \(account.id)") }
        return result
    }

    /// Creates several accounts in one transaction (one fsync instead of one per account, for
    /// imports and benchmark setup); one result per account, in order, as `createAccount` gives.
    public func createAccounts(_ accounts: [Account]) async throws -> [AccountResult] {
        let now = clock()
        return try await embedded.pool.write { db in
            try accounts.map { account throws in try Self.create(account, now: now, db: db) }
        }
    }

    static func create(_ account: Account, now: UInt64, db: Database) throws -> AccountResult {
        if account.flags.contains(.debitsMustNotExceedCredits) && account.flags.contains(.creditsMustNotExceedDebits) {
            return .flagsAreMutuallyExclusive
        }
        if let existing = try Self.account(account.id, db: db) { return .resubmitting(account, over: existing) }
        guard try Self.asset(account.asset, db: db) != nil else { return .assetNotFound }
        try db.execute(
            sql: "INSERT INTO ledger_accounts (id, asset, owner, code, metadata, flags, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [account.id.value, account.asset, account.owner, Int(account.code), account.metadata,
                        Int64(account.flags.rawValue), Int64(clamping: now)])
        return .created
    }

    /// Served from `CofferDatabase.ledgerAccounts` while no commit changed the account since it
    /// was read, else one statement over the balances view on the caller's thread (`readNow`).
    public func account(_ id: LedgerID) async throws -> Account? {
        try accountReads.value(for: id) { try embedded.readNow { db in try Self.account(id, db: db) } }
    }

    /// Many accounts in one read transaction, all as of one snapshot, with the commit's own `IN`
    /// list statement. Every commit (this process's or another's) leaves a reader's page cache cold,
    /// so a transaction per account would read the same index pages again for each one: a limit
    /// check's cold start asks for hundreds at once.
    /// Not through the readers' cache: the transaction's snapshot is taken at its first read, so a
    /// later account could be read as of a commit older than the stamp the cache would file it under.
    public func accounts(_ ids: [LedgerID]) async throws -> [LedgerID: Account] {
        if ids.count == 1, let id = ids.first { return try await account(id).map { [id: $0] } ?? [:] }
        return try embedded.readNow { db in
            var accounts: [LedgerID: Account] = [:]
            try db.inTransaction(.deferred) {
                try LedgerCommit.fetch(ids.map(\.value), select: Self.accountsAmong, db: db) { row in
                    let account = try LedgerRowDecoding.account(row)
                    accounts[account.id] = account
                }
                return .commit
            }
            return accounts
        }
    }

    /// Submits `transfers` like `submit(_:)` and runs `companion` with their results inside the
    /// transaction that commits them, so its writes are durable exactly when the results are: the
    /// HTTP API stores an idempotent response this way, one commit per request instead of two. If
    /// `companion` throws, the whole group commit fails and every caller in it gets the error
    /// (nothing is written); it should throw only where the commit would fail anyway.
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
        try await embedded.pool.read { db in
            try Int64.fetchOne(db.cachedStatement(sql: LedgerExpirySQL.nextExpiry)).map { UInt64(clamping: $0) }
        }
    }

    /// Queues a batch of no transfers on this store's group committer, so it commits in turn with
    /// this process's client batches, in one IMMEDIATE transaction like theirs: another process
    /// writing the same file waits for it (or it for them), and reads the outcomes it wrote.
    public func expireDue() async throws -> Int {
        try await writer.submit([]).expired
    }

    public func balances(of id: LedgerID, at timestamp: UInt64) async throws -> AccountBalances? {
        try await embedded.pool.read { db in
            guard try Self.account(id, db: db) != nil else { return nil }
            let query = Self.historySQL.balances
            let values: [Int: any DatabaseValueConvertible] = [1: id.value, 2: Int64(clamping: timestamp)]
            guard let row = try Row.fetchOne(db.cachedStatement(sql: query.sql), arguments: Self.arguments(query.parameters, values))
            else { return .zero }
            return try LedgerRowDecoding.balances(row, at: 1)
        }
    }

    public func balances(of selection: LedgerAccountSelection, at timestamp: UInt64) async throws -> [SelectedAccountBalances] {
        let range = selection.idRange
        let query = LedgerHistorySQL.sqlite.selectedBalances(owner: selection.owner != nil, range: range != nil)
        let texts = [selection.owner, range?.from, range?.to].compactMap { $0 }
        return try await embedded.pool.read { db in
            let bound: [any DatabaseValueConvertible] = [Int64(clamping: timestamp)] + texts
            let values = Dictionary(uniqueKeysWithValues: bound.enumerated().map { ($0.offset + 1, $0.element) })
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: query.sql), arguments: Self.arguments(query.parameters, values))
            var selected: [SelectedAccountBalances] = []
            while let row = try cursor.next() {
                selected.append(SelectedAccountBalances(
                    id: try LedgerRowDecoding.id(row, 0, "account id"), asset: try row.text(1), owner: try row.text(2),
                    balances: try LedgerRowDecoding.balances(row, at: 3)))
            }
            return selected
        }
    }

    /// The values of a history query's numbered parameters, in the order its SQL uses them.
    static func arguments(_ parameters: [Int], _ values: [Int: any DatabaseValueConvertible]) -> StatementArguments {
        StatementArguments(parameters.map { number -> (any DatabaseValueConvertible)? in values[number] })
    }

    public func verify() async throws -> LedgerVerification {
        try await embedded.pool.read { db in try LedgerRecomputation.verify(db: db) }
    }

    // MARK: Row decoding, shared by the writer, queries and verification
    //
    // Rows are decoded by column position, not name: GRDB looks a name up case-insensitively in
    // every column on each access, which cost about a third of a large group commit's time. Every
    // query that feeds a decoder selects the decoder's column list below, in that order.

    /// The columns `transfer(from:)` decodes, in order.
    static let transferColumns = """
        id, debit_account_id, credit_account_id, asset, amount, request_debit_account_id, request_credit_account_id, \
        request_asset, request_amount, flags, pending_id, timeout, code, reference, metadata, timestamp
        """
    /// Both accounts' balances after the transfer, each in `balanceColumns` order: debit side, then credit side.
    static let transferBalanceColumns = LedgerMigrations.transferBalanceColumns.joined(separator: ", ")
    /// The columns `account(from:)` decodes, in order, over `accountSource`.
    static let accountColumns = """
        a.id, a.asset, a.owner, a.code, a.metadata, a.flags, a.timestamp, \
        b.debits_pending, b.debits_posted, b.credits_pending, b.credits_posted
        """
    static let accountSource = "ledger_accounts a JOIN ledger_account_balances b ON b.account_id = a.id"
    /// The accounts whose ids follow in an `IN` list (`LedgerCommit.fetch` appends it).
    static let accountsAmong = "SELECT \(accountColumns) FROM \(accountSource) WHERE a.id IN"
    /// The columns `balances(_:at:)` decodes, in order, from its start position.
    static let balanceColumns = "debits_pending, debits_posted, credits_pending, credits_posted"
    /// The balance-history reads in SQLite's dialect.
    static let historySQL = (balances: LedgerHistorySQL.sqlite.balances(), page: LedgerHistorySQL.sqlite.page())
    /// The columns `outcome(from:)` decodes, in order.
    static let outcomeColumns = "pending_id, kind, transfer_id, timestamp"

    static func account(_ id: LedgerID, db: Database) throws -> Account? {
        let statement = SQLiteRawStatement(try db.cachedStatement(sql: "SELECT \(accountColumns) FROM \(accountSource) WHERE a.id = ?"))
        statement.bind(1, id.value)
        var found: Account?
        try statement.forEachRow { row in found = try LedgerRowDecoding.account(row) }
        return found
    }
}
