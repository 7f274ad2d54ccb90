/// One payment out of a customer's account to an address on a chain, as the pipeline tracks it.
/// Its id is the client's idempotency key (stored in the tenant's scope, see `TenantScope`).
public struct Payout: Sendable, Equatable {
    public let id: String
    /// The tenant, or "" for the operator's payouts.
    public let scope: String
    public let chain: String
    /// The stored ledger id of the customer's account that pays.
    public let account: String
    public let destination: String
    /// The stored ledger asset code.
    public let asset: String
    /// The token contract for token payouts, "" for the chain's native asset.
    public let token: String
    /// Smallest units of `asset`.
    public let amount: UInt128
    /// The most network fee this payout may be charged (native smallest units): held on the
    /// customer's account with the amount until settlement.
    public let feeHold: UInt128
    public let status: PayoutStatus
    /// Why it was rejected, failed or compensated.
    public let reason: String?
    public let batchID: String?
    /// The transaction that paid it (the confirmed one once confirmed).
    public let transactionID: String?
    /// The network fee charged to it: its share of its transaction's fee.
    public let fee: UInt128?
    public let confirmations: UInt64
    public let blockHeight: UInt64?
    /// The pending ledger transfer that holds the amount.
    public let transferID: String
    public let createdAt: Int64
    public let updatedAt: Int64

    public init(id: String, scope: String, chain: String, account: String, destination: String, asset: String, token: String, amount: UInt128,
                feeHold: UInt128, status: PayoutStatus, reason: String?, batchID: String?, transactionID: String?, fee: UInt128?,
                confirmations: UInt64, blockHeight: UInt64?, transferID: String, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.scope = scope
        self.chain = chain
        self.account = account
        self.destination = destination
        self.asset = asset
        self.token = token
        self.amount = amount
        self.feeHold = feeHold
        self.status = status
        self.reason = reason
        self.batchID = batchID
        self.transactionID = transactionID
        self.fee = fee
        self.confirmations = confirmations
        self.blockHeight = blockHeight
        self.transferID = transferID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The ledger transfers of one payout, with ids derived from the payout's id so every step can
/// be repeated after a crash and applies once (the ledger refuses a second transfer of an id).
public struct PayoutTransfers: Sendable, Equatable {
    /// Pending: customer → custody, the amount.
    public let holdAmount: String
    /// Pending: customer → fee account, the fee hold.
    public let holdFee: String
    /// Posts `holdAmount`.
    public let postAmount: String
    /// Posts `holdFee` for the fee actually charged (or voids it when the share is zero).
    public let postFee: String
    /// Fee account → custody: the fee left custody for the network.
    public let feePaid: String
    public let voidAmount: String
    public let voidFee: String

    /// `base` is a short digest of the payout id (`po-<40 hex>`), optionally in a tenant's scope.
    public init(base: String) {
        holdAmount = base + "-ha"
        holdFee = base + "-hf"
        postAmount = base + "-pa"
        postFee = base + "-pf"
        feePaid = base + "-fp"
        voidAmount = base + "-va"
        voidFee = base + "-vf"
    }
}
