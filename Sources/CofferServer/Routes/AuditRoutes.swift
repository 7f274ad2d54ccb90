import Foundation
import Hummingbird
import Vault
import WalletCore

/// /v1/audit: the vault's tamper-evident audit log as one tenant may see it (records about its
/// wallets and signing requests, and its own API keys' actions), and a check of the whole chain.
/// The chain is shared by every tenant and the operator, so `verify` walks all of it but returns
/// only whether it is intact, where it breaks, and its head hash. Admin only.
struct AuditRoutes: Sendable {
    let gate: VaultGate

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.get("audit") { request, context in try await Blocking.run { try list(request, context) } }
        router.get("audit/verify") { _, context in try await Blocking.run { try verify(context) } }
    }

    func list(_ request: Request, _ context: CofferRequestContext) throws -> Response {
        let (services, _, caller) = try gate.open(context, .admin)
        try VaultRouteSupport.onlyQuery(request, ["limit", "cursor"])
        let (limit, after) = try VaultRouteSupport.page(request)
        let requestPrefix = "\(caller.tenantID):"
        let selection = AuditSelection(
            subjects: try services.wallets.walletIDs(tenantID: caller.tenantID), subjectPrefix: requestPrefix,
            actorPrefix: "api:\(caller.tenantID)/")
        let records = try services.vault.auditRecords(after: after ?? 0, limit: limit, selecting: selection)
        let rows: [JSONValue] = records.map { record in
            .object([
                ("seq", .int(record.seq)), ("time", .string(record.recordedAt)), ("actor", .string(record.actor)),
                ("action", .string(record.action)),
                ("subject", .string(record.subject.hasPrefix(requestPrefix) ? String(record.subject.dropFirst(requestPrefix.count)) : record.subject)),
                ("request_hash", .string(record.requestHash)), ("outcome", .string(record.outcome)), ("detail", .string(record.detail)),
                ("prev_hash", .string(Hex.encode(record.previousHash))), ("hash", .string(Hex.encode(record.hash))),
            ])
        }
        return .json(VaultRouteSupport.envelope(rows, lastSeq: records.last?.seq, limit: limit))
    }

    func verify(_ context: CofferRequestContext) throws -> Response {
        let (services, _, _) = try gate.open(context, .admin)
        switch AuditChain.verify(try services.vault.auditRecords()) {
        case .intact(let count, let head):
            return .json(.object([("intact", .bool(true)), ("records", .int(Int64(count))), ("head_hash", .string(Hex.encode(head)))]))
        case .broken(let seq, let reason):
            return .json(.object([("intact", .bool(false)), ("broken_at", .int(seq)), ("reason", .string(reason))]))
        }
    }
}
