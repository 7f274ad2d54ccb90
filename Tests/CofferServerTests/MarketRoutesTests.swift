import CofferBase
import CofferCore
import Foundation
import HTTPTypes
import Testing

@testable import CofferServer
import CofferTestSupport

/// The market routes on every backend: a replayed price read now and at a time, crossed; an
/// account and a portfolio valued exactly, formatted per locale; another tenant valuing only its
/// own accounts; the operator's sources shown to API keys without their files; bad input refused.
struct MarketRoutesTests {
    /// The operator's replay source (BTC/USD 64,000 then 65,000; EUR/USD 1.25) and pairs, replayed;
    /// tenant A's customer alice holds 0.5 BTC, tenant B's bob 2 BTC.
    static func setUp(_ server: VaultFixture) async throws {
        let recording = TemporaryPaths.make("coffer-market", suffix: ".jsonl")
        try Data([
            #"{"pair":"BTC/USD","price":"64000","volume":"2","time":"2026-11-01T00:00:00Z"}"#,
            #"{"pair":"EUR/USD","price":"1.25","time":"2026-11-01T00:00:00Z"}"#,
            #"{"pair":"BTC/USD","price":"65000","volume":"2","time":"2026-11-01T00:10:00Z"}"#,
            #"{"pair":"EUR/USD","price":"1.25","time":"2026-11-01T00:10:00Z"}"#,
        ].joined(separator: "\n").utf8).write(to: recording)
        let market = server.api.services.market, operatorCaller = try Caller.commandLine()
        _ = try await market.addSource(AddMarketSourceRequest(name: "recorded", kind: "replay", file: recording.path), by: operatorCaller)
        _ = try await market.addPair(AddMarketPairRequest(pair: "BTC/USD", maxAge: 3_600), by: operatorCaller)
        _ = try await market.addPair(AddMarketPairRequest(pair: "EUR/USD", maxAge: 3_600), by: operatorCaller)
        _ = try await market.replay(until: nil, by: operatorCaller)
        for (tenant, customer, amount) in [(server.adminA, "alice", "50000000"), (server.adminB, "bob", "200000000")] {
            for (uri, body) in [
                ("/v1/assets", #"{"code":"BTC","decimals":8}"#),
                ("/v1/accounts", #"{"id":"treasury","asset":"BTC"}"#),
                ("/v1/accounts", #"{"id":"\#(customer)-btc","asset":"BTC","owner":"\#(customer)"}"#),
                ("/v1/transfers", #"{"id":"fund","debit":"treasury","credit":"\#(customer)-btc","amount":"\#(amount)","asset":"BTC"}"#),
            ] {
                let reply = try await server.api.call(.post, uri, as: tenant, body: body)
                try #require((200..<300).contains(reply.status), "\(uri) \(body): \(reply.text)")
            }
        }
    }

    @Test(arguments: ServerBackend.all)
    func pricesValuationsAndFormatting(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            try await Self.setUp(server)
            let api = server.api, reader = server.readerA
            let now = try await api.call(.get, "/v1/market/price?pair=BTC/USD", as: reader)
            #expect(now.status == 200 && now.object["price"] as? String == "65000" && now.object["route"] as? [String] == ["BTC/USD"], "\(now.text)")
            let then = try await api.call(.get, "/v1/market/price?pair=BTC/EUR&at=2026-11-01T00:05:00Z", as: reader)
            #expect(then.object["price"] as? String == "51200" && then.object["route"] as? [String] == ["BTC/USD", "EUR/USD"], "\(then.text)")
            // 0.5 BTC × 65,000 = 32,500.00 USD; the same in EUR at 1.25 = 26,000.00.
            let account = try await api.call(.get, "/v1/valuations/accounts/alice-btc?currency=USD", as: reader)
            #expect(account.object["value"] as? String == "32500.00" && account.object["amount"] as? String == "0.50000000", "\(account.text)")
            let portfolio = try await api.call(.get, "/v1/valuations/portfolio?currency=EUR&customer=alice&locale=de-DE", as: reader)
            #expect(portfolio.object["total"] as? String == "26000.00" && portfolio.object["formatted_total"] as? String == "26.000,00\u{00A0}€",
                    "\(portfolio.text)")
            let formatted = try await api.call(.get, "/v1/format?amount=1234567.891&currency=INR&locale=hi-IN", as: reader)
            #expect(formatted.object["text"] as? String == "₹12,34,567.89", "\(formatted.text)")
            let compact = try await api.call(.get, "/v1/format?amount=1234567&currency=USD&locale=en-US&compact=true", as: reader)
            #expect(compact.object["text"] as? String == "$1.2M", "\(compact.text)")
            // API keys see the sources without their files, and cannot change what every tenant shares.
            let sources = try await api.call(.get, "/v1/market/sources", as: server.adminA)
            #expect(sources.data.first?["name"] as? String == "recorded" && sources.data.first?["file"] is NSNull, "\(sources.text)")
            #expect(try await api.call(.post, "/v1/market/pairs", as: server.adminA, body: #"{"pair":"ETH/USD"}"#).status == 405)
            #expect(try await api.call(.get, "/v1/market/pairs", as: reader).data.count == 2)
            // Bad input: a 4xx problem naming what was wrong.
            for (uri, word) in [("/v1/market/price?pair=BTCUSD", "BTCUSD"), ("/v1/market/price?pair=BTC/USD&at=soon", "at"),
                                ("/v1/market/price", "pair"), ("/v1/valuations/accounts/alice-btc?currency=ZZZ", "ZZZ"),
                                ("/v1/valuations/portfolio?currency=USD&locale=xx", "locale"), ("/v1/format?amount=1e5&currency=USD&locale=en-US", "1e5"),
                                ("/v1/format?amount=1&currency=USD&locale=en-US&compact=yes", "compact"),
                                ("/v1/valuations/portfolio?currency=USD&color=red", "color")] {
                let reply = try await api.call(.get, uri, as: reader)
                #expect((400..<500).contains(reply.status) && reply.text.contains(word), "\(uri): \(reply.status) \(reply.text)")
            }
            #expect(try await api.call(.get, "/v1/market/price?pair=DOGE/JPY", as: reader).problemSlug == "no-price-route")
        }
    }

    /// Tenant B values its own accounts only: A's account is not found, B's portfolio holds B's
    /// customer alone, and every customer together is B's customers.
    @Test(arguments: ServerBackend.all)
    func valuationsStayInsideTheCallersTenant(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            try await Self.setUp(server)
            let api = server.api, b = server.adminB
            #expect(try await api.call(.get, "/v1/valuations/accounts/alice-btc?currency=USD", as: b).status == 404)
            let everyone = try await api.call(.get, "/v1/valuations/portfolio?currency=USD", as: b)
            let assets = everyone.object["assets"] as? [[String: Any]]
            #expect(assets?.count == 1 && assets?.first?["amount"] as? String == "2.00000000" && everyone.object["total"] as? String == "130000.00",
                    "\(everyone.text)")
            let alice = try await api.call(.get, "/v1/valuations/portfolio?currency=USD&customer=alice", as: b)
            #expect((alice.object["assets"] as? [Any])?.isEmpty == true && alice.object["total"] as? String == "0.00", "\(alice.text)")
            let a = try await api.call(.get, "/v1/valuations/portfolio?currency=USD", as: server.adminA)
            #expect(a.object["total"] as? String == "32500.00", "\(a.text)")
        }
    }

