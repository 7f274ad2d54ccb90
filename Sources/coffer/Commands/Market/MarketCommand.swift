import ArgumentParser
import CofferBase
import CofferCore
import Foundation

/// `coffer market source | pair | replay | price`: market data through `MarketService`, like the
/// HTTP API. docs/market.md explains aggregation, the breaker and cross rates.
struct MarketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market", abstract: "Prices: sources, pairs, replays through aggregation, prices now and at a time.",
        subcommands: [Source.self, Pair.self, Replay.self, PriceCommand.self, Rules.self, Alert.self])

    struct Source: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Price sources (the operator's).", subcommands: [Add.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a source (idempotent for the same settings).")
            @OptionGroup var options: ServiceOptions
            @Option(help: "Source name, 1-64 characters from A-Za-z0-9._:-.") var name: String
            @Option(help: "replay: a file of recorded observations; http: a JSON endpoint coffer serve polls; websocket: a stream coffer serve keeps open.")
            var kind: String
            @Option(help: "The replay file: JSON Lines {\"pair\",\"price\",\"volume\",\"time\"} or CSV with those columns.") var file: String?
            @Option(help: "Weight in the weighted median, 1-1000 (default 1).") var weight: Int?
            @Option(help: "http: the endpoint (http:// or https://); websocket: the stream (ws:// or wss://).") var url: String?
            @Option(help: "http, websocket: a file holding the feed mapping (JSON: items, pair, price, volume, time, filter; docs/market.md).")
            var mapping: String?
            @Option(help: "websocket: a file holding the subscription sent on connecting (a JSON object, or an array of them).") var subscribe: String?
            @Option(help: "http: seconds between polls, 1-3600 (default 10).") var interval: Int64?

            func run() async throws {
                let mappingText = try mapping.map { path in String(decoding: try InputFile.bytes(at: path, what: "feed mapping"), as: UTF8.self) }
                let subscription = try subscribe.map { path in String(decoding: try InputFile.bytes(at: path, what: "subscription"), as: UTF8.self) }
                let request = AddMarketSourceRequest(name: name, kind: kind, file: file, weight: weight, url: url, mapping: mappingText, interval: interval,
                                                     subscribe: subscription)
                try Output.print(try await options.run { try await $0.market.addSource(request, by: $1).resource })
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Every source, one per line.")
            @OptionGroup var options: ServiceOptions

            func run() async throws { for source in try await options.run({ try await $0.market.sources(by: $1) }) { try Output.print(source) } }
        }
    }

    struct Pair: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pairs to publish and how (the operator's).", subcommands: [Add.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a pair (idempotent for the same settings).")
            @OptionGroup var options: ServiceOptions
            @Option(help: "BASE/QUOTE, e.g. BTC/USD.") var pair: String
            @Option(help: "Fresh sources needed for a price (default 1).") var quorum: Int?
            @Option(name: .customLong("max-age"), help: "Seconds an observation stays fresh (default 60).") var maxAge: Int64?
            @Option(name: .customLong("deviation-bps"), help: "Publish on a move of this many basis points (default 50).") var deviationBps: Int?
            @Option(help: "Publish at least every this many seconds (default 3600).") var heartbeat: Int64?
            @Option(name: .customLong("breaker-bps"), help: "Freeze the price on a move of more than this many basis points within --breaker-window.") var breakerBps: Int?
            @Option(name: .customLong("breaker-window"), help: "Seconds (default 60).") var breakerWindow: Int64?
            @Option(name: .customLong("breaker-twap-bps"), help: "Freeze the price when the spot is more than this many basis points from its TWAP.")
            var breakerTwapBps: Int?
            @Option(name: .customLong("twap-window"), help: "Seconds of the time-weighted average (default 1800).") var twapWindow: Int64?
            @Option(name: .customLong("outlier-mads"), help: "Reject observations this many median absolute deviations away (default 5).") var outlierMads: Int?
            @Option(name: .customLong("minimum-volume"), help: "Flag low liquidity below this total fresh volume.") var minimumVolume: String?

            func run() async throws {
                let request = AddMarketPairRequest(pair: pair, quorum: quorum, maxAge: maxAge, deviationBps: deviationBps, heartbeat: heartbeat,
                                                   breakerBps: breakerBps, breakerWindow: breakerWindow, twapWindow: twapWindow,
                                                   outlierMads: outlierMads, minimumVolume: minimumVolume, breakerTwapBps: breakerTwapBps)
                try Output.print(try await options.run { try await $0.market.addPair(request, by: $1).resource })
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Every pair, one per line.")
            @OptionGroup var options: ServiceOptions

            func run() async throws { for pair in try await options.run({ try await $0.market.pairs(by: $1) }) { try Output.print(pair) } }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every replay source through aggregation in time order; print each publication as a JSON line.",
            discussion: "A replay is a backfill: it replaces what an earlier replay stored. \"time\" is the observation's time, not the wall clock.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Stop after observations of this time (RFC 3339).") var until: String?

        func run() async throws {
            let replay = try await options.run { try await $0.market.replay(until: until, by: $1) }
            for price in replay.prices { try Output.print(price) }
        }
    }

    struct PriceCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "price", abstract: "A pair's price now or at a time, direct or crossed.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "BASE/QUOTE, e.g. BTC/EUR.") var pair: String
        @Option(help: "At this time (RFC 3339): the last publication at or before it.") var at: String?

        func run() async throws { try Output.print(try await options.run { try await $0.market.quote(pair, at: at, by: $1) }) }
    }
}

