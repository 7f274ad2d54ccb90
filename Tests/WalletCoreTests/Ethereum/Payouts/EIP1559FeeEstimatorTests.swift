import CofferBase
import CofferTestSupport
import PropertyBased
import Testing
import WalletCore

/// Fee suggestions from `eth_feeHistory` data and replacement bumps, in integer wei per gas.
struct EIP1559FeeEstimatorTests {
    static let gwei: UInt128 = 1_000_000_000

    static func fees(_ tip: UInt128, _ maxFee: UInt128) throws -> EIP1559Fees {
        try EIP1559Fees(maxPriorityFeePerGas: tip, maxFeePerGas: maxFee)
    }

    /// Five blocks and the next one's base fee (as eth_feeHistory returns them), tips at the 50th
    /// percentile: the median tip, twice the next base fee plus the tip.
    @Test func tipIsTheMedianAndTheCapTwiceTheNextBaseFeePlusTheTip() throws {
        let base: [UInt128] = [10, 11, 12, 13, 14, 15].map { $0 * Self.gwei }
        let rewards: [[UInt128]] = [[Self.gwei], [2 * Self.gwei], [0], [3 * Self.gwei], [1_500_000_000]]
        let suggested = try EIP1559FeeEstimator.suggest(baseFeePerGas: base, reward: rewards, cap: 100 * Self.gwei)
        #expect(suggested == (try Self.fees(1_500_000_000, 31_500_000_000)))
        // An even number of blocks: the upper of the two middle tips.
        #expect(try EIP1559FeeEstimator.suggest(baseFeePerGas: [7, 7, 7, 7, 8], reward: [[4], [1], [3], [2]], cap: 1_000).maxPriorityFeePerGas == 3)
        // Another requested percentile: reward rows of [10th, 50th, 90th].
        let rows: [[UInt128]] = [[1, 5, 9], [2, 6, 20], [3, 7, 30]]
        #expect(try EIP1559FeeEstimator.suggest(baseFeePerGas: [100, 100, 100, 100], reward: rows, percentileIndex: 2, cap: 1_000) == (try Self.fees(20, 220)))
        // Empty blocks report tips of 0: the floor applies.
        #expect(try EIP1559FeeEstimator.suggest(baseFeePerGas: [100, 90], reward: [[0]], minimumPriorityFeePerGas: 5, cap: 1_000) == (try Self.fees(5, 185)))
    }

    @Test func theCapBoundsTheSuggestion() throws {
        let base: [UInt128] = [20 * Self.gwei, 20 * Self.gwei]
        let rewards: [[UInt128]] = [[2 * Self.gwei]]
        // 2 × 20 + 2 = 42 gwei, capped at 30: the tip stays.
        #expect(try EIP1559FeeEstimator.suggest(baseFeePerGas: base, reward: rewards, cap: 30 * Self.gwei) == (try Self.fees(2 * Self.gwei, 30 * Self.gwei)))
        // A cap equal to the next base fee is still includable now; the tip is within it.
        #expect(try EIP1559FeeEstimator.suggest(baseFeePerGas: [1, 1], reward: [[5]], cap: 1) == (try Self.fees(1, 1)))
        #expect(throws: EthereumPayoutError.self) { try EIP1559FeeEstimator.suggest(baseFeePerGas: base, reward: rewards, cap: 20 * Self.gwei - 1) }
        do throws(EthereumPayoutError) {
            _ = try EIP1559FeeEstimator.suggest(baseFeePerGas: base, reward: rewards, cap: 19 * Self.gwei)
            Issue.record("a cap below the base fee cannot be met")
        } catch {
            #expect(error.kind == .feeCapBelowBaseFee && error.code == "fee-cap-below-base-fee" && error.category == .rejected)
            #expect(error.description.contains("below the next block's base fee 20000000000"), "\(error)")
        }
        // No overflow at the top of the range: 2 × base + tip saturates, then the cap applies.
        let huge = UInt128.max / 2 + 1
        #expect(try EIP1559FeeEstimator.suggest(baseFeePerGas: [huge], reward: [[huge]], cap: .max) == (try Self.fees(huge, .max)))
    }

