import CofferStorage
import CofferBase
import Foundation
import PostgresNIO

/// One group commit on PostgreSQL: take the ledger's commit lock, load the snapshot the batches
/// need, decide them (`LedgerCommitPlan`), and write every row with one statement per table
/// (arrays bound as parameters and `unnest`ed), whatever the batch size.
enum PostgresLedgerCommit {
    /// The transaction-scoped advisory lock every commit holds ("coffer-l" as 8 bytes).
    static let commitLockKey: Int64 = 0x636f_6666_6572_2d6c

    /// Decides and writes `batches` in one transaction. `cache` (the accounts as this process's
    /// last commit left them) is trusted only while the ledger's last batch is the one it
    /// recorded, checked under the commit lock, so other processes' commits empty it; it is
    /// updated once COMMIT returned and emptied on any error.
    ///
    /// As on SQLite, the batches are first decided without looking up their own transfer ids; a
    /// unique violation on `ledger_transfers_pkey`, or a rejected transfer whose id is stored,
    /// rolls back to a savepoint and decides them again against the full snapshot.
    static func commit(
        _ batches: [[Transfer]], admissions: [LedgerCommitAdmission?] = [], companions: [LedgerCommitCompanion?], database: PostgresPool, now: UInt64,
        cache: LedgerAccountCache
    ) async throws -> LedgerCommitResult {
        do {
            // READ COMMITTED, set explicitly, and the lock in a statement of its own: every later
            // statement takes a fresh snapshot, so it sees the commit that held the lock before us. (A
            // snapshot taken before the lock was granted, by REPEATABLE READ or by reading in the
            // locking statement itself, could miss it.)
            let (results, accounts, head) = try await database.transaction(
                "committing ledger transfers", begin: "BEGIN ISOLATION LEVEL READ COMMITTED"
            ) { connection in
                try await connection.execute("SELECT pg_advisory_xact_lock(\(commitLockKey))")
                // The head, and the first admitter's prelude read with it (one round trip).
                let prelude = LedgerAdmissions.prelude(batches, admissions, dialect: .postgres)
                let (previous, lastTimestamp, preludeRows) = try await readHead(carrying: prelude, connection: connection)
                cache.validate(against: previous)

                // Admissions read and write on this connection under the commit lock, blocking a
                // thread of their own like companions. Their deferred writes ride on the snapshot
                // read (`decide`), which reads only the ledger's own tables.
                let deferred = SQLDeferredWrites()
                var admission = (batches: batches, admitted: Array(repeating: true, count: batches.count))
                if admissions.contains(where: { $0 != nil }) {
                    admission = try await Blocking.run {
                        try LedgerAdmissions.apply(batches, admissions, prelude: preludeRows?.map { SQLRowSuffix($0, from: readHeadColumns) },
                                                   connection: PostgresBlockingConnection(connection: connection, deferring: deferred))
                    }
                }
                let decision = try await decide(admission.batches, previous: previous, lastTimestamp: UInt64(clamping: lastTimestamp), connection: connection,
                                                now: now, cache: cache, carrying: deferred)
                if let writes = deferred.flushed() { try await connection.execute(PostgresQuery(writes)) }
                // Companions write on this transaction's connection, blocking a thread of their own
                // (they are written once for both databases against `SQLConnection`).
                let decided = decision
                if companions.contains(where: { $0 != nil }) {
                    try await Blocking.run {
                        let blocking = PostgresBlockingConnection(connection: connection)
                        for (companion, results) in zip(companions, decided.results.results) { try companion?(results, blocking) }
                    }
                }
                var answered = decided
                answered.results.admitted = admission.admitted
                return answered
            }
            cache.committed(accounts, head: head)
            return results
        } catch {
            cache.clear()
            throw error
        }
    }

