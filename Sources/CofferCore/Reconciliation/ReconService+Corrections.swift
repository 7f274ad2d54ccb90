public import CofferBase
import CofferStorage
import Crypto
import Foundation
import Ledger
public import Reconciliation
import Tenancy
import Vault
import WalletCore

/// A correction as proposed: which exception it settles and the ledger transfer that does it
/// (a JSON line like `coffer ledger transfer` reads), or the posted transfer to reverse.
public struct CorrectionDraft: Codable, Sendable, Equatable {
    public let exception: String
    public let transfer: String?
    public let reverse: String?
    /// The reversing transfer's id (with `reverse`).
    public let transferID: String?
    public let reason: String

    public init(exception: String, transfer: String? = nil, reverse: String? = nil, transferID: String? = nil, reason: String) {
        self.exception = exception
        self.transfer = transfer
        self.reverse = reverse
        self.transferID = transferID
        self.reason = reason
    }
}

/// A correction and where it stands.
public struct CorrectionView: Encodable, Sendable {
    public let id: String
    public let exception: String
    public let kind: String
    public let transfer: JSONValue
    public let reason: String
    /// What both approvers sign: `coffer-correction-v1:` and the document's SHA-256.
    public let approvalMessage: String
    public let proposer: String
    public let status: String
    public let approver: String?
    public let result: String?
    public let proposedAt: String
    public let decidedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, exception, kind, transfer, reason, proposer, status, approver, result
        case approvalMessage = "approval_message", proposedAt = "proposed_at", decidedAt = "decided_at"
    }

    init(_ stored: StoredCorrection) {
        id = String(stored.id)
        exception = stored.exception
        kind = stored.kind
        transfer = (try? JSONValue(parsing: stored.transfer)) ?? .null
        reason = stored.reason
        approvalMessage = ReconService.approvalMessage(hash: stored.hash)
        proposer = stored.proposer
        status = stored.status.rawValue
        approver = stored.approver
        result = stored.result
        proposedAt = ReconService.timeText(stored.proposedAt)
        decidedAt = stored.decidedAt.map(ReconService.timeText)
    }
}

/// Corrections: an operator proposes an adjusting or reversing ledger transfer for an exception;
/// it is posted only when a second, different approver approved it. Both are registered
/// approvers (`coffer approver add`) who sign the correction's document with their ed25519 keys,
/// so the two-person rule holds whichever door they use and whoever runs the process. Every step
/// is in the audit log, in the transaction that makes it; the posting is in the ledger commit
/// itself, and the transfer's id makes it exactly once.
extension ReconService {
    static func approvalMessage(hash: String) -> String { "coffer-correction-v1:" + hash }

    static func timeText(_ seconds: Int64) -> String {
        ReconTime.text(seconds)
    }

