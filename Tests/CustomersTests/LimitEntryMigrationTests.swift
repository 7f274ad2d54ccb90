import CofferStorage
import CofferTestSupport
import Customers
import Ledger
import Testing

/// Customers' migration 2 (`CustomerMigrations.holdNamedEntries`) on both engines: entries stored
/// before it, which no hold names, still count in their customer's window afterwards (marked
/// `ahead`), and a payout's entry stored under the payout's id is finished by that id, while a
/// reservation that happens to share it is left alone.
struct LimitEntryMigrationTests {
    @Test(arguments: TestEngine.all) func entriesStoredBeforeStillCountAndFinish(engine: TestEngine) async throws {
        let before = try await TestDatabase.make(engine, sqlite: LedgerMigrations.all + CustomerMigrations.sqlite.prefix(1),
                                                 postgres: PostgresLedgerMigrations.all + CustomerMigrations.postgres.prefix(1))
        _ = try await before.database.write { connection in
            for (id, amount, kind) in [("p-1", "70", "payout"), ("p-2", "30", "transfer")] {
                try connection.execute("""
                    INSERT INTO customer_limit_entries (id, customer, asset, account, amount, at, state, new_destination, destination, kind)
                    VALUES (\(id), 'c0', 'USD', 'c0:usd', \(amount), 1000, 'reserved', 0, NULL, \(kind))
                    """)
            }
        }
        before.close()
        let storage = try await before.reopened(sqlite: LedgerMigrations.all + CustomerMigrations.sqlite,
                                                postgres: PostgresLedgerMigrations.all + CustomerMigrations.postgres)
        defer { storage.close() }
        let store = CustomerStore(database: storage.database)
        let counted = try await store.entries(customer: "c0", asset: "USD", now: 2000)
        #expect(Set(counted.map(\.id)) == ["p-1", "p-2"] && counted.map(\.amount).reduce(0, +) == 100, "\(counted)")

        // Settling payout p-1 (its hold `h-1`, which names no entry) posts the entry named p-1;
        // reservation p-2 is not a payout's and stays reserved.
        let posted = try await storage.database.write { connection in
            try LimitReservations.finish(["h-1"], payouts: ["p-1"], as: .posted, on: connection)
                + LimitReservations.finish(["h-2"], payouts: ["p-2"], as: .posted, on: connection)
        }
        #expect(posted == 1)
        let states = try await storage.database.read { connection in
            try connection.query("SELECT id, state FROM customer_limit_entries ORDER BY id") { "\(try $0.text(0)) \(try $0.text(1))" }
        }
        #expect(states == ["p-1 posted", "p-2 reserved"])
    }
}
