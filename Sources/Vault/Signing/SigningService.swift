import CofferBase
import Crypto
public import Foundation
import WalletCore

/// Signing behind the policy: checks that the payload does what the intent says, evaluates the
/// policy before any key is touched, collects approvals, and signs an approved request exactly
/// once. Every decision, approval and signature is audited.
public struct SigningService: Sendable {
    public let vault: Vault
    public let store: SigningStore
    private let signers: [String: any PayloadSigner]
    private let now: @Sendable () -> Date

    public init(vault: Vault, store: SigningStore, signers: [any PayloadSigner], now: @escaping @Sendable () -> Date = Date.init) {
        self.vault = vault
        self.store = store
        self.signers = Dictionary(signers.map { ($0.payloadType, $0) }, uniquingKeysWith: { first, _ in first })
        self.now = now
    }

    private var time: String { VaultClock.format(now()) }
    private var unixNow: Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }

    /// Submits a request (idempotent by id). With `unlocked`, an allowed request is signed at once.
    public func submit(_ document: SigningRequestDocument, unlocked: UnlockedVault?) async throws -> SigningRequestRecord {
        if let existing = try await store.request(document.id) {
            guard existing.requestHash == document.hashHex else {
                throw PolicyError(.conflict, "signing-request-id-reused", "request id \"\(document.id)\" was already used for a different request; use a new id")
            }
            return try await signIfApproved(existing, unlocked: unlocked)
        }
        guard let wallet = try await vault.store.wallet(document.intent.wallet) else { throw VaultError.walletNotFound(document.intent.wallet) }
        // Before anything is stored or evaluated: no policy can make a public key sign.
        guard wallet.kind != .watchOnly else { throw VaultError.watchOnly(wallet.name) }
        let payload = document.payload
        guard let signer = signers[payload.type] else {
            throw PolicyError("payload type \"\(payload.type)\" is not supported; supported: \(signers.keys.sorted().joined(separator: ", "))")
        }
        guard signer.chain == document.intent.chain else {
            throw PolicyError("payload type \(payload.type) is for \(signer.chain), but the intent says \(document.intent.chain)")
        }
        let decoded = try await decode(payload, with: signer, walletID: wallet.id, unlocked: unlocked)
        let decision: PolicyDecision
        if let refused = try mismatch(decoded, document) {
            decision = refused
        } else {
            decision = try await evaluate(document, walletID: wallet.id, walletName: wallet.name, approvers: [])
        }
        var record = SigningRequestRecord(
            id: document.id, requestHash: document.hashHex, document: String(decoding: document.canonicalJSON, as: UTF8.self),
            walletID: wallet.id, status: Self.status(for: decision), decision: decision, result: nil)
        // A batch spends its total: that is what rolling limits count next time.
        record = try await store.insert(record, asset: document.intent.asset, amount: document.intent.total,
                                  audit: decisionEvent(document.id, document.hashHex, decision), at: time)
        // The record may be another submitter's of the same id (insert returns it): then its own document is signed.
        return try await signIfApproved(record, document: record.requestHash == document.hashHex ? document : nil, unlocked: unlocked)
    }

    /// Records an approver's ed25519 signature over the request hash, then re-evaluates.
    public func approve(requestID: String, approverID: String, signature: [UInt8], unlocked: UnlockedVault?) async throws -> SigningRequestRecord {
        guard let record = try await store.request(requestID) else { throw PolicyError(.notFound, "signing-request-not-found", "no signing request \"\(requestID)\"") }
        guard record.status == .pendingApproval || record.status == .approved else {
            throw PolicyError(.conflict, "not-awaiting-approval", "the request is \(record.status.rawValue); approvals are only taken while it waits for them")
        }
        guard let approver = try await store.approvers().first(where: { $0.id == approverID }) else {
            throw PolicyError(.rejected, "approval-refused", "\"\(approverID)\" is not a registered approver")
        }
        let message = ApprovalMessage.bytes(requestHash: try Hex.decode(record.requestHash))
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: approver.publicKey),
              signature.count == 64, key.isValidSignature(signature, for: message)
        else {
            try await vault.store.appendAudit(AuditEvent(actor: approverID, action: "sign.approval", subject: requestID, requestHash: record.requestHash,
                                                   outcome: "rejected", detail: "signature does not verify for this request"), at: time)
            throw PolicyError(.rejected, "approval-refused", "the approval signature of \"\(approverID)\" does not verify for this request (wrong key, or signed a different request)")
        }
        let (_, approvers) = try await store.addApproval(
            requestID: requestID, approverID: approverID, signature: signature,
            audit: AuditEvent(actor: approverID, action: "sign.approval", subject: requestID, requestHash: record.requestHash, outcome: "accepted"),
            at: time)
        return try await reevaluate(record, approvers: approvers, unlocked: unlocked)
    }

    /// Re-checks a waiting or approved request (e.g. after approvals) and signs it if allowed.
    func reevaluate(_ record: SigningRequestRecord, approvers: Set<String>, unlocked: UnlockedVault?) async throws -> SigningRequestRecord {
        let document = try SigningRequestDocument(json: Array(record.document.utf8))
        let walletName = try await vault.store.wallet(record.walletID)?.name ?? record.walletID
        let decision = try await evaluate(document, walletID: record.walletID, walletName: walletName, approvers: approvers)
        let status = Self.status(for: decision)
        if status != record.status || decision != record.decision {
            try await store.updateDecision(id: record.id, status: status, decision: decision,
                                     audit: decisionEvent(record.id, record.requestHash, decision), at: time)
        }
        guard let updated = try await store.request(record.id) else { throw PolicyError(.internal, "internal", "request \"\(record.id)\" vanished") }
        return try await signIfApproved(updated, unlocked: unlocked)
    }

    /// `document` is the record's own (the same request hash), when the caller holds it; nil
    /// parses it from the record.
    private func signIfApproved(_ record: SigningRequestRecord, document given: SigningRequestDocument? = nil, unlocked: UnlockedVault?) async throws
        -> SigningRequestRecord
    {
        guard record.status == .approved, let unlocked else { return record }
        let document = try given ?? SigningRequestDocument(json: Array(record.document.utf8))
        guard let signer = signers[document.payload.type] else { return record }
        let result = try await unlocked.withSecret(of: record.walletID) { secret, _ in try Self.sign(document.payload, with: signer, secret: secret) }
        _ = try await store.markSigned(
            id: record.id, result: result, now: unixNow,
            audit: AuditEvent(actor: vault.actor, action: "sign.signature", subject: record.id, requestHash: record.requestHash,
                              outcome: "signed", detail: result.transactionHash ?? ""),
            at: time)
        return (try await store.request(record.id)) ?? record
    }

    /// Decodes `payload` with its signer. A decoder that must recognise the wallet's own outputs
    /// gets the wallet's public keys, computed inside the vault (no signature is made); with the
    /// vault locked it gets none and proves no output to be change.
    private func decode<Signer: PayloadSigner>(
        _ payload: SigningPayload, with signer: Signer, walletID: String, unlocked: UnlockedVault?
    ) async throws -> DecodedPayload {
        guard let typed = Signer.Payload(payload) else {
            throw PolicyError("payload type \(payload.type) is not the one its signer reads (\(signer.payloadType))")
        }
        var keys: WalletPublicKeys?
        if let unlocked, let origins = signer.walletKeyOrigins(for: typed) {
            keys = try await unlocked.publicKeys(of: walletID, at: origins)
        }
        do { return try signer.decode(typed, walletKeys: keys) } catch { throw PolicyError("payload: \(error)") }
    }

    private static func sign<Signer: PayloadSigner>(_ payload: SigningPayload, with signer: Signer, secret: WalletSecret) throws -> SigningResult {
        guard let typed = Signer.Payload(payload) else {
            throw PolicyError("payload type \(payload.type) is not the one its signer reads (\(signer.payloadType))")
        }
        return try signer.sign(typed, secret: secret)
    }

    private func evaluate(_ document: SigningRequestDocument, walletID: String, walletName: String, approvers: Set<String>) async throws -> PolicyDecision {
        guard let (_, text) = try await store.policy(forWallet: walletID) else {
            return PolicyDecision(outcome: .denied, rule: "no-policy", reason: "no signing policy is set; `coffer policy set` first",
                                  approvalsRequired: 0, approvalsReceived: 0)
        }
        let policy = try SigningPolicy(json: Array(text.utf8))
        var spentByKey: [String: UInt128] = [:]
        for (asset, window) in policy.rollingWindows where asset == document.intent.asset {
            spentByKey["\(asset)|\(window.rawValue)"] = try await store.spent(walletID: walletID, asset: asset, since: unixNow - window.seconds)
        }
        let totals = spentByKey
        let context = PolicyContext(now: unixNow, spent: { asset, window in totals["\(asset)|\(window.rawValue)"] ?? 0 }, approvers: approvers)
        return PolicyEvaluator.evaluate(policy, intent: document.intent, walletReferences: [walletID, walletName], context: context)
    }

    /// The intent check: a payload whose payments (besides the wallet's own change) are not the
    /// intent's (for a batch: not the same multiset of destination and amount), that moves
    /// another asset, or that may pay more fee than the intent allows (for the whole
    /// transaction), is denied by rule `intent-mismatch`: a recorded, audited decision.
    private func mismatch(_ decoded: DecodedPayload, _ document: SigningRequestDocument) throws -> PolicyDecision? {
        let intent = document.intent
        func denied(_ reason: String) -> PolicyDecision {
            PolicyDecision(outcome: .denied, rule: "intent-mismatch", reason: reason, approvalsRequired: 0, approvalsReceived: 0)
        }
        let expected = intent.payments
        guard decoded.transfers.count == expected.count else {
            let shown = decoded.transfers.prefix(5).map { "\($0.amount) to \($0.destination)" }.joined(separator: ", ")
            let more = decoded.transfers.count > 5 ? " and \(decoded.transfers.count - 5) more" : ""
            let remarks = decoded.remarks.isEmpty ? "" : " (" + decoded.remarks.joined(separator: "; ") + ")"
            let described = intent.isBatch ? "\(expected.count) (its outputs)" : "exactly one"
            return denied("the payload makes \(decoded.transfers.count) payments besides the wallet's change\(shown.isEmpty ? "" : " (\(shown)\(more))"), but the intent describes \(described)\(remarks)")
        }
        if let reason = Self.unmatchedPayment(decoded.transfers, intent) { return denied(reason) }
        let claimedToken = intent.tokenContract.map { SigningIntent.normalize($0, chain: intent.chain) }
        if let transfer = decoded.transfers.first(where: { $0.tokenContract.map { SigningIntent.normalize($0, chain: intent.chain) } != claimedToken }) {
            return denied("the payload moves \(transfer.tokenContract.map { "token \($0)" } ?? "the native asset"), but the intent says \(intent.tokenContract.map { "token \($0)" } ?? "the native asset")")
        }
        if !decoded.maximumFee.isCovered(by: intent.fee) {
            return denied("the payload may pay a fee of up to \(decoded.maximumFee) \(decoded.feeUnit), but the intent allows at most \(intent.fee) \(decoded.feeUnit)")
        }
        return nil
    }

    /// Why `transfers` (as many as the intent's payments) are not the intent's payments, or nil
    /// when they are. One payment is compared field by field; a batch as a multiset of
    /// (normalised destination, amount), so its order does not matter but every payment counts.
    static func unmatchedPayment(_ transfers: [DecodedTransfer], _ intent: SigningIntent) -> String? {
        let normalize = { (destination: String) in SigningIntent.normalize(destination, chain: intent.chain) }
        guard intent.isBatch else {
            let transfer = transfers[0], payment = intent.payments[0]
            if normalize(transfer.destination) != normalize(payment.destination) {
                return "the payload pays \(transfer.destination), but the intent says \(payment.destination)"
            }
            if transfer.amount != payment.amount {
                return "the payload moves \(transfer.amount), but the intent says \(payment.amount)"
            }
            return nil
        }
        var unpaid: [SigningIntent.Output: Int] = [:]
        for payment in intent.normalizedPayments { unpaid[payment, default: 0] += 1 }
        var extra: DecodedTransfer?
        for transfer in transfers {
            let key = SigningIntent.Output(destination: normalize(transfer.destination), amount: transfer.amount)
            guard let count = unpaid[key] else {
                if extra == nil { extra = transfer }
                continue
            }
            unpaid[key] = count == 1 ? nil : count - 1
        }
        guard let extra else { return nil }
        // As many payments as outputs, one of them not an output: some output is left unpaid.
        let normalized = intent.normalizedPayments
        let index = normalized.firstIndex { unpaid[$0] != nil } ?? 0
        let missing = intent.payments[index]
        return "the payload pays \(extra.amount) to \(extra.destination), which is not among the intent's outputs, and does not pay output \(index) (\(missing.amount) to \(missing.destination))"
    }

    private func decisionEvent(_ id: String, _ hash: String, _ decision: PolicyDecision) -> AuditEvent {
        AuditEvent(actor: vault.actor, action: "sign.decision", subject: id, requestHash: hash, outcome: decision.outcome.rawValue,
                   detail: "\(decision.rule): \(decision.reason)")
    }

    static func status(for decision: PolicyDecision) -> SigningRequestRecord.Status {
        switch decision.outcome {
        case .allowed: .approved
        case .denied: .denied
        case .pendingApproval: .pendingApproval
        }
    }
}
