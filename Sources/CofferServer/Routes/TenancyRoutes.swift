import CofferCore
import Hummingbird
import Tenancy

/// /v1/tenant and /v1/keys: the calling tenant, and its admin managing its own API keys (the first
/// key comes from `coffer apikey create`). A key is shown once, at creation.
struct TenancyRoutes: Sendable {
    let tenancy: TenancyService
    let idempotent: IdempotentPost

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.get("tenant") { _, context in try Response.json(try await tenancy.tenant(by: try context.requireCaller())) }
        router.post("keys") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            // The key is shown once: a replay under the Idempotency-Key answers it as null.
            return try await idempotent.run(request, context: context, body: body, shownOnce: "key") {
                try StoredResponse.json(try await tenancy.createKey(try HTTPBody.decode(CreateKeyRequest.self, body), by: caller), status: .created)
            }
        }
        router.get("keys") { _, context in try Response.json(try await tenancy.keys(by: try context.requireCaller())) }
        router.post("keys/:id/revoke") { request, context in
            let caller = try context.requireCaller()
            let id = try context.parameters.path("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                // No fields: the body is empty or {}.
                if !body.isEmpty { _ = try HTTPBody.decode(EmptyRequest.self, body) }
                return try StoredResponse.json(try await tenancy.revokeKey(id, by: caller))
            }
        }
    }
}

/// A body with no fields: `{}` (any member is refused as unknown).
struct EmptyRequest: Decodable {
    private enum NoKeys: CodingKey {}

    init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: NoKeys.self)
    }
}
