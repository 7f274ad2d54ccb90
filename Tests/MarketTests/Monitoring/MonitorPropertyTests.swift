import PropertyBased
import Testing
@testable import Market

/// Brute-force models over the full history, compared with the incremental engine.
@Suite struct MonitorPropertyTests {
    /// Velocity: the engine's count/total and its emitted alerts (with cool-down and suppressed
    /// counts) equal recomputing every account's window over the whole history.
    @Test func velocityMatchesFullHistory() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let window = Int64.random(in: 1...40, using: &random)
            let cooldown = Bool.random(using: &random) ? 0 : Int64.random(in: 0...30, using: &random)
            let maxCount: Int? = Int.random(in: 0...2, using: &random) == 0 ? nil : Int.random(in: 0...5, using: &random)
            let huge = Int.random(in: 0...3, using: &random) == 0
            let maxAmount: UInt128? = maxCount == nil || Bool.random(using: &random)
                ? (huge ? UInt128.max - UInt128(UInt64.random(in: 0...UInt64.max, using: &random)) : UInt128(UInt64.random(in: 0...300, using: &random)))
                : nil
            let velocity = rule("v", cooldown: cooldown, .velocity(asset: "A", maxCount: maxCount, maxAmount: maxAmount, windowSeconds: window))
            var engine = MonitorEngine(rules: [velocity])

