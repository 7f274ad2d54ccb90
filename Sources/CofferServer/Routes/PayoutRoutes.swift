import CofferBase
import CofferCore
import Hummingbird
import Tenancy

/// /v1/chains/{name}/hot-wallet, /v1/payouts and /v1/sweeps: the wallet that pays on a chain
/// (admin), payouts reserved on the tenant's accounts, and sweeps of deposit addresses (admin). The worker that batches, signs and broadcasts them
/// is `coffer serve`'s `payouts` service, not a route.
struct PayoutRoutes: Sendable {
    let payouts: PayoutService
    let idempotent: IdempotentPost

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.put("chains/:name/hot-wallet") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            let settings = try HTTPBody.decode(HotWalletRequest.self, body)
            return try Response.json(try await payouts.setHotWallet(chain: try context.parameters.path("name"), settings, by: caller))
        }
        router.get("chains/:name/hot-wallet") { _, context in
            try Response.json(try await payouts.hotWallet(chain: try context.parameters.path("name"), by: try context.requireCaller()))
        }
        // The payout's id is its own idempotency key: 201 when this request reserved (or rejected)
        // it, 200 when the same id came with the same request before.
        router.post("payouts") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let (view, created) = try await payouts.create(try HTTPBody.decode(CreatePayoutRequest.self, body), by: caller)
                return try StoredResponse.json(view, status: created ? .created : .ok)
            }
        }
        // Its id is its idempotency key: 201 with the sweeps this request planned, 200 with
        // those of an earlier request with the same id.
        router.post("sweeps") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let (views, created) = try await payouts.sweep(try HTTPBody.decode(SweepRequest.self, body), by: caller)
                return try StoredResponse.json(SweepView(items: views), status: created ? .created : .ok)
            }
        }
        router.get("payouts") { request, context in
            let query = try QueryParameters(request, allowed: ["status", "chain", "limit", "cursor"])
            let filters = PayoutListQuery(status: query["status"], chain: query["chain"])
            return try Response.json(try await payouts.payouts(filters, page: try query.page(maximum: 1_000), by: try context.requireCaller()))
        }
        router.get("payouts/:id") { _, context in
            try Response.json(try await payouts.payout(try context.parameters.path("id"), by: try context.requireCaller()))
        }
    }
}
