import Testing
@testable import Market

@Suite struct AggregationArithmeticTests {
    /// BTC/EUR from BTC/USD 64,000 ± 32 and EUR/USD 1.25 ± 0.000625: 51,200; relative
    /// confidences 0.05 % + 0.05 % = 0.1 % of 51,200 = 51.2.
    @Test func crossRateByHand() throws {
        let btcusd = (price: units(64_000), confidence: units(32))
        let eurusd = (price: 1_250_000_000_000_000_000 as UInt128, confidence: 625_000_000_000_000 as UInt128)
        let btceur = try #require(CrossRate.through(btcusd, eurusd, invertQuote: true))
        #expect(btceur.price == units(51_200))
        #expect(btceur.confidence == 51_200_000_000_000_000_000)
        // Multiplying: BTC/USD × USD/EUR 0.9 ± 0.0009 = 57,600 ± (28.8 + 57.6).
        let usdeur = (price: 900_000_000_000_000_000 as UInt128, confidence: 900_000_000_000_000 as UInt128)
        let direct = try #require(CrossRate.through(btcusd, usdeur, invertQuote: false))
        #expect(direct.price == units(57_600))
        #expect(direct.confidence == 86_400_000_000_000_000_000)
    }

    @Test func crossRateRoundsHalfEven() throws {
        // 1 / 3 = 0.333…333 (down), 2 / 3 = 0.666…667 (up).
        #expect(CrossRate.through((units(1), 0), (units(3), 0), invertQuote: true)?.price == 333_333_333_333_333_333)
        #expect(CrossRate.through((units(2), 0), (units(3), 0), invertQuote: true)?.price == 666_666_666_666_666_667)
        // Exact ties: 1e-18 / 2 = 0.5e-18 → 0 (even); 3e-18 / 2 = 1.5e-18 → 2 (even).
        #expect(CrossRate.through((1, 0), (units(2), 0), invertQuote: true)?.price == 0)
        #expect(CrossRate.through((3, 0), (units(2), 0), invertQuote: true)?.price == 2)
        #expect(CrossRate.through((5, 0), (units(2), 0), invertQuote: true)?.price == 2)
        // Zero price, overflow: nil, never a trap.
        #expect(CrossRate.through((units(1), 0), (0, 0), invertQuote: true) == nil)
        #expect(CrossRate.through((.max, 0), (1, 0), invertQuote: true) == nil)
        #expect(CrossRate.through((.max, 0), (.max, 0), invertQuote: false) == nil)
    }

    @Test func weightedMedianByHand() {
        #expect(WeightedMedian.of([]) == nil)
        #expect(WeightedMedian.of([(5, 0)]) == nil)
        #expect(WeightedMedian.of([(1, 1), (2, 1)]) == 1)               // lower median
        #expect(WeightedMedian.of([(3, 1), (1, 1), (2, 1)]) == 2)
        #expect(WeightedMedian.of([(1, 1), (2, 3)]) == 2)
        #expect(WeightedMedian.of([(.max, .max), (1, .max), (2, 1)]) == 2)
    }

    @Test func twapByHand() {
        var twap = TWAP(window: 15)
        #expect(twap.value(at: 0) == nil)
        twap.record(price: 100, at: 0)
        #expect(twap.value(at: 0) == 100)
        twap.record(price: 200, at: 10)
        // [5, 20]: 100 × 5 + 200 × 10 = 2500 over 15 s = 166.67 → 167.
        #expect(twap.value(at: 20) == 167)
        #expect(twap.value(at: 10) == 100)
        #expect(twap.value(at: 5) == nil)     // before the latest record
        #expect(twap.value(at: 1_000) == 200) // window inside the latest run
        // Huge prices × long spans do not overflow.
        var big = TWAP(window: .max)
        big.record(price: .max, at: .min)
        big.record(price: .max - 1, at: 0)
        #expect(big.value(at: .max) != nil)
    }

    @Test func rollingMedianByHand() {
        var median = RollingMedian(window: 10)
        #expect(median.value(at: 0) == nil)
        median.record(5, at: 0)
        median.record(1, at: 3)
        median.record(9, at: 6)
        #expect(median.value(at: 6) == 5)
        #expect(median.value(at: 10) == 1)    // 5 expired (0 <= 10 − 10): lower median of 1, 9
        #expect(median.value(at: 100) == nil)
        median.record(7, at: 11)              // drops 5 (and keeps 1, 9, 7)
        #expect(median.value(at: 11) == 7)
    }
}
