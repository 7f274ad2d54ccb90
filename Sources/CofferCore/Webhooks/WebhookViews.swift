import Webhooks

/// An endpoint as every door shows it; its secret never (shown once, at creation and rotation).
public struct WebhookView: Codable, Sendable, Equatable {
    public let id: String
    public let url: String
    public let events: [String]
    public let enabled: Bool
    /// `active`, `retrying` (an attempt failed; the next is scheduled), `failing` (stopped after
    /// the last attempt allowed) or `disabled`.
    public let status: String
    /// The tenant whose events it receives; null for the operator's (every event).
    public let tenant: String?
    /// The sequence of the last event delivered or passed over.
    public let lastEvent: Int64
    /// Failed attempts at the next event.
    public let attempts: Int
    /// When the next attempt is due, while retrying.
    public let nextAttemptAt: String?
    public let failingSince: String?
    /// Until when deliveries are also signed with the secret before the last rotation.
    public let previousSecretExpiresAt: String?
    public let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, url, events, enabled, status, tenant, lastEvent = "last_event", attempts, nextAttemptAt = "next_attempt_at",
             failingSince = "failing_since", previousSecretExpiresAt = "previous_secret_expires_at", createdAt = "created_at"
    }

    init(_ endpoint: WebhookEndpoint, now: Int64) {
        id = endpoint.id
        url = endpoint.url
        events = endpoint.filter.patterns
        enabled = endpoint.enabled
        status = endpoint.status
        tenant = endpoint.scope.isEmpty ? nil : endpoint.scope
        lastEvent = endpoint.cursor
        attempts = endpoint.attempts
        nextAttemptAt = endpoint.status == "retrying" ? WebhookTime.format(milliseconds: endpoint.nextAttemptAt) : nil
        failingSince = endpoint.failingSince.map(WebhookTime.format(milliseconds:))
        previousSecretExpiresAt = endpoint.previousSecretUntil.flatMap { $0 > now ? WebhookTime.format(milliseconds: $0) : nil }
        createdAt = WebhookTime.format(milliseconds: endpoint.createdAt)
    }
}

/// A new endpoint with its signing secret: the only time the secret is shown. `secret` is null
/// when an `Idempotency-Key` replays the creation (rotate the secret if the first answer was lost).
public struct CreatedWebhookView: Codable, Sendable, Equatable {
    public let id: String
    /// `whsec_` + base64 of 32 bytes.
    public let secret: String?
    public let url: String
    public let events: [String]
    public let enabled: Bool
    public let status: String
    public let tenant: String?
    public let createdAt: String

    enum CodingKeys: String, CodingKey { case id, secret, url, events, enabled, status, tenant, createdAt = "created_at" }

    init(_ view: WebhookView, secret: String) {
        id = view.id
        self.secret = secret
        url = view.url
        events = view.events
        enabled = view.enabled
        status = view.status
        tenant = view.tenant
        createdAt = view.createdAt
    }
}

/// A rotated secret, shown once.
public struct WebhookSecretView: Codable, Sendable, Equatable {
    public let id: String
    /// `whsec_` + base64 of 32 bytes; null when an `Idempotency-Key` replays the rotation.
    public let secret: String?
    /// Until when deliveries are also signed with the old secret; null when it was dropped at once.
    public let previousSecretExpiresAt: String?

    enum CodingKeys: String, CodingKey { case id, secret, previousSecretExpiresAt = "previous_secret_expires_at" }
}

/// One delivery attempt of the log.
public struct WebhookDeliveryView: Codable, Sendable, Equatable {
    public let id: Int64
    public let webhook: String
    /// The event's sequence number, and its id as the receiver saw it (`evt_<sequence>`).
    public let event: Int64
    public let eventID: String
    public let type: String
    /// 1, 2, ... for automatic attempts at this event; null for a manual redelivery.
    public let attempt: Int?
    /// `delivered` (a 2xx answer) or `failed`.
    public let outcome: String
    public let statusCode: Int?
    /// Why no status came back: `timeout`, `connect`, `connection-closed`, `tls`, `io`.
    public let error: String?
    /// The start of the receiver's answer (at most 200 characters).
    public let responseExcerpt: String?
    public let durationMS: Int64
    public let attemptedAt: String

    enum CodingKeys: String, CodingKey {
        case id, webhook, event, eventID = "event_id", type, attempt, outcome, statusCode = "status_code", error, responseExcerpt = "response_excerpt",
             durationMS = "duration_ms", attemptedAt = "attempted_at"
    }

    init(_ attempt: WebhookAttempt) {
        id = attempt.id
        webhook = attempt.endpointID
        event = attempt.eventSequence
        eventID = "evt_\(attempt.eventSequence)"
        type = attempt.eventType
        self.attempt = attempt.attempt
        outcome = attempt.delivered ? "delivered" : "failed"
        statusCode = attempt.statusCode
        error = attempt.errorClass
        responseExcerpt = attempt.excerpt
        durationMS = attempt.durationMilliseconds
        attemptedAt = WebhookTime.format(milliseconds: attempt.attemptedAt)
    }
}

/// What `coffer webhook deliver --once` did.
public struct WebhookPassView: Codable, Sendable, Equatable {
    /// Endpoints that had work due.
    public let endpoints: Int
    public let delivered: Int
    public let failed: Int
    /// Endpoints the pass marked failing.
    public let failing: [String]
    /// Endpoints another process was delivering to.
    public let busy: Int
    /// Endpoints whose turn stopped on an error, with the error.
    public let errors: [String]

    init(_ turns: [WebhookDeliverer.Turn]) {
        endpoints = Set(turns.map(\.endpointID)).count
        delivered = turns.reduce(0) { $0 + $1.delivered }
        failed = turns.reduce(0) { $0 + $1.failures.count }
        failing = turns.filter { $0.outcome == .failing }.map(\.endpointID)
        busy = turns.filter { $0.outcome == .busy }.count
        errors = turns.compactMap { turn in turn.error.map { "\(turn.endpointID): \($0)" } }
    }
}
