import CofferBase
import CofferCore
import Hummingbird
import Tenancy

/// /v1/signing-requests and /v1/policies: intent + payload, decided by the wallet's policy before
/// any key is touched; approvals; the vault signs exactly once. A wallet's own policy is set here.
struct SigningRoutes: Sendable {
    let signing: SigningRequestService
    let idempotent: IdempotentPost

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.post("signing-requests") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let (view, created) = try await signing.submit(body, by: caller)
                return try StoredResponse.json(view, status: created ? .created : .ok)
            }
        }
        router.get("signing-requests/:id") { _, context in
            try Response.json(try await signing.request(try context.parameters.path("id"), by: try context.requireCaller()))
        }
        router.post("signing-requests/:id/approvals") { request, context in
            let caller = try context.requireCaller()
            let id = try context.parameters.path("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await signing.approve(id, try HTTPBody.decode(ApprovalRequest.self, body), by: caller))
            }
        }
        router.put("policies/:wallet") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            let policy = try HTTPBody.decode(JSONValue.self, body)
            return try Response.json(try await signing.setPolicy(policy, wallet: try context.parameters.path("wallet"), by: caller))
        }
        router.get("policies/:wallet") { _, context in
            try Response.json(try await signing.policy(wallet: try context.parameters.path("wallet"), by: try context.requireCaller()))
        }
    }
}
