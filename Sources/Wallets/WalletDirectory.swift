public import CofferBase
public import CofferStorage
import Foundation
public import WalletCore

/// A vault wallet as one tenant sees it: the vault's id and the tenant's own name for it.
public struct TenantWallet: Sendable, Equatable {
    public let seq: Int64
    public let tenantID: String
    public let walletID: String
    public let name: String

    public var cursor: PageCursor { PageCursor(position: UInt64(seq)) }
}

/// One deposit address handed out, with where it comes from and who it is for.
public struct TenantAddress: Sendable, Equatable {
    public let seq: Int64
    public let walletID: String
    public let address: String
    public let chain: String
    /// The address format key, e.g. "bitcoin:p2wpkh:mainnet" or "ethereum".
    public let format: String
    public let index: UInt32
    public let path: String
    public let label: String?
    public let ownerID: String?
    public let purpose: String?
    public let createdAt: String

    public var cursor: PageCursor { PageCursor(position: UInt64(seq)) }
}

/// Filters of an address listing; every one is optional.
public struct AddressQuery: Sendable {
    public var walletID: String?
    public var chain: String?
    public var ownerID: String?
    public var purpose: String?

    public init(walletID: String? = nil, chain: String? = nil, ownerID: String? = nil, purpose: String? = nil) {
        self.walletID = walletID
        self.chain = chain
        self.ownerID = ownerID
        self.purpose = purpose
    }
}

/// The wallet has used up its 2^31 non-hardened indexes in a format.
public struct AddressSpaceExhausted: CofferError, Equatable {
    public let remaining: Int64
    public let format: String
    public var code: String { "address-space-exhausted" }
    public var category: ErrorCategory { .rejected }
    public var description: String { "the wallet has \(remaining) unused indexes left in \(format)" }
}

