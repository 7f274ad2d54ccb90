import CofferBase
import CofferTestSupport
import PropertyBased
import Testing
import WalletCore

/// Consolidation (sweep) selection against a simple model: the coins worth spending at the rate,
/// most valuable first, at most the limit; value conserved exactly (inputs = output + fee); the
/// fee is the rate times the estimated size; refused when too few coins are worth it or the
/// output would be dust.
struct ConsolidationTests {
    static let rate = BitcoinFeeRate(perKilovbyte: 10_000)

    @Test func spendsTheCoinsWorthSpendingIntoOneOutput() throws {
        // 10 sat/vB: a p2wpkh input costs 680 sat, so 500 is not worth spending.
        let selection = try CoinSelection.consolidation(CoinSelectionTests.coins([50_000, 500, 20_000, 30_000]), feeRate: Self.rate,
                                                        changeScheme: .p2wpkh, dustThreshold: 546)
        #expect(selection.inputs.map(\.value) == [50_000, 30_000, 20_000])
        #expect(selection.method == .consolidation)
        #expect(selection.inputTotal == (selection.change ?? 0) + selection.fee)
        #expect(UInt128(selection.fee) == Self.rate.fee(virtualSize: selection.virtualSize))
    }

    @Test func tooFewCoinsOrADustOutputIsRefused() {
        #expect(throws: BitcoinPayoutError.self) {
            try CoinSelection.consolidation(CoinSelectionTests.coins([50_000, 500]), feeRate: Self.rate, changeScheme: .p2wpkh, dustThreshold: 546)
        }
        #expect(throws: BitcoinPayoutError.self) {
            try CoinSelection.consolidation(CoinSelectionTests.coins([700, 700]), feeRate: Self.rate, changeScheme: .p2wpkh, dustThreshold: 546)
        }
        #expect(throws: BitcoinPayoutError.self) {
            try CoinSelection.consolidation(CoinSelectionTests.coins([50_000, 40_000]), feeRate: Self.rate, changeScheme: .p2wpkh, dustThreshold: 546,
                                            minimumInputs: 3, maximumInputs: 2)
        }
    }

    @Test func matchesTheModel() async {
        await propertyCheck(count: 500, input: Gen.uint64(in: 0...200_000).array(of: 0...40), Gen.uint64(in: 1_000...60_000), Gen.int(in: 2...30)) { values, perKilovbyte, limit in
            let rate = BitcoinFeeRate(perKilovbyte: perKilovbyte)
            let coins = CoinSelectionTests.coins(values)
            let worth = coins.filter { UInt128($0.value) > rate.fee(virtualSize: BitcoinSizeEstimate.virtualSize(weight: $0.inputWeight)) }
                .sorted { ($0.value, $0.outPoint.index) > ($1.value, $1.outPoint.index) }
            let expected = Array(worth.prefix(limit))
            let weight = BitcoinSizeEstimate.overheadWeight(inputCount: expected.count, outputCount: 1, segwit: true)
                + expected.reduce(UInt64(0)) { $0 + $1.inputWeight } + BitcoinSizeEstimate.outputWeight(scriptLength: BitcoinSizeEstimate.scriptLength(.p2wpkh))
            let fee = rate.fee(virtualSize: BitcoinSizeEstimate.virtualSize(weight: weight))
            let total = UInt128(expected.reduce(UInt64(0)) { $0 + $1.value })
            let refused = expected.count < 2 || total <= fee || total - fee < 546
            do {
                let selection = try CoinSelection.consolidation(coins, feeRate: rate, changeScheme: .p2wpkh, dustThreshold: 546, maximumInputs: limit)
                #expect(!refused, "accepted \(values) at \(perKilovbyte) with limit \(limit)")
                #expect(selection.inputs == expected)
                #expect(UInt128(selection.fee) == fee)
                #expect(selection.inputTotal == (selection.change ?? 0) + selection.fee)
            } catch {
                #expect(refused, "refused \(values) at \(perKilovbyte) with limit \(limit): \(error)")
            }
        }
    }
}