    /// The ledger's head (last batch, latest timestamp) and, when `prelude` is given, its rows:
    /// one statement whose rows join the single head row to each of the prelude's (a prelude of no
    /// rows still leaves the head's); the prelude's columns start at `readHeadColumns`.
    static func readHead(
        carrying prelude: CofferStorage.SQL?, connection: PostgresConnection
    ) async throws -> (previous: LedgerBatchHead?, lastTimestamp: Int64, prelude: [PostgresRowReader]?) {
        let head: CofferStorage.SQL = """
            SELECT (SELECT seq FROM ledger_batches ORDER BY seq DESC LIMIT 1) AS seq,
                   (SELECT hash FROM ledger_batches ORDER BY seq DESC LIMIT 1) AS hash,
                   GREATEST((SELECT MAX(timestamp) FROM ledger_transfers), (SELECT MAX(timestamp) FROM ledger_pending_outcomes), 0) AS last_timestamp
            """
        let sql = prelude.map { "SELECT h.*, p.* FROM (" + head + ") h LEFT JOIN (SELECT 1 AS carried, q.* FROM (" + $0 + ") q) p ON true" } ?? head
        let rows = try await connection.rows(PostgresQuery(sql)).map(PostgresRowReader.init)
        guard let row = rows.first else { throw LedgerError.internalFailure("PostgreSQL returned no ledger head") }
        let previous = try row.optionalInt64(0).map { LedgerBatchHead(seq: $0, hash: try row.blob(1)) }
        return (previous, try row.int64(2), prelude == nil ? nil : rows.filter { !$0.isNull(readHeadColumns - 1) })
    }

    /// The columns before a prelude's in `readHead`'s rows: the head's three and `carried`.
    static let readHeadColumns = 4

    /// Decides `batches` under the commit lock and writes them: optimistically first, then against
    /// the full snapshot when the optimistic decision met a stored id. The first snapshot read
    /// carries the writes `deferred` collected.
    static func decide(
        _ batches: [[Transfer]], previous: LedgerBatchHead?, lastTimestamp last: UInt64, connection: PostgresConnection, now: UInt64,
        cache: LedgerAccountCache, carrying deferred: SQLDeferredWrites? = nil
    ) async throws -> (results: LedgerCommitResult, accounts: [LedgerID: Account], head: LedgerBatchHead?) {
                let transfers = batches.flatMap { $0 }
                let optimistic = LedgerCommitPlan(deciding: batches, against: try await snapshot(
                    for: transfers, lastTimestamp: last, connection: connection, now: now, cached: cache.accounts, ownIDs: false,
                    carrying: deferred), now: now)
                if try await !anyStored(optimistic.rejectedIDs(batches), connection: connection) {
                    try await connection.execute("SAVEPOINT ledger_optimistic")
                    do {
                        let head = try await write(optimistic, previous: previous, connection: connection, now: now)
                        try await connection.execute("RELEASE ledger_optimistic")
                        return (LedgerCommitResult(optimistic, admitted: []), optimistic.accounts, head)
                    } catch let error as PSQLError where isStoredTransferID(error) {
                        try await connection.execute("ROLLBACK TO ledger_optimistic")
                        try await connection.execute("RELEASE ledger_optimistic")
                    }
                }
                let plan = LedgerCommitPlan(deciding: batches, against: try await snapshot(
                    for: transfers, lastTimestamp: last, connection: connection, now: now, cached: cache.accounts, ownIDs: true), now: now)
                return (LedgerCommitResult(plan, admitted: []), plan.accounts, try await write(plan, previous: previous, connection: connection, now: now))
    }

    /// Whether a statement failed on the transfer table's primary key: the id is stored already.
    static func isStoredTransferID(_ error: PSQLError) -> Bool {
        error.serverInfo?[.sqlState] == "23505" && error.serverInfo?[.constraintName] == "ledger_transfers_pkey"
    }

    /// Whether any of these transfer ids is stored.
    static func anyStored(_ ids: [String], connection: PostgresConnection) async throws -> Bool {
        guard !ids.isEmpty else { return false }
        return try await !connection.rows(PostgresQuery(
            unsafeSQL: "SELECT 1 FROM ledger_transfers WHERE id = ANY($1) LIMIT 1", binds: PostgresLedgerStore.binds(ids))).isEmpty
    }

