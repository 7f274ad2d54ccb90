import Foundation
import GRDB
public import CofferStorage

/// One request to count an amount against a customer's limits.
public struct LimitRequest: Sendable, Equatable {
    /// The reservation's stored id (the ledger's pending transfer id, or the payout's).
    public private(set) var id: String
    public let customer: String
    public let asset: String
    public let account: String
    public let amount: UInt128
    /// Seconds since 1970: where the request sits in the rolling windows.
    public let at: Int64
    /// The destination it pays (a chain address), for the new-destination limits.
    public let destination: String?
    /// `payout` or `transfer`.
    public let kind: String
    /// The limits that apply (tier, customer's own, raises and risk already applied).
    public private(set) var limits: LimitSet

    public init(id: String, customer: String, asset: String, account: String, amount: UInt128, at: Int64, destination: String?, kind: String,
                limits: LimitSet) {
        self.id = id
        self.customer = customer
        self.asset = asset
        self.account = account
        self.amount = amount
        self.at = at
        self.destination = destination
        self.kind = kind
        self.limits = limits
    }
}

extension LimitRequest {
    /// The same request under other limits (lowered by a risk score).
    public func limited(to limits: LimitSet) -> LimitRequest {
        var request = self
        request.limits = limits
        return request
    }

    /// The same request stored under another id.
    public func named(_ id: String) -> LimitRequest {
        var request = self
        request.id = id
        return request
    }
}

/// What a check-and-reserve decided.
public enum LimitDecision: Sendable, Equatable {
    /// Reserved now (`newDestination`: it pays a destination the customer never paid).
    case reserved(newDestination: Bool)
    /// A reservation with this id exists already (a retried request), in this state.
    case exists(LimitEntry.State)
    /// Refused: the first limit it would exceed, with what remains of it.
    case refused(LimitStanding)
}

/// The reservations (`customer_limit_entries`) as statements on a caller's connection: they run
/// inside the ledger commit that holds or settles the money (`LedgerCommitAdmission` and
/// companions), so a reservation exists exactly when its pending transfer does, and a post or a
/// void changes both at once.
///
/// An entry is named by its hold (the ledger's pending transfer id), and its table has no index
/// of its own by customer: a customer's window is read through the ledger, from the accounts it
/// owns (`ledger_accounts_owner`) to their holds (`ledger_transfers_debit`, bounded by time) to
/// the entries by id. The ledger writes those index pages for the hold anyway; an index by
/// customer cost each group commit a page per customer more (see docs/customers.md,
/// "How reservations are stored"). The bound needs an entry's time `at` to be no later than its
/// hold's ledger time; an entry stamped later than the ledger's newest transfer when it was made
/// (a request dated ahead with `--at`, or the ledger's clock behind) is marked `ahead` and found
/// through a partial index instead.
public enum LimitReservations {
    /// The longest window any limit looks back over.
    static let longestWindow: Int64 = LimitKind.allCases.compactMap(\.window).max() ?? 0

    static func entry(_ row: any SQLRow) throws -> LimitEntry {
        LimitEntry(id: try row.text(0), amount: try row.amount(1, "reserved amount"), at: try row.int64(2),
                   state: LimitEntry.State(rawValue: try row.text(3)) ?? .reserved, newDestination: try row.int64(4) != 0)
    }

    /// The customer's live (not voided) entries in `asset` that can count at `now` (those
    /// stamped after it included, see `LimitEntry.counts`).
    public static func entries(customer: String, asset: String, now: Int64, on connection: any SQLConnection) throws -> [LimitEntry] {
        try liveEntries(customers: [customer], asset: asset, since: now - longestWindow, on: connection)[customer] ?? []
    }

    static func state(of id: String, on connection: any SQLConnection) throws -> LimitEntry.State? {
        try connection.queryOne("SELECT state FROM customer_limit_entries WHERE id = \(id)") { LimitEntry.State(rawValue: try $0.text(0)) ?? .reserved }
    }

