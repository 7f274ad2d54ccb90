import CofferStorage
import Foundation
import GRDB

/// The single writer of a store in this process: collects concurrent callers' batches for up to about a millisecond (or
/// until 8,000 transfers wait), decides them in arrival order in one IMMEDIATE transaction, and
/// answers every caller only after that transaction committed.
actor LedgerGroupCommitter {
    private struct Request {
        let transfers: [Transfer]
        let continuation: CheckedContinuation<[TransferResult], any Error>
    }

    /// Decides and durably commits the merged batches at `now`; one result list per batch.
    typealias Commit = @Sendable (_ batches: [[Transfer]], _ now: UInt64) async throws -> [[TransferResult]]

    private let commit: Commit
    private let clock: @Sendable () -> UInt64
    private var queue: [Request] = []
    private var draining = false

    init(clock: @escaping @Sendable () -> UInt64, commit: @escaping Commit) {
        self.commit = commit
        self.clock = clock
    }

    func submit(_ transfers: [Transfer]) async throws -> [TransferResult] {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Request(transfers: transfers, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            if queue.reduce(0, { $0 + $1.transfers.count }) < LedgerEngine.maximumBatchSize {
                try? await Task.sleep(for: .microseconds(500))  // the group-commit window
            }
            var group: [Request] = []
            var count = 0
            while let next = queue.first, group.isEmpty || count + next.transfers.count <= LedgerEngine.maximumBatchSize {
                group.append(next)
                count += next.transfers.count
                queue.removeFirst()
            }
            do {
                let results = try await commit(group.map(\.transfers), clock())
                for (request, result) in zip(group, results) { request.continuation.resume(returning: result) }
            } catch {
                for request in group { request.continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}

/// One group commit: load the snapshot the batches need, decide them, write everything.
enum LedgerCommit {
    static func commit(_ batches: [[Transfer]], database: CofferDatabase, now: UInt64) throws -> [[TransferResult]] {
        try database.pool.writeWithoutTransaction { db in
            var results: [[TransferResult]] = []
            try db.inTransaction(.immediate) {
                results = try commit(batches, db: db, now: now)
                return .commit
            }
            return results
        }
    }

    static func commit(_ batches: [[Transfer]], db: Database, now: UInt64) throws -> [[TransferResult]] {
        var state = try snapshot(for: batches.flatMap { $0 }, db: db, now: now)
        var created: [CommittedTransfer] = []
        var outcomes: [PendingOutcome] = []
        var changes: [BalanceChange] = []
        var results: [[TransferResult]] = []
        for batch in batches {
            let outcome = LedgerEngine.apply(batch, to: &state, now: now)
            results.append(outcome.results)
            created += outcome.created
            outcomes += outcome.pendingOutcomes
            changes += outcome.balanceChanges
        }
        guard !created.isEmpty || !outcomes.isEmpty else { return results }

        let previous = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger_batches ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (previous?["seq"] as Int64? ?? 0) + 1
        let previousHash: [UInt8] = (previous?["hash"] as Data?).map { Array($0) } ?? LedgerBatchHash.genesis
        let hash = LedgerBatchHash.compute(previous: previousHash, seq: seq, transfers: created, outcomes: outcomes)
        try db.execute(
            sql: "INSERT INTO ledger_batches (seq, timestamp, transfer_count, outcome_count, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [seq, Int64(clamping: now), created.count, outcomes.count, Data(previousHash), Data(hash)])

        let insertTransfer = try db.cachedStatement(sql: """
            INSERT INTO ledger_transfers (id, batch, debit_account_id, credit_account_id, asset, amount, request_debit_account_id,
                request_credit_account_id, request_asset, request_amount, flags, pending_id, timeout, code, reference, metadata,
                timestamp, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for transfer in created {
            let request = transfer.request
            try insertTransfer.execute(arguments: [
                transfer.id.value, seq, transfer.debitAccountID.value, transfer.creditAccountID.value, transfer.asset,
                String(transfer.amount), request.debitAccountID?.value, request.creditAccountID?.value, request.asset,
                String(request.amount), Int64(request.flags.rawValue), request.pendingID?.value, Int64(request.timeout),
                Int64(request.code), request.reference, request.metadata, Int64(clamping: transfer.timestamp),
                transfer.expiresAt.map { Int64(clamping: $0) },
            ])
        }
        let insertOutcome = try db.cachedStatement(sql: """
            INSERT INTO ledger_pending_outcomes (pending_id, batch, kind, transfer_id, timestamp) VALUES (?, ?, ?, ?, ?)
            """)
        for outcome in outcomes {
            try insertOutcome.execute(arguments: [
                outcome.pendingID.value, seq, outcome.kind.rawValue, outcome.transferID?.value, Int64(clamping: outcome.timestamp),
            ])
        }
        let insertHistory = try db.cachedStatement(sql: """
            INSERT INTO ledger_balance_history (account_id, timestamp, debits_pending, debits_posted, credits_pending, credits_posted)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        for change in changes {
            let b = change.balances
            try insertHistory.execute(arguments: [
                change.accountID.value, Int64(clamping: change.timestamp), String(b.debitsPending), String(b.debitsPosted),
                String(b.creditsPending), String(b.creditsPosted),
            ])
        }
        let updateBalances = try db.cachedStatement(sql: """
            UPDATE ledger_account_balances SET debits_pending = ?, debits_posted = ?, credits_pending = ?, credits_posted = ?
            WHERE account_id = ?
            """)
        var seen = Set<LedgerID>()
        for change in changes where seen.insert(change.accountID).inserted {
            guard let b = state.accounts[change.accountID]?.balances else { continue }
            try updateBalances.execute(arguments: [
                String(b.debitsPending), String(b.debitsPosted), String(b.creditsPending), String(b.creditsPosted), change.accountID.value,
            ])
        }
        return results
    }

    /// The accounts, transfers and pending outcomes these transfers can touch, and every pending
    /// transfer already due to expire.
    static func snapshot(for transfers: [Transfer], db: Database, now: UInt64) throws -> LedgerState {
        var state = LedgerState()
        let lastTransfer = try Int64.fetchOne(db, sql: "SELECT MAX(timestamp) FROM ledger_transfers") ?? 0
        let lastOutcome = try Int64.fetchOne(db, sql: "SELECT MAX(timestamp) FROM ledger_pending_outcomes") ?? 0
        state.lastTimestamp = UInt64(clamping: max(lastTransfer, lastOutcome))
        let first = LedgerEngine.firstTimestamp(now: now, after: state.lastTimestamp)

        var loaded: [CommittedTransfer] = try Row.fetchAll(db, sql: """
            SELECT \(SQLiteLedgerStore.transferColumns) FROM ledger_transfers t
            WHERE t.expires_at IS NOT NULL AND t.expires_at <= ?
              AND NOT EXISTS (SELECT 1 FROM ledger_pending_outcomes o WHERE o.pending_id = t.id)
            """, arguments: [Int64(clamping: first)]).map(SQLiteLedgerStore.transfer(from:))
        var transferIDs = Set<String>()
        for transfer in transfers {
            transferIDs.insert(transfer.id.value)
            if let pending = transfer.pendingID { transferIDs.insert(pending.value) }
        }
        loaded += try fetch(Array(transferIDs), sql: "SELECT \(SQLiteLedgerStore.transferColumns) FROM ledger_transfers WHERE id IN", db: db, decode: SQLiteLedgerStore.transfer(from:))
        for transfer in loaded { state.transfers[transfer.id] = transfer }
        let pendingIDs = loaded.filter { $0.flags.contains(.pending) }.map(\.id.value)
        for outcome in try fetch(pendingIDs, sql: "SELECT \(SQLiteLedgerStore.outcomeColumns) FROM ledger_pending_outcomes WHERE pending_id IN", db: db, decode: SQLiteLedgerStore.outcome(from:)) {
            state.pendingOutcomes[outcome.pendingID] = outcome
        }

        var accountIDs = Set<String>()
        for transfer in transfers {
            if let debit = transfer.debitAccountID { accountIDs.insert(debit.value) }
            if let credit = transfer.creditAccountID { accountIDs.insert(credit.value) }
        }
        for transfer in loaded {
            accountIDs.insert(transfer.debitAccountID.value)
            accountIDs.insert(transfer.creditAccountID.value)
        }
        for account in try fetch(Array(accountIDs), sql: """
            SELECT \(SQLiteLedgerStore.accountColumns) FROM \(SQLiteLedgerStore.accountSource) WHERE a.id IN
            """, db: db, decode: SQLiteLedgerStore.account(from:)) {
            state.accounts[account.id] = account
        }
        return state
    }

    /// Runs `sql (?, ?, ...)` over `keys` in chunks that stay under SQLite's parameter limit.
    static func fetch<T>(_ keys: [String], sql: String, db: Database, decode: (Row) throws -> T) throws -> [T] {
        var values: [T] = []
        var start = 0
        while start < keys.count {
            let chunk = Array(keys[start..<min(start + 500, keys.count)])
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            values += try Row.fetchAll(db, sql: "\(sql) (\(placeholders))", arguments: StatementArguments(chunk)).map(decode)
            start += chunk.count
        }
        return values
    }
}
