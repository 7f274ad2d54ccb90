import Testing
@testable import Market

@Suite struct FlashMoveTests {
    let flash = rule("flash", .flashMove(pair: "BTC/USD", bps: 500, windowSeconds: 60))

    @Test func spikeOfExactlyThresholdIsSilentOneUnitMoreFires() {
        var engine = MonitorEngine(rules: [flash])
        #expect(engine.run([priceEvent("BTC/USD", "100", at: 0), priceEvent("BTC/USD", "105", at: 30)]).isEmpty)
        let alerts = engine.process(priceEvent("BTC/USD", "105.000000000000000001", at: 31))
        #expect(alerts.count == 1)
        let alert = alerts[0]
        #expect(alert.key == "flash_move:BTC/USD:spike")
        #expect(alert.kind == .flashMove && alert.rule == "flash" && alert.subject == "BTC/USD" && alert.time == 31)
        #expect(alert.evidence["direction"] == "spike")
        #expect(alert.evidence["from_price"] == "100")
        #expect(alert.evidence["from_time"] == "0")
        #expect(alert.evidence["to_price"] == "105.000000000000000001")
        #expect(alert.evidence["move_bps"] == "500.00")
        #expect(alert.message.contains("spiked") && alert.message.contains("from 100 at 0 to 105.000000000000000001 at 31"))
    }

    @Test func crashComparesWithWindowMaximum() {
        var engine = MonitorEngine(rules: [flash])
        // 97 → 100 is +309 bps; 100 → 95 is exactly −500 bps of the maximum: silent.
        #expect(engine.run([priceEvent("BTC/USD", "97", at: 0), priceEvent("BTC/USD", "100", at: 10), priceEvent("BTC/USD", "95", at: 20)]).isEmpty)
        let alerts = engine.process(priceEvent("BTC/USD", "94.99", at: 25))
        #expect(alerts.map(\.key) == ["flash_move:BTC/USD:crash"])
        #expect(alerts.first?.evidence["from_price"] == "100")
        #expect(alerts.first?.evidence["move_bps"] == "501.00")
        #expect(alerts.first?.message.contains("crashed") == true)
    }

    @Test func windowIsHalfOpenExactToTheSecond() {
        var engine = MonitorEngine(rules: [flash])
        // 60 s after the 100: the 100 is out of the (0, 60] window.
        #expect(engine.run([priceEvent("BTC/USD", "100", at: 0), priceEvent("BTC/USD", "110", at: 60)]).isEmpty)
        var other = MonitorEngine(rules: [flash])
        #expect(other.run([priceEvent("BTC/USD", "100", at: 0), priceEvent("BTC/USD", "110", at: 59)]).map(\.key) == ["flash_move:BTC/USD:spike"])
    }

    @Test func wildcardKeepsPairsApartAndSkipsMissingPrices() {
        var engine = MonitorEngine(rules: [rule(.flashMove(pair: "*", bps: 100, windowSeconds: 60))])
        let alerts = engine.run([
            priceEvent("BTC/USD", "100", at: 0), priceEvent("ETH/USD", "200", at: 1),
            priceEvent("BTC/USD", nil, at: 2, status: "no_quorum"),
            priceEvent("ETH/USD", "101", at: 3),  // vs ETH's 200: crash; BTC's 100 is irrelevant
        ])
        #expect(alerts.map(\.key) == ["flash_move:ETH/USD:crash"])
    }

    @Test func otherPairsIgnored() {
        var engine = MonitorEngine(rules: [flash])
        #expect(engine.run([priceEvent("ETH/USD", "100", at: 0), priceEvent("ETH/USD", "200", at: 1)]).isEmpty)
    }
}

@Suite struct DepegTests {
    let depeg = rule("usdt", .depeg(pair: "USDT/USD", peg: px("1.00"), warningBps: 50, criticalBps: 200))

