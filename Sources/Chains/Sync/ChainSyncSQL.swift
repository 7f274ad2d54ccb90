import CofferBase
public import CofferStorage

/// A deposit's identity on its chain: the transaction, the output or log, and the token.
public struct DepositKey: Sendable, Hashable {
    public let transactionID: String
    public let index: UInt32
    /// "" for the native asset.
    public let token: String

    public init(transactionID: String, index: UInt32, token: String) {
        self.transactionID = transactionID
        self.index = index
        self.token = token
    }
}

/// The statements of a sync step, on the connection of the transaction that commits the step.
public enum ChainSyncSQL {
    static func cursor(chain: String, on connection: any SQLConnection) throws -> SyncCursor? {
        try connection.queryOne("SELECT next_height, last_hash FROM chain_cursors WHERE chain = \(chain)") {
            SyncCursor(nextHeight: UInt64(clamping: try $0.int64(0)), lastHash: try $0.optionalText(1))
        }
    }

    /// Moves the cursor from `old` to `new`, or throws when another syncer moved it first: the
    /// whole step (credits included) then rolls back and is redone from the new position.
    static func advance(chain: String, from old: SyncCursor, to new: SyncCursor, on connection: any SQLConnection) throws {
        let moved = try connection.execute("""
            UPDATE chain_cursors SET next_height = \(Int64(new.nextHeight)), last_hash = \(new.lastHash)
            WHERE chain = \(chain) AND next_height = \(Int64(old.nextHeight)) AND last_hash IS NOT DISTINCT FROM \(old.lastHash)
            """)
        guard moved == 1 else {
            throw ChainError(.unavailable, "sync-raced", "another syncer moved chain \(chain) on; this step was rolled back and will be redone")
        }
    }

    static func recordBlock(chain: String, _ ref: BlockRef, parent: String, keep: UInt64, on connection: any SQLConnection) throws {
        _ = try connection.execute("""
            INSERT INTO chain_blocks (chain, height, hash, parent) VALUES (\(chain), \(Int64(ref.height)), \(ref.hash), \(parent))
            ON CONFLICT (chain, height) DO UPDATE SET hash = excluded.hash, parent = excluded.parent
            """)
        if ref.height > keep {
            _ = try connection.execute("DELETE FROM chain_blocks WHERE chain = \(chain) AND height < \(Int64(ref.height - keep))")
        }
    }

    static func blockHash(chain: String, height: UInt64, on connection: any SQLConnection) throws -> String? {
        try connection.queryOne("SELECT hash FROM chain_blocks WHERE chain = \(chain) AND height = \(Int64(height))") { try $0.text(0) }
    }

    static func deleteBlock(chain: String, height: UInt64, on connection: any SQLConnection) throws {
        _ = try connection.execute("DELETE FROM chain_blocks WHERE chain = \(chain) AND height = \(Int64(height))")
    }

    /// The watched addresses among `keys` (lookup keys): one indexed probe each, up to
    /// `probesPerStatement` of them in one statement (`lookup IN (...)`), so a block's thousands
    /// of outputs cost a few statements rather than one each.
    /// Which of `transactions` are Coffer's own internal movements (registered before they were broadcast).
    public static func internalTransactions(chain: String, among transactions: Set<String>, on connection: any SQLConnection) throws -> Set<String> {
        var found: Set<String> = []
        try inLists(Array(transactions)) { list in
            for txid in try connection.query("SELECT txid FROM chain_internal_transactions WHERE chain = \(chain) AND txid IN \(list: list)", { try $0.text(0) }) {
                found.insert(txid)
            }
        }
        return found
    }

    /// Registers a transaction that moves Coffer's own coins (a sweep, a gas top-up), before it is
    /// broadcast: the syncer then credits nothing it pays to watched addresses.
    public static func registerInternal(chain: String, transactionID: String, on connection: any SQLConnection) throws {
        try connection.execute("INSERT INTO chain_internal_transactions (chain, txid) VALUES (\(chain), \(transactionID)) ON CONFLICT DO NOTHING")
    }

