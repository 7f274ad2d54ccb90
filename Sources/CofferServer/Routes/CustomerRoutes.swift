import CofferBase
import CofferCore
import Foundation
import Hummingbird
import Tenancy

/// /v1/customers, /v1/tiers, /v1/limits, /v1/cases and /v1/aml: customers with their tiers, KYC
/// and TOTP enrolment, limits and reservations against them, appeals and temporary raises, AML
/// screening lists, scans, alerts and the suspicious-activity report. A reservation the limits
/// (or the risk score) refuse is a problem document naming the limit and what remains, as a
/// payout's is.
struct CustomerRoutes: Sendable {
    let customers: CustomerService
    let idempotent: IdempotentPost

    func register(on router: RouterGroup<CofferRequestContext>) {
        registerCustomers(on: router)
        registerLimits(on: router)
        registerCases(on: router)
        registerAML(on: router)
    }

    func registerCustomers(on router: RouterGroup<CofferRequestContext>) {
        router.post("customers") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let created = try await customers.create(try HTTPBody.decode(CreateCustomerRequest.self, body), by: caller)
                return try StoredResponse.json(created.resource, status: created.created ? .created : .ok)
            }
        }
        router.get("customers") { request, context in
            let query = try QueryParameters(request, allowed: ["limit", "cursor"])
            return try Response.json(try await customers.customers(page: try query.page(maximum: 1_000), by: try context.requireCaller()))
        }
        router.get("customers/:id") { _, context in
            try Response.json(try await customers.customer(try context.parameters.path("id"), by: try context.requireCaller()))
        }
        router.post("customers/:id/tier") { request, context in
            let caller = try context.requireCaller()
            let id = try context.parameters.path("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await customers.setTier(id, try HTTPBody.decode(SetTierRequest.self, body), by: caller))
            }
        }
        router.post("customers/:id/kyc") { request, context in
            let caller = try context.requireCaller()
            let id = try context.parameters.path("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await customers.transition(id, try HTTPBody.decode(KYCTransitionRequest.self, body), by: caller))
            }
        }
        router.get("customers/:id/kyc") { _, context in
            let history = try await customers.kycHistory(try context.parameters.path("id"), by: try context.requireCaller())
            return try Response.json(Page(items: history, nextCursor: nil))
        }
        router.get("customers/:id/usage") { request, context in
            let query = try QueryParameters(request, allowed: ["asset", "at"])
            guard let asset = query["asset"] else { throw ServiceError.invalid("asset is required: the usage of which asset") }
            return try Response.json(try await customers.usage(customer: try context.parameters.path("id"), asset: asset, at: query["at"],
                                                              by: try context.requireCaller()))
        }
        // The secret is in the answer once: a replay under the same Idempotency-Key answers it as null.
        router.post("customers/:id/totp") { request, context in
            let caller = try context.requireCaller()
            let id = try context.parameters.path("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body,
                                            storing: { $0.withNull("secret_base32").withNull("uri").withNull("qr_svg") }) { _ in
                let options = body.isEmpty ? EnrollTOTPRequest() : try HTTPBody.decode(EnrollTOTPRequest.self, body)
                let enrolment = try await customers.enrollTOTP(customer: id, algorithm: options.algorithm, digits: options.digits, by: caller)
                return (try StoredResponse.json(enrolment, status: .created), recorded: false)
            }
        }
        router.post("customers/:id/totp/verify") { request, context in
            let caller = try context.requireCaller()
            let id = try context.parameters.path("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let verification = try HTTPBody.decode(VerifyTOTPRequest.self, body)
                return try StoredResponse.json(try await customers.verifyTOTP(customer: id, code: verification.code, at: verification.at, by: caller))
            }
        }
        router.get("tiers") { _, context in
            try Response.json(Page(items: try await customers.tiers(by: try context.requireCaller()), nextCursor: nil))
        }
        router.put("tiers/:name") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            let rank = try HTTPBody.decode(TierRank.self, body)
            return try Response.json(try await customers.defineTier(DefineTierRequest(name: try context.parameters.path("name"), rank: rank.rank), by: caller))
        }
    }

    func registerLimits(on router: RouterGroup<CofferRequestContext>) {
        router.put("limits") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try Response.json(try await customers.setLimits(try HTTPBody.decode(SetLimitsRequest.self, body), by: caller))
        }
        router.get("limits") { _, context in
            try Response.json(Page(items: try await customers.limits(by: try context.requireCaller()), nextCursor: nil))
        }
        // The id is the idempotency key: 201 when reserved now, 200 when the id was reserved
        // before; a refusal is a problem document (422 limit-exceeded, 403 step-up, 422 held).
        router.post("limits/reservations") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let view = try await customers.reserve(try HTTPBody.decode(ReserveRequest.self, body), by: caller)
                guard view.result == "reserved" || view.result == "posted" || view.result == "voided" else { throw CustomerService.refusal(view) }
                return try StoredResponse.json(view, status: view.newDestination == nil ? .ok : .created)
            }
        }
        for (action, commit) in [("commit", true), ("release", false)] {
            router.post("limits/reservations/:id/\(action)") { request, context in
                let caller = try context.requireCaller()
                let id = try context.parameters.path("id")
                let body = try await HTTPBody.collect(request, context)
                return try await idempotent.run(request, context: context, body: body) {
                    if !body.isEmpty { _ = try HTTPBody.decode(EmptyRequest.self, body) }
                    return try StoredResponse.json(try await customers.finish(id, commit: commit, by: caller))
                }
            }
        }
    }

    func registerCases(on router: RouterGroup<CofferRequestContext>) {
        router.post("cases") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let opened = try await customers.openCase(try HTTPBody.decode(OpenCaseRequest.self, body), by: caller)
                return try StoredResponse.json(opened.resource, status: opened.created ? .created : .ok)
            }
        }
        router.get("cases") { request, context in
            let query = try QueryParameters(request, allowed: ["status"])
            return try Response.json(Page(items: try await customers.cases(status: query["status"], by: try context.requireCaller()), nextCursor: nil))
        }
        router.get("cases/:id") { _, context in
            try Response.json(try await customers.customerCase(try context.parameters.path("id"), by: try context.requireCaller()))
        }
        router.post("cases/:id/decision") { request, context in
            let caller = try context.requireCaller()
            let id = try context.parameters.path("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await customers.decideCase(id, try HTTPBody.decode(DecideCaseRequest.self, body), by: caller))
            }
        }
    }

    func registerAML(on router: RouterGroup<CofferRequestContext>) {
        router.put("aml/screening-lists/:name") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            let list = try HTTPBody.decode(ScreeningListRequest.self, body)
            return try Response.json(try await customers.importScreeningList(name: try context.parameters.path("name"), addresses: list.addresses, by: caller))
        }
        router.post("aml/scans") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let range = body.isEmpty ? AMLScanRequest() : try HTTPBody.decode(AMLScanRequest.self, body)
                return try StoredResponse.json(Page(items: try await customers.scan(from: range.from, to: range.to, by: caller), nextCursor: nil))
            }
        }
        router.get("aml/alerts") { request, context in
            let query = try QueryParameters(request, allowed: ["from", "to", "status"])
            let alerts = try await customers.alerts(from: query["from"], to: query["to"], status: query["status"], by: try context.requireCaller())
            return try Response.json(Page(items: alerts, nextCursor: nil))
        }
        router.post("aml/alerts/:id/disposition") { request, context in
            let caller = try context.requireCaller()
            let id = try context.parameters.path("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await customers.disposition(id, try HTTPBody.decode(AlertDispositionRequest.self, body), by: caller))
            }
        }
        router.get("aml/report") { request, context in
            let query = try QueryParameters(request, allowed: ["from", "to", "format"])
            guard let from = query["from"], let to = query["to"] else { throw ServiceError.invalid("from and to are required (RFC 3339)") }
            let format = query["format"] ?? "json"
            let text = try await customers.report(from: from, to: to, format: format, by: try context.requireCaller())
            return Response(status: .ok, headers: [.contentType: format == "csv" ? "text/csv; charset=utf-8" : "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}

/// `PUT /v1/aml/screening-lists/{name}`: the list's addresses (the CLI reads them from CSV).
struct ScreeningListRequest: Decodable {
    let addresses: [String]
}

/// `PUT /v1/tiers/{name}`: the tier's rank.
struct TierRank: Decodable {
    let rank: Int
}
