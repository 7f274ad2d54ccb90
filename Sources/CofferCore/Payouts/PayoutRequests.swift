/// `coffer chain hot-wallet` / `PUT /v1/chains/{chain}/hot-wallet`: the vault wallet that pays on
/// a chain (the chain is named apart, as the path names it). Fee rates are satoshis per virtual
/// byte (whole numbers).
public struct HotWalletRequest: Codable, Sendable, Equatable {
    public var wallet: String
    /// Used when the node has no fee estimate (default 10 sat/vB).
    public var fallbackFeeRate: UInt64?
    /// Never pay more (default 100 sat/vB); also bounds each payout's default fee hold.
    public var maxFeeRate: UInt64?

    public init(wallet: String, fallbackFeeRate: UInt64? = nil, maxFeeRate: UInt64? = nil) {
        self.wallet = wallet
        self.fallbackFeeRate = fallbackFeeRate
        self.maxFeeRate = maxFeeRate
    }

    enum CodingKeys: String, CodingKey {
        case wallet, fallbackFeeRate = "fallback_fee_rate", maxFeeRate = "max_fee_rate"
    }
}

/// `coffer payout create` / `POST /v1/payouts`. The id is the client's idempotency key: the same
/// id with the same request answers where that payout stands; with a different one, a conflict.
/// `chain` "auto" routes it (see `deadline`).
public struct CreatePayoutRequest: Codable, Sendable, Equatable {
    public var id: String
    public var chain: String
    /// The customer's ledger account that pays.
    public var account: String
    public var to: String
    /// Smallest units, as a decimal string.
    public var amount: String
    /// The chain's native asset (default).
    public var asset: String?
    /// The most network fee this payout may be charged (native smallest units, decimal string);
    /// held with the amount until settlement.
    public var maxFee: String?
    /// With `chain` "auto": the payout must be final within this many seconds; among the chains
    /// that carry `asset` and meet it, the cheapest is chosen (and recorded as the payout's route).
    public var deadline: UInt64?
    /// The customer who starts it (must own `account`): its limits apply whether or not it is
    /// named, since the account's owner decides; naming it makes a mismatch an error.
    public var customer: String?
    /// The circumstances of the request: given, the risk score applies (see `RiskSignalsRequest`).
    public var signals: RiskSignalsRequest?

    public init(id: String, chain: String, account: String, to: String, amount: String, asset: String? = nil, maxFee: String? = nil, deadline: UInt64? = nil,
                customer: String? = nil, signals: RiskSignalsRequest? = nil) {
        self.customer = customer
        self.signals = signals
        self.id = id
        self.chain = chain
        self.account = account
        self.to = to
        self.amount = amount
        self.asset = asset
        self.maxFee = maxFee
        self.deadline = deadline
    }

    enum CodingKeys: String, CodingKey {
        case id, chain, account, to, amount, asset, maxFee = "max_fee", deadline, customer, signals
    }
}

/// The filters of a payout listing; they combine.
public struct PayoutListQuery: Codable, Sendable, Equatable {
    public var status: String?
    public var chain: String?

    public init(status: String? = nil, chain: String? = nil) {
        self.status = status
        self.chain = chain
    }
}