    public static func watched(chain: String, keys: some Collection<String>, on connection: any SQLConnection) throws -> [String: WatchedAddress] {
        var found: [String: WatchedAddress] = [:]
        try inLists(Array(keys)) { list in
            for entry in try connection.query("""
                SELECT lookup, address, account, wallet_id, path, invoice_id FROM chain_watch WHERE chain = \(chain) AND lookup IN \(list: list)
                """, {
                    (try $0.text(0), WatchedAddress(chain: chain, address: try $0.text(1), account: try $0.text(2), walletID: try $0.text(3),
                                                   path: try $0.text(4), invoiceID: try $0.optionalText(5)))
                }) {
                found[entry.0] = entry.1
            }
        }
        return found
    }

    /// Calls `body` with `keys` in lists of at most `probesPerStatement`, for `IN` lists. Each list
    /// has one of a few lengths (the last key repeated), so each length is prepared once per
    /// connection and cached; a repeated key matches nothing more.
    static func inLists(_ keys: [String], _ body: ([String]) throws -> Void) throws {
        var start = 0
        while start < keys.count {
            let end = min(start + probesPerStatement, keys.count)
            let length = listLengths.first { $0 >= end - start } ?? probesPerStatement
            try body(Array(keys[start..<end]) + Array(repeating: keys[end - 1], count: length - (end - start)))
            start = end
        }
    }

    /// The most lookup keys in one statement of `watched` (PostgreSQL allows 65,535 parameters,
    /// SQLite 32,766).
    static let probesPerStatement = 500
    /// The lengths of `watched`'s lists.
    static let listLengths = [1, 10, 100, probesPerStatement]

    static let depositColumns = """
        seq, chain, scope, txid, output_index, token, address, account, asset, amount, block_height, block_hash, status, credit_id, reversal_id, \
        generation, invoice_id, seen_at, updated_at
        """

    static func deposit(_ row: any SQLRow) throws -> Deposit {
        Deposit(
            seq: try row.int64(0), chain: try row.text(1), scope: try row.text(2), transactionID: try row.text(3), index: UInt32(clamping: try row.int64(4)),
            token: try row.text(5), address: try row.text(6), account: try row.text(7), asset: try row.text(8), amount: try row.amount(9, "amount"),
            blockHeight: try row.optionalInt64(10).map { UInt64(clamping: $0) }, blockHash: try row.optionalText(11),
            status: DepositStatus(rawValue: try row.text(12)) ?? .seen, creditID: try row.optionalText(13), reversalID: try row.optionalText(14),
            generation: try row.int64(15), invoiceID: try row.optionalText(16), seenAt: try row.int64(17), updatedAt: try row.int64(18))
    }

    static func deposit(chain: String, _ key: DepositKey, on connection: any SQLConnection) throws -> Deposit? {
        try connection.queryOne("""
            SELECT \(raw: depositColumns) FROM chain_deposits
            WHERE chain = \(chain) AND txid = \(key.transactionID) AND output_index = \(Int64(key.index)) AND token = \(key.token)
            """, deposit)
    }

    /// The recorded deposits among `keys`: a few statements for all of them (`txid IN (...)`,
    /// lists of the same few lengths as `watched`'s), not one per deposit.
    static func deposits(chain: String, _ keys: some Collection<DepositKey>, on connection: any SQLConnection) throws -> [DepositKey: Deposit] {
        let wanted = Set(keys)
        var found: [DepositKey: Deposit] = [:]
        try inLists(Array(Set(wanted.map(\.transactionID)))) { list in
            for deposit in try connection.query("""
                SELECT \(raw: depositColumns) FROM chain_deposits WHERE chain = \(chain) AND txid IN \(list: list)
                """, deposit) where wanted.contains(deposit.key) {
                found[deposit.key] = deposit
            }
        }
        return found
    }

