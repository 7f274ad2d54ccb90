import Chains
import CofferBase
import CofferStorage
import CofferTestSupport
import Synchronization
import Testing

/// Split settlement in the syncer: a credit to an account with a split rule commits with its
/// parts as one linked chain in the step's one ledger commit, and a reorganisation that removes
/// the payment reverses the parts and the credit as one linked chain.
@Suite struct SplitSyncerTests {
    static let chain = ChainSyncerReadAheadTests.chain

    /// "alice" keeps 20% of what the fixed 7 units to "fees" leave; "bob" gets 50%, "carol" 30%.
    static let aliceRule = try! SplitRule([
        SplitRecipient(account: "bob", share: .basisPoints(5000)), SplitRecipient(account: "fees", share: .fixed(7)),
        SplitRecipient(account: "carol", share: .basisPoints(3000)), SplitRecipient(account: "alice", share: .basisPoints(2000)),
    ])

    static func put(_ rule: SplitRule, on kind: SplitTargetKind, _ target: String, account: String = "alice", database: TestDatabase) async throws {
        try await database.database.write { connection in
            try SplitSQL.put(StoredSplitRule(kind: kind, target: target, scope: "", account: account, asset: "LTC", rule: rule, updatedAt: 1), on: connection)
        }
    }

    static func events(_ store: ChainStore) async throws -> [OutboxEvent] {
        try await store.events(scope: nil, after: 0, limit: 1000)
    }

