/// Where a deposit stands. `seen` (in the mempool, or back there after a reorganisation) →
/// `confirming` (in a block of the best chain) → `credited` (the chain's confirmation count was
/// reached and the ledger credit committed). `orphaned`: its block was reorganised away and the
/// transaction is gone (double-spent or dropped) before it was credited. `reversed`: the same
/// after it was credited, undone by a reversing ledger transfer.
public enum DepositStatus: String, Sendable, CaseIterable, Codable {
    case seen, confirming, credited, orphaned, reversed

    /// Parses a status name; the error lists the names.
    public static func parse(_ text: String) throws(ChainError) -> DepositStatus {
        guard let status = DepositStatus(rawValue: text) else {
            throw ChainError.invalid("status must be one of: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return status
    }
}

/// A payment to a watched address, as Coffer tracks it until it is final.
public struct Deposit: Sendable, Equatable {
    public let seq: Int64
    public let chain: String
    public let scope: String
    public let transactionID: String
    public let index: UInt32
    /// The token contract, or "" for the native asset.
    public let token: String
    public let address: String
    public let account: String
    public let asset: String
    public let amount: UInt128
    public let blockHeight: UInt64?
    public let blockHash: String?
    public let status: DepositStatus
    /// The ledger transfer that credited it (the latest, if it was credited more than once after
    /// being reversed and mined again).
    public let creditID: String?
    public let reversalID: String?
    /// How often it was credited: the next credit's id is derived from it, so a deposit reversed
    /// and mined again is credited anew, and never twice for one confirmation.
    public let generation: Int64
    public let invoiceID: String?
    /// When Coffer first saw it (seconds since 1970): decides whether an invoice was paid late.
    public let seenAt: Int64
    public let updatedAt: Int64

    public init(seq: Int64, chain: String, scope: String, transactionID: String, index: UInt32, token: String, address: String, account: String,
                asset: String, amount: UInt128, blockHeight: UInt64?, blockHash: String?, status: DepositStatus, creditID: String?,
                reversalID: String?, generation: Int64, invoiceID: String?, seenAt: Int64, updatedAt: Int64) {
        self.seq = seq
        self.chain = chain
        self.scope = scope
        self.transactionID = transactionID
        self.index = index
        self.token = token
        self.address = address
        self.account = account
        self.asset = asset
        self.amount = amount
        self.blockHeight = blockHeight
        self.blockHash = blockHash
        self.status = status
        self.creditID = creditID
        self.reversalID = reversalID
        self.generation = generation
        self.invoiceID = invoiceID
        self.seenAt = seenAt
        self.updatedAt = updatedAt
    }

    /// Confirmations as of the syncer's last block (`syncedHeight`): 0 outside a block.
    public func confirmations(syncedHeight: UInt64?) -> UInt64 {
        guard let blockHeight, let syncedHeight, syncedHeight >= blockHeight else { return 0 }
        return syncedHeight - blockHeight + 1
    }
}
