import CofferBase
import CofferStorage
import CofferTestSupport
import Foundation
import GRDB
@testable import Ledger
import Logging
import PostgresNIO
import ServiceLifecycle
import Testing

/// The pulse on real stores and the real clock: an idle ledger releases a hold at its timeout,
/// and several processes pulsing one ledger record each expiry once.
struct PendingExpiryServiceTests {
    /// How late the pulse may commit a release after its timeout (the store's clock when the
    /// expiry's batch committed, `ledger_batches.timestamp`, less the timeout). Measured 10-60 ms
    /// alone; the bound is wide because the whole suite runs at once on two cores (synchronous
    /// property tests can hold both threads of the concurrency pool, crash tests spawn processes).
    /// What it must tell apart is "never" (no pulse) and 60 s (a missed wake-up). Seen at 4.6-5.3 s
    /// with the chain tests' nodes (litecoind, eth-tester) running beside the suite.
    static let lateness: UInt64 = 15_000_000_000
    /// How long to wait for a release to become visible before failing.
    static let visible: UInt64 = 30_000_000_000
    /// The deadline for waits that only need the service to make progress. Generous: on 2 cores the
    /// CLI suites' blocking waits on `coffer` processes can hold both cooperative threads for
    /// minutes, and these tests only assert that progress happens, not how fast.
    static let patience: UInt64 = 600_000_000_000

    /// (a) With the pulse running, an idle ledger's 1-second hold is released at its timeout, in
    /// balances, balances at a time and history. The same ledger without the pulse keeps showing
    /// it as pending well past the timeout, which is what makes this test able to fail.
    @Test(arguments: LedgerBackend.all) func idleLedgerReleasesAHoldAtItsTimeout(backend: LedgerBackend) async throws {
        let pulsed = try await SharedLedger.open(backend, stores: 1)
        let idle = try await SharedLedger.open(backend, stores: 1)
        defer { pulsed.close(); idle.close() }
        try await pulsed.setUp()
        try await idle.setUp()
        let logs = LogRecords()
        let service = PendingExpiryService(store: pulsed.stores[0], logger: logs.logger("pulse"))
        let running = Task { await service.run() }
        defer { running.cancel() }

        let hold = transfer("hold", "a", "b", 10, flags: .pending, timeout: 1)
        #expect(try await pulsed.stores[0].submit([hold]) == [.created])
        #expect(try await idle.stores[0].submit([hold]) == [.created])
        let expiresAt = try #require(try await pulsed.stores[0].transfer(LedgerID("hold")!)?.expiresAt)
        let idleExpiresAt = try #require(try await idle.stores[0].transfer(LedgerID("hold")!)?.expiresAt)

        let released = try await waitUntil(deadline: expiresAt + Self.visible) {
            try await pulsed.stores[0].account(LedgerID("a")!)?.balances == .zero
        }
        let seen = SQLiteLedgerStore.systemClock() - expiresAt
        let late = try await pulsed.lastBatchTimestamp() - expiresAt
        print("pulse (\(backend)): hold released \(late / 1_000_000) ms after its timeout, seen by a reader after \(seen / 1_000_000) ms")
        #expect(released, "the pulse did not release the hold within \(Self.visible / 1_000_000) ms of its timeout")
        #expect(late < Self.lateness)
        let a = LedgerID("a")!
        #expect(try await pulsed.stores[0].balances(of: a, at: expiresAt - 1) == AccountBalances(debitsPending: 10))
        #expect(try await pulsed.stores[0].balances(of: a, at: expiresAt) == .zero)
        let history = try #require(try await pulsed.stores[0].history(of: a, limit: 10, after: nil)).items
        #expect(history.map(\.event) == [.transfer, .expiry])
        #expect(history.last?.timestamp == expiresAt)
        #expect(try await pulsed.stores[0].nextExpiry() == nil)
        #expect(logs.warnings.isEmpty, "\(logs.warnings)")

        // Without a pulse, nothing commits, and the hold stays pending past its timeout.
        _ = try await waitUntil(deadline: idleExpiresAt + 300_000_000) { false }
        #expect(SQLiteLedgerStore.systemClock() > idleExpiresAt + 300_000_000)
        #expect(try await idle.stores[0].account(a)?.balances == AccountBalances(debitsPending: 10))
        #expect(try await idle.stores[0].balances(of: a, at: SQLiteLedgerStore.systemClock()) == AccountBalances(debitsPending: 10))
        #expect(try await idle.stores[0].history(of: a, limit: 10, after: nil)?.items.map(\.event) == [.transfer])
        #expect(try await idle.stores[0].nextExpiry() == idleExpiresAt)
    }

