import Foundation
import Testing
@testable import Market

@Suite struct ScenarioTests {
    static let honest: [(String, UInt128)] = [
        ("a", 63_990), ("b", 64_000), ("c", 64_010), ("d", 63_995), ("e", 64_005), ("f", 64_020), ("g", 63_980),
    ]

    /// 7 sources around 64,000 and one at 90,000: the price never follows it, it is rejected.
    @Test func outlierIsRejectedAndNeverFollowed() {
        var aggregator = PairAggregator(pair: "BTC/USD", settings: PairSettings())
        var time: Int64 = 1_700_000_000
        var published: [AggregatePrice] = []
        for round in 0..<5 {
            for (source, price) in Self.honest {
                time += 1
                if let p = aggregator.observe(obs(source, units(price + UInt128(round)), at: time)) { published.append(p) }
            }
            time += 1
            if let p = aggregator.observe(obs("liar", units(90_000), at: time)) { published.append(p) }
            let latest = try! #require(aggregator.latest)
            #expect(latest.rejected == ["liar"])
            #expect(latest.sources == 7)
            #expect(latest.status == .ok)
            #expect(latest.price! >= units(63_980) && latest.price! <= units(64_024))
        }
        #expect(!published.isEmpty)
        for p in published { #expect(p.price! < units(64_100), "followed the outlier: \(p)") }
        // The confidence is the median distance of the survivors, not inflated by the liar.
        #expect(aggregator.latest!.confidence! <= units(20))
    }

    /// Lower weighted median and the Pyth-style confidence, by hand.
    @Test func priceAndConfidenceByHand() {
        var aggregator = PairAggregator(pair: "BTC/USD", settings: PairSettings())
        _ = aggregator.observe(obs("a", units(100), at: 10))
        _ = aggregator.observe(obs("b", units(101), at: 10))
        _ = aggregator.observe(obs("c", units(102), at: 10, weight: 2))
        // Weights 1,1,2 (total 4): cumulative 1,2 → 2×2 >= 4 at 101.
        let latest = aggregator.latest!
        #expect(latest.price == units(101))
        // |p − 101| = 1 (w1), 0 (w1), 1 (w2): sorted 0(1),1(3) → cumulative 1, 4 → 1.
        #expect(latest.confidence == units(1))
        #expect(latest.rejected.isEmpty)
    }

    /// Flash crash: −30 % in 10 s then back; the breaker freezes the price and releases.
    @Test func flashCrashTripsBreakerAndReleases() {
        var settings = PairSettings()
        settings.breakerBps = 500
        settings.breakerWindow = 60
        var aggregator = PairAggregator(pair: "BTC/USD", settings: settings)
        var publications: [AggregatePrice] = []
        func tick(_ time: Int64, _ price: UInt128) {
            for (source, _) in Self.honest {
                if let p = aggregator.observe(obs(source, price, at: time)) { publications.append(p) }
            }
        }
        var time: Int64 = 1_000
        for _ in 0..<24 { tick(time, units(64_000)); time += 5 }   // two minutes of calm
        #expect(aggregator.lastPublished?.status == .ok)
        let before = publications.count
        tick(time, units(57_600)); time += 5                        // −10 %
        tick(time, units(44_800)); time += 5                        // −30 % ten seconds in
        tick(time, units(44_800)); time += 5
        let during = Array(publications[before...])
        #expect(!during.isEmpty)
        for p in during {
            #expect(p.status == .breaker)
            #expect(p.price == units(64_000))
        }
        #expect(aggregator.latest?.status == .breaker && aggregator.latest?.price == units(64_000))
        // Confidence while tripped: distance of the market from the frozen price.
        #expect(aggregator.latest?.confidence == units(19_200))
        // Recovery: back within 5 % of the frozen price releases at once.
        tick(time, units(63_900))
        #expect(aggregator.lastPublished?.status == .ok)
        #expect(aggregator.lastPublished?.price == units(63_900))
        #expect(publications.allSatisfy { $0.price! >= units(64_000) * 95 / 100 })
    }

    /// A slow slide that never moves 5 % within the window still trips the TWAP breaker once the
    /// spot is 3 % off its 30-minute average; a move-only breaker would have followed it down.
    @Test func slowSlideTripsTheTWAPBreaker() {
        var settings = PairSettings()
        settings.breakerBps = 500
        settings.breakerTwapBps = 300
        settings.breakerWindow = 60
        settings.twapWindow = 1_800
        var aggregator = PairAggregator(pair: "X", settings: settings)
        var tripped: AggregatePrice?
        var time: Int64 = 0
        for _ in 0..<180 { _ = aggregator.observe(obs("a", units(1_000), at: time, pair: "X")); time += 10 }   // 30 min calm
        var price = units(1_000)
        while tripped == nil, time < 10_000 {
            price -= units(1)                                        // −0.1 % every 10 s: 0.6 % a minute
            _ = aggregator.observe(obs("a", price, at: time, pair: "X"))
            if aggregator.latest?.status == .breaker { tripped = aggregator.latest }
            time += 10
        }
        let trip = try! #require(tripped)
        let twap = try! #require(trip.twap)
        // It tripped as soon as the spot was more than 3 % below the TWAP, not before.
        #expect((twap - price) * 10_000 > twap * 300)
        #expect((twap - (price + units(1))) * 10_000 <= twap * 300 || trip.price! > price)
        #expect(trip.price! > price)                                  // frozen above the slide
        // Without the TWAP trigger the same slide is followed all the way down.
        var plain = settings
        plain.breakerTwapBps = nil
        var follower = PairAggregator(pair: "X", settings: plain)
        var slide = units(1_000)
        for step in 0..<Int64(time / 10) {
            if step >= 180 { slide -= units(1) }
            _ = follower.observe(obs("a", slide, at: step * 10, pair: "X"))
            #expect(follower.latest?.status == .ok)
        }
        #expect(follower.latest?.price == slide)
    }

    /// A lasting move: the breaker releases once the spot has held one level for a window.
    @Test func breakerAcceptsNewLevelAfterWindow() {
        var settings = PairSettings()
        settings.breakerBps = 500
        settings.breakerWindow = 60
        var aggregator = PairAggregator(pair: "X", settings: settings)
        func tick(_ time: Int64, _ price: UInt128) -> AggregatePrice? {
            aggregator.observe(obs("a", price, at: time, pair: "X"))
        }
        _ = tick(0, units(100))
        _ = tick(30, units(100))
        #expect(tick(61, units(80))?.status == .breaker)          // −20 %: trips, anchor 80 at 61
        #expect(aggregator.latest?.price == units(100))
        #expect(tick(80, units(81)) == nil)                         // within 5 % of anchor, still tripped
        #expect(aggregator.latest?.status == .breaker)
        #expect(tick(100, units(70)) == nil)                        // left the anchor: new anchor at 100
        _ = tick(150, units(71))
        #expect(aggregator.latest?.status == .breaker)              // 50 s at the new level: not yet
        let released = tick(160, units(72))                         // 60 s: new level accepted
        #expect(released?.status == .ok && released?.price == units(72))
        // No re-trip right after: the accepted history restarted at the release.
        #expect(tick(170, units(72)) == nil)
        #expect(aggregator.latest?.status == .ok)
    }

    /// Quorum 3 with only 2 fresh sources: no_quorum with price nil.
    @Test func quorumNotMet() {
        var settings = PairSettings()
        settings.quorum = 3
        settings.maxAge = 60
        var aggregator = PairAggregator(pair: "BTC/USD", settings: settings)
        _ = aggregator.observe(obs("a", units(64_000), at: 0))
        _ = aggregator.observe(obs("b", units(64_001), at: 1))
        let first = aggregator.observe(obs("c", units(64_002), at: 2))
        #expect(first?.status == .ok && first?.sources == 3)
        // "a" ages out at 60 (fresh means sourceTime > now − 60).
        #expect(aggregator.advance(to: 59) == nil)
        let noQuorum = aggregator.advance(to: 60)
        #expect(noQuorum?.status == .noQuorum)
        #expect(noQuorum?.price == nil && noQuorum?.confidence == nil)
        #expect(noQuorum?.sources == 2)
        #expect(noQuorum?.lowLiquidity == false)
        // A fresh third source brings it back.
        let back = aggregator.observe(obs("a", units(64_000), at: 60))
        #expect(back?.status == .ok && back?.price == units(64_001))
        // Everything stale: the last price is carried, status stale.
        let stale = aggregator.advance(to: 200)
        #expect(stale?.status == .stale && stale?.price == units(64_001) && stale?.sources == 0)
    }

    @Test func nothingBeforeAnyPriceThenNoQuorum() {
        var settings = PairSettings()
        settings.quorum = 3
        var aggregator = PairAggregator(pair: "P", settings: settings)
        #expect(aggregator.advance(to: 5) == nil)
        let first = aggregator.observe(obs("a", units(1), at: 6, pair: "P"))
        #expect(first?.status == .noQuorum && first?.price == nil && first?.sources == 1 && first?.lowLiquidity == true)
        #expect(aggregator.observe(obs("b", units(1), at: 7, pair: "P")) == nil)
        #expect(aggregator.latest?.status == .noQuorum && aggregator.latest?.sources == 2)
        // Another pair's observation is ignored.
        #expect(aggregator.observe(obs("c", units(1), at: 8, pair: "Q")) == nil)
        #expect(aggregator.latest?.sources == 2)
    }

    /// Deviation 50 bps and heartbeat 3600 s publish exactly when due.
    @Test func deviationAndHeartbeat() {
        var aggregator = PairAggregator(pair: "X", settings: PairSettings())
        func at(_ time: Int64, _ price: UInt128) -> AggregatePrice? {
            aggregator.observe(obs("a", price, at: time, pair: "X"))
        }
        #expect(at(0, 10_000) != nil)                 // first price
        #expect(at(10, 10_049) == nil)                // 49 bps
        #expect(at(20, 10_050)?.price == 10_050)      // 50 bps: due
        #expect(at(30, 10_000) == nil)                // 49.75 bps of 10,050
        #expect(at(40, 10_100) == nil)                // 49.75 bps up
        #expect(at(50, 9_999) != nil)                 // 50.7 bps down
        #expect(at(59, 9_999) == nil)
        // Heartbeat: keep the source fresh; nothing moves; the next is due at 50 + 3600.
        var time: Int64 = 50
        var heartbeats: [Int64] = []
        while time < 50 + 2 * 3600 {
            time += 25
            if let p = at(time, 9_999) { heartbeats.append(p.time) }
        }
        #expect(heartbeats == [3650, 7250])
        // advance() publishes the heartbeat too, exactly at last publication + heartbeat.
        var settings = PairSettings()
        settings.maxAge = 100_000
        settings.heartbeat = 100
        var quiet = PairAggregator(pair: "X", settings: settings)
        #expect(quiet.observe(obs("a", 7, at: 0, pair: "X")) != nil)
        #expect(quiet.advance(to: 99) == nil)
        #expect(quiet.advance(to: 100)?.status == .ok)
        #expect(quiet.advance(to: 199) == nil)
        #expect(quiet.advance(to: 200)?.time == 200)
    }

    @Test func lowLiquidityByVolume() {
        var settings = PairSettings()
        settings.minimumVolume = units(10)
        var aggregator = PairAggregator(pair: "X", settings: settings)
        _ = aggregator.observe(obs("a", units(5), at: 0, volume: units(4), pair: "X"))
        #expect(aggregator.latest?.lowLiquidity == true)
        _ = aggregator.observe(obs("b", units(5), at: 1, volume: units(6), pair: "X"))
        #expect(aggregator.latest?.lowLiquidity == false)
    }

    @Test func twapAndMedianAreReported() {
        var settings = PairSettings()
        settings.twapWindow = 100
        var aggregator = PairAggregator(pair: "X", settings: settings)
        _ = aggregator.observe(obs("a", 100, at: 0, pair: "X"))
        _ = aggregator.observe(obs("a", 200, at: 50, pair: "X"))
        let p = aggregator.observe(obs("a", 300, at: 100, pair: "X"))
        #expect(p?.twap == 150)           // 100 × 50 + 200 × 50 over 100 s
        #expect(p?.median24h == 200)      // lower median of 100, 200, 300
    }

    @Test func settingsCoding() throws {
        var settings = PairSettings()
        settings.breakerBps = 300
        settings.minimumVolume = units(12)
        #expect(settings.quorum == 1 && settings.maxAge == 60 && settings.outlierMADs == 5)
        #expect(PriceStatus.noQuorum.rawValue == "no_quorum")
        let data = try JSONEncoder().encode(settings)
        #expect(try JSONDecoder().decode(PairSettings.self, from: data) == settings)
        let partial = try JSONDecoder().decode(PairSettings.self, from: Data(#"{"quorum":3,"minimum_volume":"1000000000000000000"}"#.utf8))
        #expect(partial.quorum == 3 && partial.minimumVolume == PriceScale.one && partial.heartbeat == 3600 && partial.breakerBps == nil)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(PairSettings.self, from: Data(#"{"minimum_volume":"1.5"}"#.utf8)) }
    }
}