            var history: [(account: String, time: Int64, amount: UInt128)] = []
            var lastFired: [String: (time: Int64, suppressed: Int)] = [:]
            var base = Int64.random(in: -100...100, using: &random)
            var clock: Int64?  // the engine's clock: the latest time given so far
            for step in 0..<Int.random(in: 1...80, using: &random) {
                base += Int64.random(in: 0...6, using: &random)
                if Int.random(in: 0...9, using: &random) == 0 {
                    #expect(engine.tick(now: base).isEmpty)
                    clock = max(base, clock ?? base)
                    continue
                }
                // Mostly in order; sometimes stamped late (evaluated at the clock).
                let stamp = Int.random(in: 0...7, using: &random) == 0 ? base - Int64.random(in: 1...50, using: &random) : base
                clock = max(stamp, clock ?? stamp)
                let now = clock!
                let account = ["a", "b", "c"].randomElement(using: &random)!
                let asset = Int.random(in: 0...4, using: &random) == 0 ? "B" : "A"
                let amount = huge ? UInt128.random(in: 0...UInt128.max, using: &random) : UInt128(UInt64.random(in: 0...100, using: &random))
                let alerts = engine.process(.transfer(TransferTick(id: "t\(step)", tenant: "T", account: account, asset: asset, amount: amount, time: stamp)))
                guard asset == "A" else {
                    #expect(alerts.isEmpty)
                    continue
                }
                history.append((account, now, amount))
                let inside = history.filter { $0.account == account && $0.time > now - window && $0.time <= now }
                var totalHigh = 0
                var totalLow: UInt128 = 0
                for entry in inside {
                    let (sum, overflow) = totalLow.addingReportingOverflow(entry.amount)
                    totalLow = sum
                    if overflow { totalHigh += 1 }
                }
                let overCount = maxCount.map { inside.count > $0 } ?? false
                let overAmount = maxAmount.map { totalHigh > 0 || totalLow > $0 } ?? false
                guard overCount || overAmount else {
                    #expect(alerts.isEmpty, "step \(step)")
                    continue
                }
                if let last = lastFired[account], now - last.time < cooldown {
                    lastFired[account]!.suppressed += 1
                    #expect(alerts.isEmpty, "step \(step): cooling")
                    #expect(engine.suppressedCount(rule: "v", key: "velocity:T:\(account)") == lastFired[account]!.suppressed)
                    continue
                }
                #expect(alerts.count == 1, "step \(step)")
                guard let alert = alerts.first else { continue }
                #expect(alert.key == "velocity:T:\(account)")
                #expect(alert.time == now)
                #expect(alert.evidence["event_time"] == (stamp == now ? nil : String(stamp)))
                #expect(alert.evidence["count"] == String(inside.count))
                #expect(alert.suppressed == (lastFired[account]?.suppressed ?? 0))
                if totalHigh == 0 { #expect(alert.evidence["total_amount"] == String(totalLow)) }
                lastFired[account] = (now, 0)
            }
            _ = engine.tick(now: base + 60)
            #expect(engine.retained.windows == 0)
        }
    }

    /// Flash move: a spike (crash) alert fires exactly when some price in the window is lower
    /// (higher) than the current one by more than bps of itself, checked over every earlier
    /// price; the reported reference is the one giving the largest move.
    @Test func flashMoveMatchesAllPairsInWindow() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let window = Int64.random(in: 1...60, using: &random)
            let bps = [1, 50, 500, 2_500, 10_000, 20_000].randomElement(using: &random)!
            var engine = MonitorEngine(rules: [rule(.flashMove(pair: "*", bps: UInt32(bps), windowSeconds: window))])
            let scale = Int.random(in: 0...2, using: &random)
            var history: [String: [(time: Int64, price: UInt128)]] = [:]
            var clock: Int64 = 0
            for step in 0..<Int.random(in: 1...70, using: &random) {
                clock += Int64.random(in: 0...8, using: &random)
                if Int.random(in: 0...9, using: &random) == 0 {
                    _ = engine.tick(now: clock)
                    continue
                }
                let pair = ["X", "Y"].randomElement(using: &random)!
                let price: UInt128? = switch scale {
                case 0: UInt128([95, 100, 105, 110, 0].randomElement(using: &random)!) * DecimalText.one18
                case 1: UInt128(UInt64.random(in: 60_000...70_000, using: &random)) * DecimalText.one18
                default: UInt128.random(in: 0...(UInt128(1) << 100), using: &random)
                }
                let maybePrice = Int.random(in: 0...12, using: &random) == 0 ? nil : price
                let alerts = engine.process(.price(PriceTick(pair: pair, price: maybePrice, time: clock)))
                guard let current = maybePrice else {
                    #expect(alerts.isEmpty)
                    continue
                }
                history[pair, default: []].append((clock, current))
                let inside = history[pair]!.filter { $0.time > clock - window }.map(\.price)
                // Plain UInt128 arithmetic is exact here: prices ≤ 2^100, factors < 2^15.
                let spikes = inside.filter { $0 < current && (current - $0) * 10_000 > UInt128(bps) * $0 }
                let crashes = inside.filter { $0 > current && ($0 - current) * 10_000 > UInt128(bps) * $0 }
                var expected: [String] = []
                if !crashes.isEmpty { expected.append("flash_move:\(pair):crash") }
                if !spikes.isEmpty { expected.append("flash_move:\(pair):spike") }
                #expect(alerts.map(\.key) == expected, "step \(step) window \(window) bps \(bps) \(inside) → \(current)")
                for alert in alerts {
                    let reference = alert.evidence["direction"] == "spike" ? inside.min()! : inside.max()!
                    #expect(alert.evidence["from_price"] == DecimalText.format(reference, decimals: 18))
                    #expect(alert.evidence["to_price"] == DecimalText.format(current, decimals: 18))
                }
            }
            _ = engine.tick(now: clock + window)
            #expect(engine.retained.windowEntries == 0)
        }
    }

    /// Cool-down model for a level-triggered depeg with random severities: emitted alerts and
    /// suppressed counts follow "suppress within cooldown unless the severity rises".
    @Test func cooldownMatchesModel() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let cooldown = Int64.random(in: 0...20, using: &random)
            var engine = MonitorEngine(rules: [rule("p", cooldown: cooldown, .depeg(pair: "P", peg: px("1"), warningBps: 100, criticalBps: 500))])
            var last: (time: Int64, severity: Severity, suppressed: Int)?
            var clock: Int64 = 0
            for _ in 0..<Int.random(in: 1...60, using: &random) {
                clock += Int64.random(in: 0...5, using: &random)
                let (text, severity): (String, Severity?) = [("1", nil), ("1.02", .warning), ("0.98", .warning), ("1.06", .critical), ("0.9", .critical)].randomElement(using: &random)!
                let alerts = engine.process(priceEvent("P", text, at: clock))
                guard let severity else {
                    #expect(alerts.isEmpty)
                    continue
                }
                if let previous = last, clock - previous.time < cooldown, severity <= previous.severity {
                    last!.suppressed += 1
                    #expect(alerts.isEmpty)
                } else {
                    #expect(alerts.map(\.severity) == [severity])
                    #expect(alerts.first?.suppressed == (last?.suppressed ?? 0))
                    last = (clock, severity, 0)
                }
                #expect(engine.suppressedCount(rule: "p", key: "depeg:P") == (last?.suppressed ?? 0))
            }
        }
    }
}