    /// A service sleeping out a long poll interval is woken by its own store's commit of a pending
    /// transfer with a timeout, and releases it on time; without the signal it would sleep 60 s.
    @Test(arguments: LedgerBackend.all) func ownCommitWakesASleepingPulse(backend: LedgerBackend) async throws {
        let ledger = try await SharedLedger.open(backend, stores: 1)
        defer { ledger.close() }
        try await ledger.setUp()
        let store = CountingStore(ledger.stores[0])
        let service = PendingExpiryService(store: store, logger: LogRecords().logger("pulse"), pollInterval: .seconds(60))
        let running = Task { await service.run() }
        defer { running.cancel() }
        // The service has looked once and found nothing: it now sleeps for the poll interval.
        #expect(try await waitUntil(deadline: SQLiteLedgerStore.systemClock() + Self.patience) { store.lookups > 0 })
        try await Task.sleep(for: .milliseconds(50))

        #expect(try await ledger.stores[0].submit([transfer("hold", "a", "b", 10, flags: .pending, timeout: 1)]) == [.created])
        let expiresAt = try #require(try await ledger.stores[0].transfer(LedgerID("hold")!)?.expiresAt)
        let released = try await waitUntil(deadline: expiresAt + Self.visible) {
            try await ledger.stores[0].account(LedgerID("a")!)?.balances == .zero
        }
        let late = try await ledger.lastBatchTimestamp() - expiresAt
        print("pulse (\(backend)): woken by its own commit, released \(late / 1_000_000) ms after the timeout")
        #expect(released, "not released within \(Self.visible / 1_000_000) ms of the timeout: the commit did not wake the pulse")
        #expect(late < Self.lateness)
        #expect(try await ledger.stores[0].history(of: LedgerID("a")!, limit: 10, after: nil)?.items.last?.timestamp == expiresAt)
    }

