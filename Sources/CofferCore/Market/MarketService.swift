public import CofferBase
import Foundation
public import Market
import Ledger
import Tenancy

/// Market data as every door offers it: sources and pairs (the operator's, shared by every
/// tenant), replays of recorded observations through aggregation, prices now and at a past time
/// (direct, inverted or crossed through a common quote), valuations of ledger accounts, and
/// amounts formatted per locale.
public struct MarketService: Sendable {
    public let store: MarketStore
    public let ledger: LedgerService
    /// Seconds since 1970.
    public let clock: @Sendable () -> Int64

    public init(store: MarketStore, ledger: LedgerService, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.store = store
        self.ledger = ledger
        self.clock = clock
    }

    static func requireOperator(_ caller: Caller, _ what: String) throws(ServiceError) {
        guard caller.isOperator, caller.tenant == nil else {
            throw ServiceError(.forbidden, "operator-only", "\(what) is the operator's: market data is shared by every tenant")
        }
    }

    // MARK: Sources and pairs

    /// Adds a source (idempotent for the same settings; another source of that name is a conflict).
    public func addSource(_ request: AddMarketSourceRequest, by caller: Caller) async throws -> Created<MarketSourceView> {
        try Self.requireOperator(caller, "adding a price source")
        let name = request.name
        guard (1...64).contains(name.utf8.count), LedgerID.isValidLocal(name) else {
            throw ServiceError.invalid("name: 1-64 characters from A-Za-z0-9._:-")
        }
        guard let kind = MarketSource.Kind(rawValue: request.kind) else {
            throw ServiceError.invalid("kind: \(request.kind.prefix(20)) is not one of \(MarketSource.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let weight = request.weight ?? 1
        guard (1...1_000).contains(weight) else { throw ServiceError.invalid("weight must be from 1 to 1000") }
        let source: MarketSource
        switch kind {
        case .replay:
            guard let file = request.file, !file.isEmpty else { throw ServiceError.invalid("file: a replay source needs its file") }
            guard request.url == nil, request.mapping == nil, request.interval == nil else {
                throw ServiceError.invalid("url, mapping and interval are for http sources; a replay source has a file")
            }
            let path = URL(fileURLWithPath: file).standardizedFileURL.path
            // Read now, so a bad file is refused here rather than at the first replay.
            _ = try ReplayFile.observations(path: path, source: name, weight: UInt32(weight))
            source = MarketSource(name: name, kind: kind, location: path, weight: UInt32(weight), createdAt: clock())
        case .http, .websocket:
            let schemes = kind == .http ? ["http", "https"] : ["ws", "wss"]
            let what = "\(kind == .http ? "an http" : "a websocket") source"
            guard request.file == nil else { throw ServiceError.invalid("file is for replay sources; \(what) has a url and a mapping") }
            guard let url = request.url, url.utf8.count <= 2_000, let parts = URLComponents(string: url),
                  let scheme = parts.scheme?.lowercased(), schemes.contains(scheme), let host = parts.host, !host.isEmpty,
                  parts.user == nil, parts.password == nil else {
                throw ServiceError.invalid("url: \(what) needs a \(schemes[0]):// or \(schemes[1]):// URL without credentials")
            }
            guard let text = request.mapping else { throw ServiceError.invalid("mapping: \(what) needs its feed mapping (JSON)") }
            let mapping: FeedMapping
            do { mapping = try FeedMapping(json: text) } catch { throw ServiceError.invalid("mapping: \(error.description)") }
            // Stored re-encoded: canonical, so adding the same source again is recognised.
            let canonical = String(decoding: try JSONEncoder.sortedKeys.encode(mapping), as: UTF8.self)
            if kind == .http {
                guard request.subscribe == nil else { throw ServiceError.invalid("subscribe is for websocket sources; an http source is polled") }
                let interval = request.interval ?? 10
                guard (1...3_600).contains(interval) else { throw ServiceError.invalid("interval must be from 1 to 3600 seconds") }
                source = MarketSource(name: name, kind: kind, location: url, weight: UInt32(weight), createdAt: clock(), mapping: canonical, interval: interval)
            } else {
                guard request.interval == nil else { throw ServiceError.invalid("interval is for http sources; a websocket source streams") }
                let subscribe = try request.subscribe.map { text throws(ServiceError) in try Self.subscriptionMessages(text).text }
                source = MarketSource(name: name, kind: kind, location: url, weight: UInt32(weight), createdAt: clock(), mapping: canonical,
                                      subscribe: subscribe)
            }
        }
        if try await store.add(source) { return Created(MarketSourceView(source, showingFile: true), created: true) }
        guard let existing = try await store.sources().first(where: { $0.name == name }) else {
            throw ServiceError(.conflict, "source-exists", "a source named \(name) was being added at the same time; try again")
        }
        guard existing.kind == source.kind, existing.location == source.location, existing.weight == source.weight,
              existing.mapping == source.mapping, existing.interval == source.interval, existing.subscribe == source.subscribe else {
            throw ServiceError(.conflict, "source-exists", "a source named \(name) exists with other settings")
        }
        return Created(MarketSourceView(existing, showingFile: true), created: false)
    }

    /// The sources; only the operator sees their files (paths on the server).
    public func sources(by caller: Caller) async throws -> [MarketSourceView] {
        try caller.require(.read)
        let operatorCalls = caller.isOperator && caller.tenant == nil
        return try await store.sources().map { MarketSourceView($0, showingFile: operatorCalls) }
    }

    /// Adds a pair (idempotent for the same settings; other settings for it are a conflict).
    public func addPair(_ request: AddMarketPairRequest, by caller: Caller) async throws -> Created<MarketPairView> {
        try Self.requireOperator(caller, "adding a pair")
        let name: MarketPairName
        do { name = try MarketPairName(parsing: request.pair) } catch { throw ServiceError.invalid(error.description) }
        var settings = PairSettings()
        func bounded<T: BinaryInteger>(_ value: T?, _ field: String, _ range: ClosedRange<Int64>) throws(ServiceError) -> T? {
            guard let value else { return nil }
            guard range.contains(Int64(clamping: value)) else { throw ServiceError.invalid("\(field) must be from \(range.lowerBound) to \(range.upperBound)") }
            return value
        }
        if let quorum = try bounded(request.quorum, "quorum", 1...100) { settings.quorum = quorum }
        if let maxAge = try bounded(request.maxAge, "max_age", 1...86_400 * 7) { settings.maxAge = maxAge }
        if let bps = try bounded(request.deviationBps, "deviation_bps", 0...10_000) { settings.deviationBps = UInt32(bps) }
        if let heartbeat = try bounded(request.heartbeat, "heartbeat", 1...86_400 * 7) { settings.heartbeat = heartbeat }
        if let bps = try bounded(request.breakerBps, "breaker_bps", 1...100_000) { settings.breakerBps = UInt32(bps) }
        if let window = try bounded(request.breakerWindow, "breaker_window", 1...86_400) { settings.breakerWindow = window }
        if let bps = try bounded(request.breakerTwapBps, "breaker_twap_bps", 1...100_000) { settings.breakerTwapBps = UInt32(bps) }
        if request.breakerWindow != nil, request.breakerBps == nil, request.breakerTwapBps == nil {
            throw ServiceError.invalid("breaker_window needs breaker_bps or breaker_twap_bps")
        }
        if let window = try bounded(request.twapWindow, "twap_window", 1...86_400 * 7) { settings.twapWindow = window }
        if let mads = try bounded(request.outlierMads, "outlier_mads", 1...1_000) { settings.outlierMADs = UInt32(mads) }
        if let text = request.minimumVolume {
            do { settings.minimumVolume = try MarketScale.units(try Price(parsing: text, field: "minimum_volume"), field: "minimum_volume") } catch {
                throw ServiceError.invalid("\(error)")
            }
        }
        let pair = MarketPair(pair: name, settings: settings, createdAt: clock())
        if try await store.add(pair) { return Created(MarketPairView(pair), created: true) }
        guard let existing = try await store.pairs().first(where: { $0.pair == name }) else {
            throw ServiceError(.conflict, "pair-exists", "pair \(name) was being added at the same time; try again")
        }
        guard existing.settings == settings else { throw ServiceError(.conflict, "pair-exists", "pair \(name) exists with other settings") }
        return Created(MarketPairView(existing), created: false)
    }

    public func pairs(by caller: Caller) async throws -> [MarketPairView] {
        try caller.require(.read)
        return try await store.pairs().map(MarketPairView.init)
    }

    /// A websocket source's subscription: one JSON object or an array of objects, each sent as
    /// one text message on every connection; at most 64 KiB and 100 messages. Returned compact.
    public static func subscriptionMessages(_ text: String) throws(ServiceError) -> (text: String, messages: [String]) {
        guard text.utf8.count <= 64 << 10 else { throw ServiceError.invalid("subscribe: at most 64 KiB") }
        let value: JSONValue
        do { value = try JSONValue(parsing: text) } catch { throw ServiceError.invalid("subscribe: \(error.description)") }
        let messages: [JSONValue]
        switch value {
        case .object: messages = [value]
        case let .array(items) where !items.isEmpty && items.count <= 100 && items.allSatisfy({ if case .object = $0 { true } else { false } }):
            messages = items
        default: throw ServiceError.invalid("subscribe: a JSON object, or an array of 1-100 objects, each sent as one message")
        }
        return (value.text, messages.map(\.text))
    }

    // MARK: Replay

    /// Runs every replay source's file through aggregation in time order (up to `until`) and
    /// stores the observations and publications, replacing what an earlier replay stored.
    public func replay(until: String?, by caller: Caller) async throws -> MarketReplayView {
        try Self.requireOperator(caller, "replaying price sources")
        let limit = try until.map { text throws(ServiceError) in try Self.time(text, field: "until") }
        let sources = try await store.sources().filter { $0.kind == .replay }
        var observations: [MarketObservation] = []
        for source in sources {
            observations += try ReplayFile.observations(path: source.location, source: source.name, weight: source.weight)
        }
        let rules = try await monitorRules().rules
        let outcome = MarketReplay.run(observations, pairs: try await store.pairs(), until: limit, rules: rules)
        try await store.replaceReplay(sources: sources.map(\.name), observations: outcome.observations, prices: outcome.prices)
        let raised = try await record(outcome.alerts, rules: rules, origin: "replay")
        return MarketReplayView(prices: outcome.prices.map(PublishedPriceView.init), observations: outcome.observations.count, ignored: outcome.ignored,
                                alerts: raised.count)
    }

    // MARK: Prices

    /// The price of `pair` at `at` (now when nil): the last publication of the pair, of its
    /// inverse, or crossed through a quote both share (BTC/EUR from BTC/USD and EUR/USD).
    public func quote(_ pair: String, at: String?, by caller: Caller) async throws -> MarketQuoteView {
        try caller.require(.read)
        let name: MarketPairName
        do { name = try MarketPairName(parsing: pair) } catch { throw ServiceError.invalid(error.description) }
        let time = try at.map { text throws(ServiceError) in try Self.time(text, field: "at") }
        let quoted = try await MarketQuotes(store: store).quote(name, at: time)
        return MarketQuoteView(pair: name.description, price: quoted.price.map(MarketScale.text), confidence: quoted.confidence.map(MarketScale.text),
                               time: quoted.time.map(MarketTime.format), status: quoted.status.rawValue, route: quoted.route,
                               twap: quoted.twap.map(MarketScale.text))
    }

    // MARK: Valuation

    /// An account's posted balance at `at` (now when nil) valued in `currency` (ISO 4217) with
    /// the price at that time; exact, rounded once, half-even, to the currency's minor units.
    public func value(account: String, currency: String, at: String?, by caller: Caller) async throws -> ValuationView {
        try caller.require(.read)
        let code = currency.uppercased()
        guard let minorUnits = ISO4217.minorUnits(code) else { throw ServiceError.invalid("currency: \(currency.prefix(10)) is not an ISO 4217 currency") }
        let time = try at.map { text throws(ServiceError) in try Self.time(text, field: "at") }
        let balances = try await ledger.balances(of: account, at: at, by: caller)
        let asset = try await ledger.asset(balances.asset, by: caller)
        let credits = balances.balances.creditsPosted, debits = balances.balances.debitsPosted
        let negative = debits > credits
        let magnitude = negative ? debits - credits : credits - debits
        guard let quoted = try await quote(asset: asset.code, in: code, at: time) else {
            throw ServiceError(.rejected, "no-price", "asset \(asset.code) has no market code to price it by")
        }
        guard let price = quoted.price else {
            throw ServiceError(.rejected, "no-price", "no price of \(asset.code) in \(code)\(at.map { " at \($0)" } ?? "") (status \(quoted.status.rawValue))")
        }
        let minor: UInt128
        do {
            minor = try Valuation.value(amount: magnitude, decimals: Int(asset.decimals), price: MarketScale.price(price), minorUnits: minorUnits)
        } catch { throw ServiceError(.rejected, "valuation-overflow", "the value of \(account.prefix(64)) does not fit: \(error)") }
        let sign = negative && minor > 0 ? "-" : ""
        return ValuationView(
            account: balances.id, asset: balances.asset, amount: (negative && magnitude > 0 ? "-" : "") + AmountText.display(magnitude, decimals: asset.decimals),
            currency: code, value: sign + Valuation.decimalString(minor: minor, minorUnits: minorUnits), price: MarketScale.text(price),
            confidence: quoted.confidence.map(MarketScale.text), priceTime: quoted.time.map(MarketTime.format), status: quoted.status.rawValue,
            route: quoted.route, at: time.map(MarketTime.format))
    }

    /// What the caller's customers hold (every account with an owner) or what one customer
    /// holds (`customer`), at `at` (now when nil), valued in `currency`: per asset the summed
    /// balance, the price used, its confidence and the value rounded once, half-even, to the
    /// currency's minor units; the total is the exact sum of those values. An asset without a
    /// price is listed under `unpriced` and left out of the total (`complete` false), never
    /// guessed. With `locale`, values and amounts come formatted as CLDR writes them too.
    public func portfolio(customer: String?, currency: String, at: String?, locale: String?, by caller: Caller) async throws -> PortfolioView {
        try caller.require(.read)
        let code = currency.uppercased()
        guard let minorUnits = ISO4217.minorUnits(code) else { throw ServiceError.invalid("currency: \(currency.prefix(10)) is not an ISO 4217 currency") }
        if let customer, customer.isEmpty || customer.utf8.count > 64 { throw ServiceError.invalid("customer: 1-64 characters") }
        let formatter: MoneyFormatter?
        do { formatter = try locale.map { text throws(FormatError) in try MoneyFormatter(locale: text) } } catch {
            throw ServiceError.invalid("locale: \(error.description)")
        }
        let time = try at.map { text throws(ServiceError) in try Self.time(text, field: "at") }
        let selected = try await ledger.selectedBalances(owner: customer, at: at, by: caller)
        var holdings: [String: PortfolioSum] = [:]
        for account in selected.accounts where customer != nil || !account.owner.isEmpty {
            do { try holdings[account.asset, default: PortfolioSum()].add(account.balances) } catch {
                throw ServiceError(.rejected, "valuation-overflow", "the summed balances of \(account.asset) do not fit in 128 bits")
            }
        }
        var assets: [PortfolioAssetView] = []
        var unpriced: [String] = []
        var total = PortfolioSum()
        for (asset, sum) in holdings.sorted(by: { $0.key < $1.key }) {
            let decimals = selected.decimals[asset] ?? 0
            let amount = (sum.negative && sum.magnitude > 0 ? "-" : "") + AmountText.display(sum.magnitude, decimals: decimals)
            // No market code or no route: the asset is unpriced, not an error.
            let none = MarketQuotes.Quote(price: nil, confidence: nil, time: nil, status: .noQuorum, route: [], twap: nil)
            let quoted: MarketQuotes.Quote
            do { quoted = try await quote(asset: asset, in: code, at: time) ?? none } catch let error as ServiceError where error.code == "no-price-route" {
                quoted = none
            }
            var value: String?
            var formattedValue: String?
            if let price = quoted.price {
                let minor: UInt128
                do { minor = try Valuation.value(amount: sum.magnitude, decimals: Int(decimals), price: MarketScale.price(price), minorUnits: minorUnits) } catch {
                    throw ServiceError(.rejected, "valuation-overflow", "the value of \(asset) does not fit: \(error)")
                }
                do { try total.add(minor, negative: sum.negative) } catch {
                    throw ServiceError(.rejected, "valuation-overflow", "the portfolio's total does not fit in 128 bits")
                }
                value = (sum.negative && minor > 0 ? "-" : "") + Valuation.decimalString(minor: minor, minorUnits: minorUnits)
                formattedValue = try value.flatMap { text in try formatter.map { try Self.format($0, text, code) } }
            } else {
                unpriced.append(asset)
            }
            assets.append(PortfolioAssetView(
                asset: asset, accounts: sum.accounts, amount: amount, formattedAmount: try formatter.map { try Self.format($0, amount, asset) },
                price: quoted.price.map(MarketScale.text), confidence: quoted.confidence.map(MarketScale.text),
                priceTime: quoted.time.map(MarketTime.format), status: quoted.status.rawValue, route: quoted.route,
                value: value, formattedValue: formattedValue))
        }
        let totalText = (total.negative && total.magnitude > 0 ? "-" : "") + Valuation.decimalString(minor: total.magnitude, minorUnits: minorUnits)
        return PortfolioView(
            customer: customer, currency: code, at: time.map(MarketTime.format), locale: formatter?.locale, assets: assets, total: totalText,
            formattedTotal: try formatter.map { try Self.format($0, totalText, code) }, complete: unpriced.isEmpty, unpriced: unpriced)
    }

    /// `formatted` with the canonical locale and the currency as given, for the HTTP answer.
    public static func formattedView(amount: String, currency: String, locale: String, compact: Bool) throws -> FormattedAmountView {
        let text = try formatted(amount: amount, currency: currency, locale: locale, compact: compact)
        let canonical = (try? MoneyFormatter(locale: locale))?.locale ?? locale
        return FormattedAmountView(text: text, locale: canonical, currency: currency.uppercased())
    }

    /// The price of one unit of `asset` in `code` at `time`: 1 when they are the same, else the
    /// quote of ASSET/CODE (direct, inverted or crossed); nil when the asset's code is no market
    /// code; `no-price-route` when no pairs lead there.
    func quote(asset: String, in code: String, at time: Int64?) async throws -> MarketQuotes.Quote? {
        if asset.uppercased() == code { return MarketQuotes.Quote(price: PriceScale.one, confidence: 0, time: nil, status: .ok, route: [], twap: nil) }
        guard let pair = try? MarketPairName(parsing: asset + "/" + code) else { return nil }
        return try await MarketQuotes(store: store).quote(pair, at: time)
    }

    private static func format(_ formatter: MoneyFormatter, _ amount: String, _ currency: String) throws(ServiceError) -> String {
        do { return try formatter.format(amount: amount, currency: currency) } catch { throw ServiceError.invalid(error.description) }
    }

    // MARK: Formatting

    /// `amount` (a decimal string in the currency's major unit) formatted for `locale` as CLDR
    /// does (Babel is the reference): symbol, grouping, separators, minor units, compact forms.
    public static func formatted(amount: String, currency: String, locale: String, compact: Bool) throws -> String {
        let formatter: MoneyFormatter
        do { formatter = try MoneyFormatter(locale: locale) } catch { throw ServiceError.invalid("locale: \(error.description)") }
        do { return try formatter.format(amount: amount, currency: currency, compact: compact) } catch {
            throw ServiceError.invalid(error.description)
        }
    }

    static func time(_ text: String, field: String) throws(ServiceError) -> Int64 {
        do { return try MarketTime.parse(text, field: field) } catch { throw ServiceError.invalid("\(error)") }
    }
}

/// A signed sum of balances (credits posted − debits posted) kept as sign and magnitude, with
/// overflow checked: the portfolio's arithmetic, exact for any number of accounts that fits.
struct PortfolioSum {
    var negative = false
    var magnitude: UInt128 = 0
    var accounts = 0

    struct Overflow: Error {}

    mutating func add(_ balances: AccountBalances) throws(Overflow) {
        accounts += 1
        let credits = balances.creditsPosted, debits = balances.debitsPosted
        try add(credits >= debits ? credits - debits : debits - credits, negative: debits > credits)
    }

    mutating func add(_ amount: UInt128, negative sign: Bool) throws(Overflow) {
        if sign == negative || magnitude == 0 {
            let (sum, overflow) = magnitude.addingReportingOverflow(amount)
            guard !overflow else { throw Overflow() }
            if magnitude == 0 { negative = sign }
            magnitude = sum
        } else if amount > magnitude {
            magnitude = amount - magnitude
            negative = sign
        } else {
            magnitude -= amount
        }
    }
}

extension JSONEncoder {
    /// Sorted keys, so equal values encode to equal text.
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
