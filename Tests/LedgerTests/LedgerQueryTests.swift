import CofferBase
import CofferStorage
import CofferTestSupport
import Foundation
import GRDB
import Ledger
import Testing

/// History, transfer listings, totals and reversals on the SQLite store.
struct LedgerQueryTests {
    /// Pages through `fetch` with page size `limit` until no cursor remains.
    static func allPages<Row: Sendable>(limit: Int, _ fetch: (PageCursor?) async throws -> Page<Row>) async throws -> [Row] {
        let walk = try await PageWalk(limit: limit, fetch)
        #expect(walk.isWellFormed, "pages \(walk.pages)")
        return walk.items
    }

    @Test(arguments: LedgerBackend.all) func historyRecordsEveryEventInOrder(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        #expect(try await ledger.store.submit([
            transfer("t1", "a", "b", 100), transfer("t2", "b", "a", 30), transfer("p", "a", "b", 10, flags: .pending, timeout: 1),
        ]) == [.created, .created, .created])
        ledger.clock.advance(seconds: 2)
        #expect(try await ledger.store.submit([transfer("t3", "b", "a", 5)]) == [.created])

        let a = LedgerID("a")!
        let history = try #require(try await ledger.store.history(of: a, limit: 100, after: nil))
        #expect(history.nextCursor == nil)
        #expect(history.items.map(\.transferID.value) == ["t1", "t2", "p", "p", "t3"])
        #expect(history.items.map(\.event) == [.transfer, .transfer, .transfer, .expiry, .transfer])
        #expect(history.items.map(\.balances.debitsPosted) == [100, 100, 100, 100, 100])
        #expect(history.items.map(\.balances.creditsPosted) == [0, 30, 30, 30, 35])
        #expect(history.items.map(\.balances.debitsPending) == [0, 0, 10, 0, 0])
        #expect(zip(history.items, history.items.dropFirst()).allSatisfy { $0.timestamp < $1.timestamp })
        #expect(history.items.last?.balances == (try await ledger.balances("a")))
        for row in history.items {
            #expect(try await ledger.store.balances(of: a, at: row.timestamp) == row.balances)
        }
        for limit in 1...6 {
            let paged = try await Self.allPages(limit: limit) { cursor in try #require(try await ledger.store.history(of: a, limit: limit, after: cursor)) }
            #expect(paged == history.items)
        }
        #expect(try await ledger.store.history(of: LedgerID("nobody")!, limit: 10, after: nil) == nil)
        #expect(try await ledger.store.history(of: LedgerID("limited")!, limit: 10, after: nil) == Page(items: [], nextCursor: nil))
        await #expect(throws: LedgerError.self) { try await ledger.store.history(of: a, limit: 0, after: nil) }
        await #expect(throws: LedgerError.self) { try await ledger.store.history(of: a, limit: 10_001, after: nil) }
    }

    @Test(arguments: LedgerBackend.all) func transfersFilterAndPaginate(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp(accounts: [("a", []), ("b", []), ("c", [])])
        let names = ["a", "b", "c"]
        var submitted: [Transfer] = []
        for index in 0..<40 {
            let debit = names[index % 3], credit = names[(index % 3 + 1 + index / 3 % 2) % 3]
            var next = transfer("t\(index)", debit, credit, UInt128(index + 1))
            next.reference = index % 4 == 0 ? "order-\(index % 8)" : ""
            submitted.append(next)
            if index % 7 == 6 {
                _ = try await ledger.store.submit(submitted.suffix(7))
                ledger.clock.advance(seconds: 1)
            }
        }
        _ = try await ledger.store.submit(Array(submitted.suffix(40 % 7)))
        let all = try await ledger.store.transfers(TransferQuery(limit: 10_000))
        #expect(all.nextCursor == nil)
        #expect(all.items.map(\.id.value) == submitted.map(\.id.value))
        let from = all.items[10].timestamp, to = all.items[30].timestamp

        let queries: [(TransferQuery, (CommittedTransfer) -> Bool)] = [
            (TransferQuery(account: LedgerID("a")!), { $0.debitAccountID.value == "a" || $0.creditAccountID.value == "a" }),
            (TransferQuery(reference: "order-0"), { $0.request.reference == "order-0" }),
            (TransferQuery(reference: "order-4"), { $0.request.reference == "order-4" }),
            (TransferQuery(reference: "nothing"), { _ in false }),
            (TransferQuery(from: from), { $0.timestamp >= from }),
            (TransferQuery(to: to), { $0.timestamp < to }),
            (TransferQuery(account: LedgerID("b")!, reference: "order-4", from: from, to: to), {
                ($0.debitAccountID.value == "b" || $0.creditAccountID.value == "b") && $0.request.reference == "order-4" && $0.timestamp >= from && $0.timestamp < to
            }),
            (TransferQuery(account: LedgerID("c")!, from: from, to: to), {
                ($0.debitAccountID.value == "c" || $0.creditAccountID.value == "c") && $0.timestamp >= from && $0.timestamp < to
            }),
        ]
        for (query, matches) in queries {
            let expected = all.items.filter(matches)
            for limit in [1, 2, 3, 7, 100] {
                var paged = query
                paged.limit = limit
                let rows = try await Self.allPages(limit: limit) { cursor in
                    paged.cursor = cursor
                    return try await ledger.store.transfers(paged)
                }
                #expect(rows == expected, "\(query) limit \(limit)")
            }
        }
        await #expect(throws: LedgerError.self) { try await ledger.store.transfers(TransferQuery(reference: "")) }
        await #expect(throws: LedgerError.self) { try await ledger.store.transfers(TransferQuery(limit: 0)) }
        #expect(try await ledger.store.transfer(LedgerID("t5")!) == all.items[5])
        #expect(try await ledger.store.transfer(LedgerID("t99")!) == nil)
    }

    /// The queries use the indexes: no full scan of the transfers for any filter.
    @Test func queriesUseIndexes() async throws {
        let ledger = try await TemporaryLedger(.sqlite)
        let plans = [
            "SELECT * FROM ledger_transfers WHERE reference = ?1 AND reference <> '' AND timestamp >= ?2 AND (timestamp > ?2 OR id > ?3) ORDER BY timestamp, id LIMIT 10",
            "SELECT * FROM ledger_transfers WHERE debit_account_id = ?1 AND timestamp >= ?2 AND (timestamp > ?2 OR id > ?3) ORDER BY timestamp, id LIMIT 10",
            "SELECT * FROM ledger_transfers WHERE timestamp >= ?2 AND timestamp < ?2 + 5 AND id > ?3 AND ?1 <> '' ORDER BY timestamp, id LIMIT 10",
            "SELECT * FROM ledger_pending_outcomes WHERE timestamp = ?2 AND pending_id > ?3 AND ?1 <> ''",
        ]
        for sql in plans {
            let plan = try await ledger.database.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: ["r", 1, "x"]).map { row -> String in row["detail"] }
            }
            #expect(plan.contains { $0.contains("USING INDEX") || $0.contains("USING COVERING INDEX") }, "\(sql): \(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN ledger_transfers") || $0.hasPrefix("SCAN ledger_pending_outcomes") }, "\(sql): \(plan)")
        }
    }

    @Test(arguments: LedgerBackend.all) func totalsBalancePerAsset(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        #expect(try await ledger.store.createAsset(try Asset(code: "BTC", decimals: 8)))
        #expect(try await ledger.store.createAsset(try Asset(code: "EUR", decimals: 2)))
        for name in ["x", "y"] { #expect(try await ledger.store.createAccount(Account(id: LedgerID(name)!, asset: "BTC")) == .created) }
        let big = UInt128.max - 5
        #expect(try await ledger.store.submit([
            transfer("t1", "a", "b", 100), transfer("t2", "b", "limited", 40), transfer("p1", "a", "b", 7, flags: .pending),
            transfer("t3", "x", "y", big, asset: "BTC"), transfer("t4", "y", "x", big, asset: "BTC"),
        ]) == [.created, .created, .created, .created, .created])
        let totals = try await ledger.store.totals()
        #expect(totals.map(\.asset) == ["BTC", "EUR", "USDT"])
        #expect(totals.allSatisfy { $0.isBalanced })
        var twiceBig = LedgerSum(big)
        twiceBig.add(big)
        #expect(totals[0].debitsPosted == twiceBig && totals[0].creditsPosted == twiceBig)
        #expect(totals[1].debitsPosted.description == "0" && totals[1].creditsPending.description == "0")
        #expect(totals[2].debitsPosted.description == "140" && totals[2].creditsPosted.description == "140")
        #expect(totals[2].debitsPending.description == "7" && totals[2].creditsPending.description == "7")
    }

    @Test func wideSumsPrintExactly() {
        var sum = LedgerSum()
        #expect(sum.description == "0")
        sum.add(UInt128.max)
        #expect(sum.description == "340282366920938463463374607431768211455")
        sum.add(UInt128.max)
        #expect(sum.description == "680564733841876926926749214863536422910")
        sum.add(2)
        #expect(sum.description == "680564733841876926926749214863536422912")
        #expect(LedgerSum(10_000_000_000_000_000_000).description == "10000000000000000000")
        #expect(LedgerSum(10_000_000_000_000_000_001).description == "10000000000000000001")
    }

    @Test(arguments: LedgerBackend.all) func reversalUndoesAPostedTransfer(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        #expect(try await ledger.store.submit([
            transfer("t1", "a", "b", 100), transfer("p1", "a", "b", 50, flags: .pending), transfer("p2", "a", "b", 20, flags: .pending),
            transfer("post", nil, nil, 30, flags: .postPending, pending: "p1", asset: nil),
            transfer("void", nil, nil, 0, flags: .voidPending, pending: "p2", asset: nil),
            transfer("t2", "b", "limited", 10),
        ]) == [.created, .created, .created, .created, .created, .created])
        let before = try await ledger.balances("a")
        #expect(try await ledger.store.reverse(LedgerID("t1")!, newID: LedgerID("r1")!) == .created)
        #expect(try await ledger.store.reverse(LedgerID("t1")!, newID: LedgerID("r1")!) == .exists)
        let reversal = try #require(try await ledger.store.transfer(LedgerID("r1")!))
        #expect(reversal.debitAccountID.value == "b" && reversal.creditAccountID.value == "a" && reversal.amount == 100 && reversal.asset == "USDT")
        #expect(reversal.request.reference == "reversal:t1")
        #expect(try await ledger.balances("a")?.creditsPosted == (before?.creditsPosted ?? 0) + 100)

        #expect(try await ledger.store.reverse(LedgerID("post")!, newID: LedgerID("r2")!) == .created)
        #expect(try await ledger.store.transfer(LedgerID("r2")!)?.amount == 30)
        // A new id that is already taken by another transfer: the first differing field is named.
        #expect(try await ledger.store.reverse(LedgerID("t2")!, newID: LedgerID("t1")!) == .existsWithDifferentDebitAccountID)
        // limited may not debit more than it was credited: the reversal is a result like any transfer's.
        #expect(try await ledger.store.submit([transfer("t3", "limited", "a", 10)]) == [.created])
        #expect(try await ledger.store.reverse(LedgerID("t2")!, newID: LedgerID("r3")!) == .exceedsCredits)

        let a = try await ledger.balances("a"), b = try await ledger.balances("b")
        for (original, newID) in [("p1", "r4"), ("p2", "r5"), ("void", "r6"), ("missing", "r7"), ("t1", "t1"), ("t1", "r8")] {
            await #expect(throws: LedgerError.self, "\(original)") { try await ledger.store.reverse(LedgerID(original)!, newID: LedgerID(newID)!) }
        }
        #expect(try await ledger.balances("a") == a)
        #expect(try await ledger.balances("b") == b)
        #expect(try await ledger.store.transfer(LedgerID("r4")!) == nil)
        guard case .intact = try await ledger.store.verify() else { Issue.record("verification failed"); return }
    }

    /// The ledger's cursors are `PageCursor`s keyed by (commit timestamp, transfer id): they
    /// print and parse back unchanged, and text Coffer did not print is refused.
    @Test func cursorsRoundTripAndRefuseForgeries() throws {
        let cursor = PageCursor(position: 1_700_000_000_000_000_001, key: "t.1:x")
        #expect(try PageCursor(parsing: cursor.text) == cursor)
        let entry = BalanceHistoryEntry(event: .transfer, transferID: LedgerID("t.1:x")!, timestamp: 1_700_000_000_000_000_001, balances: .zero)
        #expect(entry.cursor == cursor)
        for bad in ["", ".", "12.", ".t1", "+12.t1", "-1.t1", "1a.t1", "18446744073709551616.t1", "12.bad id", "12." + String(repeating: "x", count: 257)] {
            #expect(throws: PagingError.self, "\(bad)") { try PageCursor(parsing: bad) }
        }
    }
}
