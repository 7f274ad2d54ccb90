import CofferBase
import CofferStorage
import CofferTestSupport
import Foundation
import Ledger
import Testing

/// A ledger in a temporary SQLite file or a fresh PostgreSQL database, with a clock the test moves.
struct TemporaryLedger {
    let backend: LedgerBackend
    let store: any LedgerStore
    let clock: TestClock
    /// The database the store is in; it keeps a PostgreSQL pool running while the test holds it.
    let storage: TestDatabase
    /// Databases opened again by `reopened`, kept (their pools running) as long as this ledger.
    private let reopenedStorage = Captured<[TestDatabase]>([])

    /// The SQLite database (SQLite-only tests).
    var database: CofferDatabase { storage.sqlite! }

    /// A ledger on `backend`, in a database that also holds `extraSQLite`/`extraPostgres`' tables.
    init(_ backend: LedgerBackend = .sqlite, extraSQLite: [SchemaMigration] = [], extraPostgres: [PostgresMigration] = []) async throws {
        let storage = try await TestDatabase.make(
            backend, sqlite: LedgerMigrations.all + extraSQLite, postgres: PostgresLedgerMigrations.all + extraPostgres)
        let clock = TestClock()
        self.backend = backend
        self.storage = storage
        self.clock = clock
        store = Self.store(on: storage, clock: clock)
    }

    static func store(on storage: TestDatabase, clock: TestClock) -> any LedgerStore {
        if let pool = storage.postgres { return PostgresLedgerStore(database: pool, clock: { clock.now }) }
        return SQLiteLedgerStore(database: storage.sqlite!, clock: { clock.now })
    }

    /// Reopens the same database, as a restarted (or another) process would.
    func reopened() async throws -> any LedgerStore {
        let again = try await storage.reopened()
        reopenedStorage.update { $0.append(again) }
        return Self.store(on: again, clock: clock)
    }

    /// Runs raw SQL against the backing database, bypassing the store (tamper tests).
    func execute(_ sql: String) async throws {
        try await storage.execute(sql)
    }

