public import WalletCore

extension EthereumFeeHistory {
    /// EIP-1559 fees for the next block from this history (see
    /// ``EIP1559FeeEstimator/suggest(baseFeePerGas:reward:percentileIndex:minimumPriorityFeePerGas:cap:)``):
    /// the tip is the median over the blocks of the reward at `percentileIndex` of the percentiles
    /// the history was asked for (e.g. `feeHistory(blockCount: 20, rewardPercentiles: [50])` and
    /// index 0), the fee cap 2 × the next base fee + the tip, at most `cap`.
    public func suggestedFees(percentileIndex: Int = 0, minimumPriorityFeePerGas: UInt128 = 0, cap: UInt128) throws(EthereumPayoutError) -> EIP1559Fees {
        try EIP1559FeeEstimator.suggest(
            baseFeePerGas: baseFeePerGas, reward: reward, percentileIndex: percentileIndex, minimumPriorityFeePerGas: minimumPriorityFeePerGas, cap: cap)
    }
}
