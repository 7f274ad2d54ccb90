public import CofferBase
public import Chains

/// `eth_feeHistory`: base fees and tip percentiles of recent blocks, for fee estimates.
public struct EthereumFeeHistory: Sendable, Equatable {
    public let oldestBlock: UInt64
    /// One per block from `oldestBlock`, and one more: the next block's.
    public let baseFeePerGas: [UInt128]
    /// Gas used over gas limit per block, in parts per million (truncated): integers like every
    /// other figure near fees, read from the node's decimal literal without floating point.
    public let gasUsedRatio: [UInt32]
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
        var ratios: [UInt32] = []
        for (index, ratio) in try history.array("gasUsedRatio").enumerated() {
            guard case .number(let literal) = ratio, let value = Self.partsPerMillion(literal) else {
                throw NodeError.garbage("\(context): gasUsedRatio \(index) is not a number from 0 to 1000")
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

    /// A non-negative JSON number literal (digits, optional fraction, optional exponent) times
    /// 1,000,000, truncated; nil when malformed, negative or above 1000.
    public static func partsPerMillion(_ literal: String) -> UInt32? {
        var digits: [UInt8] = []
        var scale = 6  // decimal places still to shift left
        var text = Substring(literal)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(text[text.index(after: e)...]), abs(value) <= 40 else { return nil }
            exponent = value
            text = text[..<e]
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 1 || !fraction.isEmpty else { return nil }
        // Fraction digits beyond the sixth decimal place (after the exponent) only truncate away.
        let kept = fraction.prefix(max(0, 6 + exponent))
        digits = Array((whole + kept).utf8).map { $0 - 48 }
        scale += exponent - kept.count
        var value: UInt64 = 0
        for digit in digits {
            value = value * 10 + UInt64(digit)
            if value > 1_000_000_000_000_000 { return nil }
        }
        if scale >= 0 {
            for _ in 0..<scale { value *= 10; if value > 1_000_000_000 { return nil } }
        } else {
            for _ in 0..<(-scale) { value /= 10 }
        }
        return value <= 1_000_000_000 ? UInt32(value) : nil
    }
}