    /// The transfer a draft posts, its canonical JSON and the document's hash.
    func document(_ draft: CorrectionDraft, by caller: Caller) async throws -> (kind: String, transfer: Transfer, json: String, hash: String) {
        let names = LedgerNames(caller)
        _ = try await exception(draft.exception, by: caller)
        let reason = draft.reason.trimmingCharacters(in: .whitespaces)
        guard (1...500).contains(reason.utf8.count) else { throw ServiceError.invalid("reason: say why, in 1-500 bytes") }
        let kind: String, transfer: Transfer
        switch (draft.transfer, draft.reverse) {
        case (let text?, nil):
            guard draft.transferID == nil else { throw ServiceError.invalid("transfer_id is for reversals; an adjusting transfer carries its own id") }
            do { transfer = try TransferJSON.decode(Array(text.utf8)) } catch { throw ServiceError.invalid("transfer: \(error.description)") }
            guard transfer.flags.isEmpty, transfer.debitAccountID != nil, transfer.creditAccountID != nil, transfer.amount > 0, transfer.asset != nil else {
                throw ServiceError.invalid("transfer: a correction is a plain transfer with debit, credit, asset and a positive amount")
            }
            kind = "adjust"
        case (nil, let original?):
            guard let id = draft.transferID else { throw ServiceError.invalid("transfer_id: a reversal needs the id of the reversing transfer") }
            let stored = try names.id(original, field: "reverse")
            guard let posted = try await ledger.transfer(stored), !posted.request.flags.contains(.pending), !posted.request.flags.contains(.voidPending) else {
                throw ServiceError.notFound("no posted transfer \(original.prefix(64)) to reverse", code: "transfer-not-found")
            }
            transfer = Transfer(id: try LedgerID(validating: id, field: "transfer_id"), debitAccountID: LedgerID(names.local(posted.creditAccountID)),
                                creditAccountID: LedgerID(names.local(posted.debitAccountID)), amount: posted.amount, asset: names.localAsset(posted.asset),
                                reference: "reversal:" + original, metadata: "correction of \(draft.exception)")
            kind = "reverse"
        default:
            throw ServiceError.invalid("give either transfer (an adjusting transfer) or reverse (a posted transfer's id)")
        }
        let object: JSONValue = .object([
            ("amount", .string(String(transfer.amount))), ("asset", .string(transfer.asset ?? "")),
            ("credit", .string(transfer.creditAccountID?.value ?? "")), ("debit", .string(transfer.debitAccountID?.value ?? "")),
            ("id", .string(transfer.id.value)), ("metadata", .string(transfer.metadata)), ("reference", .string(transfer.reference)),
        ])
        let json = try CanonicalJSON.text(object)
        let documentText = try CanonicalJSON.text(.object([
            ("exception", .string(draft.exception)), ("kind", .string(kind)), ("reason", .string(reason)), ("transfer", object),
        ]))
        let hash = Hex.encode(Array(SHA256.hash(data: Array(documentText.utf8))))
        return (kind, transfer, json, hash)
    }

    /// The message a proposer signs for `draft` (validated now).
    public func correctionMessage(_ draft: CorrectionDraft, by caller: Caller) async throws -> String {
        try caller.require(.write)
        return Self.approvalMessage(hash: try await document(draft, by: caller).hash)
    }