    @Test(arguments: TestEngine.all)
    func aSplitCreditIsOneLinkedChainAndAReorgReversesAllOfIt(engine: TestEngine) async throws {
        let database = try await TestDatabase.make(engine, sqlite: ChainMigrations.sqlite, postgres: ChainMigrations.postgres)
        let store = try await ChainSyncerReadAheadTests.store(database)
        try await Self.put(Self.aliceRule, on: .account, "alice", database: database)
        let node = ScriptedChain(branch: "a", heights: 0...2, paying: [1: "watched-1"])
        let ledger = BalancesLedger(database: database.database)
        let syncer = ChainSyncer(chain: Self.chain, store: store, source: node, ledger: ledger, clock: { 1_000 }, owner: "t")

        #expect(try await syncer.syncToTip().credited == 1)
        // 1,000 units: 7 to fees, then 993 by largest remainder: 496.5, 297.9, 198.6 → 496, 297, 198
        // and the 2 units left to the largest fractions, carol's .9 and alice's .6.
        let deposit = try #require(try await store.deposits(ChainStore.DepositQuery(), page: PageRequest()).items.first)
        let credit = try #require(deposit.creditID)
        #expect(credit.hasPrefix("dep-"))
        let batches = ledger.batches.withLock { $0 }.filter { !$0.isEmpty }
        #expect(batches.count == 1, "one ledger commit")
        #expect(batches.first?.map(\.id) == [credit, "\(credit)-s0", "\(credit)-s1", "\(credit)-s2"])
        #expect(batches.first?.map(\.linked) == [true, true, true, false])
        #expect(batches.first?.map(\.creditAccount) == ["alice", "bob", "fees", "carol"])
        #expect(ledger.balances() == ["custody:test": -1_000, "alice": 199, "bob": 496, "fees": 7, "carol": 298])
        let split = try #require(try await Self.events(store).last)
        #expect(split.type == "deposit.split" && split.subject == deposit.subject)
        #expect(split.data["transfer_id"] == .string(credit) && split.data["rule"] == .string("account"))
        #expect(split.data["parts"]?.text == """
            [{"account":"bob","amount":"496","transfer_id":"\(credit)-s0"},{"account":"fees","amount":"7","transfer_id":"\(credit)-s1"},\
            {"account":"carol","amount":"298","transfer_id":"\(credit)-s2"},{"account":"alice","amount":"199","transfer_id":null}]
            """)

        // The payment's block is replaced by blocks paying nobody: the transaction is gone.
        node.reorganise(from: 1, branch: "b", to: 3, paying: [:])
        #expect(try await syncer.syncToTip().reversed == 1)
        let reversed = try #require(try await store.deposits(ChainStore.DepositQuery(), page: PageRequest()).items.first)
        let reversal = try #require(reversed.reversalID)
        #expect(reversed.status == .reversed && reversal.hasPrefix("rev-"))
        let undo = try #require(ledger.batches.withLock { $0 }.last { !$0.isEmpty })
        #expect(undo.map(\.id) == ["\(reversal)-s0", "\(reversal)-s1", "\(reversal)-s2", reversal])
        #expect(undo.map(\.linked) == [true, true, true, false])
        #expect(undo.map(\.debitAccount) == ["bob", "fees", "carol", "alice"])
        #expect(ledger.balances().values.allSatisfy { $0 == 0 }, "\(ledger.balances())")
        let events = try await Self.events(store).map(\.type)
        #expect(events.suffix(2) == ["deposit.reversed", "deposit.split_reversed"], "\(events)")
        let back = try #require(try await Self.events(store).last)
        #expect(back.data["transfer_id"] == .string(reversal) && back.data["parts"]?.text.contains("\(reversal)-s2") == true)
    }

    @Test func aPaymentBelowTheFixedAmountsIsCreditedWhole() async throws {
        let database = try await TestDatabase.make(.sqlite, sqlite: ChainMigrations.sqlite, postgres: ChainMigrations.postgres)
        let store = try await ChainSyncerReadAheadTests.store(database)
        let rule = try SplitRule([SplitRecipient(account: "fees", share: .fixed(1_001)), SplitRecipient(account: "bob", share: .basisPoints(10_000))])
        try await Self.put(rule, on: .account, "alice", database: database)
        let ledger = BalancesLedger(database: database.database)
        let syncer = ChainSyncer(chain: Self.chain, store: store, source: ScriptedChain(branch: "a", heights: 0...1, paying: [1: "watched-1"]),
                                 ledger: ledger, clock: { 1_000 }, owner: "t")
        #expect(try await syncer.syncToTip().credited == 1)
        #expect(ledger.balances() == ["custody:test": -1_000, "alice": 1_000])
        let skipped = try #require(try await Self.events(store).last)
        #expect(skipped.type == "deposit.split_skipped" && skipped.data["parts"] == .array([]))
        #expect(skipped.data["reason"] == .string("the fixed amounts (1001) exceed the payment (1000); it is credited whole"))
    }

    /// An invoice's rule is used in place of its account's; a rule for another account (a
    /// payment of another asset) is not.
    @Test func anInvoicesRuleComesFirst() async throws {
        let database = try await TestDatabase.make(.sqlite, sqlite: ChainMigrations.sqlite, postgres: ChainMigrations.postgres)
        let store = try await ChainSyncerReadAheadTests.store(database)
        try await database.database.write { connection in
            try ChainStore.watch([WatchedAddress(chain: Self.chain.name, address: "invoice-1", account: "alice", walletID: "w", path: "m/0/1", invoiceID: "inv_1"),
                                  WatchedAddress(chain: Self.chain.name, address: "invoice-2", account: "alice", walletID: "w", path: "m/0/2", invoiceID: "inv_2")],
                                 on: connection)
        }
        try await Self.put(Self.aliceRule, on: .account, "alice", database: database)
        try await Self.put(try SplitRule([SplitRecipient(account: "dave", share: .basisPoints(10_000))]), on: .invoice, "inv_1", database: database)
        try await Self.put(try SplitRule([SplitRecipient(account: "erin", share: .basisPoints(10_000))]), on: .invoice, "inv_2", account: "alice:TKN",
                           database: database)
        let ledger = BalancesLedger(database: database.database)
        let node = ScriptedChain(branch: "a", heights: 0...2, paying: [1: "invoice-1", 2: "invoice-2"])
        let syncer = ChainSyncer(chain: Self.chain, store: store, source: node, ledger: ledger, clock: { 1_000 }, owner: "t")
        #expect(try await syncer.syncToTip().credited == 2)
        #expect(ledger.balances() == ["custody:test": -2_000, "alice": 199, "bob": 496, "fees": 7, "carol": 298, "dave": 1_000])
        let rules = try await Self.events(store).filter { $0.type == "deposit.split" }.map { $0.data["rule"] }
        #expect(rules == [.string("invoice"), .string("account")])
    }

    /// A part the ledger refuses fails the whole chain: nothing is credited, the deposit stays
    /// confirming, and the next step tries the credit and its split again.
    @Test func aRefusedPartRefusesTheCreditAndItIsTriedAgain() async throws {
        let database = try await TestDatabase.make(.sqlite, sqlite: ChainMigrations.sqlite, postgres: ChainMigrations.postgres)
        let store = try await ChainSyncerReadAheadTests.store(database)
        try await Self.put(Self.aliceRule, on: .account, "alice", database: database)
        let ledger = BalancesLedger(database: database.database, closed: ["carol"])
        let node = ScriptedChain(branch: "a", heights: 0...1, paying: [1: "watched-1"])
        let syncer = ChainSyncer(chain: Self.chain, store: store, source: node, ledger: ledger, clock: { 1_000 }, owner: "t")
        let step = try await syncer.syncToTip()
        #expect(step.credited == 0 && step.refused.count == 1 && step.refused.first?.hasSuffix("credit_account_closed") == true, "\(step.refused)")
        #expect(ledger.balances().isEmpty)
        #expect(try await store.deposits(ChainStore.DepositQuery(), page: PageRequest()).items.map(\.status) == [.confirming])

        ledger.closed.withLock { $0 = [] }
        node.reorganise(from: 2, branch: "a", to: 2, paying: [:])
        #expect(try await syncer.syncToTip().credited == 1)
        #expect(ledger.balances() == ["custody:test": -1_000, "alice": 199, "bob": 496, "fees": 7, "carol": 298])
    }
}

/// A ledger that keeps balances (credits − debits) and applies each linked chain whole or not
/// at all, committing them only when the step's own writes succeed, in the same transaction.
/// Credits to a `closed` account are refused (`credit_account_closed`). Records every commit's movements.
final class BalancesLedger: DepositLedger {
    let database: any SQLDatabase
    let batches = Mutex<[[LedgerMovement]]>([])
    let closed: Mutex<Set<String>>
    private let state = Mutex<(balances: [String: Int128], applied: Set<String>)>(([:], []))

    init(database: any SQLDatabase, closed: Set<String> = []) {
        self.database = database
        self.closed = Mutex(closed)
    }

    func balances() -> [String: Int128] { state.withLock { $0.balances } }

    func commit(_ movements: [LedgerMovement], alongside: @escaping @Sendable ([MovementOutcome], any SQLConnection) throws -> Void) async throws {
        let closed = self.closed.withLock { $0 }
        var next = state.withLock { $0 }
        var outcomes: [MovementOutcome] = []
        var chain: [LedgerMovement] = []
        for movement in movements {
            chain.append(movement)
            guard !movement.linked else { continue }
            let before = next
            var failed: Int?
            for (index, member) in chain.enumerated() where !next.applied.contains(member.id) {
                if closed.contains(member.creditAccount) {
                    failed = index
                    break
                }
                next.applied.insert(member.id)
                next.balances[member.debitAccount, default: 0] -= Int128(member.amount)
                next.balances[member.creditAccount, default: 0] += Int128(member.amount)
            }
            if let failed {
                next = before
                outcomes += chain.indices.map { $0 == failed ? .refused("credit_account_closed") : .refused("linked_event_failed") }
            } else {
                outcomes += chain.map { _ in .applied }
            }
            chain = []
        }
        let decided = outcomes
        try await database.write { connection in try alongside(decided, connection) }
        batches.withLock { $0.append(movements) }
        state.withLock { $0 = next }
    }

    func ensureAccount(_ id: String, asset: String, template: String) async throws {}
}
