public import Chains
import CofferBase
public import Webhooks

/// The outbox (`events`) as webhook delivery reads it: a tenant's events carry its names as it
/// writes them, exactly as its `/v1/events` shows them.
public struct OutboxWebhookEvents: WebhookEventSource {
    let store: ChainStore

    public init(store: ChainStore) { self.store = store }

    public func lastSequence() async throws -> Int64 { try await store.lastEventSequence() }

    public func events(scope: String?, after sequence: Int64, limit: Int) async throws -> [WebhookEvent] {
        let tenant = try scope.map { id throws(ScopeError) in try TenantScope(id) }
        return try await store.events(scope: scope, after: sequence, limit: limit).map { event in
            WebhookEvent(sequence: event.sequence, scope: event.scope, type: event.type, subject: tenant?.local(event.subject) ?? event.subject,
                         data: ChainService.local(event.data, tenant: tenant), createdAt: event.createdAt)
        }
    }
}