    @Test func bandsAndNearMisses() {
        var engine = MonitorEngine(rules: [depeg])
        #expect(engine.process(priceEvent("USDT/USD", "1.005", at: 0)).isEmpty)  // exactly 50 bps
        #expect(engine.process(priceEvent("USDT/USD", "0.995", at: 1)).isEmpty)
        let warning = engine.process(priceEvent("USDT/USD", "1.005000000000000001", at: 2))
        #expect(warning.map(\.severity) == [.warning])
        #expect(warning.first?.key == "depeg:USDT/USD")
        #expect(warning.first?.evidence["side"] == "above")
        #expect(warning.first?.evidence["deviation_bps"] == "50.00")
        let edge = engine.process(priceEvent("USDT/USD", "0.98", at: 3))  // exactly 200 bps: still warning
        #expect(edge.map(\.severity) == [.warning])
        #expect(edge.first?.evidence["side"] == "below")
        let critical = engine.process(priceEvent("USDT/USD", "0.979999999999999999", at: 4))
        #expect(critical.map(\.severity) == [.critical])
        #expect(critical.first?.message == "USDT/USD at 0.979999999999999999 is 200.00 bps below its peg of 1 (warning above 50 bps, critical above 200 bps).")
    }

    @Test func onlyItsPairAndOnlyPrices() {
        var engine = MonitorEngine(rules: [depeg])
        #expect(engine.run([priceEvent("USDC/USD", "0.5", at: 0), priceEvent("USDT/USD", nil, at: 1, status: "no_quorum")]).isEmpty)
    }

    @Test func infoBaseSeverityForWarningBand() {
        var engine = MonitorEngine(rules: [rule(severity: .info, .depeg(pair: "X", peg: px("1"), warningBps: 10, criticalBps: 20))])
        #expect(engine.process(priceEvent("X", "1.0015", at: 0)).map(\.severity) == [.info])
        #expect(engine.process(priceEvent("X", "1.0021", at: 1)).map(\.severity) == [.critical])
    }
}

@Suite struct WhaleTests {
    @Test func minAmountIsInclusive() {
        var engine = MonitorEngine(rules: [rule("whale", .whale(asset: "USDC", minAmount: 1_000_000, minValue: nil))])
        #expect(engine.process(transferEvent(amount: 999_999, at: 0)).isEmpty)
        #expect(engine.process(transferEvent(asset: "USDT", amount: 5_000_000, at: 1)).isEmpty)
        let alerts = engine.process(transferEvent("tx-9", amount: 1_000_000, at: 2))
        #expect(alerts.map(\.key) == ["whale:ten:acct-1"])
        #expect(alerts.first?.evidence["transfer"] == "tx-9")
        #expect(alerts.first?.evidence["amount"] == "1000000")
        #expect(alerts.first?.message == "Whale transfer tx-9 of 1000000 USDC smallest units by account acct-1 (tenant ten): amount 1000000 ≥ 1000000.")
    }

    @Test func minValueAcrossAssets() {
        var engine = MonitorEngine(rules: [rule(.whale(asset: "*", minAmount: nil, minValue: px("10000")))])
        #expect(engine.process(transferEvent(amount: 1, value: "9999.999999999999999999", at: 0)).isEmpty)
        #expect(engine.process(transferEvent(amount: UInt128.max, value: nil, at: 1)).isEmpty)  // unknown value never fires
        let alerts = engine.process(transferEvent(asset: "BTC", amount: 1, value: "10000", at: 2))
        #expect(alerts.count == 1)
        #expect(alerts.first?.evidence["value"] == "10000" && alerts.first?.evidence["min_value"] == "10000")
    }

    @Test func eitherThresholdFires() {
        var engine = MonitorEngine(rules: [rule(.whale(asset: "USDC", minAmount: 100, minValue: px("50")))])
        #expect(engine.process(transferEvent(amount: 99, value: "49.9", at: 0)).isEmpty)
        #expect(engine.process(transferEvent(amount: 99, value: "50", at: 1)).count == 1)
        #expect(engine.process(transferEvent(amount: 100, value: nil, at: 2)).count == 1)
    }
}

@Suite struct VelocityTests {
    @Test func countIsRollingAndExactToTheSecond() {
        var engine = MonitorEngine(rules: [rule("vel", .velocity(asset: "*", maxCount: 3, maxAmount: nil, windowSeconds: 60))])
        #expect(engine.run([0, 10, 20].map { transferEvent(amount: 1, at: $0) }).isEmpty)
        #expect(engine.process(transferEvent(amount: 1, at: 60)).isEmpty)  // t=0 left: 10, 20, 60
        let alerts = engine.process(transferEvent(amount: 1, at: 61))  // 10, 20, 60, 61
        #expect(alerts.map(\.key) == ["velocity:ten:acct-1"])
        #expect(alerts.first?.evidence["count"] == "4")
        #expect(alerts.first?.message == "Velocity: account acct-1 (tenant ten) made 4 transfers within 60 s (max 3 transfers).")
    }

