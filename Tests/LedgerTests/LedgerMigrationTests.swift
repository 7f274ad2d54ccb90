import CofferBase
import CofferTestSupport
import Foundation
import Ledger
import Testing

/// Databases written before the balance history moved into the transfer rows (SQLite migration
/// 3, PostgreSQL migration 2) keep their history, balances and verification across the upgrade
/// (on SQLite through migration 5 as well, since the test rewinds both).
struct LedgerMigrationTests {
    static let balanceColumns = ["debit", "credit"].flatMap { side in
        ["debits_pending", "debits_posted", "credits_pending", "credits_posted"].map { "\(side)_\($0)" }
    }

    /// Everything the history and time-travel reads answer for the accounts, plus `verify`'s head.
    struct Observed: Equatable {
        var histories: [[BalanceHistoryEntry]] = []
        var balances: [AccountBalances?] = []
        var head: [UInt8] = []
    }

    static func observe(_ store: any LedgerStore, accounts: [String]) async throws -> Observed {
        var observed = Observed()
        var timestamps: Set<UInt64> = [0, UInt64.max]
        for name in accounts {
            let history = try await LedgerQueryTests.allPages(limit: 2) { cursor in
                try #require(try await store.history(of: LedgerID(name)!, limit: 2, after: cursor))
            }
            observed.histories.append(history)
            for entry in history { timestamps.formUnion([entry.timestamp - 1, entry.timestamp, entry.timestamp + 1]) }
        }
        for name in accounts {
            for timestamp in timestamps.sorted() { observed.balances.append(try await store.balances(of: LedgerID(name)!, at: timestamp)) }
        }
        guard case .intact(_, _, let head) = try await store.verify() else {
            Issue.record("the ledger does not verify")
            return observed
        }
        observed.head = head
        return observed
    }

    @Test(arguments: LedgerBackend.all) func historyMovesIntoTheTransferRows(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp(accounts: [("a", []), ("b", []), ("c", [])])
        #expect(try await ledger.store.submit([
            transfer("t1", "a", "b", 100), transfer("p1", "b", "c", 40, flags: .pending, timeout: 1),
            transfer("p2", "a", "c", 7, flags: .pending), transfer("t2", "c", "a", 3),
        ]) == [.created, .created, .created, .created])
        ledger.clock.advance(seconds: 2)
        #expect(try await ledger.store.submit([
            transfer("t3", "b", "a", 5), transfer("post2", nil, nil, 6, flags: .postPending, pending: "p2", asset: nil),
        ]) == [.created, .created])
        let accounts = ["a", "b", "c"]
        let before = try await Self.observe(ledger.store, accounts: accounts)
        #expect(before.histories.map(\.count) == [5, 4, 5])
        #expect(try await ledger.count("ledger_balance_history") == 2)  // p1's expiry, for b and c

        // Rewrite the database as the previous schema left it: a history row per account per
        // transfer, no balance columns, the migration not yet applied.
        let balances = ["debits_pending", "debits_posted", "credits_pending", "credits_posted"]
        if backend == .sqlite { try await ledger.execute(LedgerBalancesViewMigrationTests.balancesTableAgain) }
        for side in ["debit", "credit"] {
            try await ledger.execute("""
                INSERT INTO ledger_balance_history (account_id, timestamp, \(balances.joined(separator: ", ")))
                SELECT \(side)_account_id, timestamp, \(balances.map { "\(side)_\($0)" }.joined(separator: ", ")) FROM ledger_transfers
                """)
        }
        for column in Self.balanceColumns { try await ledger.execute("ALTER TABLE ledger_transfers DROP COLUMN \(column)") }
        try await ledger.execute(backend == .postgres
            ? "DELETE FROM coffer_schema_migrations WHERE id = 'ledger-0002-balances-in-transfer-rows'"
            : "DELETE FROM grdb_migrations WHERE identifier = 'ledger-0003-balances-in-transfer-rows'")
        #expect(try await ledger.count("ledger_balance_history") == 2 + 2 * 6)

        let upgraded = try await ledger.reopened()
        #expect(try await ledger.count("ledger_balance_history") == 2)
        #expect(try await Self.observe(upgraded, accounts: accounts) == before)
        #expect(try await upgraded.submit([transfer("t4", "a", "b", 1)]) == [.created])
        guard case .intact(let batches, let transfers, _) = try await upgraded.verify() else {
            Issue.record("the upgraded ledger does not verify after a new commit")
            return
        }
        #expect((batches, transfers) == (3, 7))
    }
}

/// SQLite migration 5 drops the balances table for a view over the transfer rows: balances,
/// history and verification stay as they were, and a table that disagrees with the rows stops it.
struct LedgerBalancesViewMigrationTests {
    /// Rewinds SQLite migration 5: a balances table holding the values the view gives.
    static let balancesTableAgain = """
        CREATE TABLE ledger_account_balances_copy AS SELECT * FROM ledger_account_balances;
        DROP VIEW ledger_account_balances;
        ALTER TABLE ledger_account_balances_copy RENAME TO ledger_account_balances;
        DELETE FROM grdb_migrations WHERE identifier = 'ledger-0005-balances-from-transfer-rows';
        """

    @Test func balancesTableGivesWayToTheTransferRows() async throws {
        let ledger = try await TemporaryLedger(.sqlite)
        try await ledger.setUp(accounts: [("a", []), ("b", []), ("c", []), ("idle", [])])
        #expect(try await ledger.store.submit([
            transfer("t1", "a", "b", 100), transfer("p1", "b", "c", 40, flags: .pending, timeout: 1),
            transfer("p2", "a", "c", 7, flags: .pending), transfer("t2", "c", "a", 3),
        ]) == [.created, .created, .created, .created])
        ledger.clock.advance(seconds: 2)
        #expect(try await ledger.store.submit([transfer("t3", "a", "c", 5)]) == [.created])  // p1 expires: c's latest event is t3, b's the expiry
        let names = ["a", "b", "c", "idle"]
        let before = try await LedgerMigrationTests.observe(ledger.store, accounts: names)
        var accounts: [Account?] = []
        for name in names { accounts.append(try await ledger.store.account(LedgerID(name)!)) }
        #expect(accounts.map { $0?.balances } == [
            AccountBalances(debitsPending: 7, debitsPosted: 105, creditsPosted: 3), AccountBalances(creditsPosted: 100),
            AccountBalances(debitsPosted: 3, creditsPending: 7, creditsPosted: 5), .zero,
        ])

        try await ledger.execute(Self.balancesTableAgain)
        try await ledger.execute("UPDATE ledger_account_balances SET credits_posted = '101' WHERE account_id = 'b'")
        let refused = await #expect(throws: (any Error).self) { _ = try await ledger.reopened() }
        #expect(String(describing: refused).contains("stored balances of account b are not the ones its transfer rows record"))

        try await ledger.execute("UPDATE ledger_account_balances SET credits_posted = '100' WHERE account_id = 'b'")
        let upgraded = try await ledger.reopened()
        #expect(try await LedgerMigrationTests.observe(upgraded, accounts: names) == before)
        var after: [Account?] = []
        for name in names { after.append(try await upgraded.account(LedgerID(name)!)) }
        #expect(after == accounts)
        #expect(try await upgraded.submit([transfer("t4", "b", "idle", 1)]) == [.created])
        #expect(try await upgraded.account(LedgerID("idle")!)?.balances == AccountBalances(creditsPosted: 1))
        await #expect(throws: (any Error).self) { try await ledger.execute("UPDATE ledger_account_balances SET credits_posted = '0'") }
    }
}
