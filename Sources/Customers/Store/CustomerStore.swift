public import CofferBase
public import CofferStorage
import Foundation
public import Vault

/// Customers, their KYC history, tiers and limits, over either database. Every change that an
/// auditor must be able to reconstruct (a customer created, a tier changed, a KYC transition, a
/// limit set) appends to the vault's tamper-evident audit chain in the same transaction.
public struct CustomerStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    static let columns = "id, scope, tier, kyc, created_at, updated_at"

    static func customer(_ row: any SQLRow) throws -> Customer {
        let kyc = try row.text(3)
        guard let state = KYCState(rawValue: kyc) else { throw StorageError.corrupt("customer KYC state \"\(kyc.prefix(20))\" is unknown") }
        return Customer(id: try row.text(0), scope: try row.text(1), tier: try row.text(2), kyc: state, createdAt: try row.int64(4),
                        updatedAt: try row.int64(5))
    }

    // MARK: Customers

    /// Creates `customer` with its audit record; false (and nothing written) when it exists.
    public func create(_ customer: Customer, audit: AuditEvent, time: String) async throws -> Bool {
        try await database.write { connection in
            let inserted = try connection.execute("""
                INSERT INTO customers (id, scope, tier, kyc, created_at, updated_at)
                VALUES (\(customer.id), \(customer.scope), \(customer.tier), \(customer.kyc.rawValue), \(customer.createdAt), \(customer.updatedAt))
                ON CONFLICT DO NOTHING
                """) == 1
            if inserted { try AuditLog.append(audit, at: time, on: connection) }
            return inserted
        }
    }

    public func customer(_ id: String) async throws -> Customer? {
        try await database.read { connection in try Self.customer(id, on: connection) }
    }

    static func customer(_ id: String, on connection: any SQLConnection) throws -> Customer? {
        try connection.queryOne("SELECT \(raw: columns) FROM customers WHERE id = \(id)", customer)
    }

    /// A tenant's customers in id order, `limit` after `cursor`.
    public func customers(scope: String, after cursor: String?, limit: Int) async throws -> [Customer] {
        try await database.read { connection in
            try connection.query("""
                SELECT \(raw: Self.columns) FROM customers WHERE scope = \(scope) AND id > \(cursor ?? "") ORDER BY id LIMIT \(limit)
                """, Self.customer)
        }
    }

    /// Sets a customer's tier (compare-and-set on the tier it had), with its audit record.
    /// False when the customer changed meanwhile.
    public func setTier(_ id: String, from old: String, to tier: String, at now: Int64, audit: AuditEvent, time: String) async throws -> Bool {
        try await database.write { connection in
            let changed = try connection.execute("""
                UPDATE customers SET tier = \(tier), updated_at = \(now) WHERE id = \(id) AND tier = \(old)
                """) == 1
            if changed {
                try Self.bumpConfig(on: connection)
                try AuditLog.append(audit, at: time, on: connection)
            }
            return changed
        }
    }

    /// Marks that something a limit check depends on changed (see `customer_config`).
    static func bumpConfig(on connection: any SQLConnection) throws {
        try connection.execute("UPDATE customer_config SET version = version + 1 WHERE id = 1")
    }

    /// The configuration version (see `customer_config`).
    public static func configVersion(on connection: any SQLConnection) throws -> Int64 {
        try connection.queryOne("SELECT version FROM customer_config WHERE id = 1") { try $0.int64(0) } ?? 0
    }

    /// Records a KYC transition (compare-and-set on the state it leaves), the tier it implies,
    /// the event and its audit record, in one transaction. False when the state changed meanwhile.
    public func transition(_ event: KYCEvent, audit: AuditEvent, time: String) async throws -> Bool {
        try await database.write { connection in
            guard try connection.execute("""
                UPDATE customers SET kyc = \(event.to.rawValue), tier = \(event.tierAfter), updated_at = \(event.at)
                WHERE id = \(event.customer) AND kyc = \(event.from.rawValue) AND tier = \(event.tierBefore)
                """) == 1 else { return false }
            try Self.bumpConfig(on: connection)
            let documents = try JSONEncoding.text(event.documents)
            try connection.execute("""
                INSERT INTO customer_kyc_events (customer, from_state, to_state, reviewer, reason, documents, tier_before, tier_after, at)
                VALUES (\(event.customer), \(event.from.rawValue), \(event.to.rawValue), \(event.reviewer), \(event.reason), \(documents),
                        \(event.tierBefore), \(event.tierAfter), \(event.at))
                """)
            try AuditLog.append(audit, at: time, on: connection)
            return true
        }
    }

    /// A customer's KYC transitions, oldest first.
    public func kycEvents(_ customer: String) async throws -> [KYCEvent] {
        try await database.read { connection in
            try connection.query("""
                SELECT customer, from_state, to_state, reviewer, reason, documents, at, tier_before, tier_after
                FROM customer_kyc_events WHERE customer = \(customer) ORDER BY seq
                """) { row in
                let documents = (try? JSONDecoding.decode([String].self, from: Array(try row.text(5).utf8))) ?? []
                return KYCEvent(customer: try row.text(0), from: KYCState(rawValue: try row.text(1)) ?? .none, to: KYCState(rawValue: try row.text(2)) ?? .none,
                                reviewer: try row.text(3), reason: try row.text(4), documents: documents, at: try row.int64(6),
                                tierBefore: try row.text(7), tierAfter: try row.text(8))
            }
        }
    }

    // MARK: Tiers

    /// The built-in tiers and a tenant's own, by rank.
    public func tiers(scope: String) async throws -> [CustomerTier] {
        let stored = try await database.read { connection in
            try connection.query("SELECT name, rank FROM customer_tiers WHERE scope = \(scope)") { row in
                CustomerTier(name: try row.text(0), rank: Int(try row.int64(1)))
            }
        }
        return (CustomerTier.builtIn + stored.filter { tier in !CustomerTier.builtIn.contains { $0.name == tier.name } })
            .sorted { ($0.rank, $0.name) < ($1.rank, $1.name) }
    }

    /// Defines (or re-ranks) a tenant's own tier.
    public func defineTier(_ tier: CustomerTier, scope: String, audit: AuditEvent, time: String) async throws {
        try await database.write { connection in
            try connection.execute("""
                INSERT INTO customer_tiers (scope, name, rank) VALUES (\(scope), \(tier.name), \(Int64(tier.rank)))
                ON CONFLICT (scope, name) DO UPDATE SET rank = excluded.rank
                """)
            try AuditLog.append(audit, at: time, on: connection)
        }
    }

    // MARK: Limits

    /// Whose limits a row holds: a tier's, or one customer's own (which override its tier's).
    public enum LimitSubject: Sendable, Equatable {
        case tier(String)
        case customer(String)

        var key: String {
            switch self {
            case .tier(let name): "tier:" + name
            case .customer(let id): "customer:" + id
            }
        }
    }

    /// The limits configured for a subject and asset, and the amount above which a step-up
    /// code is required.
    public struct ConfiguredLimits: Sendable, Equatable {
        public var limits: LimitSet
        public var stepUpAbove: UInt128?

        public init(limits: LimitSet = LimitSet(), stepUpAbove: UInt128? = nil) {
            self.limits = limits
            self.stepUpAbove = stepUpAbove
        }
    }

    static let limitColumns = "per_tx, daily, weekly, monthly, payouts_per_hour, payouts_per_day, new_destination_per_tx, new_destination_daily, step_up_above"

    static func configured(_ row: any SQLRow, from first: Int = 0) throws -> ConfiguredLimits {
        func amount(_ index: Int) throws -> UInt128? { row.isNull(first + index) ? nil : try row.amount(first + index, "limit") }
        func count(_ index: Int) throws -> Int? { try row.optionalInt64(first + index).map { Int(clamping: $0) } }
        return ConfiguredLimits(
            limits: LimitSet(perTransaction: try amount(0), daily: try amount(1), weekly: try amount(2), monthly: try amount(3),
                             payoutsPerHour: try count(4), payoutsPerDay: try count(5), newDestinationPerTransaction: try amount(6),
                             newDestinationDaily: try amount(7)),
            stepUpAbove: try amount(8))
    }

    /// Replaces the subject's limits for `asset` with `configured`, with its audit record.
    public func setLimits(_ configured: ConfiguredLimits, for subject: LimitSubject, asset: String, scope: String, at now: Int64,
                          audit: AuditEvent, time: String) async throws {
        let limits = configured.limits
        try await database.write { connection in
            try connection.execute("""
                INSERT INTO customer_limits (scope, subject, asset, \(raw: Self.limitColumns), updated_at)
                VALUES (\(scope), \(subject.key), \(asset), \(limits.perTransaction), \(limits.daily), \(limits.weekly), \(limits.monthly),
                        \(limits.payoutsPerHour.map { Int64($0) }), \(limits.payoutsPerDay.map { Int64($0) }),
                        \(limits.newDestinationPerTransaction), \(limits.newDestinationDaily), \(configured.stepUpAbove), \(now))
                ON CONFLICT (scope, subject, asset) DO UPDATE SET per_tx = excluded.per_tx, daily = excluded.daily,
                    weekly = excluded.weekly, monthly = excluded.monthly, payouts_per_hour = excluded.payouts_per_hour,
                    payouts_per_day = excluded.payouts_per_day, new_destination_per_tx = excluded.new_destination_per_tx,
                    new_destination_daily = excluded.new_destination_daily, step_up_above = excluded.step_up_above,
                    updated_at = excluded.updated_at
                """)
            try Self.bumpConfig(on: connection)
            try AuditLog.append(audit, at: time, on: connection)
        }
    }

    /// The subject's configured limits for `asset`, or nil when none are set.
    public func limits(for subject: LimitSubject, asset: String, scope: String) async throws -> ConfiguredLimits? {
        try await database.read { connection in
            try connection.queryOne("""
                SELECT \(raw: Self.limitColumns) FROM customer_limits WHERE scope = \(scope) AND subject = \(subject.key) AND asset = \(asset)
                """) { try Self.configured($0) }
        }
    }

    /// Every limit row of a tenant: (subject key, asset, limits).
    public func allLimits(scope: String) async throws -> [(subject: String, asset: String, limits: ConfiguredLimits)] {
        try await database.read { connection in
            try connection.query("""
                SELECT subject, asset, \(raw: Self.limitColumns) FROM customer_limits WHERE scope = \(scope) ORDER BY subject, asset
                """) { row in (try row.text(0), try row.text(1), try Self.configured(row, from: 2)) }
        }
    }
}

extension CustomerStore {
    /// Appends an audit record on its own (a step-up check, an import), in the vault's chain.
    public func audit(_ event: AuditEvent, time: String) async throws {
        try await database.write { connection in try AuditLog.append(event, at: time, on: connection) }
    }
}
