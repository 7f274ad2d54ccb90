public import CofferStorage

/// What the payout pipeline asks of a Bitcoin-like node (the edge, over JSON-RPC).
public protocol BitcoinPayoutNode: Sendable {
    /// The best chain's height.
    func tip() async throws -> UInt64
    /// The node's fee estimate for confirmation within `blocks`, in satoshis per 1,000 virtual
    /// bytes, or nil when it has none.
    func feeRate(blocks: Int) async throws -> UInt64?
    /// Sends a signed transaction.
    func send(_ raw: [UInt8]) async throws -> BroadcastResult
    /// Where a transaction is: unknown, in the mempool, or mined (with confirmations).
    func state(of transactionID: String) async throws -> AttemptState
    /// Whether an output is spent in the best chain (mempool spends do not count).
    func isSpentInChain(transactionID: String, index: UInt32) async throws -> Bool
}

/// The node's answer to a broadcast.
public enum BroadcastResult: Sendable, Equatable {
    /// Accepted now, or known already (in the mempool or the chain).
    case accepted
    /// Refused because an input is missing or spent (by the chain or a mempool transaction).
    case conflict(String)
    /// Refused for another reason (fee too low, non-standard...).
    case refused(String)
}

/// The unsigned transaction of a batch, as the builder made it.
public struct BuiltTransaction: Sendable, Equatable {
    /// The PSBT, base64.
    public let unsigned: String
    public let inputs: [SpendableOutput]
    public let fee: UInt128
    public let size: UInt64
    public let change: ChangeOutput?

    public init(unsigned: String, inputs: [SpendableOutput], fee: UInt128, size: UInt64, change: ChangeOutput?) {
        self.unsigned = unsigned
        self.inputs = inputs
        self.fee = fee
        self.size = size
        self.change = change
    }
}

/// A builder's refusal that waiting can cure (too little money in the hot wallet, fees above
/// what the payouts may pay): the payouts stay reserved and are tried again.
public struct BuildDeferred: Error, Sendable, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// Builds a batch's transactions (coin selection and the PSBT) for one chain.
public protocol BatchTransactionBuilder: Sendable {
    /// A transaction paying every payment from `candidates`, change to `change`, at `feeRate`
    /// (satoshis per 1,000 virtual bytes), paying at most `maximumFee`.
    func build(payments: [PaymentOutput], candidates: [SpendableOutput], feeRate: UInt64,
               change: ChangeAddress, maximumFee: UInt128, lockTime: UInt32) throws -> BuiltTransaction
    /// A replacement of `attempt` (same inputs and payments) at `feeRate`, the extra fee taken
    /// from the change; at most `maximumFee`.
    func replace(_ attempt: PayoutAttempt, inputs: [SpendableOutput], feeRate: UInt64, maximumFee: UInt128) throws -> BuiltTransaction
}

/// The vault's answer to a batch's signing request.
public enum SigningOutcome: Sendable, Equatable {
    case signed(raw: [UInt8], transactionID: String)
    case pendingApproval(String)
    case denied(String)
}

/// Signs a batch attempt through the vault's signing request (policy, approvals, audit).
public protocol PayoutSigning: Sendable {
    func sign(_ attempt: PayoutAttempt, chain: String, network: String, walletID: String, payouts: [Payout]) async throws -> SigningOutcome
}

/// One payout's settlement: its transfers and the fee it is charged.
public struct Settlement: Sendable {
    public let payout: Payout
    public let transfers: PayoutTransfers
    public let fee: UInt128

    public init(payout: Payout, transfers: PayoutTransfers, fee: UInt128) {
        self.payout = payout
        self.transfers = transfers
        self.fee = fee
    }
}

/// The ledger side of payouts: each call is one ledger commit, with `alongside` run in the same
/// transaction (the pipeline's own writes), so a state and its money move together or not at all.
public protocol PayoutLedger: Sendable {
    /// Holds amount and fee on the customer's account (two linked pending transfers).
    /// `alongside` gets nil when they are held, or the ledger's reason for refusing (nothing
    /// moved then); its writes commit either way.
    func reserve(_ payout: Payout, transfers: PayoutTransfers, custody: String, feeAccount: String,
                 alongside: @escaping @Sendable (String?, any SQLConnection) throws -> Void) async throws
    /// Posts each payout's amount and its fee share and moves the fees from the fee account to custody.
    func settle(_ settlements: [Settlement], custody: String, feeAccount: String,
                alongside: @escaping @Sendable (any SQLConnection) throws -> Void) async throws
    /// Voids the holds.
    func release(_ payouts: [(Payout, PayoutTransfers)], alongside: @escaping @Sendable (any SQLConnection) throws -> Void) async throws
}

/// One payment of a batch transaction.
public struct PaymentOutput: Sendable, Equatable {
    public let destination: String
    public let amount: UInt128

    public init(destination: String, amount: UInt128) {
        self.destination = destination
        self.amount = amount
    }
}

/// A fresh address of the hot wallet and its derivation path.
public struct ChangeAddress: Sendable, Equatable {
    public let address: String
    public let path: String

    public init(address: String, path: String) {
        self.address = address
        self.path = path
    }
}

/// Fresh addresses of the hot wallet for change.
public protocol ChangeAddressSource: Sendable {
    func next(chain: String, walletID: String) async throws -> ChangeAddress
}
