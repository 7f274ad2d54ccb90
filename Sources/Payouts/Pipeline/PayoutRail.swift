/// How a chain's payouts become transactions: the one place the pipeline differs per chain family.
public enum PayoutRail: Sendable {
    /// Many payouts in one transaction: coin selection, a PSBT, change to a fresh address.
    case bitcoin(BitcoinRail)
    /// One transaction per payout from the hot wallet's address, with consecutive nonces.
    case evm(EVMRail)
}

/// The edge of a Bitcoin-like chain's payouts.
public struct BitcoinRail: Sendable {
    public let node: any BitcoinPayoutNode
    public let builder: any BatchTransactionBuilder
    public let changeAddresses: any ChangeAddressSource

    public init(node: any BitcoinPayoutNode, builder: any BatchTransactionBuilder, changeAddresses: any ChangeAddressSource) {
        self.node = node
        self.builder = builder
        self.changeAddresses = changeAddresses
    }
}

/// The edge of an EVM chain's payouts.
public struct EVMRail: Sendable {
    public let node: any EVMPayoutNode
    /// The chain id every transaction is signed for (EIP-155), checked against the node's.
    public let chainID: UInt64
    /// Gas limits are the node's estimate plus this margin (percent): a token's transfer can cost
    /// a little more when it runs than when it was estimated (another transfer touched its storage).
    public let gasMarginPercent: UInt64

    public init(node: any EVMPayoutNode, chainID: UInt64, gasMarginPercent: UInt64 = 25) {
        self.node = node
        self.chainID = chainID
        self.gasMarginPercent = gasMarginPercent
    }
}
