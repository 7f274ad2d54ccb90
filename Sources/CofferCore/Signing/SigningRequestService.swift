import Tenancy
public import CofferBase
import Crypto
import Foundation
public import Vault
import WalletCore
public import Wallets

/// Signing behind the policy, as every door offers it: a request (intent + payload) is checked and
/// decided before any key is touched, approvers sign its hash, and the vault signs an approved
/// request exactly once. A tenant's request ids and wallets are its own (`TenantScope`); the
/// operator names the vault's directly. Policies and approvers are managed here too.
public struct SigningRequestService: Sendable {
    public let vault: VaultAccess
    public let store: SigningStore
    public let directory: WalletDirectory
    let signers: [any PayloadSigner]

    public init(vault: VaultAccess, store: SigningStore, directory: WalletDirectory, signers: [any PayloadSigner]) {
        self.vault = vault
        self.store = store
        self.directory = directory
        self.signers = signers
    }


    func engine(_ caller: Caller) -> SigningService {
        SigningService(vault: vault.vault(for: caller), store: store, signers: signers)
    }

    /// Submits a request (idempotent by id: the same id and content returns where it stands, and
    /// signs it if it was approved since). With the vault unlocked, an allowed request is signed at once.
    public func submit(_ body: [UInt8], by caller: Caller) async throws -> (SigningRequestView, created: Bool) {
        try caller.require(.sign)
        let document = try await scoped(body, by: caller)
        let existed = try await store.request(document.id) != nil
        do {
            let record = try await engine(caller).submit(document, unlocked: vault.unlockedIfOpen(for: caller))
            return (try view(record, caller), !existed)
        } catch let error as VaultError {
            throw VaultAccess.translating(error)
        }
    }

    /// The document with the vault's names: a tenant's id in its scope and its wallet by vault id
    /// (so a request can only ever name the caller's own wallets).
    func scoped(_ body: [UInt8], by caller: Caller) async throws -> SigningRequestDocument {
        let submitted = try SigningRequestDocument(json: body)
        guard let tenant = caller.tenant else { return submitted }
        guard !submitted.id.contains("/") else { throw ServiceError.invalid("id must not contain /: it is your own request id") }
        guard let wallet = try await directory.wallet(tenantID: tenant.tenantID, reference: submitted.intent.wallet) else {
            throw ServiceError(.rejected, "unknown-wallet", "intent.wallet \"\(submitted.intent.wallet.prefix(70))\" is not one of your wallets")
        }
        return try submitted.with(id: tenant.scoped(submitted.id), wallet: wallet.walletID)
    }

    /// Where the caller's request stands.
    public func request(_ id: String, by caller: Caller) async throws -> SigningRequestView {
        try caller.require(.read)
        return try view(try await find(id, by: caller), caller)
    }

    func find(_ id: String, by caller: Caller) async throws -> SigningRequestRecord {
        guard !(caller.tenant != nil && id.contains("/")),
              let record = try await store.request(caller.stored(id)) else {
            throw ServiceError.notFound("no signing request \"\(id.prefix(70))\"", code: "signing-request-not-found")
        }
        return record
    }

    /// Records an approver's ed25519 signature (hex) over the request's approval message, then
    /// decides again; an approved request is signed at once when the vault is unlocked.
    public func approve(_ id: String, _ request: ApprovalRequest, by caller: Caller) async throws -> SigningRequestView {
        try caller.require(.approve)
        guard let signature = try? Hex.decode(request.signature), signature.count == 64 else {
            throw ServiceError.invalid("signature must be 128 hex digits: the approver's ed25519 signature over approval_message")
        }
        let record = try await find(id, by: caller)
        guard record.status == .pendingApproval || record.status == .approved else {
            throw ServiceError(.conflict, "not-awaiting-approval",
                               "signing request \"\(id)\" is \(record.status.rawValue); approvals are taken only while it waits for them")
        }
        do {
            let updated = try await engine(caller).approve(
                requestID: record.id, approverID: request.approverID, signature: signature, unlocked: vault.unlockedIfOpen(for: caller))
            return try view(updated, caller)
        } catch let error as VaultError {
            throw VaultAccess.translating(error)
        }
    }

    func view(_ record: SigningRequestRecord, _ caller: Caller) throws -> SigningRequestView {
        let hash = try Hex.decode(record.requestHash)
        let document = try? SigningRequestDocument(json: Array(record.document.utf8))
        return SigningRequestView(
            id: caller.local(record.id) ?? record.id, hash: record.requestHash,
            approvalMessage: String(decoding: ApprovalMessage.bytes(requestHash: hash), as: UTF8.self), wallet: record.walletID,
            intent: document.map { IntentView($0.intent) },
            status: record.status.rawValue, outcome: record.decision.outcome.rawValue, rule: record.decision.rule, reason: record.decision.reason,
            approvalsRequired: record.decision.approvalsRequired, approvalsReceived: record.decision.approvalsReceived,
            result: record.result?.json)
    }