    /// (b) Two processes (SQLite: two databases on one file; PostgreSQL: two pools), each with a
    /// pulse, many holds with staggered timeouts and client transfers on the same accounts from
    /// both: every hold ends exactly once, balances are exact and the ledger verifies.
    @Test(arguments: LedgerBackend.all) func severalProcessesReleaseEachHoldOnce(backend: LedgerBackend) async throws {
        let ledger = try await SharedLedger.open(backend, stores: 2)
        defer { ledger.close() }
        try await ledger.setUp(accounts: ["holder", "merchant", "payer", "payee"])
        let logs = LogRecords()
        let stores = ledger.stores.map(CountingStore.init)
        let services = stores.enumerated().map { index, store in
            PendingExpiryService(store: store, logger: logs.logger("pulse-\(index)"), pollInterval: .milliseconds(250))
        }
        let running = services.map { service in Task { await service.run() } }
        defer { for task in running { task.cancel() } }

        // Client load from both processes until every hold has ended: payments between two
        // accounts, and transfers on the holds' own accounts (so expiries and payments interleave
        // on the same balances and account caches).
        let stop = Flag()
        let clients = ledger.stores.enumerated().map { index, store in
            Task { () throws -> (payments: UInt128, onHoldAccounts: UInt128) in
                var payments: UInt128 = 0, onHoldAccounts: UInt128 = 0, n = 0
                while !stop.isSet {
                    n += 1
                    let batch = [transfer("pay-\(index)-\(n)", "payer", "payee", 1), transfer("move-\(index)-\(n)", "holder", "merchant", 2)]
                    let results = try await store.submit(batch)
                    if results[0] == .created { payments += 1 }
                    if results[1] == .created { onHoldAccounts += 2 }
                    try await Task.sleep(for: .milliseconds(3))
                }
                return (payments, onHoldAccounts)
            }
        }

        // 60 holds, one every 15 ms from alternating processes: expiries spread over about 0.9 s.
        // Every tenth is posted in the batch that creates it (a second batch could come after the
        // 1-second timeout on a loaded machine, and be refused as expired).
        let holds = 60
        var posted: UInt128 = 0
        var expiring: Set<String> = []
        for i in 0..<holds {
            let store = ledger.stores[i % 2]
            var batch = [transfer("hold-\(i)", "holder", "merchant", UInt128(i + 1), flags: .pending, timeout: 1)]
            if i % 10 == 0 {
                batch.append(transfer("post-\(i)", nil, nil, 0, flags: .postPending, pending: "hold-\(i)", asset: nil))
                posted += UInt128(i + 1)
            } else {
                expiring.insert("hold-\(i)")
            }
            #expect(try await store.submit(batch) == Array(repeating: .created, count: batch.count))
            try await Task.sleep(for: .milliseconds(15))
        }
        let lastExpiry = try #require(try await ledger.stores[1].transfer(LedgerID("hold-\(holds - 1)")!)?.expiresAt)
        let allEnded = try await waitUntil(deadline: lastExpiry + Self.patience) {
            try await ledger.count("ledger_pending_outcomes") == holds
        }
        let ended = try await ledger.count("ledger_pending_outcomes")
        #expect(allEnded, "only \(ended) of \(holds) holds ended")
        stop.set()
        var payments: UInt128 = 0, onHoldAccounts: UInt128 = 0
        for client in clients {
            let (p, h) = try await client.value
            payments += p
            onHoldAccounts += h
        }
        // Client batches expire due holds too, and under load they can take every one of them
        // before a pulse looks. Two holds made once the clients stopped leave the pulses the only
        // committers, so they must release these (the check below that the pulses did work).
        let late = ["late-0", "late-1"]
        for (index, id) in late.enumerated() {
            #expect(try await ledger.stores[index].submit([transfer(id, "holder", "merchant", 1, flags: .pending, timeout: 1)]) == [.created])
            expiring.insert(id)
        }
        let lateExpiry = try #require(try await ledger.stores[1].transfer(LedgerID("late-1")!)?.expiresAt)
        let lateEnded = try await waitUntil(deadline: lateExpiry + Self.patience) {
            try await ledger.count("ledger_pending_outcomes") == holds + late.count
        }
        #expect(lateEnded, "the pulses did not release the holds made after the clients stopped")
        for task in running { task.cancel() }
        for task in running { await task.value }

        // Exactly once: one outcome per hold, each of the right kind, no expiry before its timeout.
        let outcomes = try await ledger.outcomes()
        #expect(outcomes.count == holds + late.count && Set(outcomes.map(\.pendingID)).count == holds + late.count)
        for outcome in outcomes {
            let expected: PendingOutcome.Kind = expiring.contains(outcome.pendingID) ? .expired : .posted
            #expect(outcome.kind == expected, "\(outcome.pendingID)")
            if outcome.kind == .expired {
                let expiresAt = try #require(try await ledger.stores[0].transfer(LedgerID(outcome.pendingID)!)?.expiresAt)
                #expect(outcome.timestamp >= expiresAt, "\(outcome.pendingID) expired before its timeout")
            }
        }
        for store in ledger.stores {
            #expect(try await store.nextExpiry() == nil)
            #expect(try await store.account(LedgerID("holder")!)?.balances == AccountBalances(debitsPosted: posted + onHoldAccounts))
            #expect(try await store.account(LedgerID("merchant")!)?.balances == AccountBalances(creditsPosted: posted + onHoldAccounts))
            #expect(try await store.account(LedgerID("payee")!)?.balances == AccountBalances(creditsPosted: payments))
            guard case .intact = try await store.verify() else {
                Issue.record("the ledger does not verify")
                continue
            }
        }
        let pulsed = stores.map(\.released)
        print("pulse (\(backend)): \(expiring.count) expiries, \(pulsed) released by the two pulses, the rest by client batches; \(payments) payments")
        #expect(pulsed.reduce(0, +) <= expiring.count)
        #expect(pulsed.reduce(0, +) >= late.count)
        // A second recording of one expiry would have failed its commit (unique pending id): logged.
        #expect(logs.warnings.isEmpty, "\(logs.warnings)")
    }
}

