public import CofferStorage
public import WalletCore

/// What the payout pipeline asks of any node (the edge, over JSON-RPC).
public protocol PayoutNode: Sendable {
    /// The best chain's height.
    func tip() async throws -> UInt64
    /// Sends a signed transaction.
    func send(_ raw: [UInt8]) async throws -> BroadcastResult
    /// Where a transaction is: unknown, in the mempool, or mined (with confirmations).
    func state(of transactionID: String) async throws -> AttemptState
}

/// What the payout pipeline asks of a Bitcoin-like node.
public protocol BitcoinPayoutNode: PayoutNode {
    /// The node's fee estimate for confirmation within `blocks`, in satoshis per 1,000 virtual
    /// bytes, or nil when it has none.
    func feeRate(blocks: Int) async throws -> UInt64?
    /// Whether an output is spent in the best chain (mempool spends do not count).
    func isSpentInChain(transactionID: String, index: UInt32) async throws -> Bool
}

/// What the payout pipeline asks of an EVM node. `send` answers `accepted` for a transaction
/// the node knows already, and `conflict` when its nonce was used by a mined transaction.
public protocol EVMPayoutNode: PayoutNode {
    /// The account's mined and pending transaction counts and its balance (wei, pending state).
    func account(_ address: String) async throws -> EVMAccountState
    /// EIP-1559 fees for the next blocks from `eth_feeHistory`, the fee cap at most `cap`, the
    /// tip at least `minimumTip` (wei per gas).
    func suggestedFees(cap: UInt128, minimumTip: UInt128) async throws -> EIP1559Fees
    /// `eth_estimateGas` of the call.
    func estimateGas(_ call: EVMGasQuery) async throws -> UInt64
    /// The receipt of a mined transaction (nil when it is not mined in the best chain).
    func receipt(of transactionID: String) async throws -> EVMPaidFee?
}

/// An EVM account as its node sees it.
public struct EVMAccountState: Sendable, Equatable {
    /// Transactions of the account mined in the best chain: the next nonce not yet consumed.
    public let minedNonce: UInt64
    /// The same, counting the node's pending transactions.
    public let pendingNonce: UInt64
    /// Wei, in the pending state.
    public let balance: UInt128

    public init(minedNonce: UInt64, pendingNonce: UInt64, balance: UInt128) {
        self.minedNonce = minedNonce
        self.pendingNonce = pendingNonce
        self.balance = balance
    }
}

/// A call whose gas is estimated.
public struct EVMGasQuery: Sendable, Equatable {
    public let from: String
    public let to: String
    public let value: UInt128
    public let data: [UInt8]

    public init(from: String, to: String, value: UInt128, data: [UInt8]) {
        self.from = from
        self.to = to
        self.value = value
        self.data = data
    }
}

/// What a mined transaction paid, from its receipt.
public struct EVMPaidFee: Sendable, Equatable {
    /// Wei: gas used × effective gas price.
    public let fee: UInt128
    /// False when it reverted: its fee is paid but nothing was transferred.
    public let succeeded: Bool

    public init(fee: UInt128, succeeded: Bool) {
        self.fee = fee
        self.succeeded = succeeded
    }
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
    /// A consolidation: the `candidates` worth spending at `feeRate` (at most `maximumInputs`,
    /// at least two) into one output to `destination`, paying at most `maximumFee`. The output
    /// is the transaction's `change` (the wallet's own coin once it confirms).
    func consolidate(_ candidates: [SpendableOutput], feeRate: UInt64, destination: ChangeAddress, maximumFee: UInt128, maximumInputs: Int,
                     lockTime: UInt32) throws -> BuiltTransaction
}

/// The vault's answer to a batch's signing request.
public enum SigningOutcome: Sendable, Equatable {
    case signed(raw: [UInt8], transactionID: String)
    case pendingApproval(String)
    case denied(String)
}

/// Signs a batch attempt through the vault's signing request (policy, approvals, audit).
public protocol PayoutSigning: Sendable {
    func sign(_ attempt: PayoutAttempt, chain: String, network: String, hot: HotWallet, payouts: [Payout]) async throws -> SigningOutcome
}

/// One payout's settlement: its transfers and the fee it is charged.
public struct Settlement: Sendable {
    public let payout: Payout
    public let transfers: PayoutTransfers
    public let fee: UInt128
    /// False for a transaction that was mined but reverted (EVM): the fee is charged, the
    /// amount's hold is voided.
    public let delivered: Bool

    public init(payout: Payout, transfers: PayoutTransfers, fee: UInt128, delivered: Bool = true) {
        self.payout = payout
        self.transfers = transfers
        self.fee = fee
        self.delivered = delivered
    }
}

/// Where a payout's fee hold comes from: the customer's account for the chain's native asset,
/// the chain's treasury for a token payout (the network fee is native, the customer's money
/// is the token).
public struct FeeSource: Sendable, Equatable {
    /// Stored ledger ids.
    public let account: String
    public let asset: String

    public init(account: String, asset: String) {
        self.account = account
        self.asset = asset
    }
}

/// The ledger side of payouts: each call is one ledger commit, with `alongside` run in the same
/// transaction (the pipeline's own writes), so a state and its money move together or not at all.
public protocol PayoutLedger: Sendable {
    /// Holds the amount on the customer's account and the fee hold on `feeSource` (two linked
    /// pending transfers). `alongside` gets nil when they are held, or the ledger's reason for
    /// refusing (nothing moved then); its writes commit either way.
    func reserve(_ payout: Payout, transfers: PayoutTransfers, custody: String, feeAccount: String, feeSource: FeeSource,
                 alongside: @escaping @Sendable (String?, any SQLConnection) throws -> Void) async throws
    /// Posts each payout's amount and its fee share and moves the fees (native `feeAsset`) from
    /// the fee account to the chain's custody account `custody`.
    func settle(_ settlements: [Settlement], custody: String, feeAccount: String, feeAsset: String,
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
