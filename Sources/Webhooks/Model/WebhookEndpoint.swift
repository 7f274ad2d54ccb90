/// An endpoint as stored: where events go, which ones, and where its delivery stands. Its signing
/// secret is stored sealed under the vault's `webhooks` service key, never in clear.
public struct WebhookEndpoint: Sendable, Equatable {
    /// `whk_` and 20 characters from a-z2-7.
    public let id: String
    /// The owning tenant; "" for the operator, whose endpoints receive every event.
    public let scope: String
    public var url: String
    public var filter: EventFilter
    public var enabled: Bool
    /// The current secret, sealed (`WebhookSecret.sealed`).
    public var secret: [UInt8]
    /// The secret before the last rotation, still signed with until `previousSecretUntil`.
    public var previousSecret: [UInt8]?
    /// Milliseconds since 1970.
    public var previousSecretUntil: Int64?
    /// The sequence of the last event delivered or passed over: delivery continues after it.
    public var cursor: Int64
    /// Failed attempts at the next event (0 once it is delivered).
    public var attempts: Int
    /// When the next attempt is due (milliseconds since 1970; 0: now).
    public var nextAttemptAt: Int64
    /// Set when the last attempt allowed failed: delivery waits for a manual redelivery or
    /// for the endpoint to be enabled again.
    public var failingSince: Int64?
    /// Milliseconds since 1970.
    public let createdAt: Int64

    public init(id: String, scope: String, url: String, filter: EventFilter, enabled: Bool, secret: [UInt8], previousSecret: [UInt8]? = nil,
                previousSecretUntil: Int64? = nil, cursor: Int64, attempts: Int = 0, nextAttemptAt: Int64 = 0, failingSince: Int64? = nil, createdAt: Int64) {
        self.id = id
        self.scope = scope
        self.url = url
        self.filter = filter
        self.enabled = enabled
        self.secret = secret
        self.previousSecret = previousSecret
        self.previousSecretUntil = previousSecretUntil
        self.cursor = cursor
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.failingSince = failingSince
        self.createdAt = createdAt
    }

    /// The events it may receive: its tenant's, or every event for the operator's (nil).
    public var eventScope: String? { scope.isEmpty ? nil : scope }

    /// `disabled`, `failing` (stopped after the last attempt allowed), `retrying` (waiting
    /// for the next attempt at an event) or `active`.
    public var status: String {
        if !enabled { return "disabled" }
        if failingSince != nil { return "failing" }
        return attempts > 0 ? "retrying" : "active"
    }

    /// A new endpoint id.
    public static func newID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var generator = SystemRandomNumberGenerator()
        return "whk_" + String((0..<20).map { _ in alphabet[Int(generator.next() % 32)] })
    }

    /// Opens the secrets to sign with at `now`: the current one, then the previous one while it
    /// is kept.
    public func secrets(under key: WebhookSecretKey, now: Int64) throws(WebhookError) -> [WebhookSecret] {
        var secrets = [try WebhookSecret.open(secret, under: key.bytes, endpoint: id, slot: "current")]
        if let previousSecret, let until = previousSecretUntil, now < until {
            secrets.append(try WebhookSecret.open(previousSecret, under: key.bytes, endpoint: id, slot: "previous"))
        }
        return secrets
    }
}

/// One delivery attempt as the log keeps it: when, how long, and what came back (a status code,
/// or the class of a transport failure) with at most a short excerpt of the response body.
/// Nothing of the secret or the request is kept.
public struct WebhookAttempt: Sendable, Equatable {
    /// Its number in the log (0 until stored).
    public var id: Int64
    public let endpointID: String
    public let eventSequence: Int64
    public let eventType: String
    /// 1 for the first automatic attempt at this event at this endpoint, 2 for the next...; nil
    /// for a manual redelivery.
    public let attempt: Int?
    /// Milliseconds since 1970.
    public let attemptedAt: Int64
    public let durationMilliseconds: Int64
    public let statusCode: Int?
    /// `timeout`, `connect`, `connection-closed`, `tls`, `cancelled` or `io` when no status came back.
    public let errorClass: String?
    public let excerpt: String?

    public init(id: Int64 = 0, endpointID: String, eventSequence: Int64, eventType: String, attempt: Int?, attemptedAt: Int64,
                durationMilliseconds: Int64, statusCode: Int?, errorClass: String?, excerpt: String?) {
        self.id = id
        self.endpointID = endpointID
        self.eventSequence = eventSequence
        self.eventType = eventType
        self.attempt = attempt
        self.attemptedAt = attemptedAt
        self.durationMilliseconds = durationMilliseconds
        self.statusCode = statusCode
        self.errorClass = errorClass
        self.excerpt = excerpt
    }

    /// A 2xx answer: the event is delivered.
    public var delivered: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}
