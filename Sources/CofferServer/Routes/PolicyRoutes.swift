import Foundation
import Hummingbird
import Vault

/// /v1/policies/{wallet}: a wallet's own signing policy (the `coffer policy` JSON, see
/// docs/signing-policy.md). Once set it decides that wallet's signing requests instead of the
/// operator's vault-wide policy; every version is kept and audited. Admin only.
struct PolicyRoutes: Sendable {
    let gate: VaultGate

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.put("policies/:wallet") { request, context in try await put(request, context) }
        router.get("policies/:wallet") { _, context in try await Blocking.run { try show(context) } }
    }

    func put(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        _ = try gate.open(context, .admin)
        let body = try await HTTPBody.collect(request, context)
        return try await Blocking.run { try put(body, context) }
    }

    /// The synchronous part of `put`: validate the policy and store a new version if it changed.
    func put(_ body: [UInt8], _ context: CofferRequestContext) throws -> Response {
        let (services, unlocked, caller) = try gate.open(context, .admin)
        let (wallet, _) = try WalletRoutes.find(try context.parameters.require("wallet"), services: services, caller: caller)
        let policy: SigningPolicy
        do { policy = try SigningPolicy(json: body) } catch { throw Problem.badRequest("\(error)") }
        if let rule = policy.rules.first(where: { !$0.wallets.isEmpty }) {
            throw Problem.badRequest("policy rule \"\(rule.name)\": remove \"wallets\"; a wallet's policy applies to that wallet only")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)),
              let canonical = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            throw Problem.badRequest("the policy is not valid JSON")
        }
        let document = String(decoding: canonical, as: UTF8.self)
        if let current = try services.signing.walletPolicy(walletID: wallet.walletID), current.document == document {
            return .json(Self.json(walletID: wallet.walletID, version: current.version, document: current.document, createdAt: current.createdAt))
        }
        let time = VaultClock.format(Date())
        let version = try services.signing.setWalletPolicy(
            walletID: wallet.walletID, document: document, actor: unlocked.vault.actor,
            audit: AuditEvent(actor: unlocked.vault.actor, action: "policy.set", subject: wallet.walletID, outcome: "ok"), at: time)
        return .json(Self.json(walletID: wallet.walletID, version: version, document: document, createdAt: time))
    }

    func show(_ context: CofferRequestContext) throws -> Response {
        let (services, _, caller) = try gate.open(context, .admin)
        let (wallet, _) = try WalletRoutes.find(try context.parameters.require("wallet"), services: services, caller: caller)
        guard let current = try services.signing.walletPolicy(walletID: wallet.walletID) else {
            throw Problem(.notFound, "no-policy", "No policy", detail: "wallet \(wallet.name) has no policy of its own; set one with PUT /v1/policies/\(wallet.walletID)")
        }
        return .json(Self.json(walletID: wallet.walletID, version: current.version, document: current.document, createdAt: current.createdAt))
    }

    static func json(walletID: String, version: Int, document: String, createdAt: String) -> JSONValue {
        .object([
            ("wallet", .string(walletID)), ("version", .int(Int64(version))),
            ("policy", (try? JSONSerialization.jsonObject(with: Data(document.utf8))).map(VaultRouteSupport.json) ?? .null),
            ("created_at", .string(createdAt)),
        ])
    }
}
