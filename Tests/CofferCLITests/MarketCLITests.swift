import Foundation
import Testing
import CofferTestSupport

/// `coffer market | value | format`: recorded replays through aggregation (a flash crash, one
/// manipulated source, quorum loss), prices now and at a time, crossed and inverted, portfolio
/// valuations, and formatting — the issue's CLI contract, on SQLite and on PostgreSQL.
struct MarketCLITests {
    /// 2026-11-01T00:00:00Z.
    static let start: Int64 = 1_793_491_200
    static let honest: [String: Int] = ["a": 64_000, "b": 64_001, "c": 64_002]

    static func time(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(start + seconds)))
    }

    /// Three sources of BTC/USD every 10 s for 20 minutes (b one second after a, c two):
    /// - ticks 40-44 (400-449 s): every source at 70 % (a flash crash), back at tick 45;
    /// - ticks 70-79 (700-799 s): source c alone reports 10.00 (manipulated);
    /// - from tick 100 (1000 s): b and c stop; a goes on to tick 119 (quorum of 2 lost).
    /// Source a also reports EUR/USD 1.08 to tick 130, so time moves on for every pair.
    static func recordings() -> [String: String] {
        var lines: [String: [String]] = ["a": [], "b": [], "c": []]
        for tick in 0..<131 {
            for (offset, source) in ["a", "b", "c"].enumerated() {
                let seconds = Int64(tick * 10 + offset)
                if source == "a", tick < 131 {
                    lines[source]!.append(#"{"pair":"EUR/USD","price":"1.08","time":"\#(time(seconds))"}"#)
                }
                if tick >= 120 || (source != "a" && tick >= 100) { continue }
                var price = "\(honest[source]!)"
                if (40..<45).contains(tick) { price = "\(honest[source]! * 7 / 10)" }
                if source == "c", (70..<80).contains(tick) { price = "10.00" }
                lines[source]!.append(#"{"pair":"BTC/USD","price":"\#(price)","volume":"1.5","time":"\#(time(seconds))"}"#)
            }
        }
        return lines.mapValues { $0.joined(separator: "\n") + "\n" }
    }

    struct Market {
        let backend: LedgerTestBackend
        let directory: URL

        init(_ kind: LedgerTestBackend.Kind) throws {
            backend = try LedgerTestBackend.fresh(kind)
            directory = TemporaryPaths.make("coffer-market")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        @discardableResult
        func run(_ arguments: [String], stdin: String? = nil, status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> CofferProcess.Result {
            let result = try CofferProcess.run(arguments + backend.storageArguments, stdin: stdin)
            #expect(result.status == status, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
            return result
        }

        func object(_ arguments: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            let text = try run(arguments, stdin: stdin, sourceLocation: sourceLocation).stdout
            return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }

        func expectRejected(_ arguments: [String], stdin: String? = nil, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
            try CofferProcess.expectRejected(arguments + backend.storageArguments, stdin: stdin, mentioning: words, sourceLocation: sourceLocation)
        }

        /// Adds the three recorded sources and the two pairs and runs the replay.
        func replayed() throws -> [[String: Any]] {
            for (name, contents) in MarketCLITests.recordings() {
                let file = directory.appendingPathComponent("\(name).jsonl")
                try Data(contents.utf8).write(to: file)
                try run(["market", "source", "add", "--name", name, "--kind", "replay", "--file", file.path])
            }
            try run(["market", "pair", "add", "--pair", "BTC/USD", "--quorum", "2", "--max-age", "30", "--deviation-bps", "10", "--heartbeat", "60",
                     "--breaker-bps", "1000", "--breaker-window", "60", "--twap-window", "300"])
            try run(["market", "pair", "add", "--pair", "EUR/USD", "--max-age", "30"])
            let output = try run(["market", "replay"]).stdout
            return output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }

        func remove() {
            try? backend.remove()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Seconds since the replay's start of a record's "time".
    static func offset(_ record: [String: Any]) -> Int64 {
        let formatter = ISO8601DateFormatter()
        return Int64(formatter.date(from: record["time"] as! String)!.timeIntervalSince1970) - start
    }

    static func whole(_ price: Any?) -> Int? { (price as? String).flatMap { Int($0.split(separator: ".").first ?? "") } }

    @Test func flashCrashManipulationAndQuorumLossOnSQLite() throws { try Self.flashCrashManipulationAndQuorumLoss(.sqlite) }

    @Test(LedgerTestBackend.postgresEnabled) func flashCrashManipulationAndQuorumLossOnPostgreSQL() throws {
        try Self.flashCrashManipulationAndQuorumLoss(.postgres)
    }

    static func flashCrashManipulationAndQuorumLoss(_ kind: LedgerTestBackend.Kind) throws {
        let market = try Market(kind)
        defer { market.remove() }
        let records = try market.replayed()
        let btc = records.filter { $0["pair"] as? String == "BTC/USD" }
        #expect(btc.count > 10)
        // Every record has the contract's fields.
        for record in records {
            for key in ["pair", "price", "confidence", "sources", "time", "twap", "status"] { #expect(record.keys.contains(key), "\(record)") }
        }
        // The published price never follows the crash or the bad source: every price is an honest one.
        for record in btc where record["price"] is String {
            #expect((64_000...64_002).contains(whole(record["price"]) ?? 0), "\(record)")
        }
        // The crash trips the breaker (price frozen at the last good spot) and it releases after.
        let tripped = btc.filter { $0["status"] as? String == "breaker" }
        #expect(!tripped.isEmpty)
        #expect(tripped.allSatisfy { (400..<460).contains(offset($0)) }, "\(tripped)")
        #expect(btc.contains { $0["status"] as? String == "ok" && (450..<700).contains(offset($0)) }, "released after the crash")
        // The manipulated source is rejected while it lies, and the price stays honest.
        let manipulated = btc.filter { (700..<800).contains(offset($0)) }
        #expect(!manipulated.isEmpty)
        #expect(manipulated.allSatisfy { $0["status"] as? String == "ok" && ($0["rejected"] as? [String]) == ["c"] }, "\(manipulated)")
        // Quorum loss: one fresh source of two needed gives no price, not a guess.
        let lost = btc.filter { offset($0) >= 1_000 }
        #expect(lost.first?["status"] as? String == "no_quorum")
        #expect(lost.first?["price"] is NSNull)
        #expect(lost.allSatisfy { $0["status"] as? String != "ok" })
        for record in btc where record["status"] as? String == "no_quorum" { #expect(record["price"] is NSNull) }
        // When a stops too, the pair goes stale (the last price carried, flagged).
        #expect(lost.last?["status"] as? String == "stale")

        // --until stops the replay at that time; a replay replaces the previous one.
        let partial = try market.run(["market", "replay", "--until", time(300)]).stdout.split(separator: "\n")
        #expect(!partial.isEmpty && partial.allSatisfy { !$0.contains(time(310)) })
        #expect(partial.count < records.count)
        try market.run(["market", "replay"])

        // Prices at a time: direct, crossed through USD, inverted; each with its route.
        let direct = try market.object(["market", "price", "--pair", "BTC/USD", "--at", time(300)])
        #expect(direct["route"] as? [String] == ["BTC/USD"] && direct["status"] as? String == "ok")
        let crossed = try market.object(["market", "price", "--pair", "BTC/EUR", "--at", time(300)])
        #expect(crossed["route"] as? [String] == ["BTC/USD", "EUR/USD"], "\(crossed)")
        let spot = try #require(whole(direct["price"]))
        // BTC/EUR = BTC/USD ÷ EUR/USD, exactly to 18 decimals, half-even (Python's Decimal gives these).
        let exact = [64_000: "59259.259259259259259259", 64_001: "59260.185185185185185185", 64_002: "59261.111111111111111111"]
        #expect(exact[spot] != nil && crossed["price"] as? String == exact[spot], "\(spot): \(crossed)")
        let inverse = try market.object(["market", "price", "--pair", "USD/BTC", "--at", time(300)])
        #expect(inverse["route"] as? [String] == ["BTC/USD"])
        #expect((inverse["price"] as? String)?.hasPrefix("0.0000156") == true, "\(inverse)")
        // During the crash the frozen price is what a valuation sees.
        let duringCrash = try market.object(["market", "price", "--pair", "BTC/USD", "--at", time(430)])
        #expect(duringCrash["status"] as? String == "breaker" && (64_000...64_002).contains(whole(duringCrash["price"]) ?? 0), "\(duringCrash)")
        // Before the first publication there is no price: null with its status, never a zero.
        let before = try market.object(["market", "price", "--pair", "BTC/USD", "--at", time(-60)])
        #expect(before["price"] is NSNull && before["status"] as? String == "no_quorum", "\(before)")
        try market.expectRejected(["market", "price", "--pair", "DOGE/JPY"], mentioning: ["DOGE/JPY"])
    }

    @Test func valuesAccountsAndPortfoliosExactlyOnSQLite() throws { try Self.valuesAccountsAndPortfoliosExactly(.sqlite) }

    @Test(LedgerTestBackend.postgresEnabled) func valuesAccountsAndPortfoliosExactlyOnPostgreSQL() throws {
        try Self.valuesAccountsAndPortfoliosExactly(.postgres)
    }

    static func valuesAccountsAndPortfoliosExactly(_ kind: LedgerTestBackend.Kind) throws {
        let market = try Market(kind)
        defer { market.remove() }
        _ = try market.replayed()
        try market.run(["ledger", "asset", "create", "--code", "BTC", "--decimals", "8"])
        try market.run(["ledger", "asset", "create", "--code", "EUR", "--decimals", "2"])
        try market.run(["ledger", "asset", "create", "--code", "DOGE", "--decimals", "8"])
        for (id, asset, owner) in [("treasury", "BTC", ""), ("alice-btc", "BTC", "alice"), ("bob-btc", "BTC", "bob"), ("pool", "EUR", ""),
                                   ("alice-eur", "EUR", "alice"), ("dogs", "DOGE", ""), ("alice-doge", "DOGE", "alice")] {
            try market.run(["ledger", "account", "create", "--id", id, "--asset", asset] + (owner.isEmpty ? [] : ["--owner", owner]))
        }
        try market.run(["ledger", "transfer"], stdin: [
            #"{"id":"t1","debit":"treasury","credit":"alice-btc","amount":"150000000","asset":"BTC"}"#,
            #"{"id":"t2","debit":"treasury","credit":"bob-btc","amount":"12345678","asset":"BTC"}"#,
            #"{"id":"t3","debit":"pool","credit":"alice-eur","amount":"123456","asset":"EUR"}"#,
            #"{"id":"t4","debit":"dogs","credit":"alice-doge","amount":"100000000","asset":"DOGE"}"#,
        ].joined(separator: "\n") + "\n")
        // Now: the balances as they are and the last publications (BTC/USD's carried, stale).
        let quote = try market.object(["market", "price", "--pair", "BTC/USD"])
        #expect(quote["status"] as? String == "stale")
        let price = try #require(quote["price"] as? String)
        // 1.5 BTC at the price then, half-even to cents (the price is whole dollars here).
        let dollars = try #require(Int(price))
        let account = try market.object(["value", "--account", "alice-btc", "--currency", "USD"])
        #expect(account["value"] as? String == "\(dollars * 3 / 2).\(dollars % 2 == 0 ? "00" : "50")", "\(account)")
        #expect(account["amount"] as? String == "1.50000000" && account["price"] as? String == price)
        #expect(account.keys.contains("confidence"))
        // Alice's portfolio in USD: BTC and EUR priced, DOGE has no price and is named, not guessed.
        let portfolio = try market.object(["value", "--customer", "alice", "--currency", "USD", "--locale", "en-US"])
        let assets = try #require(portfolio["assets"] as? [[String: Any]])
        #expect(assets.map { $0["asset"] as? String } == ["BTC", "DOGE", "EUR"])
        #expect(assets[2]["value"] as? String == "1333.32")                         // 1234.56 × 1.08 = 1333.3248
        #expect(portfolio["complete"] as? Bool == false && portfolio["unpriced"] as? [String] == ["DOGE"])
        let btcValue = try #require(assets[0]["value"] as? String)
        let cents = Int(btcValue.replacingOccurrences(of: ".", with: ""))! + 133_332
        #expect(portfolio["total"] as? String == "\(cents / 100).\(String(format: "%02d", cents % 100))")
        #expect(assets[0]["formatted_amount"] as? String == "BTC1.50")
        // The same portfolio in de-DE and hi-IN: same numbers, local forms.
        let german = try market.object(["value", "--customer", "alice", "--currency", "EUR", "--locale", "de-DE"])
        let indian = try market.object(["value", "--customer", "alice", "--currency", "EUR", "--locale", "hi-IN"])
        #expect(german["total"] as? String == indian["total"] as? String)
        #expect((german["formatted_total"] as? String)?.hasSuffix("\u{00A0}€") == true, "\(german)")
        #expect((indian["formatted_total"] as? String)?.hasPrefix("€") == true, "\(indian)")
        // Every customer together: alice's and bob's BTC summed, then valued once.
        let everyone = try market.object(["value", "--all", "--currency", "USD"])
        let summed = try #require((everyone["assets"] as? [[String: Any]])?.first)
        #expect(summed["amount"] as? String == "1.62345678" && summed["accounts"] as? Int == 2)
        // At a time before any transfer every balance was zero.
        let then = try market.object(["value", "--customer", "alice", "--currency", "USD", "--at", time(300)])
        #expect(then["total"] as? String == "0.00")
        // Bad input: one clear error, nothing else.
        try market.expectRejected(["value", "--customer", "alice", "--currency", "XYZ"], mentioning: ["XYZ"])
        try market.expectRejected(["value", "--customer", "alice", "--currency", "USD", "--locale", "xx-XX"], mentioning: ["locale"])
        try market.expectRejected(["value", "--account", "nobody", "--currency", "USD"], mentioning: ["nobody"])
        try market.expectRejected(["value", "--currency", "USD"], mentioning: ["--account"])
    }

    @Test func formatsForEachLocale() throws {
        let cases: [([String], String)] = [
            (["1234567.891", "USD", "en-US"], "$1,234,567.89"),
            (["1234567.891", "INR", "hi-IN"], "₹12,34,567.89"),
            (["1234567.891", "EUR", "de-DE"], "1.234.567,89\u{00A0}€"),
            (["1234567.5", "JPY", "ja-JP"], "￥1,234,568"),
            (["1234.5675", "KWD", "en-US"], "KWD1,234.568"),   // Babel applies no CLDR currency spacing
            (["0.12345678", "BTC", "en-US"], "BTC0.12345678"),
        ]
        for (arguments, expected) in cases {
            let result = try CofferProcess.run(["format", "--amount", arguments[0], "--currency", arguments[1], "--locale", arguments[2]])
            #expect(result.status == 0 && result.stdout == expected + "\n", "\(arguments): \(result.stdout)\(result.stderr)")
        }
        let compact = try CofferProcess.run(["format", "--amount", "1234567", "--currency", "CNY", "--locale", "zh-CN", "--compact"])
        #expect(compact.stdout == "¥123.5万\n", "\(compact.stdout)")
        try CofferProcess.expectRejected(["format", "--amount", "1,5", "--currency", "USD", "--locale", "en-US"], mentioning: ["1,5"])
        try CofferProcess.expectRejected(["format", "--amount", "1", "--currency", "USD", "--locale", "tlh-QO"], mentioning: ["tlh-QO"])
    }

    @Test func badMarketInputChangesNothing() throws {
        let market = try Market(.sqlite)
        defer { market.remove() }
        let bad = market.directory.appendingPathComponent("bad.jsonl")
        try Data((#"{"pair":"BTC/USD","price":"1","time":"2026-11-01T00:00:00Z"}"# + "\n" + #"{"pair":"BTC/USD","price":"-5","time":"2026-11-01T00:00:10Z"}"# + "\n").utf8)
            .write(to: bad)
        try market.expectRejected(["market", "source", "add", "--name", "x", "--kind", "replay", "--file", bad.path], mentioning: ["line 2"])
        try market.expectRejected(["market", "source", "add", "--name", "x", "--kind", "carrier-pigeon", "--file", bad.path], mentioning: ["kind"])
        try market.expectRejected(["market", "pair", "add", "--pair", "BTCUSD"], mentioning: ["BTCUSD"])
        try market.expectRejected(["market", "pair", "add", "--pair", "BTC/USD", "--quorum", "0"], mentioning: ["quorum"])
        try market.expectRejected(["market", "replay", "--until", "yesterday"], mentioning: ["until"])
        #expect(try market.run(["market", "source", "list"]).stdout.isEmpty)
        #expect(try market.run(["market", "pair", "list"]).stdout.isEmpty)
        // The same pair twice is idempotent; other settings for it are a conflict.
        try market.run(["market", "pair", "add", "--pair", "BTC/USD", "--quorum", "2"])
        try market.run(["market", "pair", "add", "--pair", "BTC/USD", "--quorum", "2"])
        try market.expectRejected(["market", "pair", "add", "--pair", "BTC/USD", "--quorum", "3"], mentioning: ["other settings"])
    }
}
