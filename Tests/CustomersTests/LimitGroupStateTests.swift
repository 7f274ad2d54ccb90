import CofferStorage
import CofferTestSupport
import Customers
import Ledger
import Testing

/// A large group's checks on both engines (1,200 requests; over PostgreSQL's wire their ids and
/// columns travel as arrays, one parameter each): retried ids are answered with their stored
/// state and never counted again, new ones are checked against the daily limit in order (the last
/// of each customer's refused), and the writer token moves. The ledger holds none of them, so
/// every entry is dated after its newest transfer and read back as `ahead`.
struct LimitGroupStateTests {
    @Test(arguments: TestEngine.all) func retriesInALargeGroupAreAnsweredAndNotCounted(engine: TestEngine) async throws {
        let storage = try await TestDatabase.make(engine, sqlite: LedgerMigrations.all + CustomerMigrations.sqlite,
                                                  postgres: PostgresLedgerMigrations.all + CustomerMigrations.postgres)
        defer { storage.close() }
        let database = storage.database
        let limits = LimitSet(daily: 350)
        func request(_ index: Int) -> LimitRequest {
            LimitRequest(id: "r\(index)", customer: "c\(index % 3)", asset: "USD", account: "c\(index % 3):usd", amount: 1, at: 1_000_000 + Int64(index),
                         destination: nil, kind: "transfer", limits: limits)
        }
        // 600 reserved first (200 for each customer), 300 of them posted.
        let first = (0..<600).map(request)
        let decided = try await database.write { connection in
            try LimitReservations.reserveAll(first, windows: LimitWindows(), state: try LimitReservations.groupState(of: first, on: connection),
                                             on: connection)
        }
        #expect(decided.allSatisfy { $0 == .reserved(newDestination: false) })
        let posted = try await database.write { connection in try LimitReservations.finish((0..<300).map { "r\($0)" }, as: .posted, on: connection) }
        #expect(posted == 300)

        // One group of 1,200: the 600 again (retries), then 600 new ones, 200 a customer, of which
        // each customer's daily limit of 350 holds 150 more.
        let group = (0..<1_200).map(request)
        let (before, state, decisions) = try await database.write { connection in
            let before = try LimitReservations.groupState(of: [LimitRequest](), on: connection).token
            let state = try LimitReservations.groupState(of: group, on: connection)
            return (before, state, try LimitReservations.reserveAll(group, windows: LimitWindows(), state: state, on: connection))
        }
        #expect(state.token == before)
        if engine == .postgres {
            #expect(state.earlier.count == 600 && state.earlier["r0"] == .posted && state.earlier["r599"] == .reserved)
        } else {
            #expect(state.earlier.isEmpty)
        }
        #expect(decisions[0..<300].allSatisfy { $0 == .exists(.posted) })
        #expect(decisions[300..<600].allSatisfy { $0 == .exists(.reserved) })
        for (offset, decision) in decisions[600...].enumerated() {
            // Request 600 + offset is its customer's (offset / 3 + 1)th new one.
            if offset / 3 < 150 {
                #expect(decision == .reserved(newDestination: false), "request \(600 + offset)")
            } else {
                guard case .refused(let standing) = decision else {
                    Issue.record("request \(600 + offset) was \(decision), not refused")
                    continue
                }
                #expect(standing.kind == .daily && standing.used == 350 && standing.remaining == 0, "request \(600 + offset): \(standing)")
            }
        }
        let after = try await database.read { connection in try LimitReservations.groupState(of: [LimitRequest](), on: connection).token }
        #expect(after != before)
        for customer in ["c0", "c1", "c2"] {
            let entries = try await CustomerStore(database: database).entries(customer: customer, asset: "USD", now: 1_002_000)
            #expect(entries.count == 350, "\(customer): \(entries.count) entries")
        }
    }

    /// A group's new-destination checks on both engines: a destination is new for a customer
    /// that never paid it, stored or earlier in the same group; a refused request leaves it
    /// unseen; each sighting is recorded once, the first kept.
    @Test(arguments: TestEngine.all) func destinationsAreNewOnlyToCustomersThatNeverPaidThem(engine: TestEngine) async throws {
        let storage = try await TestDatabase.make(engine, sqlite: LedgerMigrations.all + CustomerMigrations.sqlite,
                                                  postgres: PostgresLedgerMigrations.all + CustomerMigrations.postgres)
        defer { storage.close() }
        let database = storage.database
        let limits = LimitSet(newDestinationPerTransaction: 10)
        func request(_ id: String, _ customer: String, _ destination: String?, _ amount: UInt128, at: Int64) -> LimitRequest {
            LimitRequest(id: id, customer: customer, asset: "USD", account: customer + ":usd", amount: amount, at: at, destination: destination,
                         kind: "payout", limits: limits)
        }
        func reserve(_ group: [LimitRequest]) async throws -> [LimitDecision] {
            try await database.write { connection in
                try LimitReservations.reserveAll(group, windows: LimitWindows(), state: try LimitReservations.groupState(of: group, on: connection),
                                                 on: connection)
            }
        }
        #expect(try await reserve([request("p0", "c0", "addr-old", 5, at: 100)]) == [.reserved(newDestination: true)])
        let decisions = try await reserve([
            request("p1", "c0", "addr-old", 50, at: 200),   // paid before: not new, no new-destination limit
            request("p2", "c0", "addr-new", 5, at: 201),    // new
            request("p3", "c0", "addr-new", 50, at: 202),   // new at p2, earlier in this group: not new any more
            request("p4", "c1", "addr-old", 5, at: 203),    // another customer's destination: new to c1
            request("p5", "c1", "addr-x", 50, at: 204),     // new and over the new-destination limit: refused
            request("p6", "c1", nil, 50, at: 205),          // no destination
        ])
        #expect(Array(decisions[0..<5]) == [.reserved(newDestination: false), .reserved(newDestination: true), .reserved(newDestination: false),
                                            .reserved(newDestination: true), decisions[4]])
        guard case .refused(let standing) = decisions[4] else {
            Issue.record("p5 was \(decisions[4]), not refused")
            return
        }
        #expect(standing.kind == .newDestinationPerTransaction)
        #expect(decisions[5] == .reserved(newDestination: false))
        let store = CustomerStore(database: database)
        for (customer, destination, seen) in [("c0", "addr-old", true), ("c0", "addr-new", true), ("c1", "addr-old", true), ("c1", "addr-x", false),
                                              ("c1", "addr-new", false)] {
            #expect(try await store.seen(customer: customer, kind: "destination", value: destination) == seen, "\(customer) \(destination)")
        }
        let firstSeen = try await database.read { connection in
            try connection.query("SELECT customer, value, first_seen FROM customer_seen ORDER BY customer, value") {
                "\(try $0.text(0)) \(try $0.text(1)) \(try $0.int64(2))"
            }
        }
        #expect(firstSeen == ["c0 addr-new 201", "c0 addr-old 100", "c1 addr-old 203"])
    }
}