    /// The number of rows in `table`.
    func count(_ table: String) async throws -> Int {
        try await storage.count(table)
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
    func set(_ nanoseconds: UInt64) { lock.withLock { value = nanoseconds } }
}

func transfer(_ name: String, _ debit: String?, _ credit: String?, _ amount: UInt128, flags: TransferFlags = [], pending: String? = nil, timeout: UInt32 = 0, asset: String? = "USDT") -> Transfer {
    Transfer(id: LedgerID(name)!, debitAccountID: debit.flatMap(LedgerID.init), creditAccountID: credit.flatMap(LedgerID.init),
             amount: amount, asset: asset, flags: flags, pendingID: pending.flatMap(LedgerID.init), timeout: timeout)
}

/// The contract every `LedgerStore` keeps, run against SQLite and PostgreSQL.
struct LedgerStoreContractTests {
    @Test(arguments: LedgerBackend.all) func assetsAndAccounts(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
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

    /// Many accounts in one read: those that exist, with their balances, the same as one by one.
    @Test(arguments: LedgerBackend.all) func accountsAreReadTogether(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        #expect(try await ledger.store.submit([transfer("t1", "a", "b", 7)]) == [.created])
        let ids = ["a", "b", "limited", "missing"].map { LedgerID($0)! }
        let together = try await ledger.store.accounts(ids)
        #expect(Set(together.keys) == Set(ids.prefix(3)))
        for id in ids.prefix(3) {
            #expect(together[id] == (try await ledger.store.account(id)), "\(id)")
        }
        #expect(together[LedgerID("a")!]?.balances.debitsPosted == 7 && together[LedgerID("b")!]?.balances.creditsPosted == 7)
        #expect(try await ledger.store.accounts([]).isEmpty)
    }

    @Test(arguments: LedgerBackend.all) func transfersCommitAndResubmissionIsIdempotent(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
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
        let reopened = try await ledger.reopened()
        #expect(try await reopened.submit([batch[0]]) == [.exists])
        guard case .intact(let batches, let transfers, _) = try await reopened.verify() else { Issue.record("not intact"); return }
        #expect(batches == 1 && transfers == 1)
    }

    @Test(arguments: LedgerBackend.all) func pendingPostVoidAndExpiryThroughTheStore(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
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

    @Test(arguments: LedgerBackend.all) func balanceAtAPastTimestamp(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
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

    @Test(arguments: LedgerBackend.all) func committedRowsCannotBeUpdatedOrDeleted(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        _ = try await ledger.store.submit([transfer("t1", "a", "b", 10), transfer("p1", "a", "b", 5, flags: .pending, timeout: 1)])
        ledger.clock.advance(seconds: 2)
        _ = try await ledger.store.submit([transfer("t2", "b", "a", 1)])  // commits p1's expiry: balance-history rows
        #expect(try await ledger.count("ledger_balance_history") == 2)
        var statements = ["UPDATE ledger_transfers SET amount = '11'", "UPDATE ledger_transfers SET debit_debits_posted = '0'", "DELETE FROM ledger_transfers", "DELETE FROM ledger_batches",
                          "DELETE FROM ledger_account_balances", "DELETE FROM ledger_balance_history", "UPDATE ledger_accounts SET owner = 'x'"]
        statements += backend == .postgres
            ? ["UPDATE ledger_batches SET hash = '\\x00'", "TRUNCATE ledger_transfers CASCADE", "TRUNCATE ledger_account_balances"]
            : ["UPDATE ledger_batches SET hash = x'00'"]
        for sql in statements {
            await #expect(throws: (any Error).self, "\(sql)") { try await ledger.execute(sql) }
        }
        #expect(try await ledger.count("ledger_transfers") == 3)
        #expect(try await ledger.balances("b") == AccountBalances(debitsPosted: 1, creditsPosted: 10))
    }

    @Test(arguments: LedgerBackend.all) func verifyNamesTheFirstDiscrepancy(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        _ = try await ledger.store.submit([transfer("t1", "a", "b", 10)])
        _ = try await ledger.store.submit([transfer("t2", "a", "b", 20)])
        if backend == .postgres {  // SQLite keeps no balances apart from the transfer rows (a view over them)
            try await ledger.execute("UPDATE ledger_account_balances SET credits_posted = '31' WHERE account_id = 'b'")
            #expect(try await ledger.store.verify() == .broken("account b: stored credits_posted 31 but the transfers give 30"))
            try await ledger.execute("UPDATE ledger_account_balances SET credits_posted = '30' WHERE account_id = 'b'")
        }
        // Tampering with a transfer needs the trigger gone; verify then names the batch.
        try await ledger.execute(backend == .postgres
            ? "DROP TRIGGER ledger_transfers_append_only ON ledger_transfers" : "DROP TRIGGER ledger_transfers_no_update")
        try await ledger.execute("UPDATE ledger_transfers SET reference = 'forged' WHERE id = 't2'")
        #expect(try await ledger.store.verify() == .broken("batch 2: its transfers or pending outcomes do not match its hash"))
        // The balances a transfer row records are not hashed: verify replays them.
        try await ledger.execute("UPDATE ledger_transfers SET reference = '' WHERE id = 't2'")
        guard case .intact = try await ledger.store.verify() else { Issue.record("restoring the reference restores the ledger"); return }
        try await ledger.execute("UPDATE ledger_transfers SET credit_credits_posted = '31' WHERE id = 't2'")
        #expect(try await ledger.store.verify() == .broken("transfer t2: the credit account's balances it records are not the ones its transfers give"))
    }

    @Test(arguments: LedgerBackend.all) func concurrentSubmittersCommitEachTransferExactlyOnce(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
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
        let batches = try await ledger.count("ledger_batches")
        #expect(batches < 320, "group commit merged batches: \(batches) commits")
        guard case .intact(_, let count, _) = try await ledger.store.verify() else { Issue.record("not intact"); return }
        #expect(count == 320)
    }

    @Test(arguments: LedgerBackend.all) func independentStoresOnOneDatabaseCommitEachTransferOnce(backend: LedgerBackend) async throws {
        // Four stores with their own connections and group committers, as four processes would
        // have, moving value around three hot accounts; every id is submitted by two of them.
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp(accounts: [("a", []), ("b", []), ("c", [])])
        var stores: [any LedgerStore] = [ledger.store]
        for _ in 1..<4 { stores.append(try await ledger.reopened()) }
        let hot = ["a", "b", "c"]
        let results = try await withThrowingTaskGroup(of: [(String, TransferResult)].self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    var all: [(String, TransferResult)] = []
                    for round in 0..<40 {
                        let owner = (index / 2) * 1_000 + round
                        let batch = (0..<5).map { k in
                            transfer("h\(owner)-\(k)", hot[(owner + k) % 3], hot[(owner + k + 1) % 3], UInt128(owner % 7 + k + 1))
                        }
                        all += zip(batch.map(\.id.value), try await store.submit(batch)).map { ($0, $1) }
                    }
                    return all
                }
            }
            var all: [(String, TransferResult)] = []
            for try await part in group { all += part }
            return all
        }
        let created = Set(results.filter { $0.1 == .created }.map(\.0))
        #expect(created.count == 400 && results.filter { $0.1 == .exists }.count == 400)
        var expected: [String: AccountBalances] = [:]
        for owner in (0..<40).map({ $0 }) + (1_000..<1_040).map({ $0 }) {
            for k in 0..<5 {
                let amount = UInt128(owner % 7 + k + 1)
                expected[hot[(owner + k) % 3], default: .zero].debitsPosted += amount
                expected[hot[(owner + k + 1) % 3], default: .zero].creditsPosted += amount
            }
        }
        for name in hot { #expect(try await ledger.balances(name) == expected[name], "\(name)") }
        guard case .intact(_, let count, _) = try await ledger.store.verify() else { Issue.record("not intact"); return }
        #expect(count == 400)
    }

    @Test(arguments: LedgerBackend.all) func aTransferIsReversedAtMostOnceUnderConcurrentReversals(backend: LedgerBackend) async throws {
        // Four stores (as four processes would be) reverse the same transfers at once, each under
        // its own new id, through `reverse` and through a plain submit of the reversal transfer
        // (which skips `reverse`'s early check): the commit admits one reversal per original.
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        var stores: [any LedgerStore] = [ledger.store]
        for _ in 1..<4 { stores.append(try await ledger.reopened()) }
        let originals = (0..<6).map { "paid\($0)" }
        for name in originals { #expect(try await ledger.store.submit([transfer(name, "a", "b", 10)]) == [.created]) }
        let outcomes = try await withThrowingTaskGroup(of: [(String, String)].self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    var outcomes: [(String, String)] = []
                    for name in originals {
                        let newID = LedgerID("\(name)-undo\(index)")!
                        if index % 2 == 0 {
                            do {
                                outcomes.append((name, try await store.reverse(LedgerID(name)!, newID: newID).rawValue))
                            } catch is LedgerError {
                                outcomes.append((name, "refused before submitting"))
                            }
                        } else {
                            let reversal = Transfer(id: newID, debitAccountID: LedgerID("b")!, creditAccountID: LedgerID("a")!, amount: 10,
                                                    asset: "USDT", reference: TransferReversal.reference(reversing: LedgerID(name)!))
                            outcomes.append((name, try await store.submit([reversal])[0].rawValue))
                        }
                    }
                    return outcomes
                }
            }
            var all: [(String, String)] = []
            for try await part in group { all += part }
            return all
        }
        for name in originals {
            let results = outcomes.filter { $0.0 == name }.map(\.1)
            #expect(results.filter { $0 == "created" }.count == 1, "\(name): \(results)")
            #expect(results.allSatisfy { ["created", "already_reversed", "refused before submitting"].contains($0) }, "\(name): \(results)")
        }
        // Each original moved 10 from a to b and was undone exactly once.
        #expect(try await ledger.balances("a") == AccountBalances(debitsPosted: 60, creditsPosted: 60))
        #expect(try await ledger.balances("b") == AccountBalances(debitsPosted: 60, creditsPosted: 60))
        guard case .intact = try await ledger.store.verify() else { Issue.record("not intact"); return }
    }

    @Test(arguments: LedgerBackend.all) func oversizedBatchIsRefusedWhole(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        let batch = (0...LedgerEngine.maximumBatchSize).map { transfer("t\($0)", "a", "b", 1) }
        await #expect(throws: LedgerError.self) { try await ledger.store.submit(batch) }
        #expect(try await ledger.balances("b") == .zero)
    }

    @Test(arguments: LedgerBackend.all) func storeAgreesWithTheEngineOnRandomScenarios(backend: LedgerBackend) async throws {
        // The same random batches through the store (via SQL snapshots) and through the engine on a full state.
        for seed in UInt64(1)...6 {
            let ledger = try await TemporaryLedger(backend)
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
    @Test(arguments: LedgerBackend.all) func mergedBatchesKeepTheirOwnChains(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
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

    @Test(arguments: LedgerBackend.all) func fullBatchOfEightThousandCommitsAtOnce(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
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

/// `LedgerStore.submit(_:companion:)` on both stores: the companion's writes commit with the
/// batch, or nothing does.
struct LedgerCommitCompanionTests {
    @Test(arguments: LedgerBackend.all) func companionWritesCommitWithTheBatchOrNothingDoes(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        let store = ledger.store
        try await ledger.execute("CREATE TABLE companion_rows (transfer_id TEXT, result TEXT)")

        let visible = Captured<Int64?>(nil)
        let results = try await store.submit([transfer("t1", "a", "b", 10), transfer("t2", "a", "a", 1)]) { results, connection in
            for (id, result) in zip(["t1", "t2"], results) {
                try connection.execute("INSERT INTO companion_rows VALUES (\(id), \(result.rawValue))")
            }
            // Inside the commit: the batch's transfer is already visible to the companion.
            visible.set(try connection.queryOne("SELECT COUNT(*) FROM ledger_transfers WHERE id = 't1'") { try $0.int64(0) })
        }
        #expect(results == [.created, .accountsMustBeDifferent])
        #expect(visible.value == 1)
        #expect(try await ledger.count("companion_rows") == 2)

        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            _ = try await store.submit([transfer("t3", "a", "b", 5)]) { _, connection in
                try connection.execute("INSERT INTO companion_rows VALUES ('t3', 'created')")
                throw Refused()
            }
        }
        #expect(try await ledger.count("companion_rows") == 2)
        #expect(try await ledger.count("ledger_transfers") == 1)
        #expect(try await ledger.balances("b") == AccountBalances(creditsPosted: 10))
        guard case .intact(let batches, _, _) = try await store.verify() else { Issue.record("the ledger does not verify"); return }
        #expect(batches == 1)
        #expect(try await store.submit([transfer("t3", "a", "b", 5)]) == [.created])
        #expect(try await ledger.balances("b") == AccountBalances(creditsPosted: 15))
    }
}
