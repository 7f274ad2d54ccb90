import Foundation
import HTTPTypes
import Hummingbird
import Vault
import WalletCore

/// /v1/signing-requests: intent + payload → the wallet's policy decides before any key is
/// touched → registered approvers sign the request hash → the vault signs, exactly once. The same
/// `SigningService` as `coffer sign request/approve/status`. Request ids are the tenant's own: the
/// vault stores them as `<tenant>:<id>`, and `intent.wallet` must name one of the tenant's wallets.
struct SigningRoutes: Sendable {
    let gate: VaultGate
    let idempotent: IdempotentPost

    /// The vault allows 128 characters; the tenant prefix takes 21.
    static let maximumIDLength = 107
    static let approvalFields: Set<String> = ["approver_id", "signature"]

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.post("signing-requests") { request, context in try await create(request, context) }
        router.get("signing-requests/:id") { _, context in try await Blocking.run { try show(context) } }
        router.post("signing-requests/:id/approvals") { request, context in try await approve(request, context) }
    }

    func create(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        try await gate.post(request, context, .sign, idempotent: idempotent) { body, services, unlocked, caller in
            try submit(body, services: services, unlocked: unlocked, caller: caller)
        }
    }

    /// The synchronous part of `create`: scope the document to the tenant, submit it to the service.
    func submit(_ body: [UInt8], services: VaultServices, unlocked: UnlockedVault, caller: Principal) throws -> (HTTPResponse.Status, JSONValue) {
        let submitted: SigningRequestDocument
        do { submitted = try SigningRequestDocument(json: body) } catch { throw Problem.badRequest("\(error)") }
        guard submitted.id.count <= Self.maximumIDLength else { throw Problem.badRequest("id must be at most \(Self.maximumIDLength) characters") }
        guard let wallet = try services.wallets.wallet(tenantID: caller.tenantID, reference: submitted.intent.wallet) else {
            throw Problem.unprocessable("intent.wallet \"\(submitted.intent.wallet.prefix(70))\" is not one of your wallets", slug: "unknown-wallet")
        }
        // The vault's names: the id prefixed by the tenant, the wallet by its vault id (so a
        // request can only ever name the caller's own wallets).
        let document: SigningRequestDocument
        do { document = try submitted.with(id: "\(caller.tenantID):\(submitted.id)", wallet: wallet.walletID) } catch { throw Problem.badRequest(error.description) }
        let existed = try services.signing.request(document.id) != nil
        let service = SigningService(vault: unlocked.vault, store: services.signing, signers: services.signers)
        let record: SigningRequestRecord
        do {
            record = try service.submit(document, unlocked: unlocked)
        } catch let error as PolicyError {
            if error.description.contains("already used for a different request") {
                throw Problem.conflict("id \"\(submitted.id)\" was already used for a different signing request; use a new id", slug: "signing-request-id-reused")
            }
            throw Problem.unprocessable(error.description, slug: "signing-request-refused")
        } catch let error as VaultError {
            throw VaultRouteSupport.problem(error)
        } catch {
            throw Problem.unprocessable("the payload could not be signed: \(String(describing: error).prefix(200))", slug: "signing-failed")
        }
        return (existed ? .ok : .created, try Self.json(record, tenantID: caller.tenantID))
    }

    func show(_ context: CofferRequestContext) throws -> Response {
        let (services, _, caller) = try gate.open(context, .read)
        let record = try Self.find(try context.parameters.require("id"), services: services, caller: caller)
        return .json(try Self.json(record, tenantID: caller.tenantID))
    }

    func approve(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        return try await gate.post(request, context, .approve, idempotent: idempotent) { body, services, unlocked, caller in
            try approve(body, id: id, services: services, unlocked: unlocked, caller: caller)
        }
    }

    /// The synchronous part of `approve`: check the request and the signature, re-evaluate, maybe sign.
    func approve(_ body: [UInt8], id: String, services: VaultServices, unlocked: UnlockedVault, caller: Principal) throws -> (HTTPResponse.Status, JSONValue) {
        let input = try JSONInput(body, allowed: Self.approvalFields)
        let approver = try input.requiredString("approver_id")
        guard let signature = try? Hex.decode(try input.requiredString("signature")), signature.count == 64 else {
            throw Problem.badRequest("signature must be 128 hex digits: the approver's ed25519 signature over approval_message")
        }
        let record = try Self.find(id, services: services, caller: caller)
        guard record.status == .pendingApproval || record.status == .approved else {
            throw Problem.conflict("signing request \"\(id)\" is \(record.status.rawValue); approvals are taken only while it waits for them",
                                   slug: "not-awaiting-approval")
        }
        let service = SigningService(vault: unlocked.vault, store: services.signing, signers: services.signers)
        do {
            return (.ok, try Self.json(try service.approve(requestID: record.id, approverID: approver, signature: signature, unlocked: unlocked),
                                       tenantID: caller.tenantID))
        } catch let error as PolicyError {
            throw Problem.unprocessable(error.description.replacingOccurrences(of: "\(caller.tenantID):", with: ""), slug: "approval-refused")
        } catch let error as VaultError {
            throw VaultRouteSupport.problem(error)
        } catch {
            throw Problem.unprocessable("the payload could not be signed: \(String(describing: error).prefix(200))", slug: "signing-failed")
        }
    }

    /// The caller's request by its own id, or 404 (also for any other tenant's).
    static func find(_ id: String, services: VaultServices, caller: Principal) throws -> SigningRequestRecord {
        guard id.count <= maximumIDLength, let record = try services.signing.request("\(caller.tenantID):\(id)") else {
            throw Problem.notFound("no signing request \"\(id.prefix(70))\"")
        }
        return record
    }

    static func json(_ record: SigningRequestRecord, tenantID: String) throws -> JSONValue {
        let prefix = "\(tenantID):"
        let id = record.id.hasPrefix(prefix) ? String(record.id.dropFirst(prefix.count)) : record.id
        let hash = try Hex.decode(record.requestHash)
        var fields: [(String, JSONValue)] = [
            ("id", .string(id)), ("hash", .string(record.requestHash)),
            ("approval_message", .string(String(decoding: ApprovalMessage.bytes(requestHash: hash), as: UTF8.self))),
            ("wallet", .string(record.walletID)),
        ]
        if let document = try? SigningRequestDocument(json: Array(record.document.utf8)) {
            let intent = document.intent
            fields.append(("intent", .object([
                ("chain", .string(intent.chain)), ("destination", .string(intent.destination)), ("asset", .string(intent.asset)),
                ("amount", .string(String(intent.amount))), ("fee", .string(String(intent.fee))),
                ("token_contract", document.tokenContract.map(JSONValue.string) ?? .null),
            ])))
        }
        fields += [
            ("status", .string(record.status.rawValue)), ("outcome", .string(record.decision.outcome.rawValue)),
            ("rule", .string(record.decision.rule)), ("reason", .string(record.decision.reason)),
            ("approvals_required", .int(Int64(record.decision.approvalsRequired))),
            ("approvals_received", .int(Int64(record.decision.approvalsReceived))),
            ("result", record.result.map { result in .object(result.fields.map { ($0.key, .string($0.value)) }) } ?? .null),
        ]
        return .object(fields)
    }
}
