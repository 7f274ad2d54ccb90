import ChainNodes
public import CofferBase
import Foundation
import Tenancy
import Vault
public import Webhooks

/// How webhooks are delivered and who may point them where.
public struct WebhookOptions: Sendable, Equatable {
    public var policy: WebhookPolicy
    /// Whether API keys may register endpoints on loopback, private or link-local addresses
    /// (the operator at the command line always may). Off by default: a tenant could otherwise
    /// make the server POST to services on its own network.
    public var allowPrivateURLs: Bool

    public init(policy: WebhookPolicy = .standard, allowPrivateURLs: Bool = false) {
        self.policy = policy
        self.allowPrivateURLs = allowPrivateURLs
    }

    /// From the server's settings (milliseconds); throws naming a value out of range.
    public init(retryBaseMilliseconds: Int64, retryCapMilliseconds: Int64, maximumAttempts: Int, timeoutMilliseconds: Int64,
                allowPrivateURLs: Bool) throws(WebhookError) {
        self.init(policy: try WebhookPolicy(retryBaseMilliseconds: retryBaseMilliseconds, retryCapMilliseconds: retryCapMilliseconds,
                                            maximumAttempts: maximumAttempts, timeoutMilliseconds: timeoutMilliseconds),
                  allowPrivateURLs: allowPrivateURLs)
    }
}

/// Signed webhooks over the events outbox, as every door offers them: endpoints (a tenant's
/// receive its own events, the operator's every event), their secrets (shown once, sealed at rest
/// under the vault's `webhooks` service key), the delivery log, manual redelivery and one-shot
/// delivery. The `webhook-delivery` service of `coffer serve` delivers continuously.
public struct WebhookService: Sendable {
    public let store: WebhookStore
    public let vault: VaultAccess
    public let events: any WebhookEventSource
    public let sender: any WebhookSender
    public let options: WebhookOptions
    /// Milliseconds since 1970.
    public let clock: @Sendable () -> Int64
    /// This process's name in delivery claims.
    public let owner: String

    /// The vault service key that seals endpoint secrets.
    public static let keyPurpose = "webhooks"
    /// Endpoints per tenant (and for the operator).
    public static let maximumEndpoints = 100

