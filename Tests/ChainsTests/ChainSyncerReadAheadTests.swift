import Chains
import CofferBase
import CofferStorage
import CofferTestSupport
import Synchronization
import Testing

/// The syncer reads blocks ahead of their steps (`readAhead`): a block read ahead must be applied
/// exactly when a step reading it then would apply it, so a reorganisation between the read and
/// the step is followed, not the block that was read.
@Suite struct ChainSyncerReadAheadTests {
    static let chain = ChainConfig(
        name: "test", scope: "", network: "litecoin-regtest", rpcURL: "http://127.0.0.1:1/", cookieFile: nil, rpcUser: nil,
        passwordFile: nil, confirmations: 1, startHeight: 0, asset: "LTC", custodyAccount: "custody:test", createdAt: "2026-12-02T00:00:00Z")

    @Test(arguments: TestEngine.all)
    func aBlockReadAheadAndReorganisedAwayIsNotApplied(engine: TestEngine) async throws {
        let database = try await TestDatabase.make(engine, sqlite: ChainMigrations.sqlite, postgres: ChainMigrations.postgres)
        let store = try await Self.store(database)
        // Blocks 0-5; block 3 pays the watched address.
        let node = ScriptedChain(branch: "a", heights: 0...5, paying: [3: "watched-1"])
        var syncer = ChainSyncer(chain: Self.chain, store: store, source: node, ledger: AcceptingLedger(database: database.database), clock: { 1_000 }, owner: "t")
        syncer.readAhead = 2

        #expect(try await syncer.step().block?.hash == "a0")  // reads 1 and 2 ahead
        #expect(try await syncer.step().block?.hash == "a1")  // reads 3 ahead
        // Blocks 2 and up are replaced while 2 and 3 wait, read: b3 pays nobody.
        node.reorganise(from: 2, branch: "b", to: 6, paying: [:])
        let step = try await syncer.step()
        #expect(step.block?.hash == "b2")
        let rest = try await syncer.syncToTip()
        #expect(rest.block?.hash == "b6")
        #expect(rest.deposits == 0)
        let deposits = try await store.deposits(ChainStore.DepositQuery(chain: Self.chain.name), page: PageRequest())
        #expect(deposits.items.isEmpty)
        #expect(try await store.cursor(chain: Self.chain.name) == SyncCursor(nextHeight: 7, lastHash: "b6"))
    }

    @Test(arguments: [0, 1, 2, 5])
    func readingAheadCreditsWhatReadingInTurnCredits(readAhead: Int) async throws {
        let database = try await TestDatabase.make(.sqlite, sqlite: ChainMigrations.sqlite, postgres: ChainMigrations.postgres)
        let store = try await Self.store(database)
        let node = ScriptedChain(branch: "a", heights: 0...8, paying: [1: "watched-1", 4: "watched-1", 5: "elsewhere", 8: "watched-1"])
        var syncer = ChainSyncer(chain: Self.chain, store: store, source: node, ledger: AcceptingLedger(database: database.database), clock: { 1_000 }, owner: "t")
        syncer.readAhead = readAhead
        let total = try await syncer.syncToTip()
        #expect(total.block?.hash == "a8")
        #expect(total.deposits == 3)
        #expect(total.credited == 3)
        let deposits = try await store.deposits(ChainStore.DepositQuery(chain: Self.chain.name), page: PageRequest())
        #expect(deposits.items.map(\.blockHash) == ["a1", "a4", "a8"])
        #expect(deposits.items.allSatisfy { $0.status == .credited })
    }

    /// The chain with "watched-1" watched (bound to account "alice").
    static func store(_ database: TestDatabase) async throws -> ChainStore {
        let store = ChainStore(database: database.database)
        #expect(try await store.add(chain))
        try await database.database.write { connection in
            try ChainStore.watch([WatchedAddress(chain: chain.name, address: "watched-1", account: "alice", walletID: "w", path: "m/0/0", invoiceID: nil)],
                                 on: connection)
        }
        return store
    }
}

/// A node whose best chain the test writes: block `h` of branch `x` is named "x<h>"; a block
/// listed in `paying` has one transaction paying that address 1,000 units.
final class ScriptedChain: ChainSource {
    private let blocks = Mutex<[ChainBlock]>([])

    init(branch: String, heights: ClosedRange<UInt64>, paying: [UInt64: String]) {
        reorganise(from: heights.lowerBound, branch: branch, to: heights.upperBound, paying: paying)
    }

    /// Replaces the blocks from `height` on with blocks of `branch` up to `last`.
    func reorganise(from height: UInt64, branch: String, to last: UInt64, paying: [UInt64: String]) {
        blocks.withLock { blocks in
            blocks.removeSubrange(Int(height)...)
            for next in height...last {
                let payments = paying[next].map { [ChainPayment(transactionID: "\(branch)\(next)-tx", index: 0, address: $0, token: nil, amount: 1_000)] } ?? []
                blocks.append(ChainBlock(
                    ref: BlockRef(height: next, hash: "\(branch)\(next)"), parentHash: next == 0 ? "genesis-parent" : blocks[Int(next) - 1].ref.hash,
                    time: next, transactionCount: payments.count, payments: payments))
            }
        }
    }

    func tip() async throws(NodeError) -> BlockRef { blocks.withLock { $0.last!.ref } }

    func blockHash(at height: UInt64) async throws(NodeError) -> String? {
        blocks.withLock { height < $0.count ? $0[Int(height)].ref.hash : nil }
    }

    func block(at height: UInt64, tokens: Set<String>) async throws(NodeError) -> ChainBlock {
        guard let block = blocks.withLock({ height < $0.count ? $0[Int(height)] : nil }) else { throw NodeError.garbage("no block \(height)") }
        return block
    }

    func transactionState(_ id: String) async throws(NodeError) -> TransactionState {
        blocks.withLock { blocks in
            blocks.first { $0.payments.contains { $0.transactionID == id } }.map { .mined($0.ref) } ?? .unknown
        }
    }

    func mempoolPayments() async throws(NodeError) -> [ChainPayment] { [] }
}

/// A ledger that applies every movement: the syncer's own writes run as they would in a ledger commit.
struct AcceptingLedger: DepositLedger {
    let database: any SQLDatabase

    func commit(_ movements: [LedgerMovement], alongside: @escaping @Sendable ([MovementOutcome], any SQLConnection) throws -> Void) async throws {
        try await database.write { connection in try alongside(movements.map { _ in .applied }, connection) }
    }

    func ensureAccount(_ id: String, asset: String, template: String) async throws {}
}
