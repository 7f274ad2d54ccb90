public import CofferStorage
import Foundation
import GRDB

/// The embedded ledger: Coffer's SQLite database (WAL, synchronous=FULL, so a returned result
/// survives power loss). One writer per process merges concurrent callers' batches into group
/// commits; each commit is one IMMEDIATE transaction.
public final class SQLiteLedgerStore: LedgerStore {
    let database: CofferDatabase
    let clock: @Sendable () -> UInt64
    private let writer: LedgerGroupCommitter

    /// `clock` returns nanoseconds since 1970; tests inject their own to drive expiry.
    public init(database: CofferDatabase, clock: @escaping @Sendable () -> UInt64 = SQLiteLedgerStore.systemClock) {
        self.database = database
        self.clock = clock
        writer = LedgerGroupCommitter(database: database, clock: clock)
    }

    public static let systemClock: @Sendable () -> UInt64 = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(max(0, now.tv_sec)) * 1_000_000_000 + UInt64(max(0, now.tv_nsec))
    }

    public func createAsset(_ asset: Asset) async throws -> Bool {
        let now = clock()
        return try await database.pool.write { db in
            if let existing = try Self.asset(asset.code, db: db) {
                guard existing == asset else {
                    throw LedgerError("asset \(asset.code) already exists with other decimals, chain or contract; assets never change")
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
        try await database.pool.read { db in try Self.asset(code, db: db) }
    }

    static func asset(_ code: String, db: Database) throws -> Asset? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM ledger_assets WHERE code = ?", arguments: [code]) else { return nil }
        let decimals: Int = row["decimals"]
        return try Asset(code: row["code"], decimals: UInt8(clamping: decimals), chain: row["chain"], contract: row["contract"])
    }

    public func createAccount(_ account: Account) async throws -> AccountResult {
        if account.flags.contains(.debitsMustNotExceedCredits) && account.flags.contains(.creditsMustNotExceedDebits) {
            return .flagsAreMutuallyExclusive
        }
        let now = clock()
        return try await database.pool.write { db in
            if let existing = try Self.account(account.id, db: db) {
                if existing.asset != account.asset { return .existsWithDifferentAsset }
                if existing.flags != account.flags { return .existsWithDifferentFlags }
                if existing.owner != account.owner { return .existsWithDifferentOwner }
                if existing.code != account.code { return .existsWithDifferentCode }
                if existing.metadata != account.metadata { return .existsWithDifferentMetadata }
                return .exists
            }
            guard try Self.asset(account.asset, db: db) != nil else { return .assetNotFound }
            try db.execute(
                sql: "INSERT INTO ledger_accounts (id, asset, owner, code, metadata, flags, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [account.id.value, account.asset, account.owner, Int(account.code), account.metadata,
                            Int64(account.flags.rawValue), Int64(clamping: now)])
            try db.execute(
                sql: "INSERT INTO ledger_account_balances (account_id, debits_pending, debits_posted, credits_pending, credits_posted) VALUES (?, '0', '0', '0', '0')",
                arguments: [account.id.value])
            return .created
        }
    }

    public func account(_ id: LedgerID) async throws -> Account? {
        try await database.pool.read { db in try Self.account(id, db: db) }
    }

    public func submit(_ transfers: [Transfer]) async throws -> [TransferResult] {
        guard transfers.count <= LedgerEngine.maximumBatchSize else {
            throw LedgerError("a batch holds at most \(LedgerEngine.maximumBatchSize) transfers; got \(transfers.count)")
        }
        guard !transfers.isEmpty else { return [] }
        return try await writer.submit(transfers)
    }

    public func balances(of id: LedgerID, at timestamp: UInt64) async throws -> AccountBalances? {
        try await database.pool.read { db in
            guard try Self.account(id, db: db) != nil else { return nil }
            guard let row = try Row.fetchOne(db, sql: """
                SELECT * FROM ledger_balance_history WHERE account_id = ? AND timestamp <= ? ORDER BY timestamp DESC LIMIT 1
                """, arguments: [id.value, Int64(clamping: timestamp)]) else { return .zero }
            return try Self.balances(row)
        }
    }

    public func verify() async throws -> LedgerVerification {
        try await database.pool.read { db in try LedgerRecomputation.verify(db: db) }
    }

    // MARK: Row decoding, shared by the writer and verification

    static func account(_ id: LedgerID, db: Database) throws -> Account? {
        try Row.fetchOne(db, sql: """
            SELECT a.*, b.debits_pending, b.debits_posted, b.credits_pending, b.credits_posted
            FROM ledger_accounts a JOIN ledger_account_balances b ON b.account_id = a.id WHERE a.id = ?
            """, arguments: [id.value]).map(account(from:))
    }

    static func account(from row: Row) throws -> Account {
        let code: Int = row["code"], flags: Int64 = row["flags"], timestamp: Int64 = row["timestamp"]
        return Account(
            id: try LedgerID(validating: row["id"]), asset: row["asset"], owner: row["owner"], code: UInt16(clamping: code),
            metadata: row["metadata"], flags: AccountFlags(rawValue: UInt32(clamping: flags)),
            timestamp: UInt64(clamping: timestamp), balances: try balances(row))
    }

    static func balances(_ row: Row) throws -> AccountBalances {
        AccountBalances(
            debitsPending: try amount(row, "debits_pending"), debitsPosted: try amount(row, "debits_posted"),
            creditsPending: try amount(row, "credits_pending"), creditsPosted: try amount(row, "credits_posted"))
    }

    static func amount(_ row: Row, _ column: String) throws -> UInt128 {
        let text: String = row[column]
        guard let value = UInt128(text) else { throw LedgerError("corrupt ledger database: \(column) \"\(text.prefix(40))\" is not an amount") }
        return value
    }

    static func optionalID(_ row: Row, _ column: String) throws -> LedgerID? {
        let text: String? = row[column]
        return try text.map { text throws(LedgerError) in try LedgerID(validating: text, field: column) }
    }

    static func transfer(from row: Row) throws -> CommittedTransfer {
        let flags: Int64 = row["flags"], timeout: Int64 = row["timeout"], code: Int64 = row["code"], timestamp: Int64 = row["timestamp"]
        let request = Transfer(
            id: try LedgerID(validating: row["id"]), debitAccountID: try optionalID(row, "request_debit_account_id"),
            creditAccountID: try optionalID(row, "request_credit_account_id"), amount: try amount(row, "request_amount"),
            asset: row["request_asset"], flags: TransferFlags(rawValue: UInt32(clamping: flags)),
            pendingID: try optionalID(row, "pending_id"), timeout: UInt32(clamping: timeout), code: UInt16(clamping: code),
            reference: row["reference"], metadata: row["metadata"])
        return CommittedTransfer(
            request: request, debitAccountID: try LedgerID(validating: row["debit_account_id"]),
            creditAccountID: try LedgerID(validating: row["credit_account_id"]), asset: row["asset"],
            amount: try amount(row, "amount"), timestamp: UInt64(clamping: timestamp))
    }

    static func outcome(from row: Row) throws -> PendingOutcome {
        let kindText: String = row["kind"], timestamp: Int64 = row["timestamp"]
        guard let kind = PendingOutcome.Kind(rawValue: kindText) else { throw LedgerError("corrupt ledger database: pending outcome \"\(kindText)\"") }
        return PendingOutcome(
            pendingID: try LedgerID(validating: row["pending_id"]), kind: kind,
            transferID: try optionalID(row, "transfer_id"), timestamp: UInt64(clamping: timestamp))
    }
}
