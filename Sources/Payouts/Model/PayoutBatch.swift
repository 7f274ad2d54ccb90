/// One transaction's worth of payouts on one chain: on Bitcoin-like chains one transaction with
/// an output per payout and one change output. A batch goes through the same states as its
/// payouts; the payouts follow it.
public struct PayoutBatch: Sendable, Equatable {
    public let id: String
    public let chain: String
    public let status: PayoutStatus
    /// The current attempt (1, then 2, 3... for each fee replacement).
    public let attempt: Int
    /// The first chain height at which an input was seen spent by a transaction of someone else's
    /// while none of the batch's attempts was anywhere: the start of the proof that it never confirms.
    public let conflictHeight: UInt64?
    public let reason: String?
    public let createdAt: Int64
    public let updatedAt: Int64

    public init(id: String, chain: String, status: PayoutStatus, attempt: Int, conflictHeight: UInt64?, reason: String?, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.chain = chain
        self.status = status
        self.attempt = attempt
        self.conflictHeight = conflictHeight
        self.reason = reason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The same batch in another status.
    public func with(status: PayoutStatus) -> PayoutBatch {
        PayoutBatch(id: id, chain: chain, status: status, attempt: attempt, conflictHeight: conflictHeight, reason: reason, createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// One signed (or to be signed) transaction of a batch. Replacements are new attempts that spend
/// the same inputs, so at most one attempt of a batch can ever confirm.
public struct PayoutAttempt: Sendable, Equatable {
    public let batchID: String
    public let number: Int
    /// The unsigned transaction as the vault is asked to sign it (a PSBT, base64).
    public let unsigned: String
    /// The vault's signing request id.
    public let signingRequest: String
    /// The signed transaction, stored before it is ever broadcast.
    public let raw: [UInt8]?
    public let transactionID: String?
    /// The whole transaction's fee (native smallest units) and virtual size.
    public let fee: UInt128
    public let size: UInt64
    /// When it was first broadcast (seconds since 1970).
    public let broadcastAt: Int64?
    /// The output that returns change to the hot wallet, if any.
    public let change: ChangeOutput?

    public init(batchID: String, number: Int, unsigned: String, signingRequest: String, raw: [UInt8]?, transactionID: String?, fee: UInt128,
                size: UInt64, broadcastAt: Int64?, change: ChangeOutput?) {
        self.batchID = batchID
        self.number = number
        self.unsigned = unsigned
        self.signingRequest = signingRequest
        self.raw = raw
        self.transactionID = transactionID
        self.fee = fee
        self.size = size
        self.broadcastAt = broadcastAt
        self.change = change
    }

    /// The same attempt, signed.
    public func signed(raw: [UInt8], transactionID: String) -> PayoutAttempt {
        PayoutAttempt(batchID: batchID, number: number, unsigned: unsigned, signingRequest: signingRequest, raw: raw, transactionID: transactionID,
                      fee: fee, size: size, broadcastAt: broadcastAt, change: change)
    }
}

/// A batch transaction's change: its output index, amount and the hot wallet address it pays.
public struct ChangeOutput: Sendable, Equatable {
    public let index: UInt32
    public let amount: UInt64
    public let address: String
    public let path: String

    public init(index: UInt32, amount: UInt64, address: String, path: String) {
        self.index = index
        self.amount = amount
        self.address = address
        self.path = path
    }
}

/// A transaction output Coffer can spend: a credited deposit or the change of a settled batch.
public struct SpendableOutput: Sendable, Equatable, Hashable {
    public let transactionID: String
    public let index: UInt32
    public let amount: UInt64
    public let address: String
    /// The vault wallet and derivation path that hold its key.
    public let walletID: String
    public let path: String

    public init(transactionID: String, index: UInt32, amount: UInt64, address: String, walletID: String, path: String) {
        self.transactionID = transactionID
        self.index = index
        self.amount = amount
        self.address = address
        self.walletID = walletID
        self.path = path
    }
}