    /// Monitoring over HTTP: the operator's rules; a peg the replay breaks (market-wide: every
    /// tenant sees it, only the operator decides on it) and whale transfers the live monitor
    /// reads from the ledger (each tenant sees, decides on and is sent only its own).
    @Test(arguments: ServerBackend.all)
    func alertsStayWithTheirTenant(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let api = server.api, market = api.services.market, operatorCaller = try Caller.commandLine()
            let rules = #"[{"name":"eur-peg","kind":"depeg","pair":"EUR/USD","peg":"1","warning_bps":100,"critical_bps":1000,"cooldown_seconds":0},"#
                + #"{"name":"whale","kind":"whale","asset":"BTC","min_amount":"40000000","cooldown_seconds":0,"route":["webhook"]}]"#
            _ = try await market.setMonitorRules(SetMonitorRulesRequest(rules: rules), by: operatorCaller)
            await api.services.monitor.tick(now: Int64(Date().timeIntervalSince1970))
            try await Self.setUp(server)
            await api.services.monitor.tick(now: Int64(Date().timeIntervalSince1970))

            func alerts(_ tenant: TestTenant) async throws -> [[String: Any]] {
                let reply = try await api.call(.get, "/v1/market/alerts?limit=1000", as: tenant)
                #expect(reply.status == 200, "\(reply.text)")
                return reply.object["data"] as? [[String: Any]] ?? []
            }
            let seenByA = try await alerts(server.readerA), seenByB = try await alerts(server.adminB)
            let peg = try #require(seenByA.first { $0["rule"] as? String == "eur-peg" })
            #expect(peg["tenant"] is NSNull && peg["severity"] as? String == "critical", "\(peg)")
            #expect(seenByB.contains { $0["id"] as? Int == peg["id"] as? Int })
            // Each tenant's fund transfer is a whale from both of its accounts, named as the tenant names them.
            let whalesA = seenByA.filter { $0["rule"] as? String == "whale" }, whalesB = seenByB.filter { $0["rule"] as? String == "whale" }
            #expect(Set(whalesA.compactMap { $0["subject"] as? String }) == ["treasury", "alice-btc"], "\(whalesA)")
            #expect(Set(whalesB.compactMap { $0["subject"] as? String }) == ["treasury", "bob-btc"], "\(whalesB)")
            #expect(whalesA.allSatisfy { $0["tenant"] as? String == server.tenantA && ($0["evidence"] as? [String: String])?["amount"] == "50000000" })
            let ownB = try #require(whalesB.first?["id"] as? Int), ownA = try #require(whalesA.first?["id"] as? Int)
            // A can neither read nor decide on B's; nor on the market-wide one; B decides on its own.
            #expect(try await api.call(.get, "/v1/market/alerts/\(ownB)", as: server.adminA).status == 404)
            let note = #"{"note":"checked"}"#
            #expect(try await api.call(.post, "/v1/market/alerts/\(ownB)/acknowledge", as: server.adminA, body: note).status == 404)
            #expect(try await api.call(.post, "/v1/market/alerts/\(peg["id"] as? Int ?? 0)/acknowledge", as: server.adminA, body: note).status == 403)
            #expect(try await api.call(.post, "/v1/market/alerts/\(ownA)/acknowledge", as: server.readerA, body: note).status == 403)
            let decided = try await api.call(.post, "/v1/market/alerts/\(ownB)/resolve", as: server.adminB, body: note)
            #expect(decided.status == 200 && decided.object["status"] as? String == "resolved", "\(decided.text)")
            _ = try await market.acknowledge(Int64(peg["id"] as? Int ?? 0), MarketAlertDecisionRequest(note: "EUR feed checked"), by: operatorCaller)
            #expect(try await api.call(.get, "/v1/market/alerts/\(ownA)", as: server.readerA).object["status"] as? String == "open")
            // The webhook-routed whales are market.alert events in each tenant's own outbox; the
            // peg (log and webhook) in the operator's.
            for (tenant, count) in [(server.adminA, whalesA.count), (server.adminB, whalesB.count)] {
                let events = try await api.call(.get, "/v1/events?limit=1000", as: tenant).object["data"] as? [[String: Any]] ?? []
                #expect(events.filter { $0["type"] as? String == "market.alert" }.count == count, "\(events)")
            }
            // Bad input: a clear 4xx, nothing changed.
            for uri in ["/v1/market/alerts?status=closed", "/v1/market/alerts?severity=loud", "/v1/market/alerts?limit=0", "/v1/market/alerts?after=x",
                        "/v1/market/alerts/abc", "/v1/market/alerts/0"] {
                let reply = try await api.call(.get, uri, as: server.readerA)
                #expect((400..<500).contains(reply.status), "\(uri): \(reply.status) \(reply.text)")
            }
            let empty = try await api.call(.post, "/v1/market/alerts/\(ownA)/resolve", as: server.adminA, body: #"{"note":"  "}"#)
            #expect(empty.status == 400, "\(empty.text)")
            #expect(try await api.call(.get, "/v1/market/alerts/\(ownA)", as: server.readerA).object["trail"] as? [Any] != nil)
        }
    }
}