    /// Marks reservations posted (kept in their windows) or voided (given back); only those
    /// still reserved change. Returns how many changed. `payouts`: payout ids naming entries
    /// stored before customers' migration 2 (see `CustomerMigrations.holdNamedEntries`), matched
    /// only among payouts' entries.
    @discardableResult
    public static func finish(_ ids: [String], payouts: [String] = [], as state: LimitEntry.State, on connection: any SQLConnection) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let earlier: CofferStorage.SQL = payouts.isEmpty ? "" : " OR (kind = 'payout' AND id IN \(list: payouts))"
        let changed = try connection.execute("""
            UPDATE customer_limit_entries SET state = \(state.rawValue) WHERE (id IN \(list: ids)
            """ + earlier + ") AND state = 'reserved'")
        if changed > 0 { _ = try touch(on: connection) }
        return changed
    }

    /// Removes a reservation whose pending transfer the ledger refused in the same commit.
    public static func withdraw(_ id: String, on connection: any SQLConnection) throws {
        if try connection.execute("DELETE FROM customer_limit_entries WHERE id = \(id) AND state = 'reserved'") > 0 { _ = try touch(on: connection) }
    }

    /// What a group's checks start from, in one statement (a round trip over PostgreSQL's wire):
    /// the configuration version (see `customer_config`), the writer token (see
    /// `customer_limit_writer`), the ledger's newest transfer time (every hold of this commit is
    /// later) and, on PostgreSQL, which of the requests' ids are stored already
    /// and in what state (the ids bound as one array, so the statement's text never changes and
    /// the server parses one shape). On SQLite each insert finds that out itself, so `earlier`
    /// stays empty.
    public static func groupState(of requests: some Collection<LimitRequest>, on connection: any SQLConnection) throws -> GroupState {
        var state = GroupState()
        // Rows are decoded as they are stepped (SQLite's are not kept past the closure).
        _ = try connection.query(groupStateQuery(of: requests, dialect: connection.dialect)) { try state.read($0) }
        try state.checkAnswered()
        return state
    }

    /// The statement `groupState(of:on:)` runs, for a ledger commit to carry in its own head read
    /// (`LedgerGroupAdmitter.prelude`); `GroupState(rows:)` reads its rows.
    public static func groupStateQuery(of requests: some Collection<LimitRequest>, dialect: SQLDialect) -> CofferStorage.SQL {
        let sql: CofferStorage.SQL = """
            SELECT CAST(0 AS BIGINT), (SELECT version FROM customer_config WHERE id = 1), (SELECT token FROM customer_limit_writer WHERE id = 1),
                   CAST(NULL AS TEXT), CAST(NULL AS TEXT), (SELECT MAX(timestamp) FROM ledger_transfers)
            """
        guard dialect == .postgres else { return sql }  // SQLite never reads `requests`
        return sql + """
             UNION ALL SELECT CAST(1 AS BIGINT), NULL, NULL, id, state, NULL FROM customer_limit_entries WHERE id = ANY(\(array: requests.map(\.id)))
            """
    }

    /// The configuration version and writer token a group's checks start from, and the states of
    /// its ids decided before (PostgreSQL only): see `groupState(of:on:)`.
    public struct GroupState: Sendable {
        public var version: Int64
        public var token: Int64
        /// The ledger's newest transfer time (nanoseconds; 0 when it has none): this commit's holds
        /// are stamped later.
        public var ledgerTime: Int64
        public var earlier: [String: LimitEntry.State]

        private var answered = false

        init() {
            version = 0
            token = 0
            ledgerTime = 0
            earlier = [:]
        }

        /// The state `groupStateQuery` selected, in rows a ledger commit kept for it.
        public init(rows: [any SQLRow]) throws {
            self.init()
            for row in rows { try read(row) }
            try checkAnswered()
        }

        /// Takes one row of `groupStateQuery`: kind 0 carries the version and the token, kind 1 a
        /// stored id and its state.
        mutating func read(_ row: any SQLRow) throws {
            if try row.int64(0) == 0 {
                version = row.isNull(1) ? 0 : try row.int64(1)
                token = row.isNull(2) ? 0 : try row.int64(2)
                ledgerTime = row.isNull(5) ? 0 : try row.int64(5)
                answered = true
            } else {
                earlier[try row.text(3)] = LimitEntry.State(rawValue: try row.text(4)) ?? .reserved
            }
        }

        func checkAnswered() throws {
            guard answered else { throw StorageError.corrupt("the limits' group state came back without its version row") }
        }
    }

    /// Marks that the reservations changed: a new random writer token, returned.
    static func touch(on connection: any SQLConnection) throws -> Int64 {
        let token = newToken()
        try connection.execute(touching(token))
        return token
    }

    static func newToken() -> Int64 { Int64.random(in: Int64.min...Int64.max) }

    static func touching(_ token: Int64) -> CofferStorage.SQL { "UPDATE customer_limit_writer SET token = \(token) WHERE id = 1" }

    /// The live (not voided) entries of `customers` in `asset` stamped after `since`: those
    /// found from the holds on the customers' accounts since `since` (see the type's
    /// documentation), and those marked `ahead`.
    static func liveEntries(customers: [String], asset: String, since: Int64, on connection: any SQLConnection) throws -> [String: [LimitEntry]] {
        var entries: [String: [LimitEntry]] = [:]
        let live: CofferStorage.SQL = " AND e.asset = \(asset) AND e.at > \(since) AND e.state <> 'voided' AND e.customer" + among(customers, connection)
        let held: CofferStorage.SQL = """
            SELECT e.id, e.amount, e.at, e.state, e.new_destination, e.customer FROM ledger_accounts a
            JOIN ledger_transfers t ON t.debit_account_id = a.id AND t.timestamp > \(nanoseconds(since))
            JOIN customer_limit_entries e ON e.id = t.id
            WHERE a.asset = \(asset) AND e.ahead = 0 AND a.owner
            """ + among(Set(customers.flatMap(ownerNames)).sorted(), connection) + live
        let ahead: CofferStorage.SQL = " UNION ALL SELECT e.id, e.amount, e.at, e.state, e.new_destination, e.customer FROM customer_limit_entries e WHERE e.ahead = 1"
        _ = try connection.query(held + ahead + live) { row in
            entries[try row.text(5), default: []].append(try entry(row))
        }
        return entries
    }

    /// `IN` a list padded to one of a few shapes, so the statement stays in SQLite's cache;
    /// PostgreSQL takes one array.
    static func among(_ values: [String], _ connection: any SQLConnection) -> CofferStorage.SQL {
        connection.dialect == .postgres ? " = ANY(\(array: values))" : " IN \(list: values.paddedToPowerOfTwo())"
    }

    /// The owner names a customer's accounts may carry: a tenant names its accounts' owner with
    /// its local name (`acme/alice` owns accounts whose owner is `alice`), the operator with the
    /// stored one. Entries are matched on their customer as well, so a name too many costs only a
    /// lookup.
    static func ownerNames(_ customer: String) -> [String] {
        guard let slash = customer.utf8.firstIndex(of: UInt8(ascii: "/")) else { return [customer] }
        return [customer, String(customer[customer.utf8.index(after: slash)...])]
    }

    /// Seconds as the ledger's nanoseconds, clamped to what a BIGINT holds.
    static func nanoseconds(_ seconds: Int64) -> Int64 {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? (seconds < 0 ? .min : .max) : product
    }

    /// Records that the customer used a device, network or destination (first sighting kept).
    public static func remember(customer: String, kind: String, value: String, at: Int64, on connection: any SQLConnection) throws {
        try connection.execute("""
            INSERT INTO customer_seen (customer, kind, value, first_seen) VALUES (\(customer), \(kind), \(value), \(at))
            ON CONFLICT DO NOTHING
            """)
    }
}

