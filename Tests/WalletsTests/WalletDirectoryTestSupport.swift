import CofferBase
import CofferStorage
import CofferTestSupport
import Foundation
import Testing
import Vault
import WalletCore
import Wallets

/// A vault and its wallet directory in one database of their own, on either engine.
struct TemporaryDirectory {
    let storage: TestDatabase
    let vault: Vault
    let directory: WalletDirectory
    static let passphrase = SecretBytes(Array("correct horse battery".utf8))
    static let time = "2026-01-01T00:00:00.000Z"

    init(_ engine: TestEngine, initializeVault: Bool = true) async throws {
        storage = try await TestDatabase.make(
            engine, sqlite: VaultMigrations.sqlite + WalletMigrations.sqlite, postgres: VaultMigrations.postgres + WalletMigrations.postgres)
        vault = Vault(store: VaultStore(database: storage.database), actor: "test")
        directory = WalletDirectory(database: storage.database)
        if initializeVault { try await vault.initialize(passphrase: Self.passphrase, parameters: .insecureTesting) }
    }

    private init(storage: TestDatabase, vault: Vault) {
        self.storage = storage
        self.vault = vault
        directory = WalletDirectory(database: storage.database)
    }

    /// The same database opened by another process (its own connections or pool).
    func reopened() async throws -> TemporaryDirectory {
        let again = try await storage.reopened()
        return TemporaryDirectory(storage: again, vault: Vault(store: VaultStore(database: again.database), actor: "test"))
    }

    /// Records that `tenant` owns `walletID` as `name` in a transaction of its own (for tests
    /// about the directory alone; the vault's own transaction is tested separately).
    func register(tenant: String, walletID: String, name: String) async throws -> Bool {
        try await storage.database.write { connection in
            try WalletDirectory.register(tenantID: tenant, walletID: walletID, name: name, at: Self.time, on: connection)
        }
    }

    /// Allocates `count` addresses with a stand-in derivation (the directory's contract is about
    /// indexes, not keys): index i of a wallet gets the address `0xAbC<wallet>-<format>-<i>`.
    func allocate(
        tenant: String = "t1", walletID: String, format: String = "ethereum", count: UInt32,
        label: String? = nil, owner: String? = nil, purpose: String? = nil,
        derive: (@Sendable (Range<UInt32>) throws -> [DerivedAddress])? = nil
    ) async throws -> [TenantAddress] {
        try await directory.allocate(
            tenantID: tenant, walletID: walletID, chain: "ethereum", format: format, count: count, label: label, ownerID: owner,
            purpose: purpose, at: Self.time, derive: derive ?? { range in Self.derive(walletID: walletID, format: format, range) })
    }

    static func derive(walletID: String, format: String, _ range: Range<UInt32>) -> [DerivedAddress] {
        range.map { index in
            DerivedAddress(index: index, path: "m/44'/60'/0'/0/\(index)", address: "0xAbC\(walletID)-\(format)-\(index)", publicKey: [])
        }
    }

    /// The stored counter of `walletID` in `format`; nil before its first allocation.
    func counter(walletID: String, format: String = "ethereum") async throws -> Int64? {
        try await storage.database.read { connection in
            try connection.queryOne("SELECT next_index FROM server_address_counters WHERE wallet_id = \(walletID) AND format = \(format)") {
                try $0.int64(0)
            }
        }
    }
}

/// Every page of a listing, checking each page's size and cursor on the way.
func allPages<Item: Sendable>(limit: Int, _ fetch: (PageCursor?) async throws -> Page<Item>) async throws -> (items: [Item], pages: Int) {
    let walk = try await PageWalk(limit: limit, fetch)
    #expect(walk.isWellFormed, "pages \(walk.pages)")
    return (walk.items, walk.pages.count)
}
