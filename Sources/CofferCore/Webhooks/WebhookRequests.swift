/// `coffer webhook add`, `POST /v1/webhooks`: an endpoint for the caller's events (a tenant's own;
/// every event for the operator).
public struct AddWebhookRequest: Codable, Sendable, Equatable {
    /// `http://` or `https://`, without user information.
    public var url: String
    /// Event types (`deposit.credited`) and patterns (`payout.*`, `*`).
    public var events: [String]
    /// Whether delivery starts at once (default true).
    public var enabled: Bool?

    public init(url: String, events: [String], enabled: Bool? = nil) {
        self.url = url
        self.events = events
        self.enabled = enabled
    }
}

/// `coffer webhook rotate-secret`, `POST /v1/webhooks/{id}/rotate-secret`.
public struct RotateWebhookSecretRequest: Codable, Sendable, Equatable {
    /// Seconds during which deliveries are also signed with the old secret (0 to 604800,
    /// default 0: the old secret is dropped at once).
    public var previousSecretExpiresIn: Int64?

    public init(previousSecretExpiresIn: Int64? = nil) { self.previousSecretExpiresIn = previousSecretExpiresIn }

    enum CodingKeys: String, CodingKey { case previousSecretExpiresIn = "previous_secret_expires_in" }
}

/// `coffer webhook redeliver`, `POST /v1/webhooks/{id}/redeliver`: one event, now.
public struct RedeliverWebhookRequest: Codable, Sendable, Equatable {
    /// The event's sequence number (`sequence` in its body, `coffer events`).
    public var event: Int64

    public init(event: Int64) { self.event = event }
}