    /// Writes what `plan` decided as the batch after `previous`; returns the new head (`previous`
    /// when the plan changes nothing).
    static func write(_ plan: LedgerCommitPlan, previous: LedgerBatchHead?, connection: PostgresConnection, now: UInt64) async throws -> LedgerBatchHead? {
        guard !plan.isEmpty else { return previous }
        let seq = (previous?.seq ?? 0) + 1
        let previousHash = previous?.hash ?? LedgerBatchHash.genesis
        let hash = LedgerBatchHash.compute(previous: previousHash, seq: seq, transfers: plan.created, outcomes: plan.outcomes)
        try await connection.execute("""
            INSERT INTO ledger_batches (seq, timestamp, transfer_count, outcome_count, prev_hash, hash)
            VALUES (\(seq), \(Int64(clamping: now)), \(Int32(plan.created.count)), \(Int32(plan.outcomes.count)),
                    \(Data(previousHash)), \(Data(hash)))
            """)
        try await insertTransfers(plan.created, balances: plan.transferBalances, batch: seq, connection: connection)
        try await insertOutcomes(plan.outcomes, batch: seq, connection: connection)
        try await insertHistory(plan.expiryBalances, connection: connection)
        try await updateBalances(plan.finalBalances(), connection: connection)
        return LedgerBatchHead(seq: seq, hash: hash)
    }

    /// The accounts, transfers and pending outcomes these transfers can touch, and every pending
    /// transfer already due to expire. Accounts in `cached` (already validated) are not loaded;
    /// without `ownIDs` the transfers' own ids are not looked up, only the pending ids they name.
    static func snapshot(
        for transfers: [Transfer], lastTimestamp: UInt64, connection: PostgresConnection, now: UInt64,
        cached: [LedgerID: Account], ownIDs: Bool, carrying deferred: SQLDeferredWrites? = nil
    ) async throws -> LedgerState {
        var state = LedgerState()
        state.lastTimestamp = lastTimestamp
        let first = Int64(clamping: LedgerEngine.firstTimestamp(now: now, after: lastTimestamp))
        let columns = PostgresLedgerStore.transferColumns
        // The pending transfers already due to expire, and the transfers the batches name.
        let read: CofferStorage.SQL = """
            SELECT \(raw: columns) FROM ledger_transfers t
            WHERE t.expires_at IS NOT NULL AND t.expires_at <= \(first)
              AND NOT EXISTS (SELECT 1 FROM ledger_pending_outcomes o WHERE o.pending_id = t.id)
            UNION
            SELECT \(raw: columns) FROM ledger_transfers WHERE id = ANY(\(array: LedgerCommitPlan.transferKeys(transfers, ownIDs: ownIDs)))
            """
        let loaded = try await connection.rows(PostgresQuery(deferred?.carried(by: read) ?? read))
            .map { try LedgerRowDecoding.transfer(PostgresRowReader($0)) }
        for transfer in loaded { state.transfers[transfer.id] = transfer }
        let reversalsSQL = "SELECT reference, id FROM ledger_transfers WHERE reference <> '' AND reference = ANY($1)"
        for (reference, id) in try await rows(matching: LedgerCommitPlan.claimedReversals(transfers), reversalsSQL, connection: connection, {
            (try $0.text(0), LedgerID(unchecked: try $0.text(1)))
        }) {
            state.reversals[reference] = id
        }

        let pendingIDs = loaded.filter { $0.flags.contains(.pending) }.map(\.id.value)
        let outcomesSQL = "SELECT \(PostgresLedgerStore.outcomeColumns) FROM ledger_pending_outcomes WHERE pending_id = ANY($1)"
        for outcome in try await rows(matching: pendingIDs, outcomesSQL, connection: connection, LedgerRowDecoding.outcome) {
            state.pendingOutcomes[outcome.pendingID] = outcome
        }
        let missing: [String]
        (state.accounts, missing) = LedgerCommitPlan.accounts(transfers, loaded: loaded, cached: cached)
        for account in try await rows(matching: missing, PostgresLedgerStore.accountsByID, connection: connection, LedgerRowDecoding.account) {
            state.accounts[account.id] = account
        }
        return state
    }

