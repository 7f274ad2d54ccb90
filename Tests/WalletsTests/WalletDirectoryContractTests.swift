import CofferBase
import CofferStorage
import CofferTestSupport
import Foundation
import Testing
import Vault
import WalletCore
import Wallets

/// The wallet directory's contract on both databases: ownership recorded in the vault's own
/// transaction, lookups and pages that keep tenants apart, and address indexes handed out once,
/// contiguously, by any number of processes.
struct WalletDirectoryContractTests {
    struct NameTaken: Error {}

    /// Adds a vault wallet whose owner is recorded in the same transaction, as the wallet
    /// service does: a name the tenant already uses refuses the whole wallet.
    static func addOwnedWallet(_ unlocked: UnlockedVault, tenant: String, name: String) async throws -> WalletInfo {
        // The vault's own names are unique vault-wide; the tenant's name lives in the directory.
        try await unlocked.addWallet(name: "\(tenant)-\(UUID().uuidString)", secret: .seed(Envelope.randomKey()), origin: "random") { info, connection in
            guard try WalletDirectory.register(tenantID: tenant, walletID: info.id, name: name, at: TemporaryDirectory.time, on: connection) else {
                throw NameTaken()
            }
        }
    }

    @Test(arguments: TestEngine.all) func ownershipIsRecordedInTheVaultsTransaction(engine: TestEngine) async throws {
        let temporary = try await TemporaryDirectory(engine)
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryDirectory.passphrase)
        let main = try await Self.addOwnedWallet(unlocked, tenant: "t1", name: "main")
        let owned = try #require(try await temporary.directory.wallet(tenantID: "t1", reference: "main"))
        #expect(owned.walletID == main.id && owned.name == "main" && owned.tenantID == "t1")
        #expect(try await temporary.directory.wallet(tenantID: "t1", reference: main.id) == owned)
        #expect(try await temporary.directory.wallet(tenantID: "t2", reference: "main") == nil)
        #expect(try await temporary.directory.wallet(tenantID: "t2", reference: main.id) == nil)
        #expect(try await temporary.directory.nameTaken(tenantID: "t1", name: "main"))
        #expect(try await !temporary.directory.nameTaken(tenantID: "t2", name: "main"))

