import Foundation
import Testing

/// `coffer market rules | alert`: the monitoring rules over a recorded replay (a flash crash that
/// trips the breaker, one manipulated source, two sources that stop), the alerts stored once
/// (a replay run again raises nothing twice), routed to the events outbox, and the decision
/// trail (acknowledged, resolved, audited), on SQLite and on PostgreSQL.
struct MarketMonitorCLITests {
    static let rules = """
        [{"name":"breaker","kind":"circuit_breaker","pair":"*","severity":"critical","cooldown_seconds":600},
         {"name":"divergence","kind":"source_divergence","pair":"BTC/USD","bps":500,"cooldown_seconds":120,"route":["log"]},
         {"name":"stale","kind":"source_stale","pair":"BTC/USD","max_age_seconds":60,"severity":"info","cooldown_seconds":3600},
         {"name":"crash","kind":"flash_move","pair":"BTC/USD","bps":1000,"window_seconds":60,"cooldown_seconds":600}]
        """

    static func lines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func replayedCrashRaisesAlertsDecidedWithATrailOnSQLite() throws { try Self.replayedCrash(.sqlite) }

    @Test(LedgerTestBackend.postgresEnabled) func replayedCrashRaisesAlertsDecidedWithATrailOnPostgreSQL() throws {
        try Self.replayedCrash(.postgres)
    }

    static func replayedCrash(_ kind: LedgerTestBackend.Kind) throws {
        let market = try MarketCLITests.Market(kind)
        defer { market.remove() }
        // Until rules are set, the default rule set is in force: a tripped breaker is critical.
        let defaults = try market.object(["market", "rules", "list"])
        #expect(defaults["configured"] as? Bool == false && (defaults["rules"] as? [[String: Any]])?.first?["kind"] as? String == "circuit_breaker", "\(defaults)")
        let file = market.directory.appendingPathComponent("rules.json")
        try Data(rules.utf8).write(to: file)
        let set = try market.object(["market", "rules", "set", "--file", file.path, "--currency", "eur"])
        #expect(set["currency"] as? String == "EUR" && (set["rules"] as? [Any])?.count == 4, "\(set)")
        _ = try market.replayed()

        let alerts = lines(try market.run(["market", "alert", "list", "--limit", "1000"]).stdout)
        let byRule = Dictionary(grouping: alerts) { $0["rule"] as? String ?? "?" }
        // The crash: the breaker froze the price, so the published price never crashed (no
        // flash_move), and the breaker alert is critical, market-wide, with its evidence.
        let breaker = try #require(byRule["breaker"]?.first, "\(byRule.keys.sorted())")
        #expect(byRule["breaker"]?.count == 1)
        #expect(breaker["severity"] as? String == "critical" && breaker["key"] as? String == "circuit_breaker:BTC/USD" && breaker["tenant"] is NSNull)
        #expect((400..<460).contains(MarketCLITests.offset(breaker)), "\(breaker)")
        #expect((breaker["evidence"] as? [String: String])?["frozen_price"].map { $0.hasPrefix("6400") } == true, "\(breaker)")
        #expect(byRule["crash"] == nil, "the published price never moved 10 %")
        // Every source diverged during the crash; c alone while it lied; each with exact numbers.
        let divergence = byRule["divergence"] ?? []
        let crashSubjects = Set(divergence.filter { (400..<460).contains(MarketCLITests.offset($0)) }.compactMap { $0["subject"] as? String })
        #expect(crashSubjects == ["a", "b", "c"], "\(divergence)")
        let lie = divergence.filter { (700..<800).contains(MarketCLITests.offset($0)) }
        #expect(!lie.isEmpty && lie.allSatisfy { $0["subject"] as? String == "c" && ($0["evidence"] as? [String: String])?["source_price"] == "10" }, "\(lie)")
        // b and c stopped at 1000 s, a's BTC/USD at 1190 s while time went on to 1300 s: each is
        // stale once (cool-down an hour), at the first replayed second more than 60 s after its last
        // observation (time moves in 10 s steps).
        let stale = Dictionary(uniqueKeysWithValues: (byRule["stale"] ?? []).map { ($0["subject"] as? String ?? "?", MarketCLITests.offset($0)) })
        #expect(stale.keys.sorted() == ["a", "b", "c"], "\(stale)")
        #expect((1_052...1_062).contains(stale["b"] ?? 0) && (1_052...1_062).contains(stale["c"] ?? 0) && (1_251...1_262).contains(stale["a"] ?? 0), "\(stale)")
        #expect((byRule["stale"] ?? []).allSatisfy { $0["severity"] as? String == "info" })

        // Run again: the same alerts, none twice.
        _ = try market.run(["market", "replay"])
        #expect(lines(try market.run(["market", "alert", "list", "--limit", "1000"]).stdout).count == alerts.count)

        // Routed: webhook-routed rules' alerts are market.alert events; the log-only rule's are not.
        let events = lines(try market.run(["events", "--limit", "1000"]).stdout).filter { $0["type"] as? String == "market.alert" }
        #expect(events.count == alerts.count - divergence.count, "\(events.count) events for \(alerts.count) alerts")

        // The decision trail: acknowledged, then resolved, each once, audited.
        let id = "\(breaker["id"] as? Int ?? 0)"
        let acknowledged = try market.object(["market", "alert", "ack", "--id", id, "--note", "paged the desk; BTC feeds checked"])
        #expect(acknowledged["status"] as? String == "acknowledged" && (acknowledged["trail"] as? [[String: Any]])?.count == 1, "\(acknowledged)")
        try market.expectRejected(["market", "alert", "ack", "--id", id, "--note", "again"], mentioning: ["acknowledged"])
        let resolved = try market.object(["market", "alert", "resolve", "--id", id, "--note", "crash was real; breaker released at 450 s"])
        let trail = resolved["trail"] as? [[String: Any]] ?? []
        #expect(resolved["status"] as? String == "resolved" && trail.map { $0["action"] as? String } == ["acknowledge", "resolve"], "\(resolved)")
        #expect(trail.last?["note"] as? String == "crash was real; breaker released at 450 s")
        try market.expectRejected(["market", "alert", "resolve", "--id", id, "--note", "again"], mentioning: ["resolved"])
        let audit = lines(try market.run(["audit", "export"]).stdout).filter { ($0["action"] as? String ?? "").hasPrefix("market.") }
        #expect(audit.compactMap { $0["action"] as? String } == ["market.rules.set", "market.alert.acknowledge", "market.alert.resolve"], "\(audit)")
        try market.run(["audit", "verify"])
        #expect(lines(try market.run(["market", "alert", "list", "--status", "open", "--severity", "critical"]).stdout).isEmpty)
    }