extension CustomerStore {
    /// A reservation's entry (by its hold's id), with its customer and asset.
    public func reservation(_ id: String) async throws -> (entry: LimitEntry, customer: String, asset: String, account: String)? {
        try await database.read { connection in
            try connection.queryOne("""
                SELECT id, amount, at, state, new_destination, customer, asset, account FROM customer_limit_entries WHERE id = \(id)
                """) { row in (try LimitReservations.entry(row), try row.text(5), try row.text(6), try row.text(7)) }
        }
    }

    /// The entries that count against the customer's windows at `now`.
    public func entries(customer: String, asset: String, now: Int64) async throws -> [LimitEntry] {
        try await database.read { connection in try LimitReservations.entries(customer: customer, asset: asset, now: now, on: connection) }
    }

    /// Whether the customer has used this device, network or destination before.
    public func seen(customer: String, kind: String, value: String) async throws -> Bool {
        try await database.read { connection in
            try connection.queryOne("SELECT 1 FROM customer_seen WHERE customer = \(customer) AND kind = \(kind) AND value = \(value)") { _ in true } ?? false
        }
    }

    /// Posted amounts of the customer in `asset` (newest 200), for the amount-vs-history signal:
    /// the newest posted holds on each of its accounts (each walked newest first through the
    /// ledger's debit index, so a long history is not read), and any posted entries marked `ahead`.
    public func recentAmounts(customer: String, asset: String) async throws -> [UInt128] {
        try await database.read { connection in
            let accounts = try connection.query("SELECT id FROM ledger_accounts WHERE asset = \(asset) AND owner"
                + LimitReservations.among(LimitReservations.ownerNames(customer), connection)) { try $0.text(0) }
            var amounts: [(amount: UInt128, at: Int64)] = []
            for account in accounts {
                amounts += try connection.query("""
                    SELECT e.amount, e.at FROM ledger_transfers t JOIN customer_limit_entries e ON e.id = t.id
                    WHERE t.debit_account_id = \(account) AND e.customer = \(customer) AND e.state = 'posted' AND e.ahead = 0
                    ORDER BY t.timestamp DESC LIMIT 200
                    """) { (try $0.amount(0, "amount"), try $0.int64(1)) }
            }
            amounts += try connection.query("""
                SELECT amount, at FROM customer_limit_entries WHERE customer = \(customer) AND asset = \(asset) AND state = 'posted' AND ahead = 1
                ORDER BY at DESC LIMIT 200
                """) { (try $0.amount(0, "amount"), try $0.int64(1)) }
            return amounts.sorted { $0.at > $1.at }.prefix(200).map(\.amount)
        }
    }
}

