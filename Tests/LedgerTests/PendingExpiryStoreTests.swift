import CofferBase
import CofferStorage
import CofferTestSupport
import GRDB
@testable import Ledger
import Testing

/// What the pending-expiry pulse needs from every store (`PendingExpiryStore`), on SQLite and
/// PostgreSQL with a clock the test moves: the next open expiry, and a commit of no transfers that
/// releases what is due at the moment of its timeout and writes nothing otherwise.
struct PendingExpiryStoreTests {
    @Test(arguments: LedgerBackend.all) func nextExpiryAndExpireDue(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        let store = ledger.store
        #expect(try await store.nextExpiry() == nil)
        #expect(try await store.expireDue() == 0)
        #expect(try await ledger.count("ledger_batches") == 0)

        #expect(try await store.submit([
            transfer("p30", "a", "b", 50, flags: .pending, timeout: 30), transfer("p10", "a", "b", 7, flags: .pending, timeout: 10),
            transfer("forever", "a", "b", 3, flags: .pending), transfer("t", "a", "b", 1),
        ]) == [.created, .created, .created, .created])
        let p30 = try #require(try await store.transfer(LedgerID("p30")!)?.expiresAt)
        let p10 = try #require(try await store.transfer(LedgerID("p10")!)?.expiresAt)
        #expect(try await store.nextExpiry() == p10)

        // A posted pending transfer no longer counts; one without a timeout never does.
        ledger.clock.advance(seconds: 1)
        #expect(try await store.submit([transfer("post10", nil, nil, 0, flags: .postPending, pending: "p10", asset: nil)]) == [.created])
        #expect(try await store.nextExpiry() == p30)

        // Not yet due: nothing released, nothing written.
        #expect(try await store.expireDue() == 0)
        #expect(try await ledger.count("ledger_batches") == 2)
        #expect(try await ledger.balances("a") == AccountBalances(debitsPending: 53, debitsPosted: 8))

        // Well past due, and nobody committed since: the expiry takes the moment of the timeout.
        ledger.clock.advance(seconds: 100)
        #expect(try await store.nextExpiry() == p30)
        #expect(try await store.expireDue() == 1)
        #expect(try await ledger.count("ledger_batches") == 3)
        #expect(try await ledger.balances("a") == AccountBalances(debitsPending: 3, debitsPosted: 8))
        let history = try #require(try await store.history(of: LedgerID("a")!, limit: 10, after: nil)).items
        let expiry = try #require(history.last)
        #expect(expiry.event == .expiry && expiry.transferID == LedgerID("p30")! && expiry.timestamp == p30)
        #expect(try await store.balances(of: LedgerID("a")!, at: p30 - 1) == AccountBalances(debitsPending: 53, debitsPosted: 8))
        #expect(try await store.balances(of: LedgerID("a")!, at: p30) == AccountBalances(debitsPending: 3, debitsPosted: 8))

        // Nothing left to expire: no empty batch enters the chain.
        #expect(try await store.nextExpiry() == nil)
        #expect(try await store.expireDue() == 0)
        #expect(try await ledger.count("ledger_batches") == 3)
        #expect(try await ledger.count("ledger_pending_outcomes") == 2)
        // A transfer committed now follows the expiry in time.
        #expect(try await store.submit([transfer("after", "a", "b", 1)]) == [.created])
        #expect(try #require(try await store.transfer(LedgerID("after")!)).timestamp == ledger.clock.now)
        guard case .intact(let batches, let transfers, _) = try await store.verify() else { Issue.record("not intact"); return }
        #expect((batches, transfers) == (4, 6))
    }

    /// Several expiries due at once are released by one call, oldest timeout first, each at its
    /// timeout; a client batch that commits first releases them the same way.
    @Test(arguments: LedgerBackend.all) func expiriesKeepTheirTimeoutsWhoeverCommitsThem(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        let store = ledger.store
        #expect(try await store.submit([transfer("p1", "a", "b", 1, flags: .pending, timeout: 2)]) == [.created])
        ledger.clock.advance(seconds: 1)
        #expect(try await store.submit([transfer("p3", "a", "b", 4, flags: .pending, timeout: 1)]) == [.created])  // due with p1
        #expect(try await store.submit([transfer("p2", "a", "b", 2, flags: .pending, timeout: 2)]) == [.created])
        let expiries = try await ["p1", "p2", "p3"].asyncMap { try #require(try await store.transfer(LedgerID($0)!)?.expiresAt) }
        ledger.clock.advance(seconds: 10)
        #expect(try await store.expireDue() == 3)
        let history = try #require(try await store.history(of: LedgerID("a")!, limit: 10, after: nil)).items.filter { $0.event == .expiry }
        #expect(expiries[0] == expiries[2])
        // p1 and p3 fall due at the same nanosecond: p1, created first, takes it, p3 the next one.
        #expect(history.map(\.transferID.value) == ["p1", "p3", "p2"])
        #expect(history.map(\.timestamp) == [expiries[0], expiries[2] + 1, expiries[1]])

        #expect(try await store.submit([transfer("p4", "a", "b", 8, flags: .pending, timeout: 1)]) == [.created])
        let p4 = try #require(try await store.transfer(LedgerID("p4")!)?.expiresAt)
        ledger.clock.advance(seconds: 5)
        #expect(try await store.submit([transfer("t", "a", "b", 16)]) == [.created])
        #expect(try await store.nextExpiry() == nil)
        let last = try #require(try await store.history(of: LedgerID("a")!, limit: 10, after: nil)).items.suffix(2)
        #expect(last.map(\.event) == [.expiry, .transfer])
        #expect(last.map(\.timestamp) == [p4, ledger.clock.now])
        guard case .intact = try await store.verify() else { Issue.record("not intact"); return }
    }

    /// `nextExpiry` walks the (expires_at, id) index and reads no table row for the outcome probe.
    @Test func nextExpiryUsesTheExpiryIndex() async throws {
        let ledger = try await TemporaryLedger(.sqlite)
        let plan = try await ledger.database.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + LedgerExpirySQL.nextExpiry).map { row -> String in row["detail"] }
        }
        // In expiry order straight from the index (no sort), the id for the probe from the index too.
        #expect(plan.contains { $0.contains("USING COVERING INDEX ledger_transfers_expiry_id") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var mapped: [T] = []
        for element in self { mapped.append(try await transform(element)) }
        return mapped
    }
}