    /// Confirming deposits in blocks at or below `height`: those that reach the confirmation count.
    static func due(chain: String, atOrBelow height: UInt64, on connection: any SQLConnection) throws -> [Deposit] {
        try connection.query("""
            SELECT \(raw: depositColumns) FROM chain_deposits
            WHERE chain = \(chain) AND status = 'confirming' AND block_height <= \(Int64(height)) ORDER BY seq
            """, deposit)
    }

    static func inBlock(chain: String, hash: String, on connection: any SQLConnection) throws -> [Deposit] {
        try connection.query("SELECT \(raw: depositColumns) FROM chain_deposits WHERE chain = \(chain) AND block_hash = \(hash) ORDER BY seq", deposit)
    }

    /// Deposits outside any block that are still open (seen, or credited and reorganised out of
    /// their block): the syncer asks the node about them while it waits at the tip.
    static func unconfirmed(chain: String, unchangedSince: Int64, limit: Int, on connection: any SQLConnection) throws -> [Deposit] {
        try connection.query("""
            SELECT \(raw: depositColumns) FROM chain_deposits
            WHERE chain = \(chain) AND block_hash IS NULL AND status IN ('seen', 'credited') AND updated_at <= \(unchangedSince)
            ORDER BY updated_at, seq LIMIT \(limit)
            """, deposit)
    }

    static func insert(_ deposit: Deposit, on connection: any SQLConnection) throws -> Int64 {
        try connection.queryOne("""
            INSERT INTO chain_deposits (chain, scope, txid, output_index, token, address, account, asset, amount, block_height, block_hash, status,
                                        credit_id, reversal_id, generation, invoice_id, seen_at, updated_at)
            VALUES (\(deposit.chain), \(deposit.scope), \(deposit.transactionID), \(Int64(deposit.index)), \(deposit.token), \(deposit.address),
                    \(deposit.account), \(deposit.asset), \(deposit.amount), \(deposit.blockHeight.map { Int64($0) }), \(deposit.blockHash),
                    \(deposit.status.rawValue), \(deposit.creditID), \(deposit.reversalID), \(deposit.generation), \(deposit.invoiceID),
                    \(deposit.seenAt), \(deposit.updatedAt))
            RETURNING seq
            """) { try $0.int64(0) } ?? 0
    }

    static func update(_ deposit: Deposit, on connection: any SQLConnection) throws {
        _ = try connection.execute("""
            UPDATE chain_deposits SET block_height = \(deposit.blockHeight.map { Int64($0) }), block_hash = \(deposit.blockHash),
                status = \(deposit.status.rawValue), credit_id = \(deposit.creditID), reversal_id = \(deposit.reversalID),
                generation = \(deposit.generation), updated_at = \(deposit.updatedAt)
            WHERE seq = \(deposit.seq)
            """)
    }
}

extension Deposit {
    var key: DepositKey { DepositKey(transactionID: transactionID, index: index, token: token) }

    /// The same deposit in another state.
    func with(status: DepositStatus? = nil, block: BlockRef?? = nil, creditID: String?? = nil, reversalID: String?? = nil,
              generation: Int64? = nil, at time: Int64) -> Deposit {
        let newBlock: BlockRef? = block ?? blockHeight.flatMap { height in blockHash.map { BlockRef(height: height, hash: $0) } }
        return Deposit(
            seq: seq, chain: chain, scope: scope, transactionID: transactionID, index: index, token: token, address: address, account: account,
            asset: asset, amount: amount, blockHeight: newBlock?.height, blockHash: newBlock?.hash, status: status ?? self.status,
            creditID: creditID ?? self.creditID, reversalID: reversalID ?? self.reversalID, generation: generation ?? self.generation,
            invoiceID: invoiceID, seenAt: seenAt, updatedAt: time)
    }
}
