public import CofferBase
public import Chains

/// `eth_feeHistory`: base fees and tip percentiles of recent blocks, for fee estimates.
public struct EthereumFeeHistory: Sendable, Equatable {
    public let oldestBlock: UInt64
    /// One per block from `oldestBlock`, and one more: the next block's.
    public let baseFeePerGas: [UInt128]
    /// Gas used over gas limit per block (a ratio, not money, so a Double).
    public let gasUsedRatio: [Double]
    /// Per block, the tip at each requested percentile; empty when none were asked for.
    public let reward: [[UInt128]]

    init(_ json: JSONValue, context: String) throws(NodeError) {
        let history = try EthereumAnswer(json, context)
        oldestBlock = try history.uint64("oldestBlock")
        var baseFees: [UInt128] = []
        for (index, fee) in try history.array("baseFeePerGas").enumerated() {
            baseFees.append(try EthereumAnswer.uint128(fee, "\(context): baseFeePerGas \(index)"))
        }
        baseFeePerGas = baseFees
        var ratios: [Double] = []
        for (index, ratio) in try history.array("gasUsedRatio").enumerated() {
            guard case .number(let literal) = ratio, let value = Double(literal), value >= 0 else {
                throw NodeError.garbage("\(context): gasUsedRatio \(index) is not a non-negative number")
            }
            ratios.append(value)
        }
        gasUsedRatio = ratios
        var rewards: [[UInt128]] = []
        if history.optional("reward") != nil {
            for (block, row) in try history.array("reward").enumerated() {
                guard case .array(let tips) = row else { throw NodeError.garbage("\(context): reward \(block) is not an array") }
                var parsed: [UInt128] = []
                for tip in tips { parsed.append(try EthereumAnswer.uint128(tip, "\(context): reward \(block)")) }
                rewards.append(parsed)
            }
        }
        reward = rewards
    }
}