/// (c) The service's life: it stops promptly on graceful shutdown and on cancellation, and a
/// failing store is retried with a capped, jittered backoff instead of crashing or spinning.
struct PendingExpiryServiceLifecycleTests {
    /// "Promptly": measured about 1 ms; wide for the reason given at `PendingExpiryServiceTests.lateness`.
    /// Without prompt shutdown the service would sleep out its one-hour poll interval; the bound
    /// is far below that and far above what a starved 2-core test run adds (the crash and CLI
    /// tests block both threads of the concurrency pool for seconds at a time).
    static let prompt = Duration.seconds(60)

    @Test func gracefulShutdownEndsItPromptly() async throws {
        let ledger = try await TemporaryLedger(.sqlite)
        try await ledger.setUp()
        #expect(try await ledger.store.submit([transfer("hold", "a", "b", 1, flags: .pending, timeout: 3_600)]) == [.created])
        let store = CountingStore(ledger.store)
        let service = PendingExpiryService(
            store: store, logger: LogRecords().logger("pulse"), pollInterval: .seconds(3_600), clock: { ledger.clock.now })
        var configuration = ServiceGroupConfiguration(services: [.init(service: service)], logger: LogRecords().logger("group"))
        // Past this the group cancels its services: a service deaf to graceful shutdown then fails
        // the bound below (and makes `run` throw) instead of hanging the test.
        configuration.maximumGracefulShutdownDuration = .seconds(120)
        let group = ServiceGroup(configuration: configuration)
        let running = Task { try await group.run() }
        #expect(try await waitUntil(deadline: SQLiteLedgerStore.systemClock() + PendingExpiryServiceTests.patience) { store.lookups > 0 })
        try await Task.sleep(for: .milliseconds(50))  // asleep now, for 60 s
        let start = ContinuousClock.now
        await group.triggerGracefulShutdown()
        try await running.value
        let took = ContinuousClock.now - start
        print("pulse: graceful shutdown took \(took)")
        #expect(took < Self.prompt)
        #expect(store.lookups == 1)
    }

    @Test func cancellationEndsItPromptly() async throws {
        let store = ScriptedStore(next: { _ in nil })
        let service = PendingExpiryService(store: store, logger: LogRecords().logger("pulse"), pollInterval: .seconds(3_600))
        let running = Task { await service.run() }
        #expect(try await waitUntil(deadline: SQLiteLedgerStore.systemClock() + PendingExpiryServiceTests.patience) { store.lookups > 0 })
        let start = ContinuousClock.now
        running.cancel()
        await running.value
        let took = ContinuousClock.now - start
        print("pulse: cancellation took \(took)")
        #expect(took < Self.prompt)
    }

    /// A store that fails four times: each failure is logged and followed by a pause that doubles
    /// up to the cap (with jitter between half and all of it); then the pulse carries on.
    @Test func failingStoreIsRetriedWithBackoff() async throws {
        let store = ScriptedStore(next: { call in
            if call <= 4 { throw LedgerError("database is locked (test)") }
            return call == 5 ? 0 : nil  // then one expiry due (at the epoch), then nothing
        })
        let sleeps = SleepRecorder()
        let logs = LogRecords()
        let service = PendingExpiryService(
            store: store, logger: logs.logger("pulse"), pollInterval: .seconds(60), retryDelay: .milliseconds(100),
            maximumRetryDelay: .milliseconds(400), sleep: sleeps.sleep)
        let running = Task { await service.run() }
        #expect(try await waitUntil(deadline: SQLiteLedgerStore.systemClock() + PendingExpiryServiceTests.patience) { store.lookups >= 6 })
        running.cancel()
        await running.value

        let recorded = sleeps.durations
        try #require(recorded.count >= 4)
        for (pause, ceiling) in zip(recorded.prefix(4), [100, 200, 400, 400].map { Duration.milliseconds($0) }) {
            #expect(pause >= ceiling / 2 && pause <= ceiling, "\(pause) not within \(ceiling / 2)...\(ceiling)")
        }
        #expect(store.expirations == 1)  // recovered: the due expiry was committed
        #expect(logs.warnings.count == 4)
        #expect(logs.warnings.allSatisfy { $0.contains("database is locked (test)") })
    }