        // The tenant's name is taken: the alongside write refuses, and neither the vault wallet,
        // its audit record nor an ownership row is stored.
        let walletsBefore = try await temporary.vault.wallets()
        let auditBefore = try await temporary.vault.auditRecords()
        await #expect(throws: NameTaken.self) { try await Self.addOwnedWallet(unlocked, tenant: "t1", name: "main") }
        // An alongside that fails after registering takes its registration with it.
        struct Late: Error {}
        await #expect(throws: Late.self) {
            try await unlocked.addWallet(name: "t1/late", secret: .seed(Envelope.randomKey()), origin: "random") { info, connection in
                _ = try WalletDirectory.register(tenantID: "t1", walletID: info.id, name: "late", at: TemporaryDirectory.time, on: connection)
                throw Late()
            }
        }
        #expect(try await temporary.vault.wallets() == walletsBefore)
        #expect(try await temporary.vault.auditRecords() == auditBefore)
        #expect(try await temporary.storage.count("server_wallets") == 1)
        #expect(try await temporary.directory.wallet(tenantID: "t1", reference: "late") == nil)

        // Another tenant may use the same name for its own wallet.
        let theirs = try await Self.addOwnedWallet(unlocked, tenant: "t2", name: "main")
        #expect(try await temporary.directory.wallet(tenantID: "t2", reference: "main")?.walletID == theirs.id)
        #expect(try await temporary.directory.walletIDs(tenantID: "t1") == [main.id])
        #expect(try await temporary.directory.walletIDs(tenantID: "t2") == [theirs.id])
        // One vault wallet has one owner.
        #expect(try await temporary.register(tenant: "t3", walletID: main.id, name: "stolen") == false)
        #expect(try await temporary.directory.walletIDs(tenantID: "t3").isEmpty)
    }

    @Test(arguments: TestEngine.all) func aTenantsWalletsPageInCreationOrder(engine: TestEngine) async throws {
        let temporary = try await TemporaryDirectory(engine, initializeVault: false)
        var mine: [String] = []
        for index in 0..<7 {
            #expect(try await temporary.register(tenant: "t1", walletID: "w\(index)", name: "n\(index)"))
            #expect(try await temporary.register(tenant: "t2", walletID: "x\(index)", name: "n\(index)"))
            mine.append("w\(index)")
        }
        for limit in [1, 2, 3, 7, 100] {
            let (items, pages) = try await allPages(limit: limit) { cursor in
                try await temporary.directory.wallets(tenantID: "t1", page: PageRequest(limit: limit, after: cursor))
            }
            #expect(items.map(\.walletID) == mine, "limit \(limit)")
            #expect(items.allSatisfy { $0.tenantID == "t1" })
            #expect(pages <= 7 / limit + 1, "limit \(limit): \(pages) pages")
        }
    }

    /// Allocations from many tasks in two processes at once: every index is handed out once, the
    /// indexes of a wallet and format are 0..<n without a gap, and the stored counter is n.
    @Test(arguments: TestEngine.all) func concurrentAllocationsNeverRepeatAnIndex(engine: TestEngine) async throws {
        let first = try await TemporaryDirectory(engine, initializeVault: false)
        let second = try await first.reopened()
        #expect(try await first.register(tenant: "t1", walletID: "w1", name: "main"))
        let allocated = try await withThrowingTaskGroup(of: [TenantAddress].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var mine: [TenantAddress] = []
                    for round in 0..<5 {
                        let count = UInt32((task + round) % 3 + 1)
                        let addresses = try await [first, second][task % 2].allocate(walletID: "w1", count: count)
                        #expect(addresses.count == Int(count))
                        // One call's indexes are consecutive.
                        #expect(addresses.map(\.index) == Array(addresses[0].index..<addresses[0].index + count))
                        mine += addresses
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let total = allocated.count
        #expect(total == (0..<8).reduce(0) { sum, task in sum + (0..<5).reduce(0) { $0 + ($1 + task) % 3 + 1 } })
        #expect(allocated.map(\.index).sorted() == (0..<UInt32(total)).map { $0 })
        #expect(try await first.counter(walletID: "w1") == Int64(total))
        // Every allocation is stored once, as returned.
        let (listed, _) = try await allPages(limit: 25) { cursor in
            try await second.directory.addresses(tenantID: "t1", AddressQuery(walletID: "w1"), page: PageRequest(limit: 25, after: cursor))
        }
        #expect(listed.sorted { $0.index < $1.index } == allocated.sorted { $0.index < $1.index })
        #expect(Set(listed.map(\.seq)).count == total)
        // Another format of the same wallet counts from 0 on its own.
        #expect(try await first.allocate(walletID: "w1", format: "tron", count: 2).map(\.index) == [0, 1])
        #expect(try await first.counter(walletID: "w1") == Int64(total))
    }

    /// Near the end of the 2^31 non-hardened indexes: a request that does not fit is refused with
    /// `address-space-exhausted` and consumes nothing; one that fits takes the last indexes. A
    /// derivation that fails stores nothing and consumes nothing either.
    @Test(arguments: TestEngine.all) func anExhaustedAddressSpaceIsRefusedAndConsumesNothing(engine: TestEngine) async throws {
        let temporary = try await TemporaryDirectory(engine, initializeVault: false)
        #expect(try await temporary.register(tenant: "t1", walletID: "w1", name: "main"))
        let end = Int64(ChildIndex.hardenedOffset)
        #expect(try await temporary.allocate(walletID: "w1", count: 1).map(\.index) == [0])
        _ = try await temporary.storage.database.write { connection in
            try connection.execute("UPDATE server_address_counters SET next_index = \(end - 2) WHERE wallet_id = 'w1'")
        }
        let derived = Captured(0)
        let counting: @Sendable (Range<UInt32>) throws -> [DerivedAddress] = { range in
            derived.update { $0 += 1 }
            return TemporaryDirectory.derive(walletID: "w1", format: "ethereum", range)
        }
        await #expect {
            try await temporary.allocate(walletID: "w1", count: 3, derive: counting)
        } throws: { error in
            let exhausted = error as? AddressSpaceExhausted
            return exhausted?.remaining == 2 && exhausted?.format == "ethereum" && exhausted?.code == "address-space-exhausted"
        }
        #expect(derived.value == 0)
        #expect(try await temporary.counter(walletID: "w1") == end - 2)
        #expect(try await temporary.storage.count("server_addresses") == 1)

        struct Broken: Error {}
        await #expect(throws: Broken.self) { try await temporary.allocate(walletID: "w1", count: 1) { _ in throw Broken() } }
        #expect(try await temporary.counter(walletID: "w1") == end - 2)
        #expect(try await temporary.storage.count("server_addresses") == 1)

        let last = try await temporary.allocate(walletID: "w1", count: 2, derive: counting)
        #expect(last.map(\.index) == [UInt32(end - 2), UInt32(end - 1)])
        #expect(try await temporary.counter(walletID: "w1") == end)
        do {
            _ = try await temporary.allocate(walletID: "w1", count: 1)
            Issue.record("an index past the last was handed out")
        } catch let error as AddressSpaceExhausted {
            #expect(error.remaining == 0 && error.code == "address-space-exhausted" && error.category == .rejected)
        }
        #expect(try await temporary.counter(walletID: "w1") == end)
        #expect(try await temporary.storage.count("server_addresses") == 3)
    }

    /// Addresses are listed by their filters a page at a time, found by their text (hex and
    /// Bech32 in any case, Base58 exactly), and only by the tenant they were handed to.
    @Test(arguments: TestEngine.all) func addressesAreListedAndFoundPerTenant(engine: TestEngine) async throws {
        let temporary = try await TemporaryDirectory(engine, initializeVault: false)
        #expect(try await temporary.register(tenant: "t1", walletID: "w1", name: "a"))
        #expect(try await temporary.register(tenant: "t1", walletID: "w2", name: "b"))
        #expect(try await temporary.register(tenant: "t2", walletID: "w3", name: "a"))
        var all: [TenantAddress] = []
        for (index, wallet) in ["w1", "w2", "w1", "w2"].enumerated() {
            all += try await temporary.allocate(walletID: wallet, count: 2, label: "batch-\(index)", owner: index % 2 == 0 ? "alice" : "bob",
                                                purpose: index < 2 ? "deposit" : "refund")
        }
        _ = try await temporary.allocate(tenant: "t2", walletID: "w3", count: 3, owner: "alice", purpose: "deposit")
        let queries: [(AddressQuery, (TenantAddress) -> Bool)] = [
            (AddressQuery(), { _ in true }),
            (AddressQuery(walletID: "w2"), { $0.walletID == "w2" }),
            (AddressQuery(ownerID: "alice"), { $0.ownerID == "alice" }),
            (AddressQuery(walletID: "w1", purpose: "refund"), { $0.walletID == "w1" && $0.purpose == "refund" }),
            (AddressQuery(chain: "bitcoin"), { _ in false }),
        ]
        for (query, matches) in queries {
            for limit in [1, 3, 100] {
                let (items, _) = try await allPages(limit: limit) { cursor in
                    try await temporary.directory.addresses(tenantID: "t1", query, page: PageRequest(limit: limit, after: cursor))
                }
                #expect(items == all.filter(matches), "\(query) limit \(limit)")
            }
        }
        let sample = all[3]
        #expect(try await temporary.directory.address(tenantID: "t1", sample.address) == sample)
        #expect(try await temporary.directory.address(tenantID: "t1", sample.address.lowercased()) == sample)
        #expect(try await temporary.directory.address(tenantID: "t1", sample.address.uppercased().replacingOccurrences(of: "0X", with: "0x")) == sample)
        #expect(try await temporary.directory.address(tenantID: "t2", sample.address) == nil)
        #expect(sample.label == "batch-1" && sample.ownerID == "bob" && sample.purpose == "deposit" && sample.path == "m/44'/60'/0'/0/1")
    }
}
