import CofferBase
import CofferCore
import Hummingbird
import Tenancy

/// /v1/recon and /v1/reports: statement mappings and imports, the matching rules, runs with their
/// matches and exceptions, chain runs (a chain's holdings against the custody accounts),
/// corrections decided by two registered approvers, end-of-day or end-of-month reports and the
/// audit export. Everything is the calling tenant's own (docs/reconciliation.md).
struct ReconRoutes: Sendable {
    let recon: ReconService
    let reports: ReportService
    let idempotent: IdempotentPost

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.post("recon/mappings") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let input = try HTTPBody.decode(ReconMappingInput.self, body)
                let created = try await recon.addMapping(AddReconMappingRequest(name: input.name, mapping: String(decoding: input.mapping.bytes, as: UTF8.self)),
                                                         by: caller)
                return try StoredResponse.json(created.resource, status: created.created ? .created : .ok)
            }
        }
        router.post("recon/statements") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let input = try HTTPBody.decode(StatementImportInput.self, body)
                return try StoredResponse.json(try await recon.importStatement(
                    ImportStatementRequest(mapping: input.mapping, name: input.name, content: Array(input.content.utf8)), by: caller), status: .created)
            }
        }
        router.put("recon/rules") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            let input = try HTTPBody.decode(ReconRulesInput.self, body)
            let text = String(decoding: JSONValue.array(input.rules).bytes, as: UTF8.self)
            return try Response.json(try await recon.setRules(SetReconRulesRequest(rules: text), by: caller))
        }
        router.get("recon/rules") { _, context in
            try Response.json(try await recon.rules(by: try context.requireCaller()))
        }
        router.post("recon/runs") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await recon.run(try HTTPBody.decode(RunReconRequest.self, body), by: caller), status: .created)
            }
        }
        router.post("recon/chain-runs") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                try StoredResponse.json(try await recon.reconcileChain(try HTTPBody.decode(ChainReconRequest.self, body), by: caller), status: .created)
            }
        }
        router.get("recon/runs/:id") { _, context in
            try Response.json(try await recon.run(try context.parameters.path("id"), by: try context.requireCaller()))
        }
        router.get("recon/runs/:id/matches") { request, context in
            let page = try Self.page(request)
            return try Response.json(try await recon.matches(run: try context.parameters.path("id"), page: page, by: try context.requireCaller()))
        }
        router.get("recon/runs/:id/exceptions") { request, context in
            let page = try Self.page(request)
            return try Response.json(try await recon.exceptions(run: try context.parameters.path("id"), page: page, by: try context.requireCaller()))
        }
        router.post("recon/corrections/preview") { request, context in
            let caller = try context.requireCaller()
            let input = try HTTPBody.decode(CorrectionInput.self, try await HTTPBody.collect(request, context))
            guard input.approverID == nil, input.signature == nil else { throw ServiceError.invalid("a preview takes no approver_id or signature") }
            return try Response.json(CorrectionPreviewView(approvalMessage: try await recon.correctionMessage(try input.draft, by: caller)))
        }
        router.post("recon/corrections") { request, context in
            let caller = try context.requireCaller()
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let input = try HTTPBody.decode(CorrectionInput.self, body)
                guard let approver = input.approverID, let signature = input.signature else {
                    throw ServiceError.invalid("approver_id and signature are required: the proposer signs the preview's approval_message")
                }
                return try StoredResponse.json(try await recon.proposeCorrection(try input.draft, approver: approver, signature: signature, by: caller),
                                               status: .created)
            }
        }
        router.get("recon/corrections") { request, context in
            let query = try QueryParameters(request, allowed: ["exception"])
            return try Response.json(Page(items: try await recon.corrections(exception: query["exception"], by: try context.requireCaller()), nextCursor: nil))
        }
        router.get("recon/corrections/:id") { _, context in
            try Response.json(try await recon.correction(try context.parameters.path("id"), by: try context.requireCaller()))
        }
        let decisions: [(String, @Sendable (String, CorrectionDecisionInput, Caller) async throws -> CorrectionView)] = [
            ("approve", { [recon] in try await recon.approveCorrection($0, approver: $1.approverID, signature: $1.signature, by: $2) }),
            ("reject", { [recon] in try await recon.rejectCorrection($0, approver: $1.approverID, signature: $1.signature, by: $2) }),
        ]
        for (action, decide) in decisions {
            router.post("recon/corrections/:id/\(action)") { request, context in
                let caller = try context.requireCaller()
                let id = try context.parameters.path("id")
                let body = try await HTTPBody.collect(request, context)
                return try await idempotent.run(request, context: context, body: body) {
                    try StoredResponse.json(try await decide(id, try HTTPBody.decode(CorrectionDecisionInput.self, body), caller))
                }
            }
        }
        router.get("reports") { request, context in
            let query = try QueryParameters(request, allowed: ["kind", "date", "format", "currency"])
            guard let kind = query["kind"], let date = query["date"] else { throw ServiceError.invalid("kind (eod or eom) and date (YYYY-MM-DD) are required") }
            let document = try await reports.report(kind: kind, date: date, format: query["format"] ?? "json", currency: query["currency"],
                                                    by: try context.requireCaller())
            return Response(status: .ok, headers: [.contentType: document.contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: document.body)))
        }
        router.get("reports/audit") { request, context in
            let query = try QueryParameters(request, allowed: ["from", "to"])
            guard let from = query["from"], let to = query["to"] else { throw ServiceError.invalid("from and to (RFC 3339) are required") }
            let export = try await reports.auditExport(from: from, to: to, by: try context.requireCaller())
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: export)))
        }
    }

    static func page(_ request: Request) throws -> PageRequest {
        let query = try QueryParameters(request, allowed: ["limit", "cursor"])
        let limit: Int?
        if let text = query["limit"] {
            guard let value = Int(text) else { throw ServiceError.invalid("limit must be a whole number from 1 to 1000") }
            limit = value
        } else {
            limit = nil
        }
        do { return try PageRequest(limit: limit, cursor: query["cursor"], maximum: 1_000) } catch { throw ServiceError.invalid(error.description) }
    }
}