    /// An expiry that stays due although `expireDue` releases nothing (the store's clock behind
    /// the service's) is retried after pauses that double up to the poll interval: no spin.
    @Test func stalledExpiryBacksOffToThePollInterval() async throws {
        let store = ScriptedStore(next: { _ in 0 })  // always due, never released
        let sleeps = SleepRecorder()
        let logs = LogRecords()
        let service = PendingExpiryService(store: store, logger: logs.logger("pulse"), pollInterval: .milliseconds(20), sleep: sleeps.sleep)
        let running = Task { await service.run() }
        #expect(try await waitUntil(deadline: SQLiteLedgerStore.systemClock() + PendingExpiryServiceTests.patience) { store.expirations >= 8 })
        running.cancel()
        await running.value
        #expect(Array(sleeps.durations.prefix(6)) == [2, 4, 8, 16, 20, 20].map { Duration.milliseconds($0) })
        #expect(logs.warnings.count == 1)
    }

    @Test func retryDelayDoublesUpToTheCap() {
        var random = SplitMix64(state: 42)
        for failures in 1...12 {
            let ceiling = min(Duration.milliseconds(100) * (1 << (failures - 1)), .seconds(30))
            for _ in 0..<50 {
                let delay = PendingExpiryService.retryDelay(after: failures, base: .milliseconds(100), cap: .seconds(30), using: &random)
                #expect(delay >= ceiling / 2 && delay <= ceiling, "failure \(failures): \(delay)")
            }
        }
        #expect(PendingExpiryService.retryDelay(after: 1, base: .zero, cap: .zero, using: &random) > .zero)
    }

    @Test func signalWakesWaitersAndIsNeverLost() async throws {
        let signal = PendingExpirySignal()
        let before = signal.generation
        signal.signal()
        await signal.wait(after: before)  // fired since `before` was read: returns at once
        let generation = signal.generation
        let waiter = Task { await signal.wait(after: generation) }
        try await Task.sleep(for: .milliseconds(20))
        signal.signal()
        await waiter.value
        let cancelled = Task { await signal.wait(after: signal.generation) }
        cancelled.cancel()
        await cancelled.value
    }
}

// MARK: - Helpers

/// One ledger opened by several stores with the system clock, as separate processes would open
/// it: SQLite databases on one file, or PostgreSQL pools on one database.
struct SharedLedger {
    let stores: [any LedgerStore]
    /// One database per store, all on the same file or PostgreSQL database.
    private let databases: [TestDatabase]
    private var sqlite: CofferDatabase? { databases[0].sqlite }
    private var pool: PostgresPool? { databases[0].postgres }

    static func open(_ backend: LedgerBackend, stores count: Int) async throws -> SharedLedger {
        let first = try await TestDatabase.make(backend, sqlite: LedgerMigrations.all, postgres: PostgresLedgerMigrations.all)
        var databases = [first]
        for _ in 1..<max(count, 1) { databases.append(try await first.reopened()) }
        let stores: [any LedgerStore] = databases.map { database in
            if let pool = database.postgres { return PostgresLedgerStore(database: pool) }
            return SQLiteLedgerStore(database: database.sqlite!)
        }
        return SharedLedger(stores: stores, databases: databases)
    }

