public import Payouts
public import WalletCore

/// Builds batch transactions as PSBTs the vault signs: coin selection over the hot wallet's
/// outputs, one output per payout, change back to the hot wallet, opt-in RBF.
public struct PSBTBatchBuilder: BatchTransactionBuilder {
    public let network: BitcoinNetwork
    /// The hot wallet's master key fingerprint (4 bytes), for the inputs' derivation records.
    public let fingerprint: [UInt8]

    public init(network: BitcoinNetwork, fingerprint: [UInt8]) {
        self.network = network
        self.fingerprint = fingerprint
    }

    public func build(payments: [(destination: String, amount: UInt128)], candidates: [SpendableOutput], feeRate: UInt64,
                      change: (address: String, path: String), maximumFee: UInt128, lockTime: UInt32) throws -> BuiltTransaction {
        throw BuildDeferred("not built yet")
    }

    public func replace(_ attempt: PayoutAttempt, inputs: [SpendableOutput], feeRate: UInt64, maximumFee: UInt128) throws -> BuiltTransaction {
        throw BuildDeferred("not built yet")
    }
}
