import Tenancy
public import CofferBase
import Vault
import WalletCore
public import Wallets

/// One record of the tamper-evident audit log.
public struct AuditRecordView: Codable, Sendable, Equatable {
    public let seq: Int64
    public let time: String
    public let actor: String
    public let action: String
    public let subject: String
    public let requestHash: String
    public let outcome: String
    public let detail: String
    public let previousHash: String
    public let hash: String

    enum CodingKeys: String, CodingKey {
        case seq, time, actor, action, subject, requestHash = "request_hash", outcome, detail, previousHash = "prev_hash", hash
    }
}

/// Whether the audit chain is intact: its length and head, or the first record that breaks it.
public struct AuditVerificationView: Codable, Sendable, Equatable {
    public let intact: Bool
    public let records: Int?
    public let headHash: String?
    public let brokenAt: Int64?
    public let reason: String?

    enum CodingKeys: String, CodingKey { case intact, records, headHash = "head_hash", brokenAt = "broken_at", reason }
}

/// The audit log as a caller may see it: a tenant sees the records about its wallets and signing
/// requests and its own keys' actions; the operator sees everything. The chain is shared, so
/// `verify` walks all of it but reports only whether it is intact, where it breaks and its head.
public struct AuditService: Sendable {
    public let vault: VaultAccess
    public let directory: WalletDirectory

    public init(vault: VaultAccess, directory: WalletDirectory) {
        self.vault = vault
        self.directory = directory
    }

    public static let maximumPage = 1_000

    public func records(page: PageRequest, by caller: Caller) async throws -> Page<AuditRecordView> {
        try caller.require(.admin)
        let selection: AuditSelection
        if let tenant = caller.tenant {
            // Signing requests of tenants were stored as `<tenant>:<id>` before the one scoping rule.
            selection = AuditSelection(
                subjects: try await directory.walletIDs(tenantID: tenant.tenantID), subjectPrefixes: [tenant.prefix, "\(tenant.tenantID):"],
                actorPrefix: "api:\(tenant.tenantID)/")
        } else {
            selection = AuditSelection(subjects: [], subjectPrefixes: [""], actorPrefix: "")
        }
        let records = try await vault.vault.auditRecords(after: Int64(clamping: page.after?.position ?? 0), limit: page.limit + 1, selecting: selection)
        let views = records.map { record in
            AuditRecordView(
                seq: record.seq, time: record.recordedAt, actor: record.actor, action: record.action, subject: Self.local(record.subject, caller),
                requestHash: record.requestHash, outcome: record.outcome, detail: record.detail, previousHash: Hex.encode(record.previousHash),
                hash: Hex.encode(record.hash))
        }
        return Page.keyset(views, limit: page.limit) { PageCursor(position: UInt64(clamping: $0.seq)) }
    }

    /// A subject as the caller names it: a tenant's own request ids without its scope.
    static func local(_ subject: String, _ caller: Caller) -> String {
        guard let tenant = caller.tenant else { return subject }
        if let local = tenant.local(subject) { return local }
        let legacy = "\(tenant.tenantID):"
        return subject.hasPrefix(legacy) ? String(subject.dropFirst(legacy.count)) : subject
    }

    public func verify(by caller: Caller) async throws -> AuditVerificationView {
        try caller.require(.admin)
        switch AuditChain.verify(try await vault.vault.auditRecords()) {
        case .intact(let count, let head):
            return AuditVerificationView(intact: true, records: count, headHash: Hex.encode(head), brokenAt: nil, reason: nil)
        case .broken(let seq, let reason):
            return AuditVerificationView(intact: false, records: nil, headHash: nil, brokenAt: seq, reason: reason)
        }
    }
}
