public import CofferBase
public import Ledger

/// The four balances of an account, exact, and as displays with the asset's decimals.
public struct BalanceFields: Codable, Sendable, Equatable {
    public let debitsPosted: UInt128
    public let creditsPosted: UInt128
    public let debitsPending: UInt128
    public let creditsPending: UInt128
    public let display: Display

    public struct Display: Codable, Sendable, Equatable {
        public let debitsPosted: String
        public let creditsPosted: String
        public let debitsPending: String
        public let creditsPending: String

        enum CodingKeys: String, CodingKey {
            case debitsPosted = "debits_posted", creditsPosted = "credits_posted", debitsPending = "debits_pending", creditsPending = "credits_pending"
        }
    }

    init(_ balances: AccountBalances, decimals: UInt8) {
        debitsPosted = balances.debitsPosted
        creditsPosted = balances.creditsPosted
        debitsPending = balances.debitsPending
        creditsPending = balances.creditsPending
        display = Display(
            debitsPosted: AmountText.display(balances.debitsPosted, decimals: decimals),
            creditsPosted: AmountText.display(balances.creditsPosted, decimals: decimals),
            debitsPending: AmountText.display(balances.debitsPending, decimals: decimals),
            creditsPending: AmountText.display(balances.creditsPending, decimals: decimals))
    }

    enum CodingKeys: String, CodingKey {
        case debitsPosted = "debits_posted", creditsPosted = "credits_posted", debitsPending = "debits_pending", creditsPending = "credits_pending"
        case display
    }
}

/// An asset as its owner names it.
public struct AssetView: Codable, Sendable, Equatable {
    public let code: String
    public let decimals: UInt8
    public let chain: String?
    public let contract: String?
}

/// An account with its balances now.
public struct AccountView: Codable, Sendable, Equatable {
    public let id: String
    public let asset: String
    public let owner: String
    public let code: UInt16
    public let metadata: String
    public let flags: [String]
    public let createdAt: String
    public let balances: BalanceFields

    enum CodingKeys: String, CodingKey {
        case id, asset, owner, code, metadata, flags, createdAt = "created_at"
    }

    init(id: String, asset: String, owner: String, code: UInt16, metadata: String, flags: [String], createdAt: String, balances: BalanceFields) {
        self.id = id
        self.asset = asset
        self.owner = owner
        self.code = code
        self.metadata = metadata
        self.flags = flags
        self.createdAt = createdAt
        self.balances = balances
    }

    // The balance members sit beside the account's own, as one flat object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(asset, forKey: .asset)
        try container.encode(owner, forKey: .owner)
        try container.encode(code, forKey: .code)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(flags, forKey: .flags)
        try container.encode(createdAt, forKey: .createdAt)
        try balances.encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id), asset: try container.decode(String.self, forKey: .asset),
            owner: try container.decode(String.self, forKey: .owner), code: try container.decode(UInt16.self, forKey: .code),
            metadata: try container.decode(String.self, forKey: .metadata), flags: try container.decode([String].self, forKey: .flags),
            createdAt: try container.decode(String.self, forKey: .createdAt), balances: try BalanceFields(from: decoder))
    }
}

/// An account's balances at a time (`at`, nil for now).
public struct BalancesView: Encodable, Sendable, Equatable {
    public let id: String
    public let asset: String
    public let at: String?
    public let balances: BalanceFields

    enum CodingKeys: String, CodingKey { case id, asset, at }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(asset, forKey: .asset)
        try container.encodeIfPresent(at, forKey: .at)
        try balances.encode(to: encoder)
    }
}

/// An account's balances right after one event that changed them.
public struct HistoryEntryView: Encodable, Sendable, Equatable {
    public let event: String
    public let transferID: String
    public let timestamp: String
    public let balances: BalanceFields

    enum CodingKeys: String, CodingKey { case event, transferID = "transfer_id", timestamp }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event, forKey: .event)
        try container.encode(transferID, forKey: .transferID)
        try container.encode(timestamp, forKey: .timestamp)
        try balances.encode(to: encoder)
    }
}

/// A committed transfer as its owner wrote it, with what the ledger resolved.
public struct TransferView: Codable, Sendable, Equatable {
    public let id: String
    public let debit: String
    public let credit: String
    public let amount: UInt128
    public let displayAmount: String
    public let asset: String
    public let flags: [String]
    public let pendingID: String?
    public let timeout: UInt32
    public let code: UInt16
    public let reference: String
    public let metadata: String
    public let timestamp: String

    enum CodingKeys: String, CodingKey {
        case id, debit, credit, amount, displayAmount = "display_amount", asset, flags, pendingID = "pending_id", timeout, code, reference,
             metadata, timestamp
    }
}

/// What became of one submitted transfer: `created`, `exists`, or the rejection's result code and
/// what to change.
public struct TransferOutcome: Codable, Sendable, Equatable {
    public let id: String
    public let result: String
    public let message: String?

    init(id: String, result: TransferResult) {
        self.id = id
        self.result = result.rawValue
        message = result.isSuccess ? nil : result.message
    }
}

/// The outcomes of a batch, in the order submitted.
public struct BatchResultsView: Codable, Sendable, Equatable {
    public let results: [TransferOutcome]

    public init(results: [TransferOutcome]) { self.results = results }
}

/// Per asset, the sums of debits and credits posted and pending (equal when the ledger is sound).
public struct AssetTotalsView: Codable, Sendable, Equatable {
    public let asset: String
    public let debitsPosted: String
    public let creditsPosted: String
    public let debitsPending: String
    public let creditsPending: String
    public let balanced: Bool

    enum CodingKeys: String, CodingKey {
        case asset, debitsPosted = "debits_posted", creditsPosted = "credits_posted", debitsPending = "debits_pending",
             creditsPending = "credits_pending", balanced
    }
}

/// The totals of every asset the caller can see.
public struct TotalsView: Codable, Sendable, Equatable {
    public let data: [AssetTotalsView]
}

/// The result of recomputing the ledger: intact with its head, or the first discrepancy.
public struct LedgerVerificationView: Codable, Sendable, Equatable {
    public let intact: Bool
    public let batches: Int?
    public let transfers: Int?
    public let headHash: String?
    public let reason: String?

    enum CodingKeys: String, CodingKey { case intact, batches, transfers, headHash = "head_hash", reason }
}

/// A created (or already existing, identical) resource, with `result` beside its members.
public struct Created<Resource: Encodable & Sendable>: Encodable, Sendable {
    public let resource: Resource
    /// True when this request created it; false when an identical one existed.
    public let created: Bool

    public init(_ resource: Resource, created: Bool) {
        self.resource = resource
        self.created = created
    }

    enum CodingKeys: String, CodingKey { case result }

    public func encode(to encoder: any Encoder) throws {
        try resource.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(created ? "created" : "exists", forKey: .result)
    }
}