    @Test(arguments: [
        ([UInt128](), [[UInt128(1)]], 0, "no base fee"),
        ([UInt128(1)], [[UInt128]](), 0, "no rewards"),
        ([UInt128(1), 1, 1], [[UInt128(1), 2], [3]], 1, "block 1 of the fee history has 1 reward percentiles; percentile index 1"),
        ([UInt128(1), 1], [[UInt128(1)]], -1, "percentile index -1"),
    ])
    func unusableHistoriesAreRefused(base: [UInt128], rewards: [[UInt128]], index: Int, message: String) {
        #expect {
            try EIP1559FeeEstimator.suggest(baseFeePerGas: base, reward: rewards, percentileIndex: index, cap: .max)
        } throws: { error in
            (error as? EthereumPayoutError)?.kind == .invalidFeeHistory && "\(error)".contains(message)
        }
    }

    /// Both fees rise by 10%, rounded up; a fresh suggestion above that wins, within the cap.
    @Test func replacementsBumpBothFeesByTenPercentRoundedUp() throws {
        let previous = try Self.fees(Self.gwei, 30 * Self.gwei)
        #expect(try EIP1559FeeEstimator.replacement(of: previous, cap: 100 * Self.gwei) == (try Self.fees(1_100_000_000, 33 * Self.gwei)))
        #expect(try EIP1559FeeEstimator.replacement(of: try Self.fees(15, 25), cap: 100) == (try Self.fees(17, 28)))
        #expect(try EIP1559FeeEstimator.replacement(of: try Self.fees(1, 1), cap: 100) == (try Self.fees(2, 2)))
        #expect(try EIP1559FeeEstimator.replacement(of: try Self.fees(0, 0), cap: 100) == (try Self.fees(0, 0)))
        let current = try Self.fees(3 * Self.gwei, 60 * Self.gwei)
        #expect(try EIP1559FeeEstimator.replacement(of: previous, current: current, cap: 50 * Self.gwei) == (try Self.fees(3 * Self.gwei, 50 * Self.gwei)))
        // A lower current market never lowers the bump.
        #expect(try EIP1559FeeEstimator.replacement(of: previous, current: try Self.fees(1, 2), cap: 100 * Self.gwei) == (try Self.fees(1_100_000_000, 33 * Self.gwei)))
        #expect(try EIP1559FeeEstimator.replacement(of: previous, cap: 33 * Self.gwei).maxFeePerGas == 33 * Self.gwei)
        #expect(throws: EthereumPayoutError.self) { try EIP1559FeeEstimator.replacement(of: previous, cap: 33 * Self.gwei - 1) }
        let top = try Self.fees(1, .max)
        do throws(EthereumPayoutError) {
            _ = try EIP1559FeeEstimator.replacement(of: top, cap: .max)
            Issue.record("a fee cap of 2^128-1 cannot be bumped")
        } catch {
            #expect(error.kind == .replacementAboveCap && error.description.contains("at least more than 2^128-1"), "\(error)")
        }
    }

    /// Against the rule nodes apply (geth: new ≥ old × 110 / 100, per field) and minimality:
    /// the bump is the least fee that meets 10% exactly (⌈old × 1.1⌉).
    @Test func theBumpIsTheLeastThatMeetsTenPercent() async {
        await propertyCheck(count: 500, input: Gen.uint64(), Gen.uint64()) { a, b in
            let (tip, maxFee) = (UInt128(min(a, b)) << 20, UInt128(max(a, b)) << 20 | UInt128(b % 977))
            let old = try Self.fees(min(tip, maxFee), maxFee)
            let new = try EIP1559FeeEstimator.replacement(of: old, cap: .max)
            for (before, after) in [(old.maxPriorityFeePerGas, new.maxPriorityFeePerGas), (old.maxFeePerGas, new.maxFeePerGas)] {
                #expect(after * 100 >= before * 110 && after >= before * 110 / 100, "\(before) -> \(after)")
                #expect(after == 0 || (after - 1) * 100 < before * 110, "\(before) -> \(after) is more than needed")
            }
            #expect(new.maxPriorityFeePerGas <= new.maxFeePerGas)
        }
    }

    @Test func feesCarryTheirInvariantAndMaximumFee() throws {
        #expect(throws: EthereumPayoutError.self) { try Self.fees(2, 1) }
        let fees = try Self.fees(Self.gwei, 30 * Self.gwei)
        #expect(fees.maximumFee(gasLimit: 21_000) == 630_000_000_000_000)
        #expect(try Self.fees(0, .max).maximumFee(gasLimit: 2) == nil)
    }
}