/// What a limit check needs to know about a customer, read in one go: the customer, its tier's and
/// its own limits in the asset, the approved raises not yet lapsed, and the configuration version
/// they were read at (see `customer_config`). A class: a process keeps one per customer and asset
/// and hands it to every check, which would otherwise copy its limit sets each time.
public final class LimitContext: Sendable {
    public let customer: Customer
    public let tierLimits: CustomerStore.ConfiguredLimits?
    public let ownLimits: CustomerStore.ConfiguredLimits?
    public let raises: [CustomerCase]
    public let version: Int64
    /// The tier's limits overridden by the customer's own (worked out once: a process keeps a
    /// context for many checks).
    public let configured: CustomerStore.ConfiguredLimits

    public init(customer: Customer, tierLimits: CustomerStore.ConfiguredLimits?, ownLimits: CustomerStore.ConfiguredLimits?, raises: [CustomerCase],
                version: Int64) {
        self.customer = customer
        self.tierLimits = tierLimits
        self.ownLimits = ownLimits
        self.raises = raises
        self.version = version
        let tier = tierLimits ?? CustomerStore.ConfiguredLimits()
        configured = CustomerStore.ConfiguredLimits(limits: tier.limits.overridden(by: ownLimits?.limits ?? LimitSet()),
                                                    stepUpAbove: ownLimits?.stepUpAbove ?? tier.stepUpAbove)
    }

    /// The limits at `at`: configured, raised by the raises still in force then.
    public func limits(at: Int64) -> LimitSet {
        guard !raises.isEmpty else { return configured.limits }
        var limits = configured.limits
        for raise in raises where (raise.expiresAt ?? Int64.max) > at {
            guard let kind = raise.limitKind, let amount = raise.raiseAmount else { continue }
            limits = limits.raised(kind, to: amount)
        }
        return limits
    }
}

extension CustomerStore {
    /// The customer `id` and its limits in `asset` (raises not lapsed at `at`), in one read; nil
    /// when no such customer.
    public func limitContext(customer id: String, asset: String, at: Int64) async throws -> LimitContext? {
        try await limitContexts([LimitContextKey(customer: id, asset: asset)], at: at)[LimitContextKey(customer: id, asset: asset)]
    }

