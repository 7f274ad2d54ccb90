import PropertyBased
import Testing
@testable import Market

@Suite struct AggregationPropertyTests {
    /// Brute force: expand each value `weight` times; the lower median is element (W − 1) / 2.
    @Test func weightedMedianMatchesExpansion() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let entries = (0..<Int.random(in: 0...9, using: &random)).map { _ in
                (value: UInt128(UInt64.random(in: 0...20, using: &random)) * PriceScale.one, weight: UInt32.random(in: 0...4, using: &random))
            }
            let expanded = entries.flatMap { Array(repeating: $0.value, count: Int($0.weight)) }.sorted()
            let expected = expanded.isEmpty ? nil : expanded[(expanded.count - 1) / 2]
            #expect(WeightedMedian.of(entries) == expected, "\(entries)")
            #expect(WeightedMedian.of(entries.shuffled(using: &random)) == expected)
        }
    }

    /// Adding one arbitrary value moves the (equal-weight) median by at most one rank position.
    @Test func oneOutlierMovesMedianAtMostOneRank() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let values = (0..<Int.random(in: 1...12, using: &random)).map { _ in UInt128(UInt64.random(in: 60_000...68_000, using: &random)) * PriceScale.one }
            let outlier = Bool.random(using: &random) ? UInt128(UInt64.random(in: 0...UInt64.max, using: &random)) * PriceScale.one : UInt128.random(in: 0...UInt128.max, using: &random)
            let sorted = values.sorted()
            let index = (sorted.count - 1) / 2
            let before = WeightedMedian.of(values.map { ($0, 1) })
            #expect(before == sorted[index])
            let after = WeightedMedian.of((values + [outlier]).map { ($0, 1) })!
            #expect(after >= sorted[max(index - 1, 0)] && after <= sorted[min(index + 1, sorted.count - 1)], "\(sorted) + \(outlier) → \(after)")
        }
    }

    /// The aggregate lies within [min, max] of the surviving sources, and every rejected source
    /// is further from it than every survivor's side of the median allows.
    @Test func aggregateWithinSurvivors() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            var aggregator = PairAggregator(pair: "X", settings: PairSettings())
            let count = Int.random(in: 1...10, using: &random)
            var prices: [String: UInt128] = [:]
            for index in 0..<count {
                let price = Int.random(in: 0...4, using: &random) == 0
                    ? UInt128(UInt64.random(in: 1...1_000_000, using: &random)) * PriceScale.one
                    : UInt128(UInt64.random(in: 63_000...65_000, using: &random)) * PriceScale.one
                prices["s\(index)"] = price
                _ = aggregator.observe(MarketObservation(source: "s\(index)", pair: "X", price: price, volume: nil, sourceTime: 100, receivedAt: 100, weight: UInt32.random(in: 0...5, using: &random)))
            }
            let latest = aggregator.latest!
            let survivors = prices.filter { !latest.rejected.contains($0.key) }.map(\.value)
            #expect(survivors.count == latest.sources)
            #expect(!survivors.isEmpty)
            let price = latest.price!
            #expect(price >= survivors.min()! && price <= survivors.max()!, "\(prices) rejected \(latest.rejected) → \(price)")
            #expect(survivors.contains(price))
        }
    }

    /// The incremental TWAP equals summing price × duration over the segments in the window.
    @Test func twapMatchesSegmentSum() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let window = Int64.random(in: 0...200, using: &random)
            var twap = TWAP(window: window)
            var records: [(price: UInt128, time: Int64)] = []
            var time = Int64.random(in: -1_000...1_000, using: &random)
            let huge = Bool.random(using: &random)
            for _ in 0..<Int.random(in: 1...40, using: &random) {
                time += Int64.random(in: 0...30, using: &random)
                let price = huge ? UInt128.random(in: (UInt128.max / 2)...UInt128.max, using: &random) : UInt128(UInt64.random(in: 0...1_000_000, using: &random)) * PriceScale.one
                twap.record(price: price, at: time)
                if let last = records.last, last.time == time { records.removeLast() }
                records.append((price, time))
                let query = time + Int64.random(in: 0...50, using: &random)
                #expect(twap.value(at: query) == Self.model(records, window: window, at: query), "window \(window) records \(records) at \(query)")
            }
        }
    }

    static func model(_ records: [(price: UInt128, time: Int64)], window: Int64, at time: Int64) -> UInt128? {
        guard let last = records.last, time >= last.time else { return nil }
        let start = max(time - window, records[0].time)
        guard time > start, window > 0 else { return last.price }
        var sum = Wide256.zero
        for (index, record) in records.enumerated() {
            let end = index + 1 < records.count ? records[index + 1].time : time
            let from = max(record.time, start)
            guard end > from else { continue }
            sum += Wide256(record.price, times: UInt128(end - from))
        }
        return sum.dividedHalfEven(by: UInt128(time - start))
    }

    /// The rolling median equals the lower median of the samples in (t − window, t].
    @Test func rollingMedianMatchesModel() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let window = Int64.random(in: 1...100, using: &random)
            var median = RollingMedian(window: window)
            var records: [(UInt128, Int64)] = []
            var time: Int64 = 0
            for _ in 0..<Int.random(in: 1...60, using: &random) {
                time += Int64.random(in: 0...20, using: &random)
                let price = UInt128(UInt64.random(in: 0...50, using: &random))
                median.record(price, at: time)
                records.append((price, time))
                let query = time + Int64.random(in: 0...40, using: &random)
                let inside = records.filter { $0.1 > query - window && $0.1 <= query }.map(\.0).sorted()
                #expect(median.value(at: query) == (inside.isEmpty ? nil : inside[(inside.count - 1) / 2]))
            }
        }
    }
}