    func setUp(accounts: [String] = ["a", "b"]) async throws {
        #expect(try await stores[0].createAsset(try Asset(code: "USDT", decimals: 6)))
        for name in accounts { #expect(try await stores[0].createAccount(Account(id: LedgerID(name)!, asset: "USDT")) == .created) }
    }

    func count(_ table: String) async throws -> Int {
        if let pool {
            return Int(try await pool.rows(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table)"), "counting").first?.decode(Int64.self) ?? 0)
        }
        return try await sqlite!.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    /// The store's clock reading when the last batch committed.
    func lastBatchTimestamp() async throws -> UInt64 {
        let sql = "SELECT timestamp FROM ledger_batches ORDER BY seq DESC LIMIT 1"
        if let pool {
            return UInt64(try #require(try await pool.rows(PostgresQuery(unsafeSQL: sql), "reading the last batch").first?.decode(Int64.self)))
        }
        return UInt64(try #require(try await sqlite!.pool.read { db in try Int64.fetchOne(db, sql: sql) }))
    }

    func outcomes() async throws -> [(pendingID: String, kind: PendingOutcome.Kind, timestamp: UInt64)] {
        let sql = "SELECT pending_id, kind, timestamp FROM ledger_pending_outcomes ORDER BY timestamp"
        if let pool {
            return try await pool.rows(PostgresQuery(unsafeSQL: sql), "reading outcomes").map { row in
                let (id, kind, timestamp) = try row.decode((String, String, Int64).self)
                return (id, try #require(PendingOutcome.Kind(rawValue: kind)), UInt64(timestamp))
            }
        }
        return try await sqlite!.pool.read { db in
            try Row.fetchAll(db, sql: sql).map { row -> (pendingID: String, kind: PendingOutcome.Kind, timestamp: UInt64) in
                let id: String = row[0], kind: String = row[1], timestamp: Int64 = row[2]
                return (id, try #require(PendingOutcome.Kind(rawValue: kind)), UInt64(timestamp))
            }
        }
    }

    func close() { for database in databases { database.close() } }
}

/// Polls `condition` every 10 ms until it holds or the system clock passes `deadline`
/// (nanoseconds since 1970); returns whether it held.
func waitUntil(deadline: UInt64, _ condition: () async throws -> Bool) async throws -> Bool {
    while true {
        if try await condition() { return true }
        if SQLiteLedgerStore.systemClock() >= deadline { return false }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// A store passed through, counting the pulse's calls and what `expireDue` released.
final class CountingStore: PendingExpiryStore, @unchecked Sendable {
    let base: any LedgerStore
    private let lock = NSLock()
    private var counts = (lookups: 0, released: 0)

    init(_ base: any LedgerStore) { self.base = base }

    var lookups: Int { lock.withLock { counts.lookups } }
    var released: Int { lock.withLock { counts.released } }
    var pendingExpirySignal: PendingExpirySignal { base.pendingExpirySignal }

    func nextExpiry() async throws -> UInt64? {
        lock.withLock { counts.lookups += 1 }
        return try await base.nextExpiry()
    }

    func expireDue() async throws -> Int {
        let released = try await base.expireDue()
        lock.withLock { counts.released += released }
        return released
    }
}

/// A store whose `nextExpiry` answers from a script (given the call number, from 1) and whose
/// `expireDue` releases nothing but counts its calls.
final class ScriptedStore: PendingExpiryStore, @unchecked Sendable {
    let pendingExpirySignal = PendingExpirySignal()
    private let script: @Sendable (Int) throws -> UInt64?
    private let lock = NSLock()
    private var counts = (lookups: 0, expirations: 0)

    init(next script: @escaping @Sendable (Int) throws -> UInt64?) { self.script = script }

    var lookups: Int { lock.withLock { counts.lookups } }
    var expirations: Int { lock.withLock { counts.expirations } }

    func nextExpiry() async throws -> UInt64? {
        let call = lock.withLock { counts.lookups += 1; return counts.lookups }
        return try script(call)
    }

    func expireDue() async throws -> Int {
        lock.withLock { counts.expirations += 1 }
        return 0
    }
}

/// An injected sleep that records each duration and pauses 1 ms (honouring cancellation).
final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []

    var durations: [Duration] { lock.withLock { recorded } }

    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] duration in
            lock.withLock { recorded.append(duration) }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Log lines kept in memory; `warnings` are those at warning level or above, with their metadata.
final class LogRecords: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(level: Logger.Level, text: String)] = []

    var warnings: [String] { lock.withLock { lines.filter { $0.level >= .warning }.map(\.text) } }

    func append(_ level: Logger.Level, _ text: String) { lock.withLock { lines.append((level, text)) } }

    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label) { _ in RecordingLogHandler(records: self) }
        logger.logLevel = .debug
        return logger
    }
}

struct RecordingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let extra = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        records.append(event.level, "\(event.message) \(extra)")
    }
}
