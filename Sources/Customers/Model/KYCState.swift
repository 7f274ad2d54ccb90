/// Where a customer's identity verification stands. Transitions are few and explicit; each one is
/// audited with its reviewer, reason and document references (never the documents themselves).
public enum KYCState: String, Sendable, CaseIterable, Codable {
    case none, pending, verified, rejected, expired

    /// The states reachable from this one. Submitting documents (→ pending) is possible again
    /// after a rejection or an expiry; a verification expires; nothing returns to `none`.
    public var next: Set<KYCState> {
        switch self {
        case .none: [.pending]
        case .pending: [.verified, .rejected]
        case .verified: [.expired, .pending]
        case .rejected: [.pending]
        case .expired: [.pending, .verified]
        }
    }

    public func canMove(to state: KYCState) -> Bool { next.contains(state) }
}

/// Identity tiers: names and ranks are the operator's data. The four built-in tiers always exist
/// (in this order); an operator may add its own between them with a rank.
public struct CustomerTier: Sendable, Equatable, Codable {
    public let name: String
    /// Higher ranks are trusted more (anonymous 0, restricted 10, verified 20, institutional 30).
    public let rank: Int

    public init(name: String, rank: Int) {
        self.name = name
        self.rank = rank
    }

    public static let anonymous = CustomerTier(name: "anonymous", rank: 0)
    public static let restricted = CustomerTier(name: "restricted", rank: 10)
    public static let verified = CustomerTier(name: "verified", rank: 20)
    public static let institutional = CustomerTier(name: "institutional", rank: 30)
    public static let builtIn: [CustomerTier] = [.anonymous, .restricted, .verified, .institutional]

    /// The tier a KYC state moves a customer to (`KYCTierRule`): verification raises an
    /// anonymous or restricted customer to `verified` (never lowers an institutional one);
    /// a rejection or an expiry takes a verified customer back to `restricted`; submitting
    /// documents lifts an anonymous customer to `restricted`.
    public static func after(_ state: KYCState, current: CustomerTier) -> CustomerTier {
        switch state {
        case .verified: current.rank >= verified.rank ? current : verified
        case .rejected, .expired: current.rank >= verified.rank ? restricted : current
        case .pending: current.rank < restricted.rank ? restricted : current
        case .none: current
        }
    }

    /// Tier names: 1-32 characters from a-z, 0-9, `_` and `-`.
    public static func isValidName(_ name: String) -> Bool {
        (1...32).contains(name.utf8.count) && name.utf8.allSatisfy { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5f || $0 == 0x2d }
    }
}

/// A customer of a tenant: who owns ledger accounts (their `owner`) and deposit addresses, with
/// its tier and KYC state.
public struct Customer: Sendable, Equatable {
    /// The stored id (tenant-scoped).
    public let id: String
    public let scope: String
    public var tier: String
    public var kyc: KYCState
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: String, scope: String, tier: String, kyc: KYCState, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.scope = scope
        self.tier = tier
        self.kyc = kyc
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One audited KYC transition.
public struct KYCEvent: Sendable, Equatable {
    public let customer: String
    public let from: KYCState
    public let to: KYCState
    public let reviewer: String
    public let reason: String
    /// References to documents held elsewhere (ids, never contents).
    public let documents: [String]
    public let at: Int64
    public let tierBefore: String
    public let tierAfter: String

    public init(customer: String, from: KYCState, to: KYCState, reviewer: String, reason: String, documents: [String], at: Int64,
                tierBefore: String, tierAfter: String) {
        self.customer = customer
        self.from = from
        self.to = to
        self.reviewer = reviewer
        self.reason = reason
        self.documents = documents
        self.at = at
        self.tierBefore = tierBefore
        self.tierAfter = tierAfter
    }
}
