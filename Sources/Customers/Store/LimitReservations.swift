public import CofferStorage

/// One request to count an amount against a customer's limits.
public struct LimitRequest: Sendable, Equatable {
    /// The reservation's stored id (the ledger's pending transfer id, or the payout's).
    public let id: String
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
    public let limits: LimitSet

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
        LimitRequest(id: id, customer: customer, asset: asset, account: account, amount: amount, at: at, destination: destination, kind: kind, limits: limits)
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
        try connection.query("""
            SELECT id, amount, at, state, new_destination FROM customer_limit_entries
            WHERE customer = \(customer) AND asset = \(asset) AND at > \(now - longestWindow) AND state <> 'voided'
            """, entry)
    }

    /// Checks `request` against its limits and the customer's window and, when it fits, records
    /// the reservation. A repeated id answers what was recorded and records nothing.
    public static func reserve(_ request: LimitRequest, on connection: any SQLConnection) throws -> LimitDecision {
        if let state = try connection.queryOne("SELECT state FROM customer_limit_entries WHERE id = \(request.id)", { try $0.text(0) }) {
            return .exists(LimitEntry.State(rawValue: state) ?? .reserved)
        }
        var newDestination = false
        if let destination = request.destination {
            newDestination = try connection.queryOne("""
                SELECT 1 FROM customer_seen WHERE customer = \(request.customer) AND kind = 'destination' AND value = \(destination)
                """, { _ in true }) == nil
        }
        let entries = request.limits.isEmpty ? [] : try entries(customer: request.customer, asset: request.asset, now: request.at, on: connection)
        if let refusal = RollingLimits.refusal(request.limits, entries: entries, amount: request.amount, now: request.at, newDestination: newDestination) {
            return .refused(refusal)
        }
        try connection.execute("""
            INSERT INTO customer_limit_entries (id, customer, asset, account, amount, at, state, new_destination, destination, kind)
            VALUES (\(request.id), \(request.customer), \(request.asset), \(request.account), \(request.amount), \(request.at), 'reserved',
                    \(newDestination), \(request.destination), \(request.kind))
            """)
        if let destination = request.destination {
            try remember(customer: request.customer, kind: "destination", value: destination, at: request.at, on: connection)
        }
        return .reserved(newDestination: newDestination)
    }

    /// Marks reservations posted (kept in their windows) or voided (given back); only those
    /// still reserved change. Returns how many changed.
    @discardableResult
    public static func finish(_ ids: [String], as state: LimitEntry.State, on connection: any SQLConnection) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try connection.execute("""
            UPDATE customer_limit_entries SET state = \(state.rawValue) WHERE id IN \(list: ids) AND state = 'reserved'
            """)
    }

    /// Removes a reservation whose pending transfer the ledger refused in the same commit.
    public static func withdraw(_ id: String, on connection: any SQLConnection) throws {
        try connection.execute("DELETE FROM customer_limit_entries WHERE id = \(id) AND state = 'reserved'")
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
    /// A reservation's entry, with its customer and asset.
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

    /// Posted amounts of the customer in `asset` (newest 200), for the amount-vs-history signal.
    public func recentAmounts(customer: String, asset: String) async throws -> [UInt128] {
        try await database.read { connection in
            try connection.query("""
                SELECT amount FROM customer_limit_entries WHERE customer = \(customer) AND asset = \(asset) AND state = 'posted'
                ORDER BY at DESC LIMIT 200
                """) { try $0.amount(0, "amount") }
        }
    }
}
