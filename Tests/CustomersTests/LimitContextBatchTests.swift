import CofferStorage
import CofferTestSupport
import Customers
import Testing

/// Many customers' limit contexts read together (`CustomerStore.limitContexts`) on both engines:
/// each gets its own tenant's tier limits, its own limits and only its raises in that asset not
/// lapsed, past one statement's 500 customers, the same as reading it alone; unknown customers
/// are absent.
struct LimitContextBatchTests {
    @Test(arguments: TestEngine.all) func eachCustomerGetsItsOwnLimitsAndRaises(engine: TestEngine) async throws {
        let storage = try await TestDatabase.make(engine, sqlite: CustomerMigrations.sqlite, postgres: CustomerMigrations.postgres)
        defer { storage.close() }
        var statements = [
            "INSERT INTO customers (id, scope, tier, kyc, created_at, updated_at) VALUES ('a', '', 'verified', 'verified', 1, 1)",
            "INSERT INTO customers (id, scope, tier, kyc, created_at, updated_at) VALUES ('t1:b', 't1:', 'verified', 'verified', 1, 1)",
            "INSERT INTO customers (id, scope, tier, kyc, created_at, updated_at) VALUES ('c', '', 'anonymous', 'none', 1, 1)",
            "INSERT INTO customer_limits (scope, subject, asset, daily, updated_at) VALUES ('', 'tier:verified', 'USD', '100', 1)",
            "INSERT INTO customer_limits (scope, subject, asset, daily, updated_at) VALUES ('', 'tier:verified', 'EUR', '200', 1)",
            "INSERT INTO customer_limits (scope, subject, asset, daily, updated_at) VALUES ('t1:', 'tier:verified', 'USD', '300', 1)",
            "INSERT INTO customer_limits (scope, subject, asset, daily, updated_at) VALUES ('', 'tier:anonymous', 'USD', '10', 1)",
            "INSERT INTO customer_limits (scope, subject, asset, per_tx, daily, updated_at) VALUES ('', 'customer:c', 'USD', '5', '50', 1)",
        ]
        // Raises of a: one in force in USD, one in EUR, one lapsed; c's case is still open.
        for (id, customer, asset, status, expires) in [("r1", "a", "USD", "approved", 2_000), ("r2", "a", "EUR", "approved", 2_000),
                                                       ("r3", "a", "USD", "approved", 500), ("r4", "c", "USD", "open", 2_000)] {
            statements.append("""
                INSERT INTO customer_cases (id, scope, customer, kind, asset, limit_kind, statement, status, raise_amount, expires_at, created_at)
                VALUES ('\(id)', '', '\(customer)', 'raise', '\(asset)', 'daily', '', '\(status)', '1000', \(expires), 1)
                """)
        }
        for index in 0..<600 {
            statements.append("INSERT INTO customers (id, scope, tier, kyc, created_at, updated_at) VALUES ('m\(index)', '', 'verified', 'verified', 1, 1)")
        }
        for statement in statements { try await storage.execute(statement) }
        let store = CustomerStore(database: storage.database)

        func key(_ customer: String, _ asset: String) -> LimitContextKey { LimitContextKey(customer: customer, asset: asset) }
        let keys = [key("a", "USD"), key("a", "EUR"), key("t1:b", "USD"), key("c", "USD"), key("c", "EUR"), key("nobody", "USD")]
            + (0..<600).map { key("m\($0)", "USD") }
        let contexts = try await store.limitContexts(keys, at: 1_000)
        #expect(contexts.count == keys.count - 1 && contexts[key("nobody", "USD")] == nil)

        let a = try #require(contexts[key("a", "USD")])
        #expect(a.tierLimits?.limits.daily == 100 && a.ownLimits == nil && a.raises.map(\.id) == ["r1"] && a.limits(at: 1_000).daily == 1_000)
        #expect(a.limits(at: 2_000).daily == 100)
        let aEUR = try #require(contexts[key("a", "EUR")])
        #expect(aEUR.tierLimits?.limits.daily == 200 && aEUR.raises.map(\.id) == ["r2"])
        let b = try #require(contexts[key("t1:b", "USD")])
        #expect(b.tierLimits?.limits.daily == 300 && b.raises.isEmpty)
        let c = try #require(contexts[key("c", "USD")])
        #expect(c.tierLimits?.limits.daily == 10 && c.configured.limits.daily == 50 && c.configured.limits.perTransaction == 5 && c.raises.isEmpty)
        let cEUR = try #require(contexts[key("c", "EUR")])
        #expect(cEUR.tierLimits == nil && cEUR.ownLimits == nil && cEUR.configured.limits == LimitSet())
        for index in [0, 499, 500, 599] {
            #expect(contexts[key("m\(index)", "USD")]?.configured.limits.daily == 100, "m\(index)")
        }
        // The same as each read alone.
        for probe in keys.prefix(6) {
            let alone = try await store.limitContext(customer: probe.customer, asset: probe.asset, at: 1_000)
            let together = contexts[probe]
            #expect(alone?.customer == together?.customer && alone?.configured == together?.configured
                    && alone?.raises.map(\.id) == together?.raises.map(\.id) && alone?.version == together?.version, "\(probe)")
        }
    }
}
