import CofferBase
import Foundation
import Tenancy
import Vault
public import Customers
import Ledger

extension CustomerService {
    static let caseKinds: Set<String> = ["limit_raise", "appeal"]

    func view(_ c: CustomerCase, _ caller: Caller) -> CaseView {
        CaseView(id: caller.local(c.id) ?? c.id, customer: caller.local(c.customer) ?? c.customer, kind: c.kind,
                 asset: c.asset.map { LedgerNames(caller).localAsset($0) }, limit: c.limitKind?.rawValue, requested: c.requested, statement: c.statement,
                 status: c.status.rawValue, decidedBy: c.decidedBy, decisionReason: c.decisionReason, raiseAmount: c.raiseAmount,
                 expiresAt: c.expiresAt.map(Self.time), createdAt: Self.time(c.createdAt), decidedAt: c.decidedAt.map(Self.time))
    }

    /// Opens a customer's case: an appeal, or a request for a higher limit (which names the
    /// asset, the limit and the amount asked for).
    public func openCase(_ request: OpenCaseRequest, by caller: Caller) async throws -> Created<CaseView> {
        try caller.require(.write)
        guard LedgerID.isValidLocal(request.id) else { throw ServiceError.invalid("id: 1-64 characters from A-Za-z0-9._:-") }
        guard Self.caseKinds.contains(request.kind) else { throw ServiceError.invalid("kind must be limit_raise or appeal") }
        guard (1...2_000).contains(request.statement.count) else { throw ServiceError.invalid("statement: 1-2000 characters, the customer's words") }
        let customer = try await find(request.customer, caller)
        var asset: String?
        var kind: LimitKind?
        var requested: UInt128?
        if request.kind == "limit_raise" {
            guard let code = request.asset, let limit = request.limit, let amount = request.requested else {
                throw ServiceError.invalid("a limit_raise names asset, limit (per_tx, daily, weekly, monthly, ...) and requested")
            }
            asset = try LedgerNames(caller).assetCode(code, field: "asset")
            guard let parsed = LimitKind(rawValue: limit) else {
                throw ServiceError.invalid("limit \"\(limit.prefix(30))\" is not one of \(LimitKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            kind = parsed
            requested = try Self.parseAmount(amount, field: "requested")
        }
        let opened = CustomerCase(id: caller.stored(request.id), scope: Self.scope(caller), customer: customer.id, kind: request.kind, asset: asset,
                                  limitKind: kind, requested: requested, statement: request.statement, createdAt: clock())
        if try await store.open(opened, audit: audit(caller, "case.open", opened.id, "\(request.kind) customer=\(customer.id)"), time: Self.auditTime) {
            return Created(view(opened, caller), created: true)
        }
        guard let existing = try await store.customerCase(opened.id), existing.customer == opened.customer, existing.kind == opened.kind else {
            throw ServiceError(.conflict, "case-exists", "case \(request.id) exists for another request; use a new id")
        }
        return Created(view(existing, caller), created: false)
    }

    public func customerCase(_ id: String, by caller: Caller) async throws -> CaseView {
        try caller.require(.read)
        guard LedgerID.isValidLocal(id), let found = try await store.customerCase(caller.stored(id)) else {
            throw ServiceError.notFound("no case \"\(id.prefix(70))\"", code: "case-not-found")
        }
        return view(found, caller)
    }

    public func cases(status: String?, by caller: Caller) async throws -> [CaseView] {
        try caller.require(.read)
        let filter = try status.map { text throws(ServiceError) in
            guard let status = CustomerCase.Status(rawValue: text) else { throw ServiceError.invalid("status must be open, approved or rejected") }
            return status
        }
        return try await store.cases(scope: Self.scope(caller), status: filter, limit: 1_000).map { view($0, caller) }
    }

    /// Decides an open case. Approving a limit raise needs the amount and an expiry in the
    /// future: the raise applies to that limit until then and lapses on its own.
    public func decideCase(_ id: String, _ request: DecideCaseRequest, by caller: Caller) async throws -> CaseView {
        try caller.require(.admin)
        guard (1...500).contains(request.reason.count) else { throw ServiceError.invalid("reason: 1-500 characters") }
        guard LedgerID.isValidLocal(id), var decided = try await store.customerCase(caller.stored(id)) else {
            throw ServiceError.notFound("no case \"\(id.prefix(70))\"", code: "case-not-found")
        }
        guard decided.status == .open else {
            throw ServiceError(.conflict, "case-decided", "case \(id) was \(decided.status.rawValue) already")
        }
        let now = clock()
        switch request.decision {
        case "approve":
            decided.status = .approved
            if decided.kind == "limit_raise" {
                guard let amount = request.amount, let expires = request.expiresAt else {
                    throw ServiceError.invalid("approving a limit raise needs amount and expires_at (a raise is temporary)")
                }
                decided.raiseAmount = try Self.parseAmount(amount, field: "amount")
                let expiry = try Self.parseTime(expires, field: "expires_at")
                guard expiry > now else { throw ServiceError.invalid("expires_at must be in the future") }
                decided.expiresAt = expiry
            }
        case "reject":
            decided.status = .rejected
        default:
            throw ServiceError.invalid("decision must be approve or reject")
        }
        decided.decidedBy = caller.actor
        decided.decisionReason = request.reason
        decided.decidedAt = now
        let detail = "\(request.decision): \(request.reason)" + (decided.raiseAmount.map { " raise=\($0) until \(Self.time(decided.expiresAt ?? 0))" } ?? "")
        guard try await store.decide(decided, audit: audit(caller, "case.decide", decided.id, detail), time: Self.auditTime) else {
            throw ServiceError(.conflict, "case-decided", "case \(id) was decided meanwhile")
        }
        return view(decided, caller)
    }
}