    @Test func amountTotalIsExactAndPerAccount() {
        var engine = MonitorEngine(rules: [rule(.velocity(asset: "USDC", maxCount: nil, maxAmount: 1_000, windowSeconds: 100))])
        #expect(engine.run([
            transferEvent(amount: 600, at: 0), transferEvent(account: "acct-2", amount: 600, at: 1),
            transferEvent(tenant: "other", amount: 600, at: 2), transferEvent(asset: "USDT", amount: 600, at: 3),
            transferEvent(amount: 400, at: 4),  // exactly 1000
        ]).isEmpty)
        let alerts = engine.process(transferEvent(amount: 1, at: 5))
        #expect(alerts.first?.evidence["total_amount"] == "1001")
        #expect(alerts.first?.key == "velocity:ten:acct-1")
    }

    @Test func hugeAmountsDoNotOverflow() {
        var engine = MonitorEngine(rules: [rule(.velocity(asset: "USDC", maxCount: nil, maxAmount: UInt128.max, windowSeconds: 100))])
        #expect(engine.process(transferEvent(amount: UInt128.max, at: 0)).isEmpty)
        let alerts = engine.process(transferEvent(amount: 1, at: 1))
        #expect(alerts.first?.evidence["total_amount"] == "340282366920938463463374607431768211456")
    }
}

@Suite struct SourceRuleTests {
    let quotes = [SourceQuote(source: "kraken", price: px("100"), time: 40), SourceQuote(source: "binance", price: px("100"), time: 95)]

    @Test func staleOnPriceEventsAndOnTick() {
        var engine = MonitorEngine(rules: [rule("stale", .sourceStale(pair: "*", maxAgeSeconds: 60))])
        #expect(engine.process(priceEvent("BTC/USD", "100", at: 100, sources: quotes)).isEmpty)  // kraken exactly 60 s old
        let alerts = engine.tick(now: 101)
        #expect(alerts.map(\.key) == ["source_stale:BTC/USD:kraken"])
        #expect(alerts.first?.subject == "kraken")
        #expect(alerts.first?.evidence["age_seconds"] == "61")
        #expect(alerts.first?.message == "Source kraken for BTC/USD last observed at 40 is 61 s old at 101 (max 60 s).")
        // binance goes stale later; kraken keeps firing (cooldown 0); a price event evaluates too.
        #expect(engine.process(priceEvent("BTC/USD", nil, at: 156, status: "stale", sources: quotes)).map(\.key) == ["source_stale:BTC/USD:binance", "source_stale:BTC/USD:kraken"])
    }

    @Test func staleForgetsSourcesDroppedFromTheList() {
        var engine = MonitorEngine(rules: [rule(.sourceStale(pair: "BTC/USD", maxAgeSeconds: 10))])
        _ = engine.process(priceEvent("BTC/USD", "1", at: 0, sources: quotes))
        _ = engine.process(priceEvent("BTC/USD", "1", at: 100, sources: [SourceQuote(source: "binance", price: 1, time: 100)]))
        #expect(engine.tick(now: 105).isEmpty)
        #expect(engine.process(priceEvent("ETH/USD", "1", at: 106, sources: quotes)).isEmpty)  // other pair
    }

    @Test func divergenceFromAggregate() {
        var engine = MonitorEngine(rules: [rule("div", .sourceDivergence(pair: "BTC/USD", bps: 100))])
        let edge = [SourceQuote(source: "a", price: px("101"), time: 0), SourceQuote(source: "b", price: px("99"), time: 0)]
        #expect(engine.process(priceEvent("BTC/USD", "100", at: 0, sources: edge)).isEmpty)  // exactly 100 bps
        let over = [SourceQuote(source: "a", price: px("101.000000000000000001"), time: 1), SourceQuote(source: "b", price: px("98.99"), time: 1), SourceQuote(source: "c", price: px("100"), time: 1)]
        let alerts = engine.process(priceEvent("BTC/USD", "100", at: 1, sources: over))
        #expect(alerts.map(\.key) == ["source_divergence:BTC/USD:a", "source_divergence:BTC/USD:b"])
        #expect(alerts.last?.evidence["divergence_bps"] == "101.00")
        #expect(alerts.last?.message == "Source b quotes BTC/USD at 98.99, 101.00 bps from the aggregate 100 (threshold 100 bps).")
        #expect(engine.process(priceEvent("BTC/USD", nil, at: 2, status: "no_quorum", sources: over)).isEmpty)
    }
}

