import CofferBase
import CofferCore
import Hummingbird
import Tenancy

/// /v1/webhooks: signed webhooks over the events outbox. A tenant's endpoints receive its own
/// events and are its own to see and change; admins register, change and remove them, readers
/// see them and their delivery log. Secrets are shown once, in the answer that made them: an
/// `Idempotency-Key` replay answers them as null.
struct WebhookRoutes: Sendable {
    let webhooks: WebhookService
    let idempotent: IdempotentPost

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.post("webhooks") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body, shownOnce: "secret") {
                try StoredResponse.json(try await webhooks.add(try HTTPBody.decode(AddWebhookRequest.self, body), by: caller), status: .created)
            }
        }
        // Every endpoint on one page, as the chains: `next_cursor` is always null.
        router.get("webhooks") { _, context in
            try Response.json(Page(items: try await webhooks.webhooks(by: try context.requireCaller()), nextCursor: nil))
        }
        router.get("webhooks/:id") { _, context in
            try Response.json(try await webhooks.webhook(try context.parameters.path("id"), by: try context.requireCaller()))
        }
        router.delete("webhooks/:id") { _, context in
            try Response.json(try await webhooks.remove(try context.parameters.path("id"), by: try context.requireCaller()))
        }
        for (action, enabled) in [("enable", true), ("disable", false)] {
            router.post("webhooks/:id/\(action)") { request, context in
                let caller = try context.requireCaller()
                let id = try context.parameters.path("id")
                let body = try await HTTPBody.collect(request, context)
                return try await idempotent.run(request, context: context, body: body) {
                    // No fields: the body is empty or {}.
                    if !body.isEmpty { _ = try HTTPBody.decode(EmptyRequest.self, body) }
                    return try StoredResponse.json(try await webhooks.setEnabled(id, enabled, by: caller))
                }
            }
        }
        router.post("webhooks/:id/rotate-secret") { request, context in
            let caller = try context.requireCaller()
            let id = try context.parameters.path("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body, shownOnce: "secret") {
                let rotation = body.isEmpty ? RotateWebhookSecretRequest() : try HTTPBody.decode(RotateWebhookSecretRequest.self, body)
                return try StoredResponse.json(try await webhooks.rotateSecret(id, rotation, by: caller))
            }
        }
        router.get("webhooks/:id/deliveries") { request, context in
            let query = try QueryParameters(request, allowed: ["limit", "cursor"])
            return try Response.json(try await webhooks.deliveries(
                try context.parameters.path("id"), page: try query.page(maximum: 1_000), by: try context.requireCaller()))
        }
        router.post("webhooks/:id/redeliver") { request, context in
            let caller = try context.requireCaller()
            let id = try context.parameters.path("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await webhooks.redeliver(id, try HTTPBody.decode(RedeliverWebhookRequest.self, body), by: caller))
            }
        }
    }
}
