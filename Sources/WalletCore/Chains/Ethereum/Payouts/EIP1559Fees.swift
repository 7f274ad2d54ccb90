/// The fees of an EIP-1559 (type 2) transaction, in wei per gas: the tip offered to the block
/// producer and the most the sender pays per gas in all (base fee plus tip).
public struct EIP1559Fees: Sendable, Hashable, CustomStringConvertible {
    public let maxPriorityFeePerGas: UInt128
    public let maxFeePerGas: UInt128

    /// Fees a transaction can carry: the tip must not exceed the fee cap.
    public init(maxPriorityFeePerGas: UInt128, maxFeePerGas: UInt128) throws(EthereumPayoutError) {
        guard maxPriorityFeePerGas <= maxFeePerGas else {
            throw EthereumPayoutError(.invalidFees, "max_priority_fee_per_gas (\(maxPriorityFeePerGas)) must not exceed max_fee_per_gas (\(maxFeePerGas))")
        }
        self.init(verified: maxPriorityFeePerGas, maxFeePerGas)
    }

    init(verified maxPriorityFeePerGas: UInt128, _ maxFeePerGas: UInt128) {
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
    }

    /// The most a transaction with these fees and `gasLimit` can pay, in wei: `gasLimit` ×
    /// `maxFeePerGas`, what the vault's intent check compares with the intent's `fee`. Nil when
    /// that exceeds 2^128 - 1.
    public func maximumFee(gasLimit: UInt64) -> UInt128? {
        let (fee, overflow) = maxFeePerGas.multipliedReportingOverflow(by: UInt128(gasLimit))
        return overflow ? nil : fee
    }

    public var description: String { "max_priority_fee_per_gas \(maxPriorityFeePerGas), max_fee_per_gas \(maxFeePerGas) wei" }
}

/// EIP-1559 fee suggestions from `eth_feeHistory` data, and fee bumps for replacing a pending
/// transaction. Integer arithmetic only: every figure is wei per gas in `UInt128`.
public enum EIP1559FeeEstimator {
    /// How much a replacement (same sender and nonce) must raise both fees, in percent: geth's
    /// default `txpool.pricebump`, which Nethermind and Erigon also apply.
    public static let replacementBumpPercent: UInt128 = 10

    /// Suggests fees for the next block.
    ///
    /// - The tip is the median, over the blocks of the history, of the reward at one requested
    ///   percentile (`reward[block][percentileIndex]`; with 50 asked of `eth_feeHistory`, the
    ///   median of the blocks' median tips). For an even number of blocks the upper of the two
    ///   middle values is taken, so no division rounds. It is raised to `minimumPriorityFeePerGas`
    ///   (empty blocks report tips of 0).
    /// - The fee cap is 2 × the next block's base fee (`baseFeePerGas.last`, which
    ///   `eth_feeHistory` returns beyond the newest block) + the tip: the base fee can rise by at
    ///   most 12.5% a block, so twice it stays sufficient for about six full blocks in a row.
    /// - `cap` bounds the fee cap (`maxFeePerGas = min(2·base + tip, cap)`, the tip then at most
    ///   that). A `cap` below the next base fee cannot be met: ``EthereumPayoutError/Kind/feeCapBelowBaseFee``.
    ///
    /// `baseFeePerGas` and `reward` are as `eth_feeHistory` returns them (oldest block first,
    /// one more base fee than blocks); an empty base fee list, a history without rewards, or a
    /// block whose rewards lack `percentileIndex` is ``EthereumPayoutError/Kind/invalidFeeHistory``.
    public static func suggest(
        baseFeePerGas: [UInt128], reward: [[UInt128]], percentileIndex: Int = 0, minimumPriorityFeePerGas: UInt128 = 0, cap: UInt128
    ) throws(EthereumPayoutError) -> EIP1559Fees {
        guard let nextBaseFee = baseFeePerGas.last else {
            throw EthereumPayoutError(.invalidFeeHistory, "the fee history has no base fee; ask eth_feeHistory for at least one block")
        }
        guard !reward.isEmpty else {
            throw EthereumPayoutError(.invalidFeeHistory, "the fee history has no rewards; ask eth_feeHistory for reward percentiles")
        }
        var tips: [UInt128] = []
        tips.reserveCapacity(reward.count)
        for (block, row) in reward.enumerated() {
            guard percentileIndex >= 0, percentileIndex < row.count else {
                throw EthereumPayoutError(.invalidFeeHistory, "block \(block) of the fee history has \(row.count) reward percentiles; percentile index \(percentileIndex) is not among them")
            }
            tips.append(row[percentileIndex])
        }
        tips.sort()
        let tip = max(tips[tips.count / 2], minimumPriorityFeePerGas)
        guard nextBaseFee <= cap else {
            throw EthereumPayoutError(.feeCapBelowBaseFee, "the fee cap \(cap) wei per gas is below the next block's base fee \(nextBaseFee): no transaction within it can be included now")
        }
        let maxFee = min(saturatingSum(saturatingSum(nextBaseFee, nextBaseFee), tip), cap)
        return EIP1559Fees(verified: min(tip, maxFee), maxFee)
    }

    /// The fees of a replacement for a pending transaction paid with `previous` (same sender and
    /// nonce): each fee raised by at least ``replacementBumpPercent``, rounded up
    /// (`previous + ⌈previous / 10⌉`, which meets geth's `new ≥ previous × 110 / 100`), and to
    /// `current` (a fresh ``suggest(baseFeePerGas:reward:percentileIndex:minimumPriorityFeePerGas:cap:)``)
    /// where that is higher. The fee cap then stays within `cap` when the bump allows it; when even
    /// the minimum bump exceeds `cap`, no replacement can be sent:
    /// ``EthereumPayoutError/Kind/replacementAboveCap``.
    public static func replacement(of previous: EIP1559Fees, current: EIP1559Fees? = nil, cap: UInt128) throws(EthereumPayoutError) -> EIP1559Fees {
        // The tip is at most the fee cap, so it bumps whenever the fee cap does.
        guard let leastMaxFee = bumped(previous.maxFeePerGas), leastMaxFee <= cap, let leastTip = bumped(previous.maxPriorityFeePerGas) else {
            let least = bumped(previous.maxFeePerGas).map(String.init) ?? "more than 2^128-1"
            throw EthereumPayoutError(.replacementAboveCap, "a replacement must pay max_fee_per_gas of at least \(least) (\(previous.maxFeePerGas) + \(replacementBumpPercent)%, rounded up), above the cap of \(cap) wei per gas")
        }
        let maxFee = max(leastMaxFee, min(current?.maxFeePerGas ?? 0, cap))
        let tip = max(leastTip, min(current?.maxPriorityFeePerGas ?? 0, maxFee))
        return EIP1559Fees(verified: tip, maxFee)
    }

    /// `value` raised by ``replacementBumpPercent``, rounded up; nil beyond 2^128 - 1.
    static func bumped(_ value: UInt128) -> UInt128? {
        let share = value / 100 * replacementBumpPercent + (value % 100 * replacementBumpPercent + 99) / 100
        let (sum, overflow) = value.addingReportingOverflow(share)
        return overflow ? nil : sum
    }

    static func saturatingSum(_ a: UInt128, _ b: UInt128) -> UInt128 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}