    /// Many customers' limit contexts in one read transaction of four statements (five hundred
    /// customers a statement), whatever their number: the cold start of a burst of requests
    /// from many customers (a restart, a configuration change that flushed every kept context)
    /// costs a few statements, not four for each customer. Raises are those not lapsed at `at`
    /// (the earliest moment any of the callers asked about; `LimitContext.limits(at:)` drops
    /// those lapsed by a later one). Customers that do not exist are absent.
    public func limitContexts(_ keys: [LimitContextKey], at: Int64) async throws -> [LimitContextKey: LimitContext] {
        guard !keys.isEmpty else { return [:] }
        return try await database.read { connection in try Self.limitContexts(keys, at: at, on: connection) }
    }

    public static func limitContext(customer id: String, asset: String, at: Int64, on connection: any SQLConnection) throws -> LimitContext? {
        let key = LimitContextKey(customer: id, asset: asset)
        return try limitContexts([key], at: at, on: connection)[key]
    }

    static func limitContexts(_ keys: [LimitContextKey], at: Int64, on connection: any SQLConnection) throws -> [LimitContextKey: LimitContext] {
        let version = try configVersion(on: connection)
        let ids = Array(Set(keys.map(\.customer))).sorted()
        let assets = Array(Set(keys.map(\.asset))).sorted()
        var customers: [String: Customer] = [:]
        for chunk in ids.chunked(500) {
            for customer in try connection.query("SELECT \(raw: columns) FROM customers WHERE id IN \(list: Array(chunk).paddedToPowerOfTwo())", customer) {
                customers[customer.id] = customer
            }
        }
        guard !customers.isEmpty else { return [:] }
        // Configured limits by scope, subject and asset: the tiers the customers are in and their own.
        var configured: [String: ConfiguredLimits] = [:]
        func limitKey(_ scope: String, _ subject: String, _ asset: String) -> String { scope + "\u{0}" + subject + "\u{0}" + asset }
        let subjects = Array(Set(customers.values.flatMap { [LimitSubject.tier($0.tier).key, LimitSubject.customer($0.id).key] })).sorted()
        for chunk in subjects.chunked(500) {
            _ = try connection.query("""
                SELECT scope, subject, asset, \(raw: Self.limitColumns) FROM customer_limits
                WHERE subject IN \(list: Array(chunk).paddedToPowerOfTwo()) AND asset IN \(list: assets.paddedToPowerOfTwo())
                """) { row in
                configured[limitKey(try row.text(0), try row.text(1), try row.text(2))] = try Self.configured(row, from: 3)
            }
        }
        var raises: [String: [CustomerCase]] = [:]  // by customer
        for chunk in customers.keys.sorted().chunked(500) {
            for raise in try connection.query("""
                SELECT \(raw: Self.caseColumns) FROM customer_cases
                WHERE customer IN \(list: Array(chunk).paddedToPowerOfTwo()) AND status = 'approved' AND raise_amount IS NOT NULL AND expires_at > \(at)
                """, Self.customerCase) {
                raises[raise.customer, default: []].append(raise)
            }
        }
        var contexts: [LimitContextKey: LimitContext] = [:]
        for key in keys {
            guard let customer = customers[key.customer] else { continue }
            contexts[key] = LimitContext(
                customer: customer, tierLimits: configured[limitKey(customer.scope, LimitSubject.tier(customer.tier).key, key.asset)],
                ownLimits: configured[limitKey(customer.scope, LimitSubject.customer(customer.id).key, key.asset)],
                raises: (raises[customer.id] ?? []).filter { $0.asset == key.asset }, version: version)
        }
        return contexts
    }
}

/// A customer and an asset: what a limit context is read and kept for.
public struct LimitContextKey: Hashable, Sendable {
    public let customer: String
    public let asset: String

    public init(customer: String, asset: String) {
        self.customer = customer
        self.asset = asset
    }
}