    /// Checks that `approverID` is registered and signed `message`.
    func verify(approver approverID: String, signature: String, message: String) async throws {
        guard let approver = try await signing.approvers().first(where: { $0.id == approverID }) else {
            throw ServiceError(.forbidden, "approver-unknown", "approver \(approverID.prefix(40)) is not registered (coffer approver add)")
        }
        guard let bytes = try? Hex.decode(signature), bytes.count == 64, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: approver.publicKey),
              key.isValidSignature(bytes, for: Array(message.utf8)) else {
            throw ServiceError(.forbidden, "signature-invalid", "the signature is not approver \(approverID.prefix(40))'s over this correction")
        }
    }

    /// Proposes a correction signed by a registered approver.
    public func proposeCorrection(_ draft: CorrectionDraft, approver: String, signature: String, by caller: Caller) async throws -> CorrectionView {
        try caller.require(.write)
        let (kind, _, json, hash) = try await document(draft, by: caller)
        try await verify(approver: approver, signature: signature, message: Self.approvalMessage(hash: hash))
        let scope = Self.scope(caller), time = clock(), actor = caller.actor, reason = draft.reason.trimmingCharacters(in: .whitespaces)
        let audit = VaultClock.format(Date())
        let id = try await store.propose(scope: scope, exception: draft.exception, kind: kind, transfer: json,
                                         transferID: (try? JSONValue(parsing: json))?["id"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "",
                                         reason: reason, hash: hash, proposer: approver, proposedBy: actor, at: time) { connection, id in
            try AuditLog.append(AuditEvent(actor: actor, action: "recon.correction.propose", subject: "correction:\(scope)/\(id)", outcome: "ok",
                                           detail: "exception=\(draft.exception) kind=\(kind) approver=\(approver) hash=\(hash)"), at: audit, on: connection)
        }
        return try await correction(String(id), by: caller)
    }

    public func correction(_ id: String, by caller: Caller) async throws -> CorrectionView {
        CorrectionView(try await stored(id, by: caller))
    }

    func stored(_ id: String, by caller: Caller) async throws -> StoredCorrection {
        try caller.require(.read)
        guard let number = Int64(id), number > 0, let stored = try await store.correction(scope: Self.scope(caller), id: number) else {
            throw ServiceError.notFound("no correction \(id.prefix(30))", code: "correction-not-found")
        }
        return stored
    }

    public func corrections(exception: String?, by caller: Caller) async throws -> [CorrectionView] {
        try caller.require(.read)
        return try await store.corrections(scope: Self.scope(caller), exception: exception).map(CorrectionView.init)
    }

    /// Approves a proposed correction as a second approver and posts its transfer: the status,
    /// the ledger's answer and the audit record commit with the transfer, or none of them do.
    public func approveCorrection(_ id: String, approver: String, signature: String, by caller: Caller) async throws -> CorrectionView {
        try caller.require(.write)
        let correction = try await stored(id, by: caller)
        try await verify(approver: approver, signature: signature, message: Self.approvalMessage(hash: correction.hash))
        guard approver != correction.proposer else {
            throw ServiceError(.forbidden, "second-approver-required",
                               "correction \(id) was proposed by approver \(approver); a second, different approver must approve it")
        }
        guard correction.status == .proposed else {
            throw ServiceError(.conflict, "correction-decided", "correction \(id) is already \(correction.status.rawValue)")
        }
        let transfer: Transfer
        do { transfer = try TransferJSON.decode(Array(correction.transfer.utf8)) } catch { throw StorageError.corrupt("correction \(id)'s transfer is unreadable") }
        let scope = Self.scope(caller), time = clock(), actor = caller.actor, audit = VaultClock.format(Date()), number = correction.id
        _ = try await ledgerService.submit([transfer], by: caller) { outcomes, connection in
            guard let outcome = outcomes.first else { return }
            let posted = outcome.result == TransferResult.created.rawValue || outcome.result == TransferResult.exists.rawValue
            guard try ReconStore.decide(scope: scope, id: number, status: posted ? .posted : .failed, approver: approver, decidedBy: actor, at: time,
                                        result: outcome.result, on: connection) else { return }
            try AuditLog.append(AuditEvent(actor: actor, action: "recon.correction.approve", subject: "correction:\(scope)/\(number)",
                                           outcome: posted ? "ok" : "failed",
                                           detail: "approver=\(approver) transfer=\(transfer.id.value) result=\(outcome.result)"), at: audit, on: connection)
        }
        return try await self.correction(id, by: caller)
    }

    /// Rejects a proposed correction (any registered approver, the proposer included: a withdrawal).
    public func rejectCorrection(_ id: String, approver: String, signature: String, by caller: Caller) async throws -> CorrectionView {
        try caller.require(.write)
        let correction = try await stored(id, by: caller)
        try await verify(approver: approver, signature: signature, message: Self.approvalMessage(hash: correction.hash))
        let scope = Self.scope(caller), time = clock(), actor = caller.actor, audit = VaultClock.format(Date()), number = correction.id
        let decided = try await store.database.write { connection in
            guard try ReconStore.decide(scope: scope, id: number, status: .rejected, approver: approver, decidedBy: actor, at: time, result: nil,
                                        on: connection) else { return false }
            try AuditLog.append(AuditEvent(actor: actor, action: "recon.correction.reject", subject: "correction:\(scope)/\(number)", outcome: "ok",
                                           detail: "approver=\(approver)"), at: audit, on: connection)
            return true
        }
        guard decided else { throw ServiceError(.conflict, "correction-decided", "correction \(id) was already decided") }
        return try await self.correction(id, by: caller)
    }

    /// An exception of one of the caller's runs, by its id `<run>-<n>`.
    func exception(_ id: String, by caller: Caller) async throws -> StoredException {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let position = Int(parts[1]), position > 0 else {
            throw ServiceError.notFound("no exception \(id.prefix(40)): exception ids are <run>-<n>", code: "exception-not-found")
        }
        let run = try await record(String(parts[0]), by: caller)
        guard let found = try await store.exceptions(run: run.id, after: position - 1, limit: 1).first, found.position == position else {
            throw ServiceError.notFound("no exception \(id.prefix(40))", code: "exception-not-found")
        }
        return found
    }
}