    /// The rows `sql` selects for `keys` (bound as `$1`), decoded; no query for no keys.
    static func rows<T>(
        matching keys: [String], _ sql: String, connection: PostgresConnection, _ decode: (PostgresRowReader) throws -> T
    ) async throws -> [T] {
        guard !keys.isEmpty else { return [] }
        return try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: PostgresLedgerStore.binds(keys)))
            .map { try decode(PostgresRowReader($0)) }
    }

    // Nullable columns travel as arrays of non-null sentinels turned back into NULL by NULLIF:
    // "" for ids and asset codes (never empty when present) and -1 for expiry (never negative).

    static func insertTransfers(
        _ created: [CommittedTransfer], balances: [TransferBalances], batch: Int64, connection: PostgresConnection
    ) async throws {
        guard !created.isEmpty else { return }
        var ids: [String] = [], debits: [String] = [], credits: [String] = [], assets: [String] = [], amounts: [String] = []
        var requestDebits: [String] = [], requestCredits: [String] = [], requestAssets: [String] = [], requestAmounts: [String] = []
        var flags: [Int64] = [], pendingIDs: [String] = [], timeouts: [Int64] = [], codes: [Int64] = []
        var references: [String] = [], metadata: [String] = [], timestamps: [Int64] = [], expiries: [Int64] = []
        for transfer in created {
            let request = transfer.request
            ids.append(transfer.id.value)
            debits.append(transfer.debitAccountID.value)
            credits.append(transfer.creditAccountID.value)
            assets.append(transfer.asset)
            amounts.append(String(transfer.amount))
            requestDebits.append(request.debitAccountID?.value ?? "")
            requestCredits.append(request.creditAccountID?.value ?? "")
            requestAssets.append(request.asset ?? "")
            requestAmounts.append(String(request.amount))
            flags.append(Int64(request.flags.rawValue))
            pendingIDs.append(request.pendingID?.value ?? "")
            timeouts.append(Int64(request.timeout))
            codes.append(Int64(request.code))
            references.append(request.reference)
            metadata.append(request.metadata)
            timestamps.append(Int64(clamping: transfer.timestamp))
            expiries.append(transfer.expiresAt.map { Int64(clamping: $0) } ?? -1)
        }
        // One text array per balance column, in `LedgerMigrations.transferBalanceColumns` order.
        let balanceArrays: [[String]] = [
            balances.map { String($0.debit.debitsPending) }, balances.map { String($0.debit.debitsPosted) },
            balances.map { String($0.debit.creditsPending) }, balances.map { String($0.debit.creditsPosted) },
            balances.map { String($0.credit.debitsPending) }, balances.map { String($0.credit.debitsPosted) },
            balances.map { String($0.credit.creditsPending) }, balances.map { String($0.credit.creditsPosted) },
        ]
        let balanceColumns = LedgerMigrations.transferBalanceColumns
        // Each column travels as one array parameter, typed for unnest.
        let arrays: [(values: any PostgresThrowingDynamicTypeEncodable, type: String)] = [
            (ids, "text"), (debits, "text"), (credits, "text"), (assets, "text"), (amounts, "text"), (requestDebits, "text"),
            (requestCredits, "text"), (requestAssets, "text"), (requestAmounts, "text"), (flags, "int8"), (pendingIDs, "text"),
            (timeouts, "int8"), (codes, "int8"), (references, "text"), (metadata, "text"), (timestamps, "int8"), (expiries, "int8"),
        ] + balanceArrays.map { ($0, "text") }
        var binds = PostgresBindings(capacity: arrays.count)
        for array in arrays { try binds.append(array.values) }
        let unnest = arrays.enumerated().map { "$\($0.offset + 1)::\($0.element.type)[]" }.joined(separator: ", ")
        try await connection.execute(PostgresQuery(unsafeSQL: """
            INSERT INTO ledger_transfers (id, batch, debit_account_id, credit_account_id, asset, amount, request_debit_account_id,
                request_credit_account_id, request_asset, request_amount, flags, pending_id, timeout, code, reference, metadata,
                timestamp, expires_at, \(balanceColumns.joined(separator: ", ")))
            SELECT u.id, \(batch), u.debit, u.credit, u.asset, u.amount::numeric, NULLIF(u.request_debit, ''),
                NULLIF(u.request_credit, ''), NULLIF(u.request_asset, ''), u.request_amount::numeric, u.flags,
                NULLIF(u.pending_id, ''), u.timeout, u.code, u.reference, u.metadata, u.timestamp, NULLIF(u.expires_at, -1),
                \(balanceColumns.map { "u.\($0)::numeric" }.joined(separator: ", "))
            FROM unnest(\(unnest))
                AS u(id, debit, credit, asset, amount, request_debit, request_credit, request_asset, request_amount, flags,
                     pending_id, timeout, code, reference, metadata, timestamp, expires_at, \(balanceColumns.joined(separator: ", ")))
            """, binds: binds))
    }

    static func insertOutcomes(_ outcomes: [PendingOutcome], batch: Int64, connection: PostgresConnection) async throws {
        guard !outcomes.isEmpty else { return }
        try await connection.execute("""
            INSERT INTO ledger_pending_outcomes (pending_id, batch, kind, transfer_id, timestamp)
            SELECT u.pending_id, \(batch), u.kind, NULLIF(u.transfer_id, ''), u.timestamp
            FROM unnest(\(outcomes.map(\.pendingID.value))::text[], \(outcomes.map(\.kind.rawValue))::text[],
                        \(outcomes.map { $0.transferID?.value ?? "" })::text[], \(outcomes.map { Int64(clamping: $0.timestamp) })::int8[])
                AS u(pending_id, kind, transfer_id, timestamp)
            """)
    }

    static func insertHistory(_ changes: [BalanceChange], connection: PostgresConnection) async throws {
        guard !changes.isEmpty else { return }
        let balances = changes.map(\.balances)
        try await connection.execute("""
            INSERT INTO ledger_balance_history (account_id, timestamp, debits_pending, debits_posted, credits_pending, credits_posted)
            SELECT u.account_id, u.timestamp, u.dp::numeric, u.dq::numeric, u.cp::numeric, u.cq::numeric
            FROM unnest(\(changes.map(\.accountID.value))::text[], \(changes.map { Int64(clamping: $0.timestamp) })::int8[],
                        \(balances.map { String($0.debitsPending) })::text[], \(balances.map { String($0.debitsPosted) })::text[],
                        \(balances.map { String($0.creditsPending) })::text[], \(balances.map { String($0.creditsPosted) })::text[])
                AS u(account_id, timestamp, dp, dq, cp, cq)
            """)
    }

    static func updateBalances(_ finals: [(id: LedgerID, balances: AccountBalances)], connection: PostgresConnection) async throws {
        guard !finals.isEmpty else { return }
        let balances = finals.map(\.balances)
        try await connection.execute("""
            UPDATE ledger_account_balances b
            SET debits_pending = u.dp::numeric, debits_posted = u.dq::numeric, credits_pending = u.cp::numeric, credits_posted = u.cq::numeric
            FROM unnest(\(finals.map(\.id.value))::text[],
                        \(balances.map { String($0.debitsPending) })::text[], \(balances.map { String($0.debitsPosted) })::text[],
                        \(balances.map { String($0.creditsPending) })::text[], \(balances.map { String($0.creditsPosted) })::text[])
                AS u(account_id, dp, dq, cp, cq)
            WHERE b.account_id = u.account_id
            """)
    }
}
