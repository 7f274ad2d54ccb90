import CofferBase
import CofferStorage
import CofferTestSupport
import GRDB
import Ledger
import PropertyBased
import Testing

/// The commit's fast paths: amounts bound and read as decimal TEXT without `String`, and the
/// in-process account cache that another writer of the same file must invalidate.
struct LedgerCommitTests {
    @Test func amountsRoundTripAsDecimalTextAtEverySize() async throws {
        let ledger = try await TemporaryLedger(.sqlite)
        try await ledger.setUp()
        var index = 0
        await propertyCheck(count: 60, input: Gen.uint64(), Gen.uint64(), Gen.int(in: 0...127)) { high, low, shift throws in
            index += 1
            // Every magnitude from 1 digit to 39, including values above 2^64 (the 19-digit groups).
            let amount = max(1, (UInt128(high) << 64 | UInt128(low)) >> shift)
            let id = "amount-\(index)"
            // A fresh pair of accounts per amount, so no balance overflows.
            let debit = "d\(index)", credit = "c\(index)"
            for name in [debit, credit] {
                #expect(try await ledger.store.createAccount(Account(id: LedgerID(name)!, asset: "USDT")) == .created)
            }
            #expect(try await ledger.store.submit([transfer(id, debit, credit, amount)]) == [.created])
            let stored = try ledger.database.pool.read { db in
                try String.fetchOne(db, sql: "SELECT amount FROM ledger_transfers WHERE id = ?", arguments: [id])
            }
            #expect(stored == String(amount))
            #expect(try await ledger.store.transfer(LedgerID(id)!)?.amount == amount)
            #expect(try await ledger.balances(credit) == AccountBalances(creditsPosted: amount))
            // Resubmitted: the snapshot reads the stored amount back for the idempotency check.
            #expect(try await ledger.store.submit([transfer(id, debit, credit, amount)]) == [.exists])
        }
        guard case .intact = try await ledger.store.verify() else { Issue.record("not intact"); return }
    }

    /// Two stores on one file stand for two processes: each caches the accounts it committed, and
    /// must notice the other's commits instead of deciding on stale balances.
    @Test func anotherWriterInvalidatesTheAccountCache() async throws {
        let ledger = try await TemporaryLedger(.sqlite)
        try await ledger.setUp()
        let other = try await ledger.reopened()
        #expect(try await ledger.store.submit([transfer("fund", "a", "limited", 5)]) == [.created])  // caches a and limited
        #expect(try await other.submit([transfer("spend", "limited", "b", 5)]) == [.created])
        // A stale cache would still see 5 credits and nothing spent, and accept this.
        #expect(try await ledger.store.submit([transfer("overspend", "limited", "b", 1)]) == [.exceedsCredits])
        #expect(try await ledger.store.submit([transfer("more", "a", "b", 2)]) == [.created])
        #expect(try await other.submit([transfer("again", "a", "b", 3)]) == [.created])
        #expect(try await ledger.store.account(LedgerID("a")!)?.balances == AccountBalances(debitsPosted: 10))
        #expect(try await ledger.store.account(LedgerID("b")!)?.balances == AccountBalances(creditsPosted: 10))
        guard case .intact(_, let count, _) = try await ledger.store.verify() else { Issue.record("not intact"); return }
        #expect(count == 4)
    }

    /// Accounts created after the cache filled are loaded on first use.
    @Test func accountsCreatedLaterAreLoaded() async throws {
        let ledger = try await TemporaryLedger(.sqlite)
        try await ledger.setUp()
        #expect(try await ledger.store.submit([transfer("t1", "a", "b", 1)]) == [.created])
        #expect(try await ledger.reopened().createAccount(Account(id: LedgerID("late")!, asset: "USDT")) == .created)
        #expect(try await ledger.store.submit([transfer("t2", "a", "late", 1)]) == [.created])
        #expect(try await ledger.balances("late") == AccountBalances(creditsPosted: 1))
    }
}

/// The durability docs/ledger.md promises: the connection that commits fsyncs the WAL at every
/// commit (`synchronous = FULL`, 2), whatever GRDB sets when it opens a pool in WAL mode.
struct LedgerDurabilityTests {
    @Test func theWriterSyncsEveryCommit() async throws {
        let ledger = try await TemporaryLedger(.sqlite)
        let level = try await ledger.database.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(level == 2)
        let mode = try await ledger.database.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    /// Checkpoints run in the background at `walCheckpointPages`; the writer's own automatic
    /// checkpoint is only the bound behind them.
    @Test func theWriterCheckpointsOnlyAsABound() async throws {
        let ledger = try await TemporaryLedger(.sqlite)
        let pages = try await ledger.database.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(pages == CofferDatabase.writerCheckpointPages)
        #expect(pages != 1000)  // SQLite's default: the setting reached the writer
    }
}