extension LimitReservations {
    /// Checks the requests of one group commit, in order, and records those that fit: the windows
    /// of the customers not in `windows` (this process's copy, trusted only while the writer token
    /// is the one its last write left) are read in one statement, and each request is checked
    /// against its customer's window plus what the requests before it in this group reserved. A
    /// request whose id is stored already is answered with its state (a retry), never counted twice.
    public static func reserveAll(_ requests: [LimitRequest], windows: LimitWindows, state group: GroupState,
                                  on connection: any SQLConnection) throws -> [LimitDecision] {
        windows.validate(token: group.token)
        // SQLite runs in this process: a statement per request costs no round trip, so each
        // insert itself finds an id decided before (`ON CONFLICT DO NOTHING` changes nothing).
        // Over PostgreSQL's wire the ids were looked up with the group's state (`groupState`) and
        // the group is inserted, with the new writer token, in one statement.
        let sqlite = connection as? CofferStorage.SQLiteConnection
        let earlier = group.earlier
        let keys = requests.map { LimitWindows.key($0.customer, $0.asset) }
        let undecided = earlier.isEmpty ? Array(requests.indices) : requests.indices.filter { earlier[requests[$0].id] == nil }
        // Every hold of this commit is stamped after the ledger's newest transfer: an entry dated
        // no later than that second is found through its hold (see the type's documentation).
        let settled = group.ledgerTime / 1_000_000_000
        try load(undecided.filter { !requests[$0].limits.isEmpty }, of: requests, keys: keys, into: windows, on: connection)
        let seen = try seenDestinations(undecided.compactMap { requests[$0].destination == nil ? nil : requests[$0] }, on: connection)
        var decided: [String: LimitEntry.State] = Dictionary(minimumCapacity: requests.count)
        var inserts: [(LimitRequest, Bool, Bool)] = []
        var decisions: [LimitDecision] = []
        inserts.reserveCapacity(requests.count)
        decisions.reserveCapacity(requests.count)
        for (request, key) in zip(requests, keys) {
            if let state = earlier[request.id] ?? decided[request.id] {
                decisions.append(.exists(state))
                continue
            }
            var newDestination = false
            if let destination = request.destination {
                newDestination = !seen.contains(LimitWindows.key(request.customer, destination))
                    && !inserts.contains { $0.0.customer == request.customer && $0.0.destination == destination }
            }
            let window = request.limits.isEmpty ? [] : windows.entries(key)
            if let refusal = RollingLimits.refusal(request.limits, entries: window, amount: request.amount, now: request.at, newDestination: newDestination) {
                // A retried request is answered with what it was, whatever its limits say now.
                if sqlite != nil, let state = try state(of: request.id, on: connection) {
                    decisions.append(.exists(state))
                } else {
                    decisions.append(.refused(refusal))
                }
                continue
            }
            if let sqlite {
                guard try insertUnlessStored(request, newDestination: newDestination, ahead: request.at > settled, on: sqlite) else {
                    let state = try state(of: request.id, on: connection) ?? .reserved
                    decided[request.id] = state
                    decisions.append(.exists(state))
                    continue
                }
            }
            windows.append(LimitEntry(id: request.id, amount: request.amount, at: request.at, newDestination: newDestination), key: key)
            decided[request.id] = .reserved
            inserts.append((request, newDestination, request.at > settled))
            decisions.append(.reserved(newDestination: newDestination))
        }
        guard !inserts.isEmpty else { return decisions }
        try rememberDestinations(of: inserts.lazy.map(\.0), on: connection)
        // If this commit rolls back, the token stays what it was and the copy is dropped next time.
        // Over PostgreSQL's wire the token and the group's entries are written later, carried by
        // the ledger commit's next statement (`SQLConnection.executeLater`).
        let token = newToken()
        if sqlite == nil { try connection.executeLater(insert(inserts)) }
        try connection.executeLater(touching(token))
        windows.wrote(token: token)
        return decisions
    }

    /// The destinations `paying` pay that their customers paid before, as
    /// `LimitWindows.key(customer, destination)`: one statement for the group (the customers and
    /// the destinations bound as two arrays; the pairs are matched here).
    static func seenDestinations(_ paying: [LimitRequest], on connection: any SQLConnection) throws -> Set<String> {
        guard !paying.isEmpty else { return [] }
        let wanted = Set(paying.map { LimitWindows.key($0.customer, $0.destination ?? "") })
        let customers = Array(Set(paying.map(\.customer))).sorted(), destinations = Array(Set(paying.compactMap(\.destination))).sorted()
        let among: CofferStorage.SQL = connection.dialect == .postgres
            ? "customer = ANY(\(array: customers)) AND value = ANY(\(array: destinations))"
            : "customer IN (SELECT value FROM json_each(\(array: customers))) AND value IN (SELECT value FROM json_each(\(array: destinations)))"
        var seen: Set<String> = []
        _ = try connection.query("SELECT customer, value FROM customer_seen WHERE kind = 'destination' AND " + among) { row in
            let key = LimitWindows.key(try row.text(0), try row.text(1))
            if wanted.contains(key) { seen.insert(key) }
        }
        return seen
    }

