import CofferStorage
import Foundation
import GRDB
import Ledger
import Testing

/// A ledger in a temporary SQLite file, with a clock the test moves.
struct TemporaryLedger {
    let directory: URL
    let database: CofferDatabase
    let store: SQLiteLedgerStore
    let clock: TestClock

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-ledger-\(UUID().uuidString)")
        database = try CofferDatabase(directory: DataDirectory(explicit: directory.path), migrations: LedgerMigrations.all)
        let clock = TestClock()
        self.clock = clock
        store = SQLiteLedgerStore(database: database, clock: { clock.now })
    }

    /// Reopens the same file, as a restarted process would.
    func reopened() throws -> SQLiteLedgerStore {
        let clock = self.clock
        return SQLiteLedgerStore(database: try CofferDatabase(path: database.path, migrations: LedgerMigrations.all), clock: { clock.now })
    }

    func setUp(accounts: [(String, AccountFlags)] = [("a", []), ("b", []), ("limited", .debitsMustNotExceedCredits)]) async throws {
        #expect(try await store.createAsset(try Asset(code: "USDT", decimals: 6)))
        for (name, flags) in accounts {
            #expect(try await store.createAccount(Account(id: LedgerID(name)!, asset: "USDT", flags: flags)) == .created)
        }
    }

    func balances(_ name: String) async throws -> AccountBalances? {
        try await store.account(LedgerID(name)!)?.balances
    }
}

final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: UInt64 = 1_700_000_000_000_000_000
    var now: UInt64 { lock.withLock { value } }
    func advance(seconds: UInt64) { lock.withLock { value += seconds * 1_000_000_000 } }
}

func transfer(_ name: String, _ debit: String?, _ credit: String?, _ amount: UInt128, flags: TransferFlags = [], pending: String? = nil, timeout: UInt32 = 0, asset: String? = "USDT") -> Transfer {
    Transfer(id: LedgerID(name)!, debitAccountID: debit.flatMap(LedgerID.init), creditAccountID: credit.flatMap(LedgerID.init),
             amount: amount, asset: asset, flags: flags, pendingID: pending.flatMap(LedgerID.init), timeout: timeout)
}

