import CofferCore
import Hummingbird
import Tenancy

/// /v1/wallets and /v1/addresses: a tenant's vault wallets (created inside the vault, or imported
/// from a mnemonic, a key or a keystore in the body, never logged or echoed), their encrypted
/// backups, and deposit addresses handed out from per-wallet counters.
struct WalletRoutes: Sendable {
    let wallets: WalletService
    let idempotent: IdempotentPost

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.post("wallets") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await wallets.create(try HTTPBody.decode(CreateWalletRequest.self, body), by: caller), status: .created)
            }
        }
        router.get("wallets") { request, context in
            let page = try QueryParameters(request, allowed: ["limit", "cursor"]).page(maximum: 500)
            return try Response.json(try await wallets.wallets(page: page, by: try context.requireCaller()))
        }
        router.get("wallets/:id") { _, context in
            try Response.json(try await wallets.wallet(try context.parameters.path("id"), by: try context.requireCaller()))
        }
        // Backups are never stored for Idempotency-Key replay and are sent with Cache-Control: no-store.
        router.post("wallets/:id/backup") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            let backup = try await wallets.backup(try context.parameters.path("id"), try HTTPBody.decode(BackupWalletRequest.self, body), by: caller)
            var response = try Response.json(backup)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.post("wallets/:id/addresses") { request, context in
            let caller = try context.requireCaller()
            let wallet = try context.parameters.path("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await wallets.allocate(wallet, try HTTPBody.decode(AllocateAddressesRequest.self, body), by: caller), status: .created)
            }
        }
        router.get("addresses") { request, context in
            let query = try QueryParameters(request, allowed: ["wallet", "chain", "owner_id", "purpose", "limit", "cursor"])
            let filters = AddressListQuery(wallet: query["wallet"], chain: query["chain"], ownerID: query["owner_id"], purpose: query["purpose"])
            return try Response.json(try await wallets.addresses(filters, page: try query.page(maximum: 1_000), by: try context.requireCaller()))
        }
        router.get("addresses/:address") { _, context in
            try Response.json(try await wallets.address(try context.parameters.path("address"), by: try context.requireCaller()))
        }
    }
}