/// Which tenant owns which vault wallet, and the deposit addresses handed out from each: one
/// implementation over `SQLDatabase`, so several `coffer serve` processes on one PostgreSQL
/// database share wallets and never hand out an address twice.
public struct WalletDirectory: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    /// Records, inside a caller's transaction (the vault's, as it stores the wallet), that
    /// `tenantID` owns `walletID` as `name`; false when the tenant already has a wallet so named.
    public static func register(tenantID: String, walletID: String, name: String, at time: String, on connection: any SQLConnection) throws -> Bool {
        try connection.execute("""
            INSERT INTO server_wallets (tenant_id, wallet_id, name, created_at) VALUES (\(tenantID), \(walletID), \(name), \(time))
            ON CONFLICT DO NOTHING
            """) == 1
    }

    public func nameTaken(tenantID: String, name: String) async throws -> Bool {
        try await database.read { connection in
            try connection.queryOne("SELECT 1 FROM server_wallets WHERE tenant_id = \(tenantID) AND name = \(name)", { _ in true }) != nil
        }
    }

    static let walletColumns = "seq, tenant_id, wallet_id, name"

    static func wallet(_ row: any SQLRow) throws -> TenantWallet {
        TenantWallet(seq: try row.int64(0), tenantID: try row.text(1), walletID: try row.text(2), name: try row.text(3))
    }

    /// A tenant's wallet by vault id or by the tenant's name for it; nil for any other tenant's.
    public func wallet(tenantID: String, reference: String) async throws -> TenantWallet? {
        try await database.read { connection in
            try connection.queryOne("""
                SELECT \(raw: Self.walletColumns) FROM server_wallets WHERE tenant_id = \(tenantID) AND (wallet_id = \(reference) OR name = \(reference))
                ORDER BY CASE WHEN wallet_id = \(reference) THEN 0 ELSE 1 END LIMIT 1
                """, Self.wallet)
        }
    }

    /// A page of a tenant's wallets in the order they were created.
    public func wallets(tenantID: String, page: PageRequest) async throws -> Page<TenantWallet> {
        let after = Int64(clamping: page.after?.position ?? 0)
        let rows = try await database.read { connection in
            try connection.query("""
                SELECT \(raw: Self.walletColumns) FROM server_wallets WHERE tenant_id = \(tenantID) AND seq > \(after) ORDER BY seq LIMIT \(page.limit + 1)
                """, Self.wallet)
        }
        return Page.keyset(rows, limit: page.limit, cursor: \.cursor)
    }

    /// Every vault wallet id of a tenant (for the tenant's view of the shared audit log).
    public func walletIDs(tenantID: String) async throws -> Set<String> {
        try await database.read { connection in
            Set(try connection.query("SELECT wallet_id FROM server_wallets WHERE tenant_id = \(tenantID)") { try $0.text(0) })
        }
    }

    /// Hands out the next `count` unused indexes of `walletID` in `format` and stores their
    /// addresses, in ONE transaction: the counter's row is advanced atomically first (a row lock
    /// on PostgreSQL, the single writer on SQLite), so concurrent requests, in any number of
    /// processes, never get the same index, and a failure stores nothing and consumes no index.
    /// `derive` must be pure computation (it runs inside the transaction).
    public func allocate(
        tenantID: String, walletID: String, chain: String, format: String, count: UInt32,
        label: String?, ownerID: String?, purpose: String?, at time: String,
        derive: @escaping @Sendable (Range<UInt32>) throws -> [DerivedAddress],
        alongside: (@Sendable ([TenantAddress], any SQLConnection) throws -> Void)? = nil
    ) async throws -> [TenantAddress] {
        try await database.write { connection in
            let addresses = try Self.allocate(
                tenantID: tenantID, walletID: walletID, chain: chain, format: format, count: count, label: label, ownerID: ownerID,
                purpose: purpose, at: time, derive: derive, on: connection)
            try alongside?(addresses, connection)
            return addresses
        }
    }

    /// The operator's (the CLI's without `--tenant`) directory entry for a vault wallet: the tenant
    /// that owns it, or "" (the operator) after recording the operator as its owner, in the caller's
    /// transaction. The operator's addresses are counted and recorded like a tenant's, so an index
    /// is never handed out twice whoever asks.
    public static func operatorOwner(walletID: String, name: String, at time: String, on connection: any SQLConnection) throws -> String {
        if let owner = try connection.queryOne("SELECT tenant_id FROM server_wallets WHERE wallet_id = \(walletID)", { try $0.text(0) }) {
            return owner
        }
        _ = try connection.execute("""
            INSERT INTO server_wallets (tenant_id, wallet_id, name, created_at) VALUES ('', \(walletID), \(name), \(time)) ON CONFLICT DO NOTHING
            """)
        return try connection.queryOne("SELECT tenant_id FROM server_wallets WHERE wallet_id = \(walletID)", { try $0.text(0) }) ?? ""
    }

    /// `allocate` on a caller's connection.
    public static func allocate(
        tenantID: String, walletID: String, chain: String, format: String, count: UInt32,
        label: String?, ownerID: String?, purpose: String?, at time: String,
        derive: (Range<UInt32>) throws -> [DerivedAddress], on connection: any SQLConnection
    ) throws -> [TenantAddress] {
        let end = try connection.queryOne("""
            INSERT INTO server_address_counters (wallet_id, format, next_index) VALUES (\(walletID), \(format), \(Int64(count)))
            ON CONFLICT (wallet_id, format) DO UPDATE SET next_index = server_address_counters.next_index + \(Int64(count))
            RETURNING next_index
            """) { try $0.int64(0) } ?? 0
        let start = end - Int64(count)
        guard end <= Int64(ChildIndex.hardenedOffset) else {
            throw AddressSpaceExhausted(remaining: Int64(ChildIndex.hardenedOffset) - start, format: format)
        }
        return try derive(UInt32(start)..<UInt32(end)).map { record in
            let seq = try connection.queryOne("""
                INSERT INTO server_addresses (tenant_id, wallet_id, lookup, address, chain, format, address_index, path, label, owner_id, purpose, created_at)
                VALUES (\(tenantID), \(walletID), \(AddressLookup.key(record.address)), \(record.address), \(chain), \(format), \(Int64(record.index)),
                        \(record.path), \(label), \(ownerID), \(purpose), \(time))
                RETURNING seq
                """) { try $0.int64(0) } ?? 0
            return TenantAddress(
                seq: seq, walletID: walletID, address: record.address, chain: chain, format: format, index: record.index,
                path: record.path, label: label, ownerID: ownerID, purpose: purpose, createdAt: time)
        }
    }

    static let addressColumns = "seq, wallet_id, address, chain, format, address_index, path, label, owner_id, purpose, created_at"

    static func address(_ row: any SQLRow) throws -> TenantAddress {
        TenantAddress(
            seq: try row.int64(0), walletID: try row.text(1), address: try row.text(2), chain: try row.text(3), format: try row.text(4),
            index: UInt32(clamping: try row.int64(5)), path: try row.text(6), label: try row.optionalText(7), ownerID: try row.optionalText(8),
            purpose: try row.optionalText(9), createdAt: try row.text(10))
    }

    /// A page of a tenant's addresses matching `query`, in the order they were handed out.
    public func addresses(tenantID: String, _ query: AddressQuery, page: PageRequest) async throws -> Page<TenantAddress> {
        var conditions: [SQL] = ["tenant_id = \(tenantID)", "seq > \(Int64(clamping: page.after?.position ?? 0))"]
        if let wallet = query.walletID { conditions.append("wallet_id = \(wallet)") }
        if let chain = query.chain { conditions.append("chain = \(chain)") }
        if let owner = query.ownerID { conditions.append("owner_id = \(owner)") }
        if let purpose = query.purpose { conditions.append("purpose = \(purpose)") }
        let sql: SQL = "SELECT \(raw: Self.addressColumns) FROM server_addresses WHERE " + SQL.joined(conditions, separator: " AND ")
            + " ORDER BY seq LIMIT \(page.limit + 1)"
        let rows = try await database.read { connection in try connection.query(sql, Self.address) }
        return Page.keyset(rows, limit: page.limit, cursor: \.cursor)
    }

    /// The tenant's record of `address` (hex addresses in any case, Bech32 in either case).
    public func address(tenantID: String, _ address: String) async throws -> TenantAddress? {
        try await database.read { connection in
            try connection.queryOne("""
                SELECT \(raw: Self.addressColumns) FROM server_addresses WHERE tenant_id = \(tenantID) AND lookup = \(AddressLookup.key(address))
                """, Self.address)
        }
    }
}

/// How addresses are compared: hex (Ethereum) and Bech32 (bc1/tb1) case-insensitively, since
/// their case carries no meaning beyond a checksum; Base58 (TRON, Solana, legacy Bitcoin) exactly.
enum AddressLookup {
    static func key(_ address: String) -> String {
        let lower = address.lowercased()
        return lower.hasPrefix("0x") || lower.hasPrefix("bc1") || lower.hasPrefix("tb1") ? lower : address
    }
}
