import CofferBase
import CofferStorage
import CofferTestSupport
import Dispatch
import Foundation
import Ledger
import Testing
// `SigningRequestRecord` and `PolicyDecision` have no public initialisers, so only Vault itself
// (`SigningService`) can build a record for `SigningStore.insert(_:...on:)`; the test builds them
// as it does.
@testable import Vault

/// A capability that needs two domains (reserve on the ledger and request a signature) runs in
/// ONE database transaction on either store: the signing request is stored by
/// `SigningStore.insert(_:...on:)` as the ledger commit's companion, so it exists exactly when
/// the reservation (a pending transfer) does.
struct LedgerSigningTransactionTests {
    static func open(_ backend: LedgerBackend) async throws -> (ledger: TemporaryLedger, signing: SigningStore, vault: VaultStore) {
        let ledger = try await TemporaryLedger(backend, extraSQLite: VaultMigrations.sqlite, extraPostgres: VaultMigrations.postgres)
        try await ledger.setUp()
        return (ledger, SigningStore(database: ledger.store.database), VaultStore(database: ledger.store.database))
    }

    /// A request waiting for approvals, as `SigningService.submit` would store it.
    static func request(_ id: String) -> SigningRequestRecord {
        SigningRequestRecord(
            id: id, requestHash: String(repeating: "ab", count: 32), document: #"{"id":"\#(id)"}"#, walletID: "wallet-1",
            status: .pendingApproval,
            decision: PolicyDecision(outcome: .pendingApproval, rule: "big", reason: "2 approvals needed", approvalsRequired: 2, approvalsReceived: 0),
            result: nil)
    }

    static func decision(_ id: String) -> AuditEvent {
        AuditEvent(actor: "test", action: "sign.decision", subject: id, outcome: "pending_approval")
    }

    /// The companion of a reservation: records the signing request only when the hold was created.
    static func requestSignature(_ id: String, amount: UInt128, seen: Captured<[TransferResult]>) -> LedgerCommitCompanion {
        { results, connection in
            seen.set(results)
            guard results == [.created] else { return }
            _ = try SigningStore.insert(request(id), asset: "USDT", amount: amount, audit: decision(id), at: "2026-01-01T00:00:00.000Z", on: connection)
        }
    }

    @Test(arguments: LedgerBackend.all) func reservationAndSigningRequestCommitTogether(backend: LedgerBackend) async throws {
        let (ledger, signing, vault) = try await Self.open(backend)
        let seen = Captured<[TransferResult]>([])
        let results = try await ledger.store.submit(
            [transfer("hold-1", "a", "b", 100, flags: .pending)], companion: Self.requestSignature("req-1", amount: 100, seen: seen))
        #expect(results == [.created])
        #expect(seen.value == [.created])
        #expect(try await ledger.store.transfer(LedgerID("hold-1")!)?.request.flags == .pending)
        #expect(try await ledger.balances("a") == AccountBalances(debitsPending: 100))
        #expect(try await signing.request("req-1") == Self.request("req-1"))
        // Another process sees both, and the two hash chains (ledger batches, audit) still verify.
        let other = try await ledger.reopened()
        #expect(try await other.transfer(LedgerID("hold-1")!) != nil)
        #expect(try await SigningStore(database: other.database).request("req-1") != nil)
        guard case .intact(let batches, let transfers, _) = try await ledger.store.verify() else { Issue.record("the ledger does not verify"); return }
        #expect((batches, transfers) == (1, 1))
        let audit = try await vault.auditRecords()
        #expect(AuditChain.verify(audit) == .intact(records: 1, headHash: audit.last?.hash ?? []))
        #expect(audit.map(\.subject) == ["req-1"])
    }

    /// When the companion throws, the whole commit rolls back: neither the pending transfer nor
    /// the signing request (nor its audit record) exists, and every caller whose batch shared the
    /// group commit gets the same error, as `LedgerCommitCompanion` documents.
    @Test(arguments: LedgerBackend.all) func aThrowingCompanionLeavesNeitherAndFailsItsWholeGroup(backend: LedgerBackend) async throws {
        let (ledger, signing, vault) = try await Self.open(backend)
        let store = ledger.store
        struct Refused: Error {}

        // A first commit holds the store's committer until released, so the batches submitted
        // meanwhile queue up and are merged into the next group commit.
        let entered = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let blocker = Task {
            try await store.submit([transfer("first", "a", "b", 1)]) { _, _ in
                entered.signal()
                _ = release.wait(timeout: .now() + 30)
            }
        }
        try await Blocking.run { entered.wait() }  // on a thread of its own, not one of Swift concurrency's few
        let refused = Task {
            try await store.submit([transfer("hold-2", "a", "b", 100, flags: .pending)]) { _, connection in
                _ = try SigningStore.insert(Self.request("req-2"), asset: "USDT", amount: 100, audit: Self.decision("req-2"), at: "2026-01-01T00:00:00.000Z",
                                            on: connection)
                throw Refused()
            }
        }
        let bystanders = (0..<3).map { index in Task { try await store.submit([transfer("plain-\(index)", "a", "b", 1)]) } }
        // Long enough for the four tasks to queue behind the held commit.
        try await Task.sleep(for: .milliseconds(300))
        release.signal()

        #expect(try await blocker.value == [.created])
        await #expect(throws: Refused.self) { try await refused.value }
        for (index, bystander) in bystanders.enumerated() {
            await #expect(throws: Refused.self, "plain-\(index) shared the refused commit") { try await bystander.value }
            #expect(try await store.transfer(LedgerID("plain-\(index)")!) == nil)
        }
        #expect(try await store.transfer(LedgerID("hold-2")!) == nil)
        #expect(try await signing.request("req-2") == nil)
        #expect(try await vault.auditRecords().isEmpty)
        #expect(try await ledger.balances("a") == AccountBalances(debitsPosted: 1))
        guard case .intact(let batches, _, _) = try await store.verify() else { Issue.record("the ledger does not verify"); return }
        #expect(batches == 1)

        // The store is unharmed: the same reservation and request commit on a retry.
        let seen = Captured<[TransferResult]>([])
        #expect(try await store.submit([transfer("hold-2", "a", "b", 100, flags: .pending)],
                                       companion: Self.requestSignature("req-2", amount: 100, seen: seen)) == [.created])
        #expect(try await signing.request("req-2") != nil)
        #expect(try await ledger.balances("a") == AccountBalances(debitsPending: 100, debitsPosted: 1))
    }

    /// A rejected reservation reaches the companion as its result: it stores no signing request,
    /// and the ledger stores no transfer.
    @Test(arguments: LedgerBackend.all) func theCompanionSeesARejection(backend: LedgerBackend) async throws {
        let (ledger, signing, vault) = try await Self.open(backend)
        let seen = Captured<[TransferResult]>([])
        // "limited" may not debit more than it was credited.
        let results = try await ledger.store.submit(
            [transfer("hold-3", "limited", "b", 100, flags: .pending)], companion: Self.requestSignature("req-3", amount: 100, seen: seen))
        #expect(results == [.exceedsCredits])
        #expect(seen.value == [.exceedsCredits])
        #expect(try await ledger.store.transfer(LedgerID("hold-3")!) == nil)
        #expect(try await signing.request("req-3") == nil)
        #expect(try await vault.auditRecords().isEmpty)
        #expect(try await ledger.balances("limited") == .zero)
    }
}
