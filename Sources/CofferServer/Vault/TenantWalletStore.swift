public import CofferStorage
import Foundation
import GRDB
import WalletCore

/// A vault wallet as one tenant sees it: the vault's id and the tenant's own name for it.
public struct TenantWallet: Sendable, Equatable {
    public let seq: Int64
    public let tenantID: String
    public let walletID: String
    public let name: String
}

/// One deposit address handed out by the server, with where it comes from and who it is for.
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
}

/// Filters of `GET /v1/addresses`; every one is optional.
public struct AddressQuery: Sendable {
    public var walletID: String?
    public var chain: String?
    public var ownerID: String?
    public var purpose: String?
    public var limit: Int
    public var after: Int64?
}

/// Tenant ownership of vault wallets, address counters and handed-out addresses, in the
/// embedded database beside the vault (the same file, so a wallet row and its owner live together).
public final class TenantWalletStore: Sendable {
    let database: CofferDatabase

    public init(database: CofferDatabase) { self.database = database }

    /// The vault-wide name of a tenant's wallet: vault names are unique across the whole vault,
    /// tenants' names only within the tenant.
    public static func vaultName(tenantID: String, name: String) -> String { "\(tenantID)/\(name)" }

    public func nameTaken(tenantID: String, name: String) throws -> Bool {
        try database.pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM server_wallets WHERE tenant_id = ? AND name = ?", arguments: [tenantID, name]) != nil
        }
    }

    /// Records, inside a caller's transaction (the vault's, as it stores the wallet), that
    /// `tenantID` owns `walletID`; false when the tenant already has a wallet named `name`.
    static func register(tenantID: String, walletID: String, name: String, at time: String, db: Database) throws -> Bool {
        try db.execute(sql: "INSERT OR IGNORE INTO server_wallets (tenant_id, wallet_id, name, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [tenantID, walletID, name, time])
        return db.changesCount == 1
    }

    /// A tenant's wallet by vault id or by the tenant's name for it; nil for any other tenant's.
    public func wallet(tenantID: String, reference: String) throws -> TenantWallet? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT seq, tenant_id, wallet_id, name FROM server_wallets WHERE tenant_id = ? AND (wallet_id = ? OR name = ?)
                ORDER BY wallet_id = ? DESC LIMIT 1
                """, arguments: [tenantID, reference, reference, reference]).map(Self.wallet)
        }
    }

    /// A page of a tenant's wallets in creation order, after `seq`.
    public func wallets(tenantID: String, limit: Int, after: Int64?) throws -> [TenantWallet] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT seq, tenant_id, wallet_id, name FROM server_wallets WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?
                """, arguments: [tenantID, after ?? 0, limit]).map(Self.wallet)
        }
    }

    /// Every vault wallet id of a tenant (for filtering the shared audit log).
    public func walletIDs(tenantID: String) throws -> Set<String> {
        try database.pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT wallet_id FROM server_wallets WHERE tenant_id = ?", arguments: [tenantID]))
        }
    }

    static func wallet(_ row: Row) -> TenantWallet {
        TenantWallet(seq: row["seq"], tenantID: row["tenant_id"], walletID: row["wallet_id"], name: row["name"])
    }

    /// Hands out the next `count` unused indexes of `walletID` in `format` and stores their
    /// addresses, in ONE write transaction: SQLite's single writer serialises concurrent
    /// requests, so no index is ever handed out twice, and a failure stores nothing and
    /// consumes no index. `derive` must be pure computation (it runs inside the transaction).
    public func allocate(
        tenantID: String, walletID: String, chain: String, format: String, count: UInt32,
        label: String?, ownerID: String?, purpose: String?, at time: String,
        derive: @Sendable (Range<UInt32>) throws -> [DerivedAddress]
    ) throws -> [TenantAddress] {
        try database.pool.write { db in
            let next = try Int64.fetchOne(db, sql: "SELECT next_index FROM server_address_counters WHERE wallet_id = ? AND format = ?",
                                          arguments: [walletID, format]) ?? 0
            let end = next + Int64(count)
            guard end <= Int64(ChildIndex.hardenedOffset) else { throw AddressSpaceExhausted(next: next) }
            let records = try derive(UInt32(next)..<UInt32(end))
            try db.execute(sql: """
                INSERT INTO server_address_counters (wallet_id, format, next_index) VALUES (?, ?, ?)
                ON CONFLICT (wallet_id, format) DO UPDATE SET next_index = excluded.next_index
                """, arguments: [walletID, format, end])
            var stored: [TenantAddress] = []
            stored.reserveCapacity(records.count)
            let statement = try db.makeStatement(sql: """
                INSERT INTO server_addresses (tenant_id, wallet_id, lookup, address, chain, format, address_index, path, label, owner_id, purpose, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for record in records {
                try statement.execute(arguments: [
                    tenantID, walletID, AddressLookup.key(record.address), record.address, chain, format, Int64(record.index), record.path,
                    label, ownerID, purpose, time,
                ])
                stored.append(TenantAddress(
                    seq: db.lastInsertedRowID, walletID: walletID, address: record.address, chain: chain, format: format, index: record.index,
                    path: record.path, label: label, ownerID: ownerID, purpose: purpose, createdAt: time))
            }
            return stored
        }
    }

    /// A page of a tenant's addresses matching `query`, in the order they were handed out.
    public func addresses(tenantID: String, _ query: AddressQuery) throws -> [TenantAddress] {
        var conditions = ["tenant_id = ?", "seq > ?"]
        var arguments: StatementArguments = [tenantID, query.after ?? 0]
        for (column, value) in [("wallet_id", query.walletID), ("chain", query.chain), ("owner_id", query.ownerID), ("purpose", query.purpose)] {
            if let value {
                conditions.append("\(column) = ?")
                arguments += [value]
            }
        }
        arguments += [query.limit]
        let sql = "SELECT * FROM server_addresses WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT ?"
        return try database.pool.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.address) }
    }

    /// The tenant's record of `address` (hex addresses in any case, Bech32 in either case).
    public func address(tenantID: String, _ address: String) throws -> TenantAddress? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM server_addresses WHERE tenant_id = ? AND lookup = ?",
                             arguments: [tenantID, AddressLookup.key(address)]).map(Self.address)
        }
    }

    static func address(_ row: Row) -> TenantAddress {
        TenantAddress(
            seq: row["seq"], walletID: row["wallet_id"], address: row["address"], chain: row["chain"], format: row["format"],
            index: UInt32(clamping: row["address_index"] as Int64), path: row["path"], label: row["label"], ownerID: row["owner_id"],
            purpose: row["purpose"], createdAt: row["created_at"])
    }
}

/// The wallet has used up its 2^31 non-hardened indexes in a format.
public struct AddressSpaceExhausted: Error, Sendable {
    public let next: Int64
}

/// How addresses are compared: hex (Ethereum) and Bech32 (bc1/tb1) case-insensitively, since
/// their case carries no meaning beyond a checksum; Base58 (TRON, Solana, legacy Bitcoin) exactly.
enum AddressLookup {
    static func key(_ address: String) -> String {
        let lower = address.lowercased()
        return lower.hasPrefix("0x") || lower.hasPrefix("bc1") || lower.hasPrefix("tb1") ? lower : address
    }
}
