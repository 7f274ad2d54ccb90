import Market

/// A price source as every door shows it.
public struct MarketSourceView: Codable, Sendable, Equatable {
    public let name: String
    public let kind: String
    /// The replay file; nil unless the operator asks (it is a path on the server).
    public let file: String?
    public let weight: Int
    /// A live source's endpoint; nil unless the operator asks.
    public let url: String?
    /// Seconds between polls (http sources).
    public let interval: Int64?
    public let createdAt: String

    enum CodingKeys: String, CodingKey { case name, kind, file, weight, url, interval, createdAt = "created_at" }

    init(_ source: MarketSource, showingFile: Bool) {
        name = source.name
        kind = source.kind.rawValue
        file = showingFile && source.kind == .replay ? source.location : nil
        url = showingFile && source.kind != .replay ? source.location : nil
        interval = source.interval
        weight = Int(source.weight)
        createdAt = MarketTime.format(source.createdAt)
    }
}

/// A pair and its aggregation settings.
public struct MarketPairView: Codable, Sendable, Equatable {
    public let pair: String
    public let quorum: Int
    public let maxAge: Int64
    public let deviationBps: Int
    public let heartbeat: Int64
    public let breakerBps: Int?
    public let breakerWindow: Int64
    public let breakerTwapBps: Int?
    public let twapWindow: Int64
    public let outlierMads: Int
    public let minimumVolume: String?
    public let createdAt: String

    enum CodingKeys: String, CodingKey {
        case pair, quorum, maxAge = "max_age", deviationBps = "deviation_bps", heartbeat, breakerBps = "breaker_bps", breakerWindow = "breaker_window", breakerTwapBps = "breaker_twap_bps"
        case twapWindow = "twap_window", outlierMads = "outlier_mads", minimumVolume = "minimum_volume", createdAt = "created_at"
    }

    init(_ pair: MarketPair) {
        let s = pair.settings
        self.pair = pair.pair.description
        quorum = s.quorum
        maxAge = s.maxAge
        deviationBps = Int(s.deviationBps)
        heartbeat = s.heartbeat
        breakerBps = s.breakerBps.map(Int.init)
        breakerWindow = s.breakerWindow
        breakerTwapBps = s.breakerTwapBps.map(Int.init)
        twapWindow = s.twapWindow
        outlierMads = Int(s.outlierMADs)
        minimumVolume = s.minimumVolume.map(MarketScale.text)
        createdAt = MarketTime.format(pair.createdAt)
    }
}

/// One published price: the aggregate, its confidence (± around the price), the sources behind
/// it, the time-weighted average and the status. A `no_quorum` publication carries no price.
public struct PublishedPriceView: Codable, Sendable, Equatable {
    public let pair: String
    public let price: String?
    public let confidence: String?
    public let sources: Int
    public let time: String
    public let twap: String?
    public let median24h: String?
    public let status: String
    public let lowLiquidity: Bool
    public let rejected: [String]

    enum CodingKeys: String, CodingKey {
        case pair, price, confidence, sources, time, twap, median24h = "median_24h", status, lowLiquidity = "low_liquidity", rejected
    }

    init(_ aggregate: AggregatePrice) {
        pair = aggregate.pair
        price = aggregate.price.map(MarketScale.text)
        confidence = aggregate.confidence.map(MarketScale.text)
        sources = aggregate.sources
        time = MarketTime.format(aggregate.time)
        twap = aggregate.twap.map(MarketScale.text)
        median24h = aggregate.median24h.map(MarketScale.text)
        status = aggregate.status.rawValue
        lowLiquidity = aggregate.lowLiquidity
        rejected = aggregate.rejected
    }
}

/// What a replay did: every publication (in order), the observations it used and those of pairs
/// not configured.
public struct MarketReplayView: Codable, Sendable, Equatable {
    public let prices: [PublishedPriceView]
    public let observations: Int
    public let ignored: Int
    /// New alerts the monitoring rules raised over the publications.
    public let alerts: Int
}

/// A price of any pair at a time: direct, inverted or crossed through a common quote, with the
/// pairs used (`route`) and a confidence widened by each leg.
public struct MarketQuoteView: Codable, Sendable, Equatable {
    public let pair: String
    public let price: String?
    public let confidence: String?
    public let time: String?
    public let status: String
    public let route: [String]
    /// The pair's time-weighted average beside the spot (direct pairs; nil for inverted and crossed
    /// routes), so a spot that runs away from it shows (dual display).
    public let twap: String?
}

/// An account's balance valued in a fiat currency, with the price used and its confidence.
public struct ValuationView: Codable, Sendable, Equatable {
    public let account: String
    public let asset: String
    /// The balance (credits posted − debits posted) in the asset's major unit.
    public let amount: String
    public let currency: String
    /// The value in the currency's major unit, rounded half-even to its minor units.
    public let value: String
    public let price: String
    public let confidence: String?
    public let priceTime: String?
    public let status: String
    public let route: [String]
    public let at: String?

    enum CodingKeys: String, CodingKey {
        case account, asset, amount, currency, value, price, confidence, priceTime = "price_time", status, route, at
    }
}

/// What a customer (or every customer of the caller) holds, valued in a fiat currency.
public struct PortfolioView: Codable, Sendable, Equatable {
    /// nil: every account with an owner (the caller's customers together).
    public let customer: String?
    public let currency: String
    public let at: String?
    public let locale: String?
    public let assets: [PortfolioAssetView]
    /// The exact sum of the assets' values, in the currency's major unit.
    public let total: String
    public let formattedTotal: String?
    /// False when an asset had no price: it is listed in `unpriced` and not in the total.
    public let complete: Bool
    public let unpriced: [String]

    enum CodingKeys: String, CodingKey {
        case customer, currency, at, locale, assets, total, formattedTotal = "formatted_total", complete, unpriced
    }
}

/// One asset of a portfolio: the summed balance of its accounts and its value.
public struct PortfolioAssetView: Codable, Sendable, Equatable {
    public let asset: String
    public let accounts: Int
    public let amount: String
    public let formattedAmount: String?
    public let price: String?
    public let confidence: String?
    public let priceTime: String?
    public let status: String
    public let route: [String]
    public let value: String?
    public let formattedValue: String?

    enum CodingKeys: String, CodingKey {
        case asset, accounts, amount, formattedAmount = "formatted_amount", price, confidence, priceTime = "price_time", status, route, value
        case formattedValue = "formatted_value"
    }
}