@Suite struct CooldownTests {
    @Test func repeatsSuppressedEscalationBypassesRefiresAfterCooldown() {
        var engine = MonitorEngine(rules: [rule("peg", cooldown: 300, .depeg(pair: "P", peg: px("1"), warningBps: 50, criticalBps: 200))])
        #expect(engine.process(priceEvent("P", "0.99", at: 0)).map(\.severity) == [.warning])
        #expect(engine.process(priceEvent("P", "0.99", at: 10)).isEmpty)
        #expect(engine.process(priceEvent("P", "0.99", at: 20)).isEmpty)
        #expect(engine.suppressedCount(rule: "peg", key: "depeg:P") == 2)
        let escalated = engine.process(priceEvent("P", "0.9", at: 30))
        #expect(escalated.map(\.severity) == [.critical])
        #expect(escalated.first?.suppressed == 2)
        #expect(engine.suppressedCount(rule: "peg", key: "depeg:P") == 0)
        #expect(engine.process(priceEvent("P", "0.99", at: 40)).isEmpty)  // de-escalation is a repeat
        #expect(engine.process(priceEvent("P", "0.9", at: 329)).isEmpty)  // 299 s after the critical
        let again = engine.process(priceEvent("P", "0.9", at: 330))  // 300 s: cool-down over
        #expect(again.map(\.severity) == [.critical])
        #expect(again.first?.suppressed == 2)
        // After the cool-down a warning fires again too.
        #expect(engine.process(priceEvent("P", "0.99", at: 630)).map(\.severity) == [.warning])
    }

    @Test func keysCoolDownIndependently() {
        var engine = MonitorEngine(rules: [rule(cooldown: 100, .whale(asset: "*", minAmount: nil, minValue: px("1")))])
        #expect(engine.process(transferEvent(account: "a", amount: 1, value: "5", at: 0)).count == 1)
        #expect(engine.process(transferEvent(account: "b", amount: 1, value: "5", at: 1)).count == 1)
        #expect(engine.process(transferEvent(account: "a", amount: 1, value: "5", at: 2)).isEmpty)
        #expect(engine.suppressedCount(rule: "r", key: "whale:ten:a") == 1)
        #expect(engine.suppressedCount(rule: "r", key: "whale:ten:b") == 0)
    }

    @Test func rulesCoolDownIndependently() {
        let tiers = [
            rule("warn", cooldown: 1_000, .flashMove(pair: "*", bps: 100, windowSeconds: 60)),
            rule("crit", severity: .critical, cooldown: 1_000, .flashMove(pair: "*", bps: 1_000, windowSeconds: 60)),
        ]
        var engine = MonitorEngine(rules: tiers)
        _ = engine.process(priceEvent("X", "100", at: 0))
        #expect(engine.process(priceEvent("X", "102", at: 1)).map(\.rule) == ["warn"])
        #expect(engine.process(priceEvent("X", "120", at: 2)).map(\.rule) == ["crit"])
    }

    @Test func tickPrunesExpiredCooldownsButKeepsUnreportedSuppressions() {
        var engine = MonitorEngine(rules: [rule(cooldown: 10, .whale(asset: "*", minAmount: nil, minValue: px("1")))])
        _ = engine.process(transferEvent(account: "a", amount: 1, value: "5", at: 0))
        _ = engine.process(transferEvent(account: "b", amount: 1, value: "5", at: 0))
        _ = engine.process(transferEvent(account: "b", amount: 1, value: "5", at: 5))
        #expect(engine.retained.cooldownKeys == 2)
        _ = engine.tick(now: 9)
        #expect(engine.retained.cooldownKeys == 2)
        _ = engine.tick(now: 10)
        #expect(engine.retained.cooldownKeys == 1)
        #expect(engine.suppressedCount(rule: "r", key: "whale:ten:b") == 1)
        let later = engine.process(transferEvent(account: "b", amount: 1, value: "5", at: 1_000))
        #expect(later.first?.suppressed == 1)
    }

