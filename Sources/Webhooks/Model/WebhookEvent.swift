public import CofferBase
import Foundation

/// One event of the outbox as an endpoint receives it: its names already as the endpoint's owner
/// writes them (a tenant's, without its prefix).
public struct WebhookEvent: Sendable, Equatable {
    /// The outbox's sequence number: grows in commit order.
    public let sequence: Int64
    /// The tenant the event belongs to; "" for the operator's.
    public let scope: String
    public let type: String
    public let subject: String
    public let data: JSONValue
    /// Seconds since 1970.
    public let createdAt: Int64

    public init(sequence: Int64, scope: String, type: String, subject: String, data: JSONValue, createdAt: Int64) {
        self.sequence = sequence
        self.scope = scope
        self.type = type
        self.subject = subject
        self.data = data
        self.createdAt = createdAt
    }

    /// `evt_<sequence>`: the id receivers deduplicate by (also the `Coffer-Event-Id` header).
    public var id: String { "evt_\(sequence)" }

    /// The JSON body POSTed, the same bytes on every attempt:
    /// `{"id","type","created_at","data","sequence","subject","tenant"}`.
    public var body: [UInt8] {
        JSONValue.object([
            ("id", .string(id)), ("type", .string(type)), ("created_at", .string(Self.time(createdAt))), ("data", data),
            ("sequence", .integer(sequence)), ("subject", .string(subject)), ("tenant", scope.isEmpty ? .null : .string(scope)),
        ]).bytes
    }

    /// ISO 8601 in UTC with milliseconds, as every Coffer view writes times.
    public static func time(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// Where delivery reads events: the outbox (implemented over the `events` table by the
/// application core, which also puts a tenant's names in its own form). Sequence numbers grow in
/// commit order, so everything up to `lastSequence()` is committed once it is read.
public protocol WebhookEventSource: Sendable {
    /// The greatest sequence number committed; 0 when there is none.
    func lastSequence() async throws -> Int64
    /// Up to `limit` events after `sequence`, oldest first: a tenant's (`scope`), or every
    /// event when `scope` is nil (the operator's endpoints).
    func events(scope: String?, after sequence: Int64, limit: Int) async throws -> [WebhookEvent]
}