extension MarketCommand {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Monitoring rules (the operator's; docs/market.md lists the kinds).",
                                                        subcommands: [Set.self, List.self])

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Replace the rule set with a file's JSON array of rules.",
                discussion: "Kinds: flash_move, circuit_breaker, depeg, whale, velocity, source_stale, source_divergence. An empty array turns monitoring off.")
            @OptionGroup var options: ServiceOptions
            @Option(help: "A JSON file holding an array of rules.") var file: String
            @Option(help: "ISO 4217 currency whale rules' min_value is measured in (default USD).") var currency: String?

            func run() async throws {
                let text = String(decoding: try InputFile.bytes(at: file, what: "rules"), as: UTF8.self)
                try Output.print(try await options.run { try await $0.market.setMonitorRules(SetMonitorRulesRequest(rules: text, currency: currency), by: $1) })
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The rules in force and the valuation currency.")
            @OptionGroup var options: ServiceOptions

            func run() async throws { try Output.print(try await options.run { try await $0.market.monitorRules(by: $1) }) }
        }
    }

    struct Alert: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Alerts the monitoring rules raised, and decisions on them.",
                                                        subcommands: [List.self, Show.self, Acknowledge.self, Resolve.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Alerts, oldest first, one JSON object per line.")
            @OptionGroup var options: ServiceOptions
            @Option(help: "open, acknowledged or resolved.") var status: String?
            @Option(help: "This severity or higher: info, warning or critical.") var severity: String?
            @Option(help: "Only this rule's alerts.") var rule: String?
            @Option(help: "Only alerts with a greater id (paging).") var after: Int64?
            @Option(help: "At most this many (1-1000, default 100).") var limit: Int?

            func run() async throws {
                let query = MarketAlertQuery(status: status, severity: severity, rule: rule, after: after, limit: limit)
                for alert in try await options.run({ try await $0.market.alerts(query, by: $1) }) { try Output.print(alert) }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "One alert with its evidence and decision trail.")
            @OptionGroup var options: ServiceOptions
            @Option(help: "The alert's id.") var id: Int64

            func run() async throws { try Output.print(try await options.run { try await $0.market.alert(id, by: $1) }) }
        }

        struct Acknowledge: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge an open alert (audited).")
            @OptionGroup var options: ServiceOptions
            @Option(help: "The alert's id.") var id: Int64
            @Option(help: "What is being done about it.") var note: String

            func run() async throws {
                try Output.print(try await options.run { try await $0.market.acknowledge(id, MarketAlertDecisionRequest(note: note), by: $1) })
            }
        }

        struct Resolve: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Resolve an open or acknowledged alert with what was done (audited).")
            @OptionGroup var options: ServiceOptions
            @Option(help: "The alert's id.") var id: Int64
            @Option(help: "What was done.") var note: String

            func run() async throws {
                try Output.print(try await options.run { try await $0.market.resolve(id, MarketAlertDecisionRequest(note: note), by: $1) })
            }
        }
    }
}

/// `coffer value`: an account, a customer's holdings or every customer's, valued in a fiat currency.
struct ValueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "value", abstract: "Value an account, a customer's portfolio or every customer's in a fiat currency, with the prices used.",
        discussion: "Exactly one of --account, --customer or --all. A portfolio sums each asset's balances and values it once (half-even to the currency's minor units).")
    @OptionGroup var options: ServiceOptions
    @Option(help: "Ledger account id.") var account: String?
    @Option(help: "A customer: the accounts it owns.") var customer: String?
    @Flag(help: "Every account with an owner (all customers).") var all = false
    @Option(help: "ISO 4217 currency, e.g. USD.") var currency: String
    @Option(help: "At this time (RFC 3339): the balances and the prices then.") var at: String?
    @Option(help: "Also format amounts and values for this locale (portfolios), e.g. de-DE.") var locale: String?

    func validate() throws {
        guard [account != nil, customer != nil, all].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --account, --customer or --all")
        }
        if account != nil, locale != nil { throw ValidationError("--locale applies to --customer and --all") }
    }

    func run() async throws {
        if let account {
            try Output.print(try await options.run { try await $0.market.value(account: account, currency: currency, at: at, by: $1) })
        } else {
            try Output.print(try await options.run {
                try await $0.market.portfolio(customer: customer, currency: currency, at: at, locale: locale, by: $1)
            })
        }
    }
}

/// `coffer format`: an amount formatted for a locale, as CLDR writes it.
struct FormatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format", abstract: "Format an amount for a locale (CLDR, as Babel does): symbol, grouping, separators, minor units.")
    @Option(help: "A decimal string in the currency's major unit, e.g. 1234567.891.") var amount: String
    @Option(help: "ISO 4217 currency or a crypto code (BTC, ETH).") var currency: String
    @Option(help: "en-US, zh-CN, zh-TW, ja-JP, ko-KR, de-DE, fr-FR, es-ES, pt-BR, ru-RU, ar-SA, hi-IN.") var locale: String
    @Flag(help: "Compact form (1.2M, 123万).") var compact = false

    func run() async throws {
        let text = try MarketService.formatted(amount: amount, currency: currency, locale: locale, compact: compact)
        try Terminal.write(Array((text + "\n").utf8), to: 1)
    }
}
