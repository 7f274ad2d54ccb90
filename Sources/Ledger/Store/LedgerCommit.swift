import CofferStorage
import Foundation
import GRDB

/// One group commit: load the snapshot the batches need, decide them, write everything.
///
/// The hot loops (the snapshot's lookups and the writes: up to 8,000 transfer rows, each carrying
/// both accounts' balances after it, which are all the balances stored) bind and read through
/// `SQLiteRawStatement` instead of GRDB's `StatementArguments` and `Row`, which box every value:
/// see docs/ledger.md for the measured effect.
enum LedgerCommit {
    /// Decides and writes `batches` in one IMMEDIATE transaction on GRDB's writer queue, then runs
    /// each batch's companion (if any) with its results in that transaction. `cache` is validated
    /// inside the transaction, updated once COMMIT returned, and emptied on any error.
    static func commit(
        _ batches: [[Transfer]], admissions: [LedgerCommitAdmission?] = [], companions: [LedgerCommitCompanion?] = [], database: CofferDatabase,
        now: UInt64, cache: LedgerAccountCache
    ) async throws -> LedgerCommitResult {
        let readers = database.ledgerAccounts
        return try await database.pool.writeWithoutTransaction { db in
            do {
                var outcome: (plan: LedgerCommitPlan, head: LedgerBatchHead?)?
                var admitted: [Bool] = []
                try db.inTransaction(.immediate) {
                    let admission = try LedgerAdmissions.apply(batches, admissions, connection: SQLiteConnection(db))
                    admitted = admission.admitted
                    let decided = try commit(admission.batches, db: db, now: now, cache: cache)
                    for (companion, results) in zip(companions, decided.plan.results) { try companion?(results, SQLiteConnection(db)) }
                    readers.changing(decided.plan.changedAccountIDs)
                    outcome = decided
                    return .commit
                }
                guard let outcome else { throw LedgerError.internalFailure("the ledger commit ended without deciding its batches") }
                cache.committed(outcome.plan.accounts, head: outcome.head)
                return LedgerCommitResult(outcome.plan, admitted: admitted)
            } catch {
                cache.clear()
                throw error
            }
        }
    }

    /// The work inside the transaction: the plan it wrote (results, the accounts as they now
    /// stand, the accounts it changed) and the new head.
    ///
    /// Optimistic first: the snapshot skips looking up the batches' own transfer ids (8,000 index
    /// probes, about a tenth of a full commit) and assumes none is stored yet. Two checks make
    /// that exact: a transfer the plan creates whose id is stored fails the insert on the unique
    /// index, and the ids of transfers the plan rejects are looked up (a stored one must read
    /// `exists…`, whatever else it would fail on). Either way the writes roll back to a savepoint
    /// and the batches are decided again against the full snapshot, still under the write lock.
    static func commit(
        _ batches: [[Transfer]], db: Database, now: UInt64, cache: LedgerAccountCache
    ) throws -> (plan: LedgerCommitPlan, head: LedgerBatchHead?) {
        let previous = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM ledger_batches ORDER BY seq DESC LIMIT 1"))
            .map { LedgerBatchHead(seq: $0[0], hash: Array($0[1] as Data)) }
        cache.validate(against: previous)
        let transfers = batches.flatMap { $0 }
        let optimistic = LedgerCommitPlan(
            deciding: batches, against: try snapshot(for: transfers, db: db, now: now, cached: cache.accounts, ownIDs: false), now: now)
        if try !anyStored(optimistic.rejectedIDs(batches), db: db) {
            try db.execute(sql: "SAVEPOINT ledger_optimistic")
            do {
                let head = try write(optimistic, previous: previous, db: db, now: now)
                try db.execute(sql: "RELEASE ledger_optimistic")
                return (optimistic, head)
            } catch let error as DatabaseError where isStoredTransferID(error) {
                try db.execute(sql: "ROLLBACK TO ledger_optimistic; RELEASE ledger_optimistic")
            }
        }
        let plan = LedgerCommitPlan(
            deciding: batches, against: try snapshot(for: transfers, db: db, now: now, cached: cache.accounts, ownIDs: true), now: now)
        return (plan, try write(plan, previous: previous, db: db, now: now))
    }

    /// Whether an insert failed on a unique index: a transfer id the optimistic decision assumed
    /// new is stored already. (Deciding again against the full snapshot is right whichever index
    /// it was; a violation that is not about a stored id fails that second attempt too.)
    static func isStoredTransferID(_ error: DatabaseError) -> Bool {
        error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
    }

