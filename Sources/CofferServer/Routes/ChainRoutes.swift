import CofferBase
import CofferCore
import Hummingbird
import NIOCore
import Tenancy

/// /v1/chains, /v1/deposit-addresses, /v1/deposits, /v1/invoices and /v1/events: receiving on
/// chains. Chains and tokens are added by admins (a tenant's chains are its own); deposit
/// addresses and invoices hand out fresh addresses bound to the tenant's ledger accounts.
struct ChainRoutes: Sendable {
    let chains: ChainService
    let invoices: InvoiceService
    let idempotent: IdempotentPost

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.post("chains") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await chains.add(try HTTPBody.decode(AddChainRequest.self, body), by: caller), status: .created)
            }
        }
        // Every chain on one page, as the keys are: `next_cursor` is always null.
        router.get("chains") { _, context in
            try Response.json(Page(items: try await chains.chains(by: try context.requireCaller()), nextCursor: nil))
        }
        router.get("chains/:name") { _, context in
            try Response.json(try await chains.chain(try context.parameters.path("name"), by: try context.requireCaller()))
        }
        router.post("chains/:name/tokens") { request, context in
            let caller = try context.requireCaller()
            let name = try context.parameters.path("name")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await chains.addToken(chain: name, try HTTPBody.decode(AddTokenRequest.self, body), by: caller), status: .created)
            }
        }
        router.post("deposit-addresses") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(ListView(try await chains.depositAddresses(try HTTPBody.decode(DepositAddressRequest.self, body), by: caller)), status: .created)
            }
        }
        router.get("deposits") { request, context in
            let query = try QueryParameters(request, allowed: ["chain", "account", "status", "limit", "cursor"])
            let filters = DepositListQuery(chain: query["chain"], account: query["account"], status: query["status"])
            return try Response.json(try await chains.deposits(filters, page: try query.page(maximum: 1_000), by: try context.requireCaller()))
        }
        router.post("invoices") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await invoices.create(try HTTPBody.decode(CreateInvoiceRequest.self, body), by: caller), status: .created)
            }
        }
        router.get("invoices") { request, context in
            let query = try QueryParameters(request, allowed: ["status", "limit", "cursor"])
            return try Response.json(try await invoices.invoices(status: query["status"], page: try query.page(maximum: 1_000), by: try context.requireCaller()))
        }
        router.get("invoices/:id") { _, context in
            try Response.json(try await invoices.invoice(try context.parameters.path("id"), by: try context.requireCaller()))
        }
        router.get("invoices/:id/qr.svg") { _, context in
            let svg = try await invoices.qrSVG(try context.parameters.path("id"), by: try context.requireCaller())
            return Response(status: .ok, headers: [.contentType: "image/svg+xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: svg)))
        }
        router.get("events") { request, context in
            let query = try QueryParameters(request, allowed: ["after", "limit"])
            let after = try query.integer("after") ?? 0
            let limit = try query.integer("limit") ?? 100
            guard (1...1000).contains(limit) else { throw ServiceError.invalid("limit must be from 1 to 1000") }
            return try Response.json(ListView(try await chains.events(after: after, limit: Int(limit), by: try context.requireCaller())))
        }
    }
}
