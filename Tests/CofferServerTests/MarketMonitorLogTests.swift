import CofferBase
import CofferCore
import Foundation
import Logging
import Market
import Synchronization
import Testing

@testable import CofferServer

/// The live monitor's `log` route: an alert of a rule routed to the log is written at the level
/// of its severity with its id, rule and key; one routed elsewhere is stored but not logged; and
/// a monitor built afresh (a restart) remembers the cool-down of what was raised before.
struct MarketMonitorLogTests {
    final class CapturedLog: Sendable {
        let records = Mutex<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])
    }

    struct Capture: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.records.withLock { $0.append((event.level, "\(event.message)", event.metadata ?? [:])) }
        }
    }

    static func price(_ pair: String, _ text: String, at time: Int64) -> AggregatePrice {
        let units = try! DecimalText.parse(text, decimals: 18)
        return AggregatePrice(pair: pair, price: units, confidence: 0, sources: 1, time: time, twap: nil, median24h: nil, status: .ok,
                              lowLiquidity: false, rejected: [])
    }

    @Test func alertsAreLoggedByRouteAndCooldownsSurviveARestart() async throws {
        try await ServerBackend.sqlite.withServices { all in
            let market = all[0].market
            let rules = #"[{"name":"usdt","kind":"depeg","pair":"USDT/USD","peg":"1","warning_bps":50,"critical_bps":200,"cooldown_seconds":600},"#
                + #"{"name":"quiet","kind":"depeg","pair":"USDC/USD","peg":"1","warning_bps":50,"critical_bps":200,"cooldown_seconds":600,"route":[]}]"#
            _ = try await market.setMonitorRules(SetMonitorRulesRequest(rules: rules), by: try Caller.commandLine())
            let captured = CapturedLog()
            let monitor = MarketMonitor(market: market, logger: Logger(label: "monitor") { _ in Capture(log: captured) })
            await monitor.observe([Self.price("USDT/USD", "0.97", at: 1_000), Self.price("USDC/USD", "0.97", at: 1_000)], sources: [:])
            let logged = captured.records.withLock { $0 }
            #expect(logged.count == 1, "\(logged.map(\.message))")
            #expect(logged.first?.level == .critical && logged.first?.message.hasPrefix("USDT/USD at 0.97 is 300") == true, "\(logged.map(\.message))")
            #expect(logged.first?.metadata["rule"] == "usdt" && logged.first?.metadata["key"] == "depeg:USDT/USD")
            let stored = try await market.alerts(MarketAlertQuery(), by: try Caller.commandLine())
            #expect(stored.map(\.rule) == ["usdt", "quiet"] && stored.allSatisfy { $0.origin == "live" })

            // A new monitor over the same database: within the cool-down nothing repeats.
            let restarted = MarketMonitor(market: market, logger: Logger(label: "monitor") { _ in Capture(log: captured) })
            await restarted.observe([Self.price("USDT/USD", "0.97", at: 1_100)], sources: [:])
            #expect(try await market.alerts(MarketAlertQuery(), by: try Caller.commandLine()).count == 2)
            await restarted.observe([Self.price("USDT/USD", "0.97", at: 1_700)], sources: [:])
            let after = try await market.alerts(MarketAlertQuery(rule: "usdt"), by: try Caller.commandLine())
            #expect(after.count == 2 && after.last?.suppressed == 1, "\(after.map(\.time))")
        }
    }
}
