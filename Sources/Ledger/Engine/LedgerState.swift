/// What the engine needs to decide a batch: the accounts it touches, the transfers it refers to
/// (by id or pending id) with how their pending ones ended, and the last timestamp used. A store
/// loads a snapshot of these; tests keep the whole ledger in one.
public struct LedgerState: Sendable, Equatable {
    public var accounts: [LedgerID: Account]
    public var transfers: [LedgerID: CommittedTransfer]
    public var pendingOutcomes: [LedgerID: PendingOutcome]
    /// The committed transfer carrying each reversal reference (`reversal:<id>`) the batch claims.
    /// The engine adds the claims it commits, so a state kept across batches stays complete.
    public var reversals: [String: LedgerID]
    public var lastTimestamp: UInt64

    public init(
        accounts: [LedgerID: Account] = [:], transfers: [LedgerID: CommittedTransfer] = [:],
        pendingOutcomes: [LedgerID: PendingOutcome] = [:], reversals: [String: LedgerID] = [:], lastTimestamp: UInt64 = 0
    ) {
        self.accounts = accounts
        self.transfers = transfers
        self.pendingOutcomes = pendingOutcomes
        self.reversals = reversals
        self.lastTimestamp = lastTimestamp
    }
}

/// An account's balances after one event, for the balance history.
public struct BalanceChange: Sendable, Equatable {
    public let accountID: LedgerID
    public let timestamp: UInt64
    public let balances: AccountBalances
}

/// Both accounts' balances right after a transfer. Stores keep them in the transfer's own row,
/// which makes the transfers themselves the balance history (no row per account per event).
public struct TransferBalances: Sendable, Equatable {
    public let debit: AccountBalances
    public let credit: AccountBalances

    public init(debit: AccountBalances, credit: AccountBalances) {
        self.debit = debit
        self.credit = credit
    }
}

/// What applying a batch changed: the results in input order and everything a store must write.
public struct BatchOutcome: Sendable, Equatable {
    public var results: [TransferResult] = []
    /// Committed transfers in timestamp order.
    public var created: [CommittedTransfer] = []
    /// Posts, voids and expiries in timestamp order.
    public var pendingOutcomes: [PendingOutcome] = []
    /// The balances after each created transfer, parallel to `created`.
    public var transferBalances: [TransferBalances] = []
    /// The balances after each expiry (two per expired transfer): the history rows that no transfer row holds.
    public var expiryBalances: [BalanceChange] = []

    public init() {}

    /// True when nothing is to be written.
    public var isEmpty: Bool { created.isEmpty && pendingOutcomes.isEmpty }

    /// Every account's balances after each event that changed them, in timestamp order: a batch's
    /// expiries come before its transfers.
    public var balanceChanges: [BalanceChange] {
        expiryBalances + zip(created, transferBalances).flatMap { transfer, balances in
            [BalanceChange(accountID: transfer.debitAccountID, timestamp: transfer.timestamp, balances: balances.debit),
             BalanceChange(accountID: transfer.creditAccountID, timestamp: transfer.timestamp, balances: balances.credit)]
        }
    }
}