    @Test func badRulesAndDecisionsAreRefusedAndChangeNothing() throws {
        let market = try MarketCLITests.Market(.sqlite)
        defer { market.remove() }
        let good = market.directory.appendingPathComponent("good.json")
        try Data(Self.rules.utf8).write(to: good)
        try market.run(["market", "rules", "set", "--file", good.path])
        let before = try market.run(["market", "rules", "list"]).stdout
        for (body, words) in [
            (#"{"name":"x"}"#, ["array"]),
            (#"[{"name":"p","kind":"depeg","pair":"USDT/USD","peg":"1","warning_bps":50,"critical_bps":20,"cooldown_seconds":60}]"#, ["'p'", "critical_bps"]),
            (#"[{"name":"w","kind":"whale","asset":"*","min_amount":"5","cooldown_seconds":60}]"#, ["min_amount", "specific asset"]),
            (#"[{"name":"f","kind":"flash_move","pair":"BTC/USD","bps":10,"window_seconds":60,"cooldown_seconds":60,"route":["pager"]}]"#, ["route", "pager"]),
            (#"[{"name":"a","kind":"circuit_breaker","pair":"*","cooldown_seconds":1},{"name":"a","kind":"circuit_breaker","pair":"*","cooldown_seconds":1}]"#, ["more than one"]),
            (#"[{"name":"b","kind":"circuit_breaker","pair":"*","cooldown_seconds":1,"window":3}]"#, ["window", "not a field"]),
        ] {
            let file = market.directory.appendingPathComponent("bad.json")
            try Data(body.utf8).write(to: file)
            try market.expectRejected(["market", "rules", "set", "--file", file.path], mentioning: words)
        }
        try market.expectRejected(["market", "rules", "set", "--file", good.path, "--currency", "XYZ"], mentioning: ["currency"])
        #expect(try market.run(["market", "rules", "list"]).stdout == before)
        try market.expectRejected(["market", "alert", "show", "--id", "99"], mentioning: ["no alert 99"])
        try market.expectRejected(["market", "alert", "ack", "--id", "99", "--note", "x"], mentioning: ["no alert 99"])
        try market.expectRejected(["market", "alert", "list", "--status", "closed"], mentioning: ["status"])
        try market.expectRejected(["market", "alert", "list", "--severity", "loud"], mentioning: ["severity"])
    }
}