    /// `sender` defaults to HTTP over the node clients' shared client (no redirects followed).
    public init(store: WebhookStore, vault: VaultAccess, events: any WebhookEventSource,
                sender: any WebhookSender = HTTPWebhookSender(client: JSONRPCClient.sharedHTTPClient),
                options: WebhookOptions = WebhookOptions(), clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000) }) {
        self.store = store
        self.vault = vault
        self.events = events
        self.sender = sender
        self.options = options
        self.clock = clock
        owner = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }

    // MARK: Endpoints

    /// Registers an endpoint and makes its secret, shown in the answer only. It receives the
    /// events committed from now on that its filter matches.
    public func add(_ request: AddWebhookRequest, by caller: Caller) async throws -> CreatedWebhookView {
        try caller.require(.admin)
        let url = try WebhookURL(request.url)
        if url.isPrivate, !caller.isOperator, !options.allowPrivateURLs {
            throw ServiceError(.forbidden, "private-webhook-url", """
                url: \(url.host.prefix(60)) is a loopback, private or link-local address; over HTTP endpoints must be public \
                (the operator can add it with `coffer webhook add`, or allow such URLs with the server setting webhook_allow_private_urls)
                """)
        }
        let filter = try EventFilter(patterns: request.events)
        let scope = caller.tenant?.tenantID ?? ""
        guard try await store.endpoints(scope: scope).count < Self.maximumEndpoints else {
            throw ServiceError(.limit, "too-many-webhooks", "at most \(Self.maximumEndpoints) webhook endpoints; remove one first")
        }
        let key = try await sealingKey(for: caller)
        let id = WebhookEndpoint.newID()
        let secret = WebhookSecret.generate()
        let now = clock()
        let endpoint = WebhookEndpoint(
            id: id, scope: scope, url: url.text, filter: filter, enabled: request.enabled ?? true,
            secret: try secret.sealed(under: key.bytes, endpoint: id, slot: "current"), cursor: try await events.lastSequence(), createdAt: now)
        try await store.add(endpoint)
        return CreatedWebhookView(WebhookView(endpoint, now: now), secret: secret.text)
    }

    /// The caller's endpoints (every endpoint for the operator), oldest first.
    public func webhooks(by caller: Caller) async throws -> [WebhookView] {
        try caller.require(.read)
        let now = clock()
        return try await store.endpoints(scope: caller.tenant?.tenantID).map { WebhookView($0, now: now) }
    }

    public func webhook(_ id: String, by caller: Caller) async throws -> WebhookView {
        try caller.require(.read)
        return WebhookView(try await find(id, by: caller), now: clock())
    }

    /// Removes an endpoint and its delivery log; answers the endpoint as it was.
    public func remove(_ id: String, by caller: Caller) async throws -> WebhookView {
        try caller.require(.admin)
        let endpoint = try await find(id, by: caller)
        guard try await store.remove(endpoint.id) else { throw WebhookError.endpointNotFound(id) }
        return WebhookView(endpoint, now: clock())
    }

    /// Enables an endpoint (clearing a failing mark: delivery resumes with the event it stopped
    /// at) or disables it (its events wait for it: delivery resumes where it stopped once enabled).
    public func setEnabled(_ id: String, _ enabled: Bool, by caller: Caller) async throws -> WebhookView {
        try caller.require(.admin)
        let endpoint = try await find(id, by: caller)
        guard try await store.setEnabled(endpoint.id, enabled, now: clock()) else { throw WebhookError.endpointNotFound(id) }
        return try await webhook(id, by: caller)
    }

    /// Replaces the secret with a new one, shown in the answer only. With
    /// `previous_secret_expires_in`, deliveries carry a signature with each secret until then.
    public func rotateSecret(_ id: String, _ request: RotateWebhookSecretRequest, by caller: Caller) async throws -> WebhookSecretView {
        try caller.require(.admin)
        let keep = request.previousSecretExpiresIn ?? 0
        guard (0...604_800).contains(keep) else { throw ServiceError.invalid("previous_secret_expires_in must be from 0 to 604800 seconds (7 days)") }
        let endpoint = try await find(id, by: caller)
        let key = try await sealingKey(for: caller)
        let now = clock()
        var previous: [UInt8]?
        var until: Int64?
        if keep > 0 {
            let current = try WebhookSecret.open(endpoint.secret, under: key.bytes, endpoint: endpoint.id, slot: "current")
            previous = try current.sealed(under: key.bytes, endpoint: endpoint.id, slot: "previous")
            until = now + keep * 1_000
        }
        let secret = WebhookSecret.generate()
        guard try await store.replaceSecret(endpoint.id, secret: try secret.sealed(under: key.bytes, endpoint: endpoint.id, slot: "current"),
                                            previous: previous, previousUntil: until, now: now) else {
            throw WebhookError.endpointNotFound(id)
        }
        return WebhookSecretView(id: endpoint.id, secret: secret.text, previousSecretExpiresAt: until.map(WebhookTime.format(milliseconds:)))
    }

    // MARK: Deliveries

    /// An endpoint's delivery attempts, oldest first.
    public func deliveries(_ id: String, page: PageRequest, by caller: Caller) async throws -> Page<WebhookDeliveryView> {
        try caller.require(.read)
        let endpoint = try await find(id, by: caller)
        return try await store.attempts(endpoint: endpoint.id, page: page).map(WebhookDeliveryView.init)
    }

    /// Sends one event to the endpoint now (`WebhookDeliverer.redeliver`): again, when the
    /// endpoint has had it; or the event it waits at, after which delivery resumes.
    public func redeliver(_ id: String, _ request: RedeliverWebhookRequest, by caller: Caller) async throws -> WebhookDeliveryView {
        try caller.require(.admin)
        guard request.event > 0 else { throw ServiceError.invalid("event must be an event's sequence number (1 or more)") }
        let endpoint = try await find(id, by: caller)
        let deliverer = deliverer(key: try await sealingKey(for: caller), owner: owner + "/manual")
        return WebhookDeliveryView(try await deliverer.redeliver(endpoint, sequence: request.event))
    }

    /// Delivers everything due now to every endpoint and returns (endpoints waiting for a
    /// retry keep waiting): `coffer webhook deliver --once`. The operator's only.
    public func deliverDue(policy: WebhookPolicy? = nil, by caller: Caller) async throws -> WebhookPassView {
        try caller.require(.admin)
        guard caller.isOperator, caller.tenant == nil else {
            throw ServiceError(.forbidden, "operator-only", "delivering runs for every endpoint: the operator runs it, without --tenant")
        }
        let deliverer = deliverer(key: try await sealingKey(for: caller), owner: owner + "/once", policy: policy)
        return WebhookPassView(try await deliverer.deliverAllDue())
    }

    /// The deliverer of the `webhook-delivery` service: nil while the vault is locked (endpoint
    /// secrets open only with it) or before any endpoint was made.
    public func backgroundDeliverer() async throws -> WebhookDeliverer? {
        guard let unlocked = vault.unlockedIfOpen(for: Caller(tenant: nil, scopes: [], actor: "server")) else { return nil }
        do {
            guard let bytes = try await unlocked.existingServiceKey(Self.keyPurpose) else { return nil }
            return deliverer(key: WebhookSecretKey(bytes), owner: owner + "/worker")
        } catch let error as VaultError {
            throw VaultAccess.translating(error)
        }
    }

    func deliverer(key: WebhookSecretKey, owner: String, policy: WebhookPolicy? = nil) -> WebhookDeliverer {
        WebhookDeliverer(store: store, events: events, sender: sender, policy: policy ?? options.policy, key: key, owner: owner, clock: clock)
    }

    /// The caller's endpoint by id.
    func find(_ id: String, by caller: Caller) async throws -> WebhookEndpoint {
        guard id.utf8.count <= 64, let endpoint = try await store.endpoint(id), caller.tenant == nil || endpoint.scope == caller.tenant?.tenantID else {
            throw WebhookError.endpointNotFound(id)
        }
        return endpoint
    }

    /// The key that seals endpoint secrets (made on first use), from the unlocked vault.
    func sealingKey(for caller: Caller) async throws -> WebhookSecretKey {
        let unlocked = try vault.unlocked(for: caller)
        do {
            return WebhookSecretKey(try await unlocked.serviceKey(Self.keyPurpose))
        } catch let error as VaultError {
            throw VaultAccess.translating(error)
        }
    }
}

/// Times of the webhook views: milliseconds since 1970 as ISO 8601, UTC, milliseconds.
enum WebhookTime {
    static func format(milliseconds: Int64) -> String {
        VaultClock.format(Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1_000))
    }
}
