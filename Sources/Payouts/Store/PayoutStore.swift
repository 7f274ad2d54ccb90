public import CofferBase
public import CofferStorage
import WalletCore

/// Payouts, batches, attempts, spent outputs, change and leases over either database. Every
/// state change is a compare-and-set on the status it was decided from, and the writes that go
/// with a ledger commit are static functions over its connection (they run as its companion).
public struct PayoutStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    // MARK: Hot wallets

    static let hotWalletColumns = "chain, wallet_id, address, path, fee_account, treasury_account, fallback_fee_rate, max_fee_rate, created_at"

    static func hotWallet(_ row: any SQLRow) throws -> HotWallet {
        HotWallet(chain: try row.text(0), walletID: try row.text(1), address: try row.text(2), path: try row.text(3), feeAccount: try row.text(4),
                  treasuryAccount: try row.text(5), fallbackFeeRate: UInt64(clamping: try row.int64(6)), maximumFeeRate: UInt64(clamping: try row.int64(7)),
                  createdAt: try row.int64(8))
    }

    public func hotWallet(chain: String) async throws -> HotWallet? {
        try await database.read { connection in try Self.hotWallet(chain: chain, on: connection) }
    }

    public static func hotWallet(chain: String, on connection: any SQLConnection) throws -> HotWallet? {
        try connection.queryOne("SELECT \(raw: hotWalletColumns) FROM payout_hot_wallets WHERE chain = \(chain)", hotWallet)
    }

    /// Records a chain's hot wallet, on the connection that handed its address out.
    public static func insert(_ wallet: HotWallet, on connection: any SQLConnection) throws {
        try connection.execute("""
            INSERT INTO payout_hot_wallets (\(raw: hotWalletColumns)) VALUES (\(wallet.chain), \(wallet.walletID), \(wallet.address), \(wallet.path),
                \(wallet.feeAccount), \(wallet.treasuryAccount), \(Int64(clamping: wallet.fallbackFeeRate)), \(Int64(clamping: wallet.maximumFeeRate)), \(wallet.createdAt))
            """)
    }

    /// Changes a hot wallet's fee settings.
    public func setFeeRates(chain: String, fallback: UInt64, maximum: UInt64) async throws {
        _ = try await database.write { connection in
            try connection.execute("""
                UPDATE payout_hot_wallets SET fallback_fee_rate = \(Int64(clamping: fallback)), max_fee_rate = \(Int64(clamping: maximum)) WHERE chain = \(chain)
                """)
        }
    }

    // MARK: Payouts

    static let payoutColumns = """
        id, scope, chain, account, destination, asset, token, amount, fee_hold, status, reason, batch_id, txid, fee, confirmations, block_height, \
        transfer_base, created_at, updated_at, request_hash, kind, source_address, source_path, route, sweep_max_fee_rate, sweep_max_inputs
        """
    /// The column after `payoutColumns` (the sequence number, where a query adds it).
    static let sequenceColumn = 26

    static func payout(_ row: any SQLRow) throws -> Payout {
        let kind = PayoutKind(rawValue: try row.text(20)) ?? .payout
        let transfers = PayoutTransfers(base: try row.text(16))
        return Payout(
            id: try row.text(0), scope: try row.text(1), chain: try row.text(2), account: try row.text(3), destination: try row.text(4),
            asset: try row.text(5), token: try row.text(6), amount: try row.amount(7, "amount"), feeHold: try row.amount(8, "fee_hold"),
            status: PayoutStatus(rawValue: try row.text(9)) ?? .failed, reason: try row.optionalText(10), batchID: try row.optionalText(11),
            transactionID: try row.optionalText(12), fee: try row.amountDigits(13), confirmations: UInt64(clamping: try row.int64(14)),
            blockHeight: try row.optionalInt64(15).map { UInt64(clamping: $0) }, transferID: kind.holdsAmount ? transfers.holdAmount : transfers.holdFee,
            createdAt: try row.int64(17), updatedAt: try row.int64(18), kind: kind,
            source: try row.optionalText(21).map { PayoutSource(address: $0, path: try row.optionalText(22) ?? "") }, route: try row.optionalText(23),
            sweepLimits: try row.optionalInt64(24).map { SweepLimits(maximumFeeRate: UInt64(clamping: $0), maximumInputs: Int(clamping: try row.optionalInt64(25) ?? 1)) })
    }

    /// A stored payout and the hash of the request that created it (to tell a repeat from a reuse).
    public struct Stored: Sendable {
        public let payout: Payout
        public let requestHash: String
        public let transferBase: String
    }

    static func stored(_ row: any SQLRow) throws -> Stored {
        Stored(payout: try payout(row), requestHash: try row.text(19), transferBase: try row.text(16))
    }

    public func payout(_ id: String) async throws -> Stored? {
        try await database.read { connection in try Self.payout(id, on: connection) }
    }

    public static func payout(_ id: String, on connection: any SQLConnection) throws -> Stored? {
        try connection.queryOne("SELECT \(raw: payoutColumns) FROM payouts WHERE id = \(id)", stored)
    }

    /// Stores a payout as the reservation's companion (or alone, when it is rejected).
    public static func insert(_ payout: Payout, transferBase: String, requestHash: String, on connection: any SQLConnection) throws {
        try connection.execute("""
            INSERT INTO payouts (id, scope, chain, account, destination, asset, token, amount, fee_hold, status, reason, transfer_base, request_hash, created_at, updated_at,
                kind, source_address, source_path, route, sweep_max_fee_rate, sweep_max_inputs)
            VALUES (\(payout.id), \(payout.scope), \(payout.chain), \(payout.account), \(payout.destination), \(payout.asset), \(payout.token), \(payout.amount),
                \(payout.feeHold), \(payout.status.rawValue), \(payout.reason), \(transferBase), \(requestHash), \(payout.createdAt), \(payout.updatedAt),
                \(payout.kind.rawValue), \(payout.source?.address), \(payout.source?.path), \(payout.route),
                \(payout.sweepLimits.map { Int64(clamping: $0.maximumFeeRate) }), \(payout.sweepLimits.map { Int64($0.maximumInputs) }))
            """)
    }

    /// Filters of a payout listing.
    public struct Query: Sendable {
        public var scope: String?
        public var chain: String?
        public var status: PayoutStatus?
        public var batchID: String?

        public init(scope: String? = nil, chain: String? = nil, status: PayoutStatus? = nil, batchID: String? = nil) {
            self.scope = scope
            self.chain = chain
            self.status = status
            self.batchID = batchID
        }
    }

    /// A page of payouts in the order they were created.
    public func payouts(_ query: Query, page: PageRequest) async throws -> Page<Payout> {
        var conditions: [SQL] = ["seq > \(Int64(clamping: page.after?.position ?? 0))"]
        if let scope = query.scope { conditions.append("scope = \(scope)") }
        if let chain = query.chain { conditions.append("chain = \(chain)") }
        if let status = query.status { conditions.append("status = \(status.rawValue)") }
        if let batch = query.batchID { conditions.append("batch_id = \(batch)") }
        let sql: SQL = "SELECT \(raw: Self.payoutColumns), seq FROM payouts WHERE " + SQL.joined(conditions, separator: " AND ") + " ORDER BY seq LIMIT \(page.limit + 1)"
        let rows = try await database.read { connection in try connection.query(sql) { Queued(payout: try Self.payout($0), sequence: try $0.int64(Self.sequenceColumn)) } }
        return Page.keyset(rows, limit: page.limit, cursor: { PageCursor(position: UInt64($0.sequence)) }).map(\.payout)
    }

    /// A reserved payout waiting for a batch, with its sequence number.
    public struct Queued: Sendable {
        public let payout: Payout
        public let sequence: Int64
    }

    /// Reserved payouts of a chain and kind waiting for a batch, oldest first.
    public func queued(chain: String, limit: Int, kinds: [PayoutKind] = [.payout]) async throws -> [Queued] {
        let kindNames = kinds.map(\.rawValue)
        return try await database.read { connection in
            try connection.query("""
                SELECT \(raw: Self.payoutColumns), seq FROM payouts WHERE chain = \(chain) AND status = 'reserved' AND batch_id IS NULL AND kind IN \(list: kindNames)
                ORDER BY seq LIMIT \(limit)
                """) { Queued(payout: try Self.payout($0), sequence: try $0.int64(Self.sequenceColumn)) }
        }
    }

    public static func payouts(batch: String, on connection: any SQLConnection) throws -> [Stored] {
        try connection.query("SELECT \(raw: payoutColumns) FROM payouts WHERE batch_id = \(batch) ORDER BY seq", stored)
    }

    public func payouts(batch: String) async throws -> [Stored] {
        try await database.read { connection in try Self.payouts(batch: batch, on: connection) }
    }

    // MARK: Batches and attempts

    static let batchColumns = "id, chain, status, attempt, conflict_height, reason, created_at, updated_at"

    static func batch(_ row: any SQLRow) throws -> PayoutBatch {
        PayoutBatch(id: try row.text(0), chain: try row.text(1), status: PayoutStatus(rawValue: try row.text(2)) ?? .failed, attempt: Int(try row.int64(3)),
                    conflictHeight: try row.optionalInt64(4).map { UInt64(clamping: $0) }, reason: try row.optionalText(5),
                    createdAt: try row.int64(6), updatedAt: try row.int64(7))
    }

    static let attemptColumns = "batch_id, number, unsigned, signing_request, raw, txid, fee, size, broadcast_at, change_index, change_amount, change_address, change_path"

    static func attempt(_ row: any SQLRow) throws -> PayoutAttempt {
        PayoutAttempt(batchID: try row.text(0), number: Int(try row.int64(1)), unsigned: try row.text(2), signingRequest: try row.text(3),
                      raw: try row.optionalText(4).map { try Hex.decode($0) }, transactionID: try row.optionalText(5), fee: try row.amount(6, "fee"),
                      size: UInt64(clamping: try row.int64(7)), broadcastAt: try row.optionalInt64(8),
                      change: try row.optionalInt64(9).map { index in
                          ChangeOutput(index: UInt32(clamping: index), amount: UInt64(clamping: try row.amount(10, "change_amount")),
                                       address: try row.text(11), path: try row.text(12))
                      })
    }

    /// The chain's batches that are not final, oldest first.
    public func openBatches(chain: String) async throws -> [PayoutBatch] {
        try await database.read { connection in
            try connection.query("""
                SELECT \(raw: Self.batchColumns) FROM payout_batches WHERE chain = \(chain) AND status NOT IN ('settled', 'rejected', 'compensated') ORDER BY created_at, id
                """, Self.batch)
        }
    }

    public func batch(_ id: String) async throws -> PayoutBatch? {
        try await database.read { connection in try connection.queryOne("SELECT \(raw: Self.batchColumns) FROM payout_batches WHERE id = \(id)", Self.batch) }
    }

    public func attempts(batch: String) async throws -> [PayoutAttempt] {
        try await database.read { connection in
            try connection.query("SELECT \(raw: Self.attemptColumns) FROM payout_attempts WHERE batch_id = \(batch) ORDER BY number", Self.attempt)
        }
    }

    /// An output by transaction id and index.
    public struct OutPoint: Sendable, Hashable {
        public let transactionID: String
        public let index: UInt32
    }

    /// The outputs a batch spends.
    public func spends(batch: String) async throws -> [OutPoint] {
        try await database.read { connection in
            try connection.query("SELECT txid, output_index FROM payout_spends WHERE batch_id = \(batch) ORDER BY txid, output_index") {
                OutPoint(transactionID: try $0.text(0), index: UInt32(clamping: try $0.int64(1)))
            }
        }
    }

    /// Creates a batch of reserved payouts with its first attempt (unsigned) and claims the
    /// outputs it spends, in one transaction. Refused (false) when one of the payouts was batched
    /// meanwhile or an output was claimed by another batch: the caller builds again.
    public func createBatch(_ batch: PayoutBatch, attempt: PayoutAttempt, payouts: [String], spends: [SpendableOutput],
                            alongside: @escaping @Sendable (any SQLConnection) throws -> Void = { _ in }) async throws -> Bool {
        do {
            return try await database.write { connection in
            for spend in spends {
                let claimed = try connection.execute("""
                    INSERT INTO payout_spends (chain, txid, output_index, batch_id) VALUES (\(batch.chain), \(spend.transactionID), \(Int64(spend.index)), \(batch.id))
                    ON CONFLICT DO NOTHING
                    """)
                guard claimed == 1 else { throw BatchRace() }
            }
            try Self.insert(batch, taking: payouts, on: connection)
            try Self.insert(attempt, on: connection)
            try alongside(connection)
            return true
            }
        } catch is BatchRace {
            return false
        }
    }

    struct BatchRace: Error {}

    /// Stores a new batch and takes its payouts (still reserved and in no batch, else `BatchRace`).
    static func insert(_ batch: PayoutBatch, taking payouts: [String], on connection: any SQLConnection) throws {
        for id in payouts {
            let taken = try connection.execute("""
                UPDATE payouts SET batch_id = \(batch.id), updated_at = \(batch.createdAt) WHERE id = \(id) AND status = 'reserved' AND batch_id IS NULL
                """)
            guard taken == 1 else { throw BatchRace() }
        }
        try connection.execute("""
            INSERT INTO payout_batches (\(raw: batchColumns)) VALUES (\(batch.id), \(batch.chain), \(batch.status.rawValue), \(Int64(batch.attempt)),
                NULL, NULL, \(batch.createdAt), \(batch.updatedAt))
            """)
    }

    static func insert(_ attempt: PayoutAttempt, on connection: any SQLConnection) throws {
        try connection.execute("""
            INSERT INTO payout_attempts (\(raw: attemptColumns)) VALUES (\(attempt.batchID), \(Int64(attempt.number)), \(attempt.unsigned), \(attempt.signingRequest),
                \(attempt.raw.map { Hex.encode($0) }), \(attempt.transactionID), \(attempt.fee), \(Int64(clamping: attempt.size)), \(attempt.broadcastAt),
                \(attempt.change.map { Int64($0.index) }), \(attempt.change.map { UInt128($0.amount) }), \(attempt.change?.address), \(attempt.change?.path))
            """)
    }

    /// Adds a replacement attempt (unsigned) when the batch is still at attempt `after`.
    public func addAttempt(_ attempt: PayoutAttempt, after previous: Int, at time: Int64) async throws -> Bool {
        try await database.write { connection in
            let moved = try connection.execute("""
                UPDATE payout_batches SET attempt = \(Int64(attempt.number)), updated_at = \(time) WHERE id = \(attempt.batchID) AND attempt = \(Int64(previous))
                """)
            guard moved == 1 else { return false }
            try Self.insert(attempt, on: connection)
            return true
        }
    }

    /// Moves a batch and its payouts from one of `from` to `to`, with an optional reason and
    /// extra writes; false when the batch was not in one of `from` (another worker moved it).
    public func move(batch: String, from: Set<PayoutStatus>, to: PayoutStatus, reason: String? = nil, at time: Int64,
                     alongside: @escaping @Sendable (any SQLConnection) throws -> Void = { _ in }) async throws -> Bool {
        try await database.write { connection in
            guard try Self.move(batch: batch, from: from, to: to, reason: reason, at: time, on: connection) else { return false }
            try alongside(connection)
            return true
        }
    }

    /// `move` on the caller's connection (a ledger commit's companion).
    public static func move(batch: String, from: Set<PayoutStatus>, to: PayoutStatus, reason: String?, at time: Int64, on connection: any SQLConnection) throws -> Bool {
        let states = SQL.joined(from.sorted { $0.rawValue < $1.rawValue }.map { "\($0.rawValue)" }, separator: ", ")
        let moved = try connection.execute("UPDATE payout_batches SET status = \(to.rawValue), reason = COALESCE(\(reason), reason), updated_at = \(time) WHERE id = \(batch) AND status IN (" + states + ")")
        guard moved == 1 else { return false }
        try connection.execute("UPDATE payouts SET status = \(to.rawValue), reason = COALESCE(\(reason), reason), updated_at = \(time) WHERE batch_id = \(batch)")
        return true
    }

    /// Stores an attempt's signed transaction (before it is ever broadcast).
    public static func storeSigned(batch: String, attempt: Int, raw: [UInt8], transactionID: String, on connection: any SQLConnection) throws {
        try connection.execute("""
            UPDATE payout_attempts SET raw = \(Hex.encode(raw)), txid = \(transactionID) WHERE batch_id = \(batch) AND number = \(Int64(attempt)) AND raw IS NULL
            """)
        // The payouts show the transaction that pays them from the first signature on: the
        // latest signed attempt (a fee replacement), then the one that confirmed.
        try connection.execute("UPDATE payouts SET txid = \(transactionID) WHERE batch_id = \(batch)")
        // Coffer's own movements are no deposits where they pay its watched addresses.
        try connection.execute("""
            INSERT INTO chain_internal_transactions (chain, txid) SELECT DISTINCT chain, CAST(\(transactionID) AS TEXT) FROM payouts WHERE batch_id = \(batch) AND kind <> 'payout'
            ON CONFLICT DO NOTHING
            """)
    }

    /// Notes the first broadcast of an attempt.
    public func markBroadcast(batch: String, attempt: Int, at time: Int64) async throws {
        _ = try await database.write { connection in
            try connection.execute("""
                UPDATE payout_attempts SET broadcast_at = \(time) WHERE batch_id = \(batch) AND number = \(Int64(attempt)) AND broadcast_at IS NULL
                """)
        }
    }

    public func setConflictHeight(batch: String, height: UInt64?, at time: Int64) async throws {
        _ = try await database.write { connection in
            try connection.execute("UPDATE payout_batches SET conflict_height = \(height.map { Int64(clamping: $0) }), updated_at = \(time) WHERE id = \(batch)")
        }
    }

    /// Records the confirmations of the transaction that paid a batch's payouts.
    public static func recordConfirmations(batch: String, transactionID: String, confirmations: UInt64, height: UInt64, at time: Int64, on connection: any SQLConnection) throws {
        try connection.execute("""
            UPDATE payouts SET txid = \(transactionID), confirmations = \(Int64(clamping: confirmations)), block_height = \(Int64(clamping: height)), updated_at = \(time)
            WHERE batch_id = \(batch)
            """)
    }

    /// Where a sweep's coins go and how much it moves, once its transaction is built.
    public static func setSweepOutput(payout: String, destination: String, amount: UInt128, on connection: any SQLConnection) throws {
        try connection.execute("UPDATE payouts SET destination = \(destination), amount = \(amount) WHERE id = \(payout) AND kind = 'sweep'")
    }

    public static func recordFee(payout: String, fee: UInt128, on connection: any SQLConnection) throws {
        try connection.execute("UPDATE payouts SET fee = \(fee) WHERE id = \(payout)")
    }

    /// Frees the outputs a batch claimed, except `keep` (outputs someone else spent: gone for good).
    public static func release(batch: String, keep: [OutPoint], on connection: any SQLConnection) throws {
        try connection.execute("DELETE FROM payout_spends WHERE batch_id = \(batch)")
        for spend in keep {
            let txid = spend.transactionID, index = spend.index
            try connection.execute("""
                INSERT INTO payout_spends (chain, txid, output_index, batch_id)
                SELECT chain, \(txid), \(Int64(index)), 'spent-elsewhere' FROM payout_batches WHERE id = \(batch) ON CONFLICT DO NOTHING
                """)
        }
    }

    public static func insertChange(chain: String, output: SpendableOutput, batch: String, on connection: any SQLConnection) throws {
        try connection.execute("""
            INSERT INTO payout_change (chain, txid, output_index, amount, address, wallet_id, path, batch_id)
            VALUES (\(chain), \(output.transactionID), \(Int64(output.index)), \(UInt128(output.amount)), \(output.address), \(output.walletID), \(output.path), \(batch))
            ON CONFLICT DO NOTHING
            """)
    }

    // MARK: Spendable outputs

    /// Change outputs of settled batches that no batch spends, of one wallet.
    public func unspentChange(chain: String, walletID: String) async throws -> [SpendableOutput] {
        try await database.read { connection in
            try connection.query("""
                SELECT c.txid, c.output_index, c.amount, c.address, c.wallet_id, c.path FROM payout_change c
                WHERE c.chain = \(chain) AND c.wallet_id = \(walletID)
                  AND NOT EXISTS (SELECT 1 FROM payout_spends s WHERE s.chain = c.chain AND s.txid = c.txid AND s.output_index = c.output_index)
                """) {
                SpendableOutput(transactionID: try $0.text(0), index: UInt32(clamping: try $0.int64(1)), amount: UInt64(clamping: try $0.amount(2, "amount")),
                                address: try $0.text(3), walletID: try $0.text(4), path: try $0.text(5))
            }
        }
    }

    /// A credited native deposit: an output of Coffer's.
    public struct DepositOutput: Sendable {
        public let transactionID: String
        public let index: UInt32
        public let amount: UInt128
        public let address: String
    }

    /// Credited native deposits of a chain that no batch spends.
    public func unspentDeposits(chain: String) async throws -> [DepositOutput] {
        try await database.read { connection in
            try connection.query("""
                SELECT d.txid, d.output_index, d.amount, d.address FROM chain_deposits d
                WHERE d.chain = \(chain) AND d.token = '' AND d.status = 'credited'
                  AND NOT EXISTS (SELECT 1 FROM payout_spends s WHERE s.chain = d.chain AND s.txid = d.txid AND s.output_index = d.output_index)
                """) { DepositOutput(transactionID: try $0.text(0), index: UInt32(clamping: try $0.int64(1)), amount: try $0.amount(2, "amount"), address: try $0.text(3)) }
        }
    }

    // MARK: Leases

    /// Takes or renews the right to run `chain`'s pipeline until `now + seconds`.
    public func lease(chain: String, owner: String, now: Int64, seconds: Int64) async throws -> Bool {
        try await database.write { connection in
            try connection.execute("INSERT INTO payout_leases (chain, owner, lease_until) VALUES (\(chain), '', 0) ON CONFLICT DO NOTHING")
            return try connection.execute("""
                UPDATE payout_leases SET owner = \(owner), lease_until = \(now + seconds)
                WHERE chain = \(chain) AND (owner = '' OR owner = \(owner) OR lease_until < \(now))
                """) == 1
        }
    }

    public func release(chain: String, owner: String) async throws {
        _ = try await database.write { connection in
            try connection.execute("UPDATE payout_leases SET owner = '', lease_until = 0 WHERE chain = \(chain) AND owner = \(owner)")
        }
    }

    /// The chains with payouts that are not final (the worker's to-do list).
    public func busyChains() async throws -> [String] {
        try await database.read { connection in
            try connection.query("SELECT DISTINCT chain FROM payouts WHERE status NOT IN ('settled', 'rejected', 'compensated') ORDER BY chain") { try $0.text(0) }
        }
    }
}