struct SQLiteLedgerStoreTests {
    @Test func assetsAndAccounts() async throws {
        let ledger = try TemporaryLedger()
        try await ledger.setUp()
        #expect(try await ledger.store.createAsset(try Asset(code: "USDT", decimals: 6)) == false)
        await #expect(throws: LedgerError.self) { try await ledger.store.createAsset(try Asset(code: "USDT", decimals: 2)) }
        #expect(try await ledger.store.createAccount(Account(id: LedgerID("a")!, asset: "USDT")) == .exists)
        #expect(try await ledger.store.createAccount(Account(id: LedgerID("a")!, asset: "USDT", owner: "x")) == .existsWithDifferentOwner)
        #expect(try await ledger.store.createAccount(Account(id: LedgerID("z")!, asset: "EUR")) == .assetNotFound)
        #expect(try await ledger.store.createAccount(Account(id: LedgerID("z")!, asset: "USDT", flags: [.debitsMustNotExceedCredits, .creditsMustNotExceedDebits]))
            == .flagsAreMutuallyExclusive)
        #expect(throws: LedgerError.self) { try Asset(code: "USDT", decimals: 31) }
    }

    @Test func transfersCommitAndResubmissionIsIdempotent() async throws {
        let ledger = try TemporaryLedger()
        try await ledger.setUp()
        let batch = [transfer("t1", "a", "b", 1_500_000), transfer("t2", "limited", "b", 1)]
        #expect(try await ledger.store.submit(batch) == [.created, .exceedsCredits])
        #expect(try await ledger.balances("b") == AccountBalances(creditsPosted: 1_500_000))
        #expect(try await ledger.store.submit(batch) == [.exists, .exceedsCredits])
        var changed = batch[0]
        changed.amount = 2
        #expect(try await ledger.store.submit([changed]) == [.existsWithDifferentAmount])
        #expect(try await ledger.balances("b") == AccountBalances(creditsPosted: 1_500_000))
        // A restarted process sees the same ledger.
        let reopened = try ledger.reopened()
        #expect(try await reopened.submit([batch[0]]) == [.exists])
        guard case .intact(let batches, let transfers, _) = try await reopened.verify() else { Issue.record("not intact"); return }
        #expect(batches == 1 && transfers == 1)
    }

    @Test func pendingPostVoidAndExpiryThroughTheStore() async throws {
        let ledger = try TemporaryLedger()
        try await ledger.setUp()
        #expect(try await ledger.store.submit([
            transfer("p1", "a", "b", 100, flags: .pending), transfer("p2", "a", "b", 50, flags: .pending, timeout: 30),
        ]) == [.created, .created])
        #expect(try await ledger.balances("a") == AccountBalances(debitsPending: 150))
        #expect(try await ledger.store.submit([transfer("post", nil, nil, 60, flags: .postPending, pending: "p1", asset: nil)]) == [.created])
        #expect(try await ledger.store.submit([transfer("void", nil, nil, 0, flags: .voidPending, pending: "p1", asset: nil)]) == [.pendingTransferAlreadyPosted])
        ledger.clock.advance(seconds: 31)
        #expect(try await ledger.store.submit([transfer("late", nil, nil, 0, flags: .postPending, pending: "p2", asset: nil)]) == [.pendingTransferExpired])
        #expect(try await ledger.balances("a") == AccountBalances(debitsPosted: 60))
        #expect(try await ledger.store.submit([transfer("x", "a", "b", 1)]) == [.created])
        #expect(try await ledger.balances("a") == AccountBalances(debitsPosted: 61))
        guard case .intact = try await ledger.store.verify() else { Issue.record("not intact"); return }
    }

    @Test func balanceAtAPastTimestamp() async throws {
        let ledger = try TemporaryLedger()
        try await ledger.setUp()
        let start = ledger.clock.now
        _ = try await ledger.store.submit([transfer("t1", "a", "b", 10)])
        ledger.clock.advance(seconds: 10)
        _ = try await ledger.store.submit([transfer("t2", "a", "b", 5)])
        #expect(try await ledger.store.balances(of: LedgerID("b")!, at: start - 1) == .zero)
        #expect(try await ledger.store.balances(of: LedgerID("b")!, at: start + 1_000_000_000) == AccountBalances(creditsPosted: 10))
        #expect(try await ledger.store.balances(of: LedgerID("b")!, at: UInt64.max) == AccountBalances(creditsPosted: 15))
        #expect(try await ledger.store.balances(of: LedgerID("nobody")!, at: UInt64.max) == nil)
    }

    @Test func committedRowsCannotBeUpdatedOrDeleted() async throws {
        let ledger = try TemporaryLedger()
        try await ledger.setUp()
        _ = try await ledger.store.submit([transfer("t1", "a", "b", 10)])
        for sql in ["UPDATE ledger_transfers SET amount = '11'", "DELETE FROM ledger_transfers", "DELETE FROM ledger_batches",
                    "UPDATE ledger_batches SET hash = x'00'", "DELETE FROM ledger_account_balances"] {
            #expect(throws: (any Error).self) { try ledger.database.pool.write { db in try db.execute(sql: sql) } }
        }
    }

    @Test func verifyNamesTheFirstDiscrepancy() async throws {
        let ledger = try TemporaryLedger()
        try await ledger.setUp()
        _ = try await ledger.store.submit([transfer("t1", "a", "b", 10)])
        _ = try await ledger.store.submit([transfer("t2", "a", "b", 20)])
        try await ledger.database.pool.write { db in
            try db.execute(sql: "UPDATE ledger_account_balances SET credits_posted = '31' WHERE account_id = 'b'")
        }
        #expect(try await ledger.store.verify() == .broken("account b: stored credits_posted 31 but the transfers give 30"))
        // Tampering with a transfer needs the trigger gone; verify then names the batch.
        try await ledger.database.pool.write { db in
            try db.execute(sql: "UPDATE ledger_account_balances SET credits_posted = '30' WHERE account_id = 'b'")
            try db.execute(sql: "DROP TRIGGER ledger_transfers_no_update")
            try db.execute(sql: "UPDATE ledger_transfers SET reference = 'forged' WHERE id = 't2'")
        }
        #expect(try await ledger.store.verify() == .broken("batch 2: its transfers or pending outcomes do not match its hash"))
    }

    @Test func concurrentSubmittersCommitEachTransferExactlyOnce() async throws {
        let ledger = try TemporaryLedger()
        try await ledger.setUp()
        let store = ledger.store
        // 64 tasks, each submitting 10 batches; every transfer id is submitted by two tasks at once.
        let results = try await withThrowingTaskGroup(of: [TransferResult].self) { group in
            for task in 0..<64 {
                group.addTask {
                    var all: [TransferResult] = []
                    for round in 0..<10 {
                        let owner = task / 2
                        all += try await store.submit([transfer("c\(owner)-\(round)", "a", "b", 1)])
                    }
                    return all
                }
            }
            var all: [TransferResult] = []
            for try await part in group { all += part }
            return all
        }
        #expect(results.filter { $0 == .created }.count == 320)
        #expect(results.filter { $0 == .exists }.count == 320)
        #expect(try await ledger.balances("b") == AccountBalances(creditsPosted: 320))
        let batches = try await ledger.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger_batches") ?? 0 }
        #expect(batches < 320, "group commit merged batches: \(batches) commits")
        guard case .intact(_, let count, _) = try await ledger.store.verify() else { Issue.record("not intact"); return }
        #expect(count == 320)
    }

    @Test func oversizedBatchIsRefusedWhole() async throws {
        let ledger = try TemporaryLedger()
        try await ledger.setUp()
        let batch = (0...LedgerEngine.maximumBatchSize).map { transfer("t\($0)", "a", "b", 1) }
        await #expect(throws: LedgerError.self) { try await ledger.store.submit(batch) }
        #expect(try await ledger.balances("b") == .zero)
    }

    @Test func storeAgreesWithTheEngineOnRandomScenarios() async throws {
        // The same random batches through the store (via SQL snapshots) and through the engine on a full state.
        for seed in UInt64(1)...6 {
            let ledger = try TemporaryLedger()
            try await ledger.setUp(accounts: [("acct-0", []), ("acct-1", .debitsMustNotExceedCredits), ("acct-2", []), ("acct-3", .creditsMustNotExceedDebits)])
            var scenario = LedgerScenario(seed: seed, accountPool: 4)
            for index in 0..<4 {
                let id = LedgerID("acct-\(index)")!
                let account = try #require(try await ledger.store.account(id))
                scenario.engine.accounts[id] = Account(id: id, asset: "USDT", flags: account.flags)
            }
            scenario.now = ledger.clock.now
            for _ in 0..<25 {
                let batch = scenario.makeBatch().map { t -> Transfer in var t = t; if t.asset == "BTC" { t.asset = "USDT" }; return t }
                let expected = LedgerEngine.apply(batch, to: &scenario.engine, now: ledger.clock.now)
                scenario.history += batch
                let actual = try await ledger.store.submit(batch)
                #expect(actual == expected.results, "seed \(seed)")
                ledger.clock.advance(seconds: UInt64(seed % 3) * 4)
            }
            for (id, account) in scenario.engine.accounts {
                #expect(try await ledger.store.account(id)?.balances == account.balances, "seed \(seed) \(id)")
            }
            let verification = try await ledger.store.verify()
            guard case .intact = verification else { Issue.record("seed \(seed): \(verification)"); continue }
        }
    }
}