    /// Whether any of these transfer ids is stored.
    static func anyStored(_ ids: [String], db: Database) throws -> Bool {
        var found = false
        try fetch(ids, select: "SELECT 1 FROM ledger_transfers WHERE id IN", db: db) { _ in found = true }
        return found
    }

    /// Writes what `plan` decided as the batch after `previous`; returns the new head (`previous`
    /// when the plan changes nothing).
    static func write(_ plan: LedgerCommitPlan, previous: LedgerBatchHead?, db: Database, now: UInt64) throws -> LedgerBatchHead? {
        guard !plan.isEmpty else { return previous }
        let seq = (previous?.seq ?? 0) + 1
        let previousHash = previous?.hash ?? LedgerBatchHash.genesis
        let hash = LedgerBatchHash.compute(previous: previousHash, seq: seq, transfers: plan.created, outcomes: plan.outcomes)
        try db.execute(
            sql: "INSERT INTO ledger_batches (seq, timestamp, transfer_count, outcome_count, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [seq, Int64(clamping: now), plan.created.count, plan.outcomes.count, Data(previousHash), Data(hash)])

        let insertTransfer = SQLiteRawStatement(try db.cachedStatement(sql: """
            INSERT INTO ledger_transfers (id, batch, debit_account_id, credit_account_id, asset, amount, request_debit_account_id,
                request_credit_account_id, request_asset, request_amount, flags, pending_id, timeout, code, reference, metadata,
                timestamp, expires_at, \(SQLiteLedgerStore.transferBalanceColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """))
        for (transfer, balances) in zip(plan.created, plan.transferBalances) {
            let request = transfer.request
            insertTransfer.bind(1, transfer.id.value)
            insertTransfer.bind(2, seq)
            insertTransfer.bind(3, transfer.debitAccountID.value)
            insertTransfer.bind(4, transfer.creditAccountID.value)
            insertTransfer.bind(5, transfer.asset)
            insertTransfer.bind(6, amount: transfer.amount)
            insertTransfer.bind(7, request.debitAccountID?.value)
            insertTransfer.bind(8, request.creditAccountID?.value)
            insertTransfer.bind(9, request.asset)
            insertTransfer.bind(10, amount: request.amount)
            insertTransfer.bind(11, Int64(request.flags.rawValue))
            insertTransfer.bind(12, request.pendingID?.value)
            insertTransfer.bind(13, Int64(request.timeout))
            insertTransfer.bind(14, Int64(request.code))
            insertTransfer.bind(15, request.reference)
            insertTransfer.bind(16, request.metadata)
            insertTransfer.bind(17, Int64(clamping: transfer.timestamp))
            insertTransfer.bind(18, transfer.expiresAt.map { Int64(clamping: $0) })
            insertTransfer.bind(balances: balances.debit, from: 19)
            insertTransfer.bind(balances: balances.credit, from: 23)
            try insertTransfer.execute()
        }
        let insertOutcome = SQLiteRawStatement(try db.cachedStatement(sql: """
            INSERT INTO ledger_pending_outcomes (pending_id, batch, kind, transfer_id, timestamp) VALUES (?, ?, ?, ?, ?)
            """))
        for outcome in plan.outcomes {
            insertOutcome.bind(1, outcome.pendingID.value)
            insertOutcome.bind(2, seq)
            insertOutcome.bind(3, outcome.kind.rawValue)
            insertOutcome.bind(4, outcome.transferID?.value)
            insertOutcome.bind(5, Int64(clamping: outcome.timestamp))
            try insertOutcome.execute()
        }
        let insertHistory = SQLiteRawStatement(try db.cachedStatement(sql: """
            INSERT INTO ledger_balance_history (account_id, timestamp, debits_pending, debits_posted, credits_pending, credits_posted)
            VALUES (?, ?, ?, ?, ?, ?)
            """))
        for change in plan.expiryBalances {
            insertHistory.bind(1, change.accountID.value)
            insertHistory.bind(2, Int64(clamping: change.timestamp))
            insertHistory.bind(balances: change.balances, from: 3)
            try insertHistory.execute()
        }
        return LedgerBatchHead(seq: seq, hash: hash)
    }

    /// The accounts, transfers and pending outcomes these transfers can touch, and every pending
    /// transfer already due to expire. Accounts in `cached` (already validated) are not loaded.
    /// Without `ownIDs` the transfers' own ids are not looked up, only the pending ids they name.
    static func snapshot(
        for transfers: [Transfer], db: Database, now: UInt64, cached: [LedgerID: Account] = [:], ownIDs: Bool = true
    ) throws -> LedgerState {
        var state = LedgerState()
        let lastTransfer = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(timestamp) FROM ledger_transfers")) ?? 0
        let lastOutcome = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(timestamp) FROM ledger_pending_outcomes")) ?? 0
        state.lastTimestamp = UInt64(clamping: max(lastTransfer, lastOutcome))
        let first = LedgerEngine.firstTimestamp(now: now, after: state.lastTimestamp)

        var loaded: [CommittedTransfer] = []
        let due = SQLiteRawStatement(try db.cachedStatement(sql: """
            SELECT \(SQLiteLedgerStore.transferColumns) FROM ledger_transfers t
            WHERE t.expires_at IS NOT NULL AND t.expires_at <= ?
              AND NOT EXISTS (SELECT 1 FROM ledger_pending_outcomes o WHERE o.pending_id = t.id)
            """))
        due.bind(1, Int64(clamping: first))
        try due.forEachRow { row in loaded.append(try LedgerRowDecoding.transfer(row)) }

        try fetch(LedgerCommitPlan.transferKeys(transfers, ownIDs: ownIDs), select: """
            SELECT \(SQLiteLedgerStore.transferColumns) FROM ledger_transfers WHERE id IN
            """, db: db) { row in
            loaded.append(try LedgerRowDecoding.transfer(row))
        }
        state.transfers.reserveCapacity(loaded.count + transfers.count)
        for transfer in loaded { state.transfers[transfer.id] = transfer }
        // `reference <> ''` lets SQLite use the partial (reference, timestamp) index.
        try fetch(LedgerCommitPlan.claimedReversals(transfers), select: """
            SELECT reference, id FROM ledger_transfers WHERE reference <> '' AND reference IN
            """, db: db) { row in
            state.reversals[row.text(0)] = LedgerID(unchecked: row.text(1))
        }
        let pendingIDs = loaded.filter { $0.flags.contains(.pending) }.map(\.id.value)
        try fetch(pendingIDs, select: "SELECT \(SQLiteLedgerStore.outcomeColumns) FROM ledger_pending_outcomes WHERE pending_id IN", db: db) { row in
            let outcome = try LedgerRowDecoding.outcome(row)
            state.pendingOutcomes[outcome.pendingID] = outcome
        }
        let missing: [String]
        (state.accounts, missing) = LedgerCommitPlan.accounts(transfers, loaded: loaded, cached: cached)
        try fetch(missing, select: SQLiteLedgerStore.accountsAmong, db: db) { row in
            let account = try LedgerRowDecoding.account(row)
            state.accounts[account.id] = account
        }
        return state
    }

    /// The most keys one `IN (...)` lookup binds, under SQLite's parameter limit.
    static let chunkSize = 512
    /// `(?)`, `(?, ?)`, `(?, ?, ?, ?)`, … up to `chunkSize` parameters.
    static let placeholders = (0...9).map { "(" + Array(repeating: "?", count: 1 << $0).joined(separator: ", ") + ")" }

    /// Runs `select (?, ?, ...)` over `keys`, calling `row` for each result. A short last chunk is
    /// padded to a power of two by repeating its last key (`IN` ignores repeats), so at most ten
    /// statement shapes exist per query and all of them stay in GRDB's statement cache.
    static func fetch(_ keys: [String], select: String, db: Database, row: (SQLiteRawStatement) throws -> Void) throws {
        var start = 0
        while start < keys.count {
            let count = min(chunkSize, keys.count - start)
            var power = 0
            while 1 << power < count { power += 1 }
            let slots = 1 << power
            let statement = SQLiteRawStatement(try db.cachedStatement(sql: "\(select) \(placeholders[power])"))
            for slot in 0..<slots { statement.bind(Int32(slot + 1), keys[start + min(slot, count - 1)]) }
            try statement.forEachRow(row)
            start += count
        }
    }
}

extension SQLiteRawStatement {
    /// Binds the four balances in `SQLiteLedgerStore.balanceColumns` order from parameter `first`.
    func bind(balances: AccountBalances, from first: Int32) {
        bind(first, amount: balances.debitsPending)
        bind(first + 1, amount: balances.debitsPosted)
        bind(first + 2, amount: balances.creditsPending)
        bind(first + 3, amount: balances.creditsPosted)
    }
}
