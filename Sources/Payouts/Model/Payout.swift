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
    /// A customer's payout, or one of Coffer's own movements (a sweep, a gas top-up).
    public let kind: PayoutKind
    /// The address that pays, when not the hot wallet's (an EVM sweep pays from a deposit address).
    public let source: PayoutSource?
    /// Why this chain: the fee/speed routing's choice among the asset's routes, as recorded.
    public let route: String?
    /// A sweep's limits: it waits while the network asks more than this fee rate (satoshis per
    /// 1,000 vB, or wei per gas), and spends at most this many deposit outputs.
    public let sweepLimits: SweepLimits?

    public init(id: String, scope: String, chain: String, account: String, destination: String, asset: String, token: String, amount: UInt128,
                feeHold: UInt128, status: PayoutStatus, reason: String?, batchID: String?, transactionID: String?, fee: UInt128?,
                confirmations: UInt64, blockHeight: UInt64?, transferID: String, createdAt: Int64, updatedAt: Int64,
                kind: PayoutKind = .payout, source: PayoutSource? = nil, route: String? = nil, sweepLimits: SweepLimits? = nil) {
        self.kind = kind
        self.sweepLimits = sweepLimits
        self.source = source
        self.route = route
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

/// What a payout is for. A sweep or a top-up moves Coffer's own coins between its addresses: no
/// customer's amount is held or posted, only the network fee (from the chain's treasury).
public enum PayoutKind: String, Sendable, Equatable, CaseIterable {
    case payout
    /// Deposit addresses consolidated into the hot wallet.
    case sweep
    /// Native coin sent to a deposit address so it can pay the gas of its token sweep.
    case topUp = "top-up"

    /// Whether the amount is a customer's (held, then posted).
    public var holdsAmount: Bool { self == .payout }
}

/// When a sweep runs and how much it takes at once.
public struct SweepLimits: Sendable, Equatable {
    /// Satoshis per 1,000 vB (Bitcoin-like) or wei per gas (EVM).
    public let maximumFeeRate: UInt64
    public let maximumInputs: Int

    public init(maximumFeeRate: UInt64, maximumInputs: Int) {
        self.maximumFeeRate = maximumFeeRate
        self.maximumInputs = maximumInputs
    }
}

/// An address of a vault wallet that pays a payout in place of the hot wallet.
public struct PayoutSource: Sendable, Equatable {
    public let address: String
    public let path: String

    public init(address: String, path: String) {
        self.address = address
        self.path = path
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
