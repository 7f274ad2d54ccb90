/// A chain's hot wallet: where to fund it, and its fee settings (sat/vB).
public struct HotWalletView: Codable, Sendable, Equatable {
    public let chain: String
    public let wallet: String
    public let address: String
    public let feeAccount: String
    public let treasuryAccount: String
    public let fallbackFeeRate: UInt64
    public let maxFeeRate: UInt64

    enum CodingKeys: String, CodingKey {
        case chain, wallet, address, feeAccount = "fee_account", treasuryAccount = "treasury_account", fallbackFeeRate = "fallback_fee_rate",
             maxFeeRate = "max_fee_rate"
    }
}

/// A payout and how far it got. Amounts are in the smallest unit (decimal strings on the wire).
public struct PayoutView: Codable, Sendable, Equatable {
    public let id: String
    public let status: String
    public let reason: String?
    public let chain: String
    public let account: String
    public let to: String
    public let amount: UInt128
    public let asset: String
    /// The most fee it may be charged (held until settlement).
    public let maxFee: UInt128
    public let batchID: String?
    public let txid: String?
    /// Its share of its transaction's fee, once settled.
    public let fee: UInt128?
    public let confirmations: UInt64
    public let blockHeight: UInt64?
    /// The pending ledger transfer that holds the amount.
    public let transferID: String
    /// RFC 3339, as every time the API shows.
    public let createdAt: String
    public let updatedAt: String
    /// payout, sweep or top-up.
    public let kind: String
    /// The route chosen among the chains that carry the asset, when the payout was routed.
    public let route: String?

    enum CodingKeys: String, CodingKey {
        case id, status, reason, chain, account, to, amount, asset, maxFee = "max_fee", batchID = "batch_id", txid, fee, confirmations,
             blockHeight = "block_height", transferID = "transfer_id", createdAt = "created_at", updatedAt = "updated_at", kind, route
    }
}

/// What one pass of the payout worker did, per chain.
public struct PayoutPassView: Codable, Sendable, Equatable {
    public let chain: String
    /// False when another worker held the chain's lease.
    public let ran: Bool
    public let batched: Int
    public let signed: Int
    public let awaitingApproval: Int
    public let broadcast: Int
    public let settled: Int
    public let rejected: Int
    public let compensated: Int
    public let replaced: Int
    public let errors: [String]

    enum CodingKeys: String, CodingKey {
        case chain, ran, batched, signed, awaitingApproval = "awaiting_approval", broadcast, settled, rejected, compensated, replaced, errors
    }
}

/// The payouts a sweep request planned (`POST /v1/sweeps`).
public struct SweepView: Codable, Sendable, Equatable {
    public let items: [PayoutView]

    public init(items: [PayoutView]) { self.items = items }
}