struct LedgerGroupCommitTests {
    /// Callers merged into one commit keep their own chain boundaries: one caller's open chain
    /// fails only that caller's transfers.
    @Test func mergedBatchesKeepTheirOwnChains() async throws {
        let ledger = try TemporaryLedger()
        try await ledger.setUp()
        let store = ledger.store
        async let open = store.submit([transfer("o1", "a", "b", 1, flags: .linked), transfer("o2", "a", "b", 1, flags: .linked)])
        async let closed = store.submit([transfer("c1", "a", "b", 2, flags: .linked), transfer("c2", "a", "b", 3)])
        async let plain = store.submit([transfer("p1", "a", "b", 4)])
        #expect(try await open == [.linkedEventFailed, .linkedEventChainOpen])
        #expect(try await closed == [.created, .created])
        #expect(try await plain == [.created])
        #expect(try await ledger.balances("b") == AccountBalances(creditsPosted: 9))
        guard case .intact(_, let count, _) = try await store.verify() else { Issue.record("not intact"); return }
        #expect(count == 3)
    }

    @Test func fullBatchOfEightThousandCommitsAtOnce() async throws {
        let ledger = try TemporaryLedger()
        try await ledger.setUp()
        let batch = (0..<LedgerEngine.maximumBatchSize).map { transfer("t\($0)", $0 % 2 == 0 ? "a" : "b", $0 % 2 == 0 ? "b" : "a", 1) }
        let clock = ContinuousClock()
        let start = clock.now
        let results = try await ledger.store.submit(batch)
        let elapsed = clock.now - start
        #expect(results.allSatisfy { $0 == .created })
        #expect(try await ledger.balances("a") == AccountBalances(debitsPosted: 4_000, creditsPosted: 4_000))
        // Not a timed test: the figure is printed for the record (debug builds are much slower than release).
        print("ledger: \(LedgerEngine.maximumBatchSize) transfers committed in \(elapsed)")
        #expect(try await ledger.store.submit(batch).allSatisfy { $0 == .exists })
    }
}