    /// Records the destinations `reserved` pay as seen (the first sighting kept): one statement
    /// over PostgreSQL's wire, one prepared insert each on SQLite.
    static func rememberDestinations(of reserved: some Sequence<LimitRequest>, on connection: any SQLConnection) throws {
        var sightings: [(customer: String, destination: String, at: Int64)] = []
        var named: Set<String> = []
        for request in reserved {
            guard let destination = request.destination, named.insert(LimitWindows.key(request.customer, destination)).inserted else { continue }
            sightings.append((request.customer, destination, request.at))
        }
        guard !sightings.isEmpty else { return }
        guard connection.dialect == .postgres else {
            for sighting in sightings {
                try remember(customer: sighting.customer, kind: "destination", value: sighting.destination, at: sighting.at, on: connection)
            }
            return
        }
        try connection.executeLater("""
            INSERT INTO customer_seen (customer, kind, value, first_seen)
            SELECT u.customer, 'destination', u.value, u.at
            FROM unnest(\(array: sightings.map(\.customer))::text[], \(array: sightings.map(\.destination))::text[], \(array: sightings.map(\.at))::int8[])
                AS u(customer, value, at)
            ON CONFLICT DO NOTHING
            """)
    }

    /// Reads the windows `requests` need that this process does not hold (or holds for too short a span).
    static func load(_ indices: [Int], of requests: [LimitRequest], keys: [String], into windows: LimitWindows, on connection: any SQLConnection) throws {
        var missing: [String: (customers: Set<String>, since: Int64)] = [:]  // by asset
        let uncovered = windows.uncovered(indices.map { (keys[$0], requests[$0].at - longestWindow) })
        for (position, lacking) in zip(indices, uncovered) where lacking {
            let request = requests[position]
            let since = request.at - longestWindow
            var wanted = missing[request.asset] ?? ([], since)
            wanted.customers.insert(request.customer)
            wanted.since = min(wanted.since, since)
            missing[request.asset] = wanted
        }
        for (asset, wanted) in missing {
            for chunk in wanted.customers.sorted().chunked(500) {
                let loaded = try liveEntries(customers: Array(chunk), asset: asset, since: wanted.since, on: connection)
                for customer in chunk { windows.set(LimitWindows.key(customer, asset), since: wanted.since, entries: loaded[customer] ?? []) }
            }
        }
    }

    /// Inserts one reserved entry unless its id is stored already (then false). Prepared once per
    /// connection and bound without boxing values: it runs once per request inside the commit.
    static func insertUnlessStored(_ request: LimitRequest, newDestination: Bool, ahead: Bool, on connection: CofferStorage.SQLiteConnection) throws -> Bool {
        do {
            let statement = SQLiteRawStatement(try connection.database.cachedStatement(sql: insertUnlessStoredSQL))
            statement.bind(1, request.id)
            statement.bind(2, request.customer)
            statement.bind(3, request.asset)
            statement.bind(4, request.account)
            statement.bind(5, amount: request.amount)
            statement.bind(6, request.at)
            statement.bind(7, Int64(newDestination ? 1 : 0))
            statement.bind(8, request.destination)
            statement.bind(9, request.kind)
            statement.bind(10, Int64(ahead ? 1 : 0))
            try statement.execute()
            return connection.database.changesCount == 1
        } catch let error as DatabaseError {
            throw StorageError(sqlite: error)
        }
    }

    /// Built once: the statement cache is looked up by this text for every request.
    static let insertUnlessStoredSQL = """
        INSERT INTO customer_limit_entries \(entryColumns) VALUES (?, ?, ?, ?, ?, ?, 'reserved', ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
        """

    /// The columns an entry is inserted with, in the order both inserts give them.
    static let entryColumns = "(id, customer, asset, account, amount, at, state, new_destination, destination, kind, ahead)"

