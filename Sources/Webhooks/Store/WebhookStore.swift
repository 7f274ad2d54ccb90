public import CofferBase
public import CofferStorage

/// Endpoints, their delivery state and the delivery log, over either database. Delivery to one
/// endpoint is claimed with a lease (as chain syncers claim a chain), so several processes on one
/// PostgreSQL database never deliver one endpoint's events at the same time; every write of a
/// delivery also compares the endpoint's cursor, so a holder whose lease ran out while it was
/// paused cannot move the cursor under the next one.
public struct WebhookStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    static let columns = """
        id, scope, url, events, enabled, secret, previous_secret, previous_secret_until, last_seq, attempts, next_attempt_at, failing_since, created_at
        """

    static func endpoint(_ row: any SQLRow) throws -> WebhookEndpoint {
        WebhookEndpoint(
            id: try row.text(0), scope: try row.text(1), url: try row.text(2), filter: try EventFilter(parsing: try row.text(3)),
            enabled: try row.int64(4) != 0, secret: try row.blob(5), previousSecret: try row.optionalBlob(6), previousSecretUntil: try row.optionalInt64(7),
            cursor: try row.int64(8), attempts: Int(try row.int64(9)), nextAttemptAt: try row.int64(10), failingSince: try row.optionalInt64(11),
            createdAt: try row.int64(12))
    }

    // MARK: Endpoints

    public func add(_ endpoint: WebhookEndpoint) async throws {
        _ = try await database.write { connection in
            try connection.execute("""
                INSERT INTO webhook_endpoints (\(raw: Self.columns), updated_at)
                VALUES (\(endpoint.id), \(endpoint.scope), \(endpoint.url), \(endpoint.filter.description), \(endpoint.enabled), \(endpoint.secret),
                    \(endpoint.previousSecret), \(endpoint.previousSecretUntil), \(endpoint.cursor), \(endpoint.attempts), \(endpoint.nextAttemptAt),
                    \(endpoint.failingSince), \(endpoint.createdAt), \(endpoint.createdAt))
                """)
        }
    }

    public func endpoint(_ id: String) async throws -> WebhookEndpoint? {
        try await database.read { connection in
            try connection.queryOne("SELECT \(raw: Self.columns) FROM webhook_endpoints WHERE id = \(id)", Self.endpoint)
        }
    }

    /// A tenant's endpoints (`scope`), or every endpoint when nil; oldest first.
    public func endpoints(scope: String?) async throws -> [WebhookEndpoint] {
        try await database.read { connection in
            if let scope {
                return try connection.query("SELECT \(raw: Self.columns) FROM webhook_endpoints WHERE scope = \(scope) ORDER BY created_at, id", Self.endpoint)
            }
            return try connection.query("SELECT \(raw: Self.columns) FROM webhook_endpoints ORDER BY created_at, id", Self.endpoint)
        }
    }

    /// Removes an endpoint and its delivery log; false when there was none.
    public func remove(_ id: String) async throws -> Bool {
        try await database.write { connection in
            try connection.execute("DELETE FROM webhook_deliveries WHERE endpoint_id = \(id)")
            return try connection.execute("DELETE FROM webhook_endpoints WHERE id = \(id)") == 1
        }
    }

    /// Disables an endpoint, or enables it: enabling also clears a failing mark and any pending
    /// backoff, so delivery resumes at once with the event it stopped at.
    public func setEnabled(_ id: String, _ enabled: Bool, now: Int64) async throws -> Bool {
        try await database.write { connection in
            if enabled {
                return try connection.execute("""
                    UPDATE webhook_endpoints SET enabled = 1, failing_since = NULL, attempts = 0, next_attempt_at = 0, updated_at = \(now) WHERE id = \(id)
                    """) == 1
            }
            return try connection.execute("UPDATE webhook_endpoints SET enabled = 0, updated_at = \(now) WHERE id = \(id)") == 1
        }
    }

    /// Replaces the secret; the old one stays usable for signing until `previousUntil` (nil: not at all).
    public func replaceSecret(_ id: String, secret: [UInt8], previous: [UInt8]?, previousUntil: Int64?, now: Int64) async throws -> Bool {
        try await database.write { connection in
            try connection.execute("""
                UPDATE webhook_endpoints SET secret = \(secret), previous_secret = \(previous), previous_secret_until = \(previousUntil), updated_at = \(now)
                WHERE id = \(id)
                """) == 1
        }
    }

    // MARK: Claims

    /// Endpoints with work to do at `now`: enabled, not failing, not backing off, behind
    /// `horizon` (the outbox's last sequence), and not claimed by another holder.
    public func due(now: Int64, owner: String, horizon: Int64, limit: Int) async throws -> [String] {
        try await database.read { connection in
            try connection.query("""
                SELECT id FROM webhook_endpoints
                WHERE enabled = 1 AND failing_since IS NULL AND next_attempt_at <= \(now) AND last_seq < \(horizon)
                  AND (lease_owner IS NULL OR lease_owner = \(owner) OR lease_until < \(now))
                ORDER BY next_attempt_at, id LIMIT \(limit)
                """) { try $0.text(0) }
        }
    }

    /// Takes or renews the right to deliver to `id` until `until`: granted when nobody holds it,
    /// `owner` does, or the holder's lease ran out; with `due`, only while the endpoint has
    /// work due (enabled, not failing, not backing off).
    public func claim(_ id: String, owner: String, now: Int64, until: Int64, due: Bool) async throws -> Bool {
        let condition: SQL = due ? " AND enabled = 1 AND failing_since IS NULL AND next_attempt_at <= \(now)" : ""
        return try await database.write { connection in
            try connection.execute("""
                UPDATE webhook_endpoints SET lease_owner = \(owner), lease_until = \(until)
                WHERE id = \(id) AND (lease_owner IS NULL OR lease_owner = \(owner) OR lease_until < \(now))
                """ + condition) == 1
        }
    }

    /// Gives the claim up, so another holder can take over at once.
    public func release(_ id: String, owner: String) async throws {
        _ = try await database.write { connection in
            try connection.execute("UPDATE webhook_endpoints SET lease_owner = NULL, lease_until = 0 WHERE id = \(id) AND lease_owner = \(owner)")
        }
    }

    /// Moves the cursor over events the endpoint does not receive; false when `owner` no longer
    /// holds the claim or the cursor moved.
    public func advance(_ id: String, owner: String, from cursor: Int64, to next: Int64, leaseUntil: Int64) async throws -> Bool {
        try await database.write { connection in
            try connection.execute("""
                UPDATE webhook_endpoints SET last_seq = \(next), lease_until = \(leaseUntil)
                WHERE id = \(id) AND lease_owner = \(owner) AND last_seq = \(cursor)
                """) == 1
        }
    }

    // MARK: Attempts

    /// What an attempt does to its endpoint.
    public enum Effect: Sendable, Equatable {
        /// Delivered: the cursor moves to the event; attempts, backoff and a failing mark are cleared.
        case delivered(cursor: Int64)
        /// Failed: retried at `at` (milliseconds since 1970).
        case retry(attempts: Int, at: Int64)
        /// Failed for the last time allowed: the endpoint stops until an operator acts.
        case failing(attempts: Int, since: Int64)
    }

    /// Logs an attempt and, with an `effect`, applies it to the endpoint in the same transaction,
    /// provided `owner` still holds the claim and the cursor is still `cursor`. Returns whether
    /// the effect was applied (true when there is none). The attempt is logged either way.
    public func record(_ attempt: WebhookAttempt, effect: Effect?, owner: String, cursor: Int64, leaseUntil: Int64) async throws -> (WebhookAttempt, applied: Bool) {
        try await database.write { connection in
            var applied = true
            if let effect {
                let changes: SQL
                switch effect {
                case .delivered(let next): changes = "last_seq = \(next), attempts = 0, next_attempt_at = 0, failing_since = NULL"
                case .retry(let attempts, let at): changes = "attempts = \(attempts), next_attempt_at = \(at)"
                case .failing(let attempts, let since): changes = "attempts = \(attempts), failing_since = \(since)"
                }
                applied = try connection.execute("UPDATE webhook_endpoints SET " + changes + """
                    , lease_until = \(leaseUntil), updated_at = \(attempt.attemptedAt)
                    WHERE id = \(attempt.endpointID) AND lease_owner = \(owner) AND last_seq = \(cursor)
                    """) == 1
            }
            let id = try connection.queryOne("""
                INSERT INTO webhook_deliveries (endpoint_id, event_seq, event_type, attempt, attempted_at, duration_ms, status_code, error_class, excerpt)
                VALUES (\(attempt.endpointID), \(attempt.eventSequence), \(attempt.eventType), \(attempt.attempt), \(attempt.attemptedAt),
                    \(attempt.durationMilliseconds), \(attempt.statusCode), \(attempt.errorClass), \(attempt.excerpt))
                RETURNING seq
                """) { try $0.int64(0) } ?? 0
            var stored = attempt
            stored.id = id
            return (stored, applied)
        }
    }

    static let attemptColumns = "seq, endpoint_id, event_seq, event_type, attempt, attempted_at, duration_ms, status_code, error_class, excerpt"

    static func attempt(_ row: any SQLRow) throws -> WebhookAttempt {
        WebhookAttempt(
            id: try row.int64(0), endpointID: try row.text(1), eventSequence: try row.int64(2), eventType: try row.text(3),
            attempt: try row.optionalInt64(4).map { Int($0) }, attemptedAt: try row.int64(5), durationMilliseconds: try row.int64(6),
            statusCode: try row.optionalInt64(7).map { Int($0) }, errorClass: try row.optionalText(8), excerpt: try row.optionalText(9))
    }

    /// An endpoint's attempts, oldest first, a page at a time.
    public func attempts(endpoint id: String, page: PageRequest) async throws -> Page<WebhookAttempt> {
        let after = Int64(clamping: page.after?.position ?? 0)
        let rows = try await database.read { connection in
            try connection.query("""
                SELECT \(raw: Self.attemptColumns) FROM webhook_deliveries WHERE endpoint_id = \(id) AND seq > \(after) ORDER BY seq LIMIT \(page.limit + 1)
                """, Self.attempt)
        }
        return Page.keyset(rows, limit: page.limit) { PageCursor(position: UInt64($0.id)) }
    }
}