    @Test func zeroCooldownNeverSuppresses() {
        var engine = MonitorEngine(rules: [rule(.whale(asset: "*", minAmount: nil, minValue: px("1")))])
        for time in [0, 0, 1] as [Int64] { #expect(engine.process(transferEvent(amount: 1, value: "1", at: time)).count == 1) }
    }
}

@Suite struct MonitorTimeTests {
    @Test func lateEventsAreEvaluatedAtTheClock() {
        var engine = MonitorEngine(rules: [rule(.velocity(asset: "*", maxCount: 1, maxAmount: nil, windowSeconds: 10))])
        _ = engine.process(transferEvent(amount: 1, at: 100))
        let alerts = engine.process(transferEvent(amount: 1, at: 50))
        #expect(alerts.first?.time == 100)
        #expect(alerts.first?.evidence["event_time"] == "50")
        #expect(engine.clock == 100)
        _ = engine.tick(now: 20)
        #expect(engine.clock == 100)
    }

    @Test func stateIsBoundedByTheWindows() {
        var engine = MonitorEngine(rules: [
            rule(.flashMove(pair: "*", bps: 100, windowSeconds: 30)),
            rule("v", cooldown: 5, .velocity(asset: "*", maxCount: 1_000, maxAmount: nil, windowSeconds: 30)),
        ])
        for time in Int64(0)..<5_000 {
            _ = engine.process(priceEvent("P\(time % 7)", String(100 + time % 13), at: time))
            _ = engine.process(transferEvent(account: "acct-\(time % 50)", amount: 1, at: time))
            if time % 100 == 0 { _ = engine.tick(now: time) }
        }
        // Each flash window holds ≤ 2 × (ticks in 30 s) entries; each velocity window ≤ 30 s of transfers.
        #expect(engine.retained.windowEntries <= 7 * 2 * 5 + 50 * 1)
        _ = engine.tick(now: 10_000)
        #expect(engine.retained == MonitorEngine.RetainedState(windows: 0, windowEntries: 0, sourcePairs: 0, cooldownKeys: 0))
    }
}

@Suite struct BreakerAndRestartTests {
    @Test func breakerFiresOnlyWhileFrozenAndCoolsDown() {
        var engine = MonitorEngine(rules: [rule("cb", severity: .critical, cooldown: 60, .circuitBreaker(pair: "*"))])
        #expect(engine.process(priceEvent("BTC/USD", "64000", at: 0)).isEmpty)
        let tripped = engine.process(priceEvent("BTC/USD", "64000", at: 10, status: "breaker"))
        #expect(tripped.map(\.key) == ["circuit_breaker:BTC/USD"])
        #expect(tripped.first?.severity == .critical && tripped.first?.evidence["frozen_price"] == "64000")
        #expect(engine.process(priceEvent("BTC/USD", "64000", at: 20, status: "breaker")).isEmpty)  // cooling down
        #expect(engine.process(priceEvent("ETH/USD", nil, at: 21, status: "no_quorum")).isEmpty)  // other statuses are not the breaker's
        let again = engine.process(priceEvent("BTC/USD", "64000", at: 70, status: "breaker"))
        #expect(again.count == 1 && again.first?.suppressed == 1)
    }

    @Test func sourcesSeenBetweenPublicationsAreWhatStalenessJudges() {
        var engine = MonitorEngine(rules: [rule(.sourceStale(pair: "BTC/USD", maxAgeSeconds: 60))])
        _ = engine.process(priceEvent("BTC/USD", "1", at: 0, sources: [SourceQuote(source: "a", price: 1, time: 0)]))
        // a kept reporting without moving the price enough to publish.
        engine.updateSources(of: "BTC/USD", [SourceQuote(source: "a", price: 1, time: 50)])
        #expect(engine.tick(now: 100).isEmpty)
        #expect(engine.tick(now: 111).map(\.subject) == ["a"])
    }

    @Test func aRestartedEngineRemembersCooldowns() {
        let rules = [rule("cb", cooldown: 300, .circuitBreaker(pair: "BTC/USD"))]
        var engine = MonitorEngine(rules: rules)
        engine.remember(rule: "cb", key: "circuit_breaker:BTC/USD", severity: .warning, firedAt: 100)
        engine.remember(rule: "gone", key: "circuit_breaker:BTC/USD", severity: .warning, firedAt: 100)  // ignored
        #expect(engine.process(priceEvent("BTC/USD", "1", at: 200, status: "breaker")).isEmpty)
        #expect(engine.process(priceEvent("BTC/USD", "1", at: 400, status: "breaker")).count == 1)
    }
}