    /// One statement (PostgreSQL) inserting `rows` as reserved entries: each column travels as one
    /// array parameter and is `unnest`ed, as the ledger's own rows are, so the text is the same for
    /// every group and the server parses no list of hundreds of parameters. `destination` travels
    /// as "" for none (a destination is never empty).
    static func insert(_ rows: [(LimitRequest, Bool, Bool)]) -> CofferStorage.SQL {
        var ids: [String] = [], customers: [String] = [], assets: [String] = [], accounts: [String] = [], amounts: [String] = []
        var times: [Int64] = [], newDestinations: [Int64] = [], destinations: [String] = [], kinds: [String] = [], aheads: [Int64] = []
        for (request, newDestination, ahead) in rows {
            ids.append(request.id)
            customers.append(request.customer)
            assets.append(request.asset)
            accounts.append(request.account)
            amounts.append(String(request.amount))
            times.append(request.at)
            newDestinations.append(newDestination ? 1 : 0)
            destinations.append(request.destination ?? "")
            kinds.append(request.kind)
            aheads.append(ahead ? 1 : 0)
        }
        return """
            INSERT INTO customer_limit_entries \(raw: entryColumns)
            SELECT u.id, u.customer, u.asset, u.account, u.amount, u.at, 'reserved', u.new_destination, NULLIF(u.destination, ''), u.kind, u.ahead
            FROM unnest(\(array: ids)::text[], \(array: customers)::text[], \(array: assets)::text[], \(array: accounts)::text[],
                        \(array: amounts)::text[], \(array: times)::int8[], \(array: newDestinations)::int8[], \(array: destinations)::text[],
                        \(array: kinds)::text[], \(array: aheads)::int8[])
                AS u(id, customer, asset, account, amount, at, new_destination, destination, kind, ahead)
            """
    }
}

extension Array {
    /// The elements, the last repeated up to a power-of-two count: an `IN` list ignores repeats,
    /// so its statement takes one of a few shapes and stays in the statement cache.
    func paddedToPowerOfTwo() -> [Element] {
        guard let last else { return self }
        var size = 1
        while size < count { size <<= 1 }
        return self + Array(repeating: last, count: size - count)
    }

    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

/// One process's copy of customers' live limit entries per asset, as its last write left them.
/// It is trusted only while the writer token (see `customer_limit_writer`) is the one that write
/// set: any other write of reservations (another process, a post, a void, a withdrawn hold) sets
/// a new token, and the copy is dropped. Used only inside ledger commits, which one process runs
/// one at a time; the lock guards against two services sharing one copy.
public final class LimitWindows: @unchecked Sendable {
    /// The most customer-asset windows kept; past it the copy starts over.
    static let capacity = 200_000
    private let lock = NSLock()
    private var token: Int64?
    private var windows: [String: (since: Int64, entries: [LimitEntry])] = [:]

    public init() {}

    static func key(_ customer: String, _ asset: String) -> String { customer + "\u{0}" + asset }

    func validate(token current: Int64) {
        lock.withLock {
            if token != current { windows.removeAll(keepingCapacity: true) }
            token = current
        }
    }

    func wrote(token new: Int64) { lock.withLock { token = new } }

    // Windows are named by `key(customer, asset)`, made once per request by the caller.

    /// For each wanted window, whether this copy lacks it (or holds it for too short a span).
    func uncovered(_ wanted: [(key: String, since: Int64)]) -> [Bool] {
        lock.withLock { wanted.map { key, since in windows[key].map { $0.since > since } ?? true } }
    }

    func set(_ key: String, since: Int64, entries: [LimitEntry]) {
        lock.withLock {
            if windows.count >= Self.capacity { windows.removeAll(keepingCapacity: true) }
            windows[key] = (since, entries)
        }
    }

    func entries(_ key: String) -> [LimitEntry] {
        lock.withLock { windows[key]?.entries ?? [] }
    }

    /// Adds an entry just reserved; entries that have left every window are dropped now and then.
    func append(_ entry: LimitEntry, key: String) {
        lock.withLock {
            // In place: taking the window out of the dictionary would copy its entries on every append.
            guard let index = windows.index(forKey: key) else { return }
            windows.values[index].entries.append(entry)
            if windows.values[index].entries.count > 256 {
                let cut = entry.at - LimitReservations.longestWindow
                windows.values[index].entries.removeAll { $0.at <= cut }
                windows.values[index].since = max(windows.values[index].since, cut)
            }
        }
    }
}
