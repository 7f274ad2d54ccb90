/// The vault wallet that pays on one chain (change goes back to it), with the accounts and fee
/// settings of that chain's payouts.
public struct HotWallet: Sendable, Equatable {
    public let chain: String
    public let walletID: String
    /// The funding address: the wallet's address handed out for it, watched and bound to the
    /// treasury account, so funding it is a credit of the operator's own money.
    public let address: String
    public let path: String
    /// Where network fees are posted (stored ledger id).
    public let feeAccount: String
    /// The operator's own money on the chain (stored ledger id): funding the hot wallet credits it.
    public let treasuryAccount: String
    /// Satoshis per 1,000 virtual bytes when the node has no estimate, and the most ever paid.
    public let fallbackFeeRate: UInt64
    public let maximumFeeRate: UInt64
    public let createdAt: Int64

    public init(chain: String, walletID: String, address: String, path: String, feeAccount: String, treasuryAccount: String,
                fallbackFeeRate: UInt64, maximumFeeRate: UInt64, createdAt: Int64) {
        self.chain = chain
        self.walletID = walletID
        self.address = address
        self.path = path
        self.feeAccount = feeAccount
        self.treasuryAccount = treasuryAccount
        self.fallbackFeeRate = fallbackFeeRate
        self.maximumFeeRate = maximumFeeRate
        self.createdAt = createdAt
    }
}
