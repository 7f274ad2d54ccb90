public import CofferBase
public import Vault

/// A signing request and where it stands: its hash and the message approvers sign, the intent,
/// the policy's decision, the approvals, and the signed result once signed.
public struct SigningRequestView: Codable, Sendable, Equatable {
    public let id: String
    public let hash: String
    public let approvalMessage: String
    public let wallet: String
    public let intent: IntentView?
    public let status: String
    public let outcome: String
    public let rule: String
    public let reason: String
    public let approvalsRequired: Int
    public let approvalsReceived: Int
    public let result: JSONValue?

    enum CodingKeys: String, CodingKey {
        case id, hash, approvalMessage = "approval_message", wallet, intent, status, outcome, rule, reason,
             approvalsRequired = "approvals_required", approvalsReceived = "approvals_received", result
    }
}

/// What a signing request claims to do, in either form: one payment (`destination` set,
/// `outputs` null) or a batch (`outputs` set, `destination` null). `amount` is always what the
/// request moves in all: the one payment's amount, or the sum of the batch's outputs.
public struct IntentView: Codable, Sendable, Equatable {
    public let chain: String
    public let destination: String?
    public let asset: String
    public let amount: UInt128
    public let outputs: [OutputView]?
    public let fee: UInt128
    public let tokenContract: String?

    /// One payment of a batch.
    public struct OutputView: Codable, Sendable, Equatable {
        public let destination: String
        public let amount: UInt128
    }

    enum CodingKeys: String, CodingKey { case chain, destination, asset, amount, outputs, fee, tokenContract = "token_contract" }
}

extension IntentView {
    /// The view of `intent` (its wallet is shown by the request).
    public init(_ intent: SigningIntent) {
        self.init(
            chain: intent.chain, destination: intent.destination, asset: intent.asset, amount: intent.total,
            outputs: intent.outputs?.map { OutputView(destination: $0.destination, amount: $0.amount) }, fee: intent.fee,
            tokenContract: intent.tokenContract)
    }
}

/// `POST /v1/signing-requests/{id}/approvals`: an approver's ed25519 signature over the request's
/// approval message.
public struct ApprovalRequest: Codable, Sendable, Equatable {
    public var approverID: String
    public var signature: String

    public init(approverID: String, signature: String) {
        self.approverID = approverID
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey { case approverID = "approver_id", signature }
}

/// A signing policy version: the wallet's own (`wallet`), or the vault-wide one (`wallet` nil).
public struct PolicyView: Codable, Sendable, Equatable {
    public let wallet: String?
    public let version: Int
    public let policy: JSONValue
    public let createdAt: String?

    enum CodingKeys: String, CodingKey { case wallet, version, policy, createdAt = "created_at" }
}

/// A registered approver.
public struct ApproverView: Codable, Sendable, Equatable {
    public let id: String
    public let publicKey: String

    enum CodingKeys: String, CodingKey { case id, publicKey = "public_key" }
}
