public import CofferBase
public import CofferStorage

/// One state change, as webhooks and reconciliation will consume it: a type such as
/// `deposit.credited`, its subject (a deposit's `chain:txid:index` or an invoice id) and the
/// subject's state after the change, as JSON.
public struct OutboxEvent: Sendable, Equatable {
    /// Increases with every event, in commit order.
    public let sequence: Int64
    public let scope: String
    public let type: String
    public let subject: String
    public let data: JSONValue
    public let createdAt: Int64
}

/// The outbox: events are appended in the same transaction as the change they describe, so an
/// event exists exactly when its change was committed.
///
/// Sequence numbers must grow in commit order, or a consumer reading "after N" could skip an
/// event committed late with a smaller number: SQLite's single writer gives that for free; on
/// PostgreSQL each appending transaction first takes one transaction-scoped advisory lock, so
/// appenders commit one after another.
public enum EventOutbox {
    static let columns = "seq, scope, type, subject, data, created_at"
    /// The advisory lock key that serialises appenders on PostgreSQL ("cofferev").
    static let lockKey: Int64 = 0x636F_6666_6572_6576

    static func event(_ row: any SQLRow) throws -> OutboxEvent {
        OutboxEvent(
            sequence: try row.int64(0), scope: try row.text(1), type: try row.text(2), subject: try row.text(3),
            data: (try? JSONValue(parsing: try row.text(4))) ?? .null, createdAt: try row.int64(5))
    }

    /// Appends events on the caller's connection, inside its transaction.
    public static func append(_ events: [(scope: String, type: String, subject: String, data: JSONValue)], at time: Int64, on connection: any SQLConnection) throws {
        guard !events.isEmpty else { return }
        try connection.serialize(on: lockKey)
        for event in events {
            _ = try connection.execute("""
                INSERT INTO events (scope, type, subject, data, created_at) VALUES (\(event.scope), \(event.type), \(event.subject), \(event.data.text), \(time))
                """)
        }
    }
}