    // MARK: Policies

    /// Sets the signing policy of one of the caller's wallets, or with `wallet` nil (the operator
    /// only) the vault-wide one. A new version is stored and audited only when the document changed.
    public func setPolicy(_ policy: JSONValue, wallet reference: String?, by caller: Caller) async throws -> PolicyView {
        try caller.require(.admin)
        let document = policy.text
        let parsed: SigningPolicy
        do { parsed = try SigningPolicy(json: Array(document.utf8)) } catch { throw ServiceError.invalid(error.description) }
        let time = VaultClock.format(Date())
        guard let reference else {
            guard caller.tenant == nil else { throw ServiceError.invalid("a tenant sets the policy of one of its wallets") }
            let version = try await store.setPolicy(
                document: document, actor: caller.actor,
                audit: AuditEvent(actor: caller.actor, action: "policy.set", subject: "policy", outcome: "ok"), at: time)
            return PolicyView(wallet: nil, version: version, policy: policy, createdAt: time)
        }
        if let rule = parsed.rules.first(where: { !$0.wallets.isEmpty }) {
            throw ServiceError.invalid("policy rule \"\(rule.name)\": remove \"wallets\"; a wallet's policy applies to that wallet only")
        }
        let walletID = try await walletID(reference, by: caller)
        if let current = try await store.walletPolicy(walletID: walletID), current.document == document {
            return PolicyView(wallet: walletID, version: current.version, policy: policy, createdAt: current.createdAt)
        }
        let version = try await store.setWalletPolicy(
            walletID: walletID, document: document, actor: caller.actor,
            audit: AuditEvent(actor: caller.actor, action: "policy.set", subject: walletID, outcome: "ok"), at: time)
        return PolicyView(wallet: walletID, version: version, policy: policy, createdAt: time)
    }

    /// The active policy of one of the caller's wallets (its own), or with `wallet` nil the vault-wide one.
    public func policy(wallet reference: String?, by caller: Caller) async throws -> PolicyView {
        try caller.require(.admin)
        guard let reference else {
            guard let (version, document) = try await store.currentPolicy() else {
                throw ServiceError.notFound("no signing policy is set; every request is denied until one is set", code: "no-policy")
            }
            return PolicyView(wallet: nil, version: version, policy: try JSONValue(parsing: document), createdAt: nil)
        }
        let walletID = try await walletID(reference, by: caller)
        guard let current = try await store.walletPolicy(walletID: walletID) else {
            throw ServiceError.notFound("wallet \(reference) has no policy of its own; set one first", code: "no-policy")
        }
        return PolicyView(wallet: walletID, version: current.version, policy: try JSONValue(parsing: current.document), createdAt: current.createdAt)
    }

    func walletID(_ reference: String, by caller: Caller) async throws -> String {
        if let tenant = caller.tenant {
            guard let owned = try await directory.wallet(tenantID: tenant.tenantID, reference: reference) else {
                throw ServiceError.notFound("no wallet \"\(reference.prefix(70))\"", code: "wallet-not-found")
            }
            return owned.walletID
        }
        guard let stored = try await vault.vault.store.wallet(reference) else {
            throw ServiceError.notFound("no wallet \"\(reference.prefix(70))\"", code: "wallet-not-found")
        }
        return stored.id
    }

    // MARK: Approvers

    /// Registers an approver by id and ed25519 public key (hex); the operator only.
    public func addApprover(id: String, publicKey: String, by caller: Caller) async throws -> ApproverView {
        try caller.require(.admin)
        guard caller.tenant == nil else { throw ServiceError(.forbidden, "operator-only", "only the operator registers approvers") }
        guard (1...64).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw ServiceError.invalid("approver id must be 1-64 letters, digits, - _ .")
        }
        guard let key = try? Hex.decode(publicKey), key.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: key)) != nil else {
            throw ServiceError.invalid("public key must be a 32-byte ed25519 public key as 64 hex digits")
        }
        try await store.addApprover(
            id: id, publicKey: key, audit: AuditEvent(actor: caller.actor, action: "approver.add", subject: id, outcome: "ok", detail: Hex.encode(key)),
            at: VaultClock.format(Date()))
        return ApproverView(id: id, publicKey: Hex.encode(key))
    }

    public func approvers(by caller: Caller) async throws -> [ApproverView] {
        try caller.require(.read)
        return try await store.approvers().map { ApproverView(id: $0.id, publicKey: Hex.encode($0.publicKey)) }
    }
}
