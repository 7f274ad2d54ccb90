public import CofferBase
public import CofferStorage

/// Chains, tokens, watched addresses, deposits and the syncers' cursors, over either database.
/// The writes of a sync step are static functions over a connection (`ChainSyncSQL`), so they
/// join the ledger commit that credits the deposits.
public struct ChainStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    // MARK: Chains and tokens

    static let chainColumns = """
        name, scope, network, rpc_url, cookie_file, rpc_user, password_file, confirmations, start_height, asset, custody_account, created_at
        """

    static func chain(_ row: any SQLRow) throws -> ChainConfig {
        ChainConfig(
            name: try row.text(0), scope: try row.text(1), network: try row.text(2), rpcURL: try row.text(3), cookieFile: try row.optionalText(4),
            rpcUser: try row.optionalText(5), passwordFile: try row.optionalText(6), confirmations: UInt32(clamping: try row.int64(7)),
            startHeight: UInt64(clamping: try row.int64(8)), asset: try row.text(9), custodyAccount: try row.text(10), createdAt: try row.text(11))
    }

    /// Adds a chain with its cursor at the start height; false when a chain of that name exists.
    public func add(_ chain: ChainConfig) async throws -> Bool {
        try await database.write { connection in
            let inserted = try connection.execute("""
                INSERT INTO chain_configs (\(raw: Self.chainColumns)) VALUES (\(chain.name), \(chain.scope), \(chain.network), \(chain.rpcURL),
                    \(chain.cookieFile), \(chain.rpcUser), \(chain.passwordFile), \(Int64(chain.confirmations)), \(Int64(chain.startHeight)),
                    \(chain.asset), \(chain.custodyAccount), \(chain.createdAt))
                ON CONFLICT DO NOTHING
                """) == 1
            if inserted {
                _ = try connection.execute("INSERT INTO chain_cursors (chain, next_height, last_hash) VALUES (\(chain.name), \(Int64(chain.startHeight)), NULL)")
            }
            return inserted
        }
    }

    public func chain(_ name: String) async throws -> ChainConfig? {
        try await database.read { connection in
            try connection.queryOne("SELECT \(raw: Self.chainColumns) FROM chain_configs WHERE name = \(name)", Self.chain)
        }
    }

    /// The chains of one scope (a tenant's, or "" for the operator's), or every chain when nil.
    public func chains(scope: String?) async throws -> [ChainConfig] {
        try await database.read { connection in
            if let scope {
                return try connection.query("SELECT \(raw: Self.chainColumns) FROM chain_configs WHERE scope = \(scope) ORDER BY name", Self.chain)
            }
            return try connection.query("SELECT \(raw: Self.chainColumns) FROM chain_configs ORDER BY name", Self.chain)
        }
    }

    /// Registers a token; false when the chain has it already.
    public func add(_ token: ChainToken) async throws -> Bool {
        try await database.write { connection in
            try connection.execute("""
                INSERT INTO chain_tokens (chain, contract, asset, decimals) VALUES (\(token.chain), \(token.contract), \(token.asset), \(Int64(token.decimals)))
                ON CONFLICT DO NOTHING
                """) == 1
        }
    }

    public func tokens(chain: String) async throws -> [ChainToken] {
        try await database.read { connection in
            try connection.query("SELECT chain, contract, asset, decimals FROM chain_tokens WHERE chain = \(chain) ORDER BY contract") {
                ChainToken(chain: try $0.text(0), contract: try $0.text(1), asset: try $0.text(2), decimals: UInt8(clamping: try $0.int64(3)))
            }
        }
    }

    // MARK: Cursor and lease

    public func cursor(chain: String) async throws -> SyncCursor? {
        try await database.read { connection in try ChainSyncSQL.cursor(chain: chain, on: connection) }
    }

    /// Takes or renews the right to sync `chain` until `now + seconds`: granted when nobody holds
    /// it, `owner` holds it, or the holder's lease ran out. Several syncers (several `coffer serve`
    /// processes) therefore take turns rather than race; the cursor's compare-and-set in every
    /// step keeps even an overlap (a paused holder whose lease ran out) from applying a block twice.
    public func lease(chain: String, owner: String, now: Int64, seconds: Int64) async throws -> Bool {
        try await database.write { connection in
            try connection.execute("""
                UPDATE chain_cursors SET lease_owner = \(owner), lease_until = \(now + seconds)
                WHERE chain = \(chain) AND (lease_owner IS NULL OR lease_owner = \(owner) OR lease_until < \(now))
                """) == 1
        }
    }

    /// Gives the lease up (a syncer that stops), so another can take over at once.
    public func release(chain: String, owner: String) async throws {
        _ = try await database.write { connection in
            try connection.execute("UPDATE chain_cursors SET lease_owner = NULL, lease_until = 0 WHERE chain = \(chain) AND lease_owner = \(owner)")
        }
    }

    // MARK: Watched addresses

    /// Binds addresses to accounts, on a caller's connection (the transaction that hands the
    /// addresses out). An address already watched on the chain is refused by the primary key.
    public static func watch(_ entries: [WatchedAddress], on connection: any SQLConnection) throws {
        for entry in entries {
            _ = try connection.execute("""
                INSERT INTO chain_watch (chain, lookup, address, account, wallet_id, path, invoice_id)
                VALUES (\(entry.chain), \(WatchedAddress.lookupKey(entry.address)), \(entry.address), \(entry.account), \(entry.walletID), \(entry.path), \(entry.invoiceID))
                """)
        }
    }

    public func watched(chain: String, address: String) async throws -> WatchedAddress? {
        try await database.read { connection in
            try ChainSyncSQL.watched(chain: chain, keys: [WatchedAddress.lookupKey(address)], on: connection).values.first
        }
    }

    // MARK: Deposits

    /// Filters of a deposit listing.
    public struct DepositQuery: Sendable {
        public var scope: String?
        public var chain: String?
        public var account: String?
        public var status: DepositStatus?
        public var invoiceID: String?

        public init(scope: String? = nil, chain: String? = nil, account: String? = nil, status: DepositStatus? = nil, invoiceID: String? = nil) {
            self.scope = scope
            self.chain = chain
            self.account = account
            self.status = status
            self.invoiceID = invoiceID
        }
    }

    /// A page of deposits in the order they were first seen.
    public func deposits(_ query: DepositQuery, page: PageRequest) async throws -> Page<Deposit> {
        var conditions: [SQL] = ["seq > \(Int64(clamping: page.after?.position ?? 0))"]
        if let scope = query.scope { conditions.append("scope = \(scope)") }
        if let chain = query.chain { conditions.append("chain = \(chain)") }
        if let account = query.account { conditions.append("account = \(account)") }
        if let status = query.status { conditions.append("status = \(status.rawValue)") }
        if let invoice = query.invoiceID { conditions.append("invoice_id = \(invoice)") }
        let sql: SQL = "SELECT \(raw: ChainSyncSQL.depositColumns) FROM chain_deposits WHERE " + SQL.joined(conditions, separator: " AND ")
            + " ORDER BY seq LIMIT \(page.limit + 1)"
        let rows = try await database.read { connection in try connection.query(sql, ChainSyncSQL.deposit) }
        return Page.keyset(rows, limit: page.limit, cursor: { PageCursor(position: UInt64($0.seq)) })
    }

    /// The synced heights of chains by name (for confirmation counts).
    public func syncedHeights() async throws -> [String: UInt64] {
        try await database.read { connection in
            var heights: [String: UInt64] = [:]
            for (chain, cursor) in try connection.query("SELECT chain, next_height, last_hash FROM chain_cursors", {
                (try $0.text(0), SyncCursor(nextHeight: UInt64(clamping: try $0.int64(1)), lastHash: try $0.optionalText(2)))
            }) {
                if let height = cursor.height { heights[chain] = height }
            }
            return heights
        }
    }

    // MARK: Events

    /// Events after `sequence` in order (a tenant's only, or every event for nil).
    public func events(scope: String?, after sequence: Int64, limit: Int) async throws -> [OutboxEvent] {
        try await database.read { connection in
            if let scope {
                return try connection.query("""
                    SELECT \(raw: EventOutbox.columns) FROM events WHERE scope = \(scope) AND seq > \(sequence) ORDER BY seq LIMIT \(limit)
                    """, EventOutbox.event)
            }
            return try connection.query("SELECT \(raw: EventOutbox.columns) FROM events WHERE seq > \(sequence) ORDER BY seq LIMIT \(limit)", EventOutbox.event)
        }
    }

    /// The greatest sequence number committed; 0 when there is no event. Appenders commit in
    /// sequence order, so every event up to it is committed once this is read.
    public func lastEventSequence() async throws -> Int64 {
        try await database.read { connection in
            try connection.queryOne("SELECT COALESCE(MAX(seq), 0) FROM events") { try $0.int64(0) } ?? 0
        }
    }
}
