import Chains
import CofferBase
import CofferCore
import CofferStorage
import CofferTestSupport
import Foundation
import Synchronization
import Vault
import Webhooks

/// Milliseconds since 1970 that the test moves (starting at the real time, so receivers that
/// check signatures against it see a plausible `t`).
final class TestClock: Sendable {
    private let value = Mutex(Int64(Date().timeIntervalSince1970 * 1_000))
    var now: Int64 { value.withLock { $0 } }
    var seconds: Int64 { now / 1_000 }
    func advance(milliseconds: Int64) { value.withLock { $0 += milliseconds } }
}

/// A flag a receiver reads to decide its answer.
final class Switch: Sendable {
    private let value: Mutex<Bool>
    init(_ on: Bool) { value = Mutex(on) }
    var isOn: Bool { value.withLock { $0 } }
    func set(_ on: Bool) { value.withLock { $0 = on } }
}

/// Every store over a fresh database on one engine, an unlocked vault, and a clock the test moves.
struct WebhookFixture: Sendable {
    let storage: TestDatabase
    let stores: CofferStores
    let vault: VaultAccess
    let clock: TestClock
    let operatorCaller: Caller

    /// 100 ms doubling up to a second, 10 attempts, 2 s per attempt.
    /// A generous timeout: CI runs these beside dozens of processes, and a receiver on loopback
    /// answered after more than 2 s there (a full CI run on 2026-12-03), which these tests count as a
    /// timeout rather than the status they script. No test here waits for a timeout to fire.
    static let policy = try! WebhookPolicy(retryBaseMilliseconds: 100, retryCapMilliseconds: 1_000, maximumAttempts: 10, timeoutMilliseconds: 20_000)

    static func make(_ engine: TestEngine) async throws -> WebhookFixture {
        let storage = try await TestDatabase.make(engine, sqlite: CofferStores.sqliteMigrations, postgres: CofferStores.postgresMigrations)
        return try await WebhookFixture(storage: storage)
    }

    init(storage: TestDatabase) async throws {
        self.storage = storage
        if let sqlite = storage.sqlite {
            stores = CofferStores(embedded: sqlite)
        } else {
            stores = CofferStores(postgres: storage.postgres!)
        }
        let passphrase = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-webhooks-\(UUID().uuidString)")
        try Data("correct horse battery staple\n".utf8).write(to: passphrase)
        defer { try? FileManager.default.removeItem(at: passphrase) }
        vault = try await VaultAccess.unlock(stores.vault, passphraseFile: passphrase.path, createWith: .insecureTesting)
        clock = TestClock()
        operatorCaller = try Caller.commandLine()
    }

    /// A receiver whose clock is this fixture's (so signatures are checked against the time they were made at).
    func receiver(delay: Duration = .zero, answer: @escaping @Sendable (Int) -> Int = { _ in 200 }) async throws -> WebhookReceiver {
        let clock = self.clock
        return try await WebhookReceiver.start(now: { clock.seconds }, delay: delay, answer: answer)
    }

    /// The same database opened again, as another process would.
    func reopened() async throws -> WebhookFixture { try await WebhookFixture(storage: try await storage.reopened()) }

    func service(policy: WebhookPolicy = WebhookFixture.policy, allowPrivateURLs: Bool = false, vault: VaultAccess? = nil) -> WebhookService {
        let clock = self.clock
        return WebhookService(store: stores.webhooks, vault: vault ?? self.vault, events: OutboxWebhookEvents(store: stores.chains),
                              options: WebhookOptions(policy: policy, allowPrivateURLs: allowPrivateURLs), clock: { clock.now })
    }

    /// Appends events through the real outbox, in one transaction; returns their sequence numbers.
    @discardableResult
    func append(_ events: [(scope: String, type: String, subject: String, data: String)]) async throws -> [Int64] {
        let before = try await stores.chains.lastEventSequence()
        let parsed = try events.map { (scope: $0.scope, type: $0.type, subject: $0.subject, data: try JSONValue(parsing: $0.data)) }
        let time = clock.seconds
        try await stores.database.write { connection in try EventOutbox.append(parsed, at: time, on: connection) }
        let all = try await stores.chains.events(scope: nil, after: before, limit: 1_000)
        return all.map(\.sequence)
    }

    /// Passes of `coffer webhook deliver --once`, moving the clock past the longest backoff after each.
    func deliver(_ service: WebhookService, passes: Int = 1) async throws {
        for _ in 0..<passes {
            _ = try await service.deliverDue(by: operatorCaller)
            clock.advance(milliseconds: service.options.policy.retryCapMilliseconds + 1)
        }
    }
}
