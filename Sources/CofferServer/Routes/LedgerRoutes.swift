import CofferBase
import Foundation
import CofferCore
import HTTPTypes
import Hummingbird
import Ledger
import NIOCore
import Tenancy

/// /v1/assets, /v1/accounts, /v1/transfers, /v1/totals: the ledger service over HTTP, in the
/// caller's tenant scope. Each route decodes, calls `LedgerService`, encodes.
struct LedgerRoutes: Sendable {
    let ledger: LedgerService
    let idempotent: IdempotentPost

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.post("assets") { request, context in try await createAsset(request, context) }
        router.get("assets/:code") { _, context in
            try Response.json(try await ledger.asset(try context.parameters.path("code"), by: try context.requireCaller()))
        }
        router.post("accounts") { request, context in try await createAccount(request, context) }
        router.get("accounts/:id") { _, context in
            try Response.json(try await ledger.account(try context.parameters.path("id"), by: try context.requireCaller()))
        }
        router.get("accounts/:id/balances") { request, context in
            let query = try QueryParameters(request, allowed: ["at"])
            return try Response.json(try await ledger.balances(of: try context.parameters.path("id"), at: query["at"], by: try context.requireCaller()))
        }
        router.get("accounts/:id/history") { request, context in
            let page = try QueryParameters(request, allowed: ["limit", "cursor"]).page(maximum: LedgerService.maximumPage)
            return try Response.json(try await ledger.history(of: try context.parameters.path("id"), page: page, by: try context.requireCaller()))
        }
        router.post("transfers") { request, context in try await createTransfer(request, context) }
        router.post("transfers/batch") { request, context in try await createBatch(request, context) }
        router.get("transfers") { request, context in
            let query = try QueryParameters(request, allowed: ["account", "reference", "from", "to", "limit", "cursor"])
            let filters = TransferListQuery(account: query["account"], reference: query["reference"], from: query["from"], to: query["to"])
            return try Response.json(try await ledger.transfers(filters, page: try query.page(maximum: LedgerService.maximumPage), by: try context.requireCaller()))
        }
        router.get("transfers/:id") { _, context in
            try Response.json(try await ledger.transfer(try context.parameters.path("id"), by: try context.requireCaller()))
        }
        router.post("transfers/:id/reverse") { request, context in try await reverse(request, context) }
        router.get("totals") { _, context in try Response.json(try await ledger.totals(by: try context.requireCaller())) }
    }

    func createAsset(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await HTTPBody.collect(request, context)
        return try await idempotent.run(request, context: context, body: body) {
            let created = try await ledger.createAsset(try HTTPBody.decode(CreateAssetRequest.self, body), by: caller)
            return try StoredResponse.json(created, status: created.created ? .created : .ok)
        }
    }

    func createAccount(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await HTTPBody.collect(request, context)
        return try await idempotent.run(request, context: context, body: body) {
            let created = try await ledger.createAccount(try HTTPBody.decode(CreateAccountRequest.self, body), by: caller)
            return try StoredResponse.json(created, status: created.created ? .created : .ok)
        }
    }

    /// One transfer: the plain JSON fast path (`TransferJSON`), and the response stored in the
    /// ledger's own commit when an Idempotency-Key asks for one (one durable commit per request).
    func createTransfer(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await HTTPBody.collect(request, context)
        let (path, requestID) = (request.uri.path, context.id)
        return try await idempotent.run(request, context: context, body: body, recording: { recorder in
            let transfer = try TransferJSON.decode(body)
            return try await submit([transfer], caller: caller, recorder: recorder) { outcomes in
                try IdempotentPost.catchingClientErrors(path: path, requestID: requestID) {
                    guard let outcome = outcomes.first else { throw LedgerError.internalFailure("the ledger returned no result") }
                    try LedgerService.accepted(outcome)
                    return try StoredResponse.json(outcome, status: outcome.result == TransferResult.created.rawValue ? .created : .ok)
                }
            }
        })
    }

    /// `{"transfers":[...]}`: each item exactly a `coffer ledger transfer` line, at most 8,000.
    func createBatch(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await HTTPBody.collect(request, context)
        return try await idempotent.run(request, context: context, body: body, recording: { recorder in
            let transfers = try TransferJSON.decodeBatch(Data(body))
            return try await submit(transfers, caller: caller, recorder: recorder) { outcomes in try StoredResponse.json(BatchResultsView(results: outcomes)) }
        })
    }

    /// Submits `transfers` and makes the response from their outcomes. With a recorder on the
    /// ledger's own database, the response is stored inside the ledger's commit.
    func submit(
        _ transfers: [Transfer], caller: Caller, recorder: IdempotentResponseRecorder?,
        respond: @escaping @Sendable ([TransferOutcome]) throws -> StoredResponse
    ) async throws -> (StoredResponse, recorded: Bool) {
        guard let recorder, recorder.database as AnyObject === ledger.store.database as AnyObject else {
            return (try respond(try await ledger.submit(transfers, by: caller)), false)
        }
        let committed = CommittedResponse()
        let outcomes = try await ledger.submit(transfers, by: caller) { outcomes, connection in
            let response = try respond(outcomes)
            try recorder.write(response, connection)
            committed.set(response)
        }
        return (try committed.get() ?? respond(outcomes), true)
    }

    func reverse(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await HTTPBody.collect(request, context)
        let id = try context.parameters.path("id")
        return try await idempotent.run(request, context: context, body: body) {
            let outcome = try await ledger.reverse(id, try HTTPBody.decode(ReverseRequest.self, body), by: caller)
            return try StoredResponse.json(outcome, status: outcome.result == TransferResult.created.rawValue ? .created : .ok)
        }
    }
}
