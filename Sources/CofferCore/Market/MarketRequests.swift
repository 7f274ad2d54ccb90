/// `coffer market source add`: a price source (the operator's).
public struct AddMarketSourceRequest: Codable, Sendable, Equatable {
    public var name: String
    /// `replay` (a JSON Lines or CSV file of recorded observations) or `http` (a JSON endpoint
    /// `coffer serve` polls).
    public var kind: String
    /// The replay file's path (read by the server: the operator's only).
    public var file: String?
    /// 1-1000 (default 1): the source's weight in the weighted median.
    public var weight: Int?
    /// An `http` source's endpoint (http or https).
    public var url: String?
    /// An `http` source's feed mapping (JSON text, see `FeedMapping`).
    public var mapping: String?
    /// Seconds between polls of an `http` source, 1-3600 (default 10).
    public var interval: Int64?
    /// A `websocket` source's subscription: a JSON object sent on connecting, or an array of
    /// them sent in order.
    public var subscribe: String?

    public init(name: String, kind: String, file: String? = nil, weight: Int? = nil, url: String? = nil, mapping: String? = nil, interval: Int64? = nil,
                subscribe: String? = nil) {
        self.subscribe = subscribe
        self.name = name
        self.kind = kind
        self.file = file
        self.weight = weight
        self.url = url
        self.mapping = mapping
        self.interval = interval
    }
}

/// `coffer market pair add` / `POST /v1/market/pairs`: a pair to publish and how.
public struct AddMarketPairRequest: Codable, Sendable, Equatable {
    public var pair: String
    /// Fresh sources needed for a price (default 1).
    public var quorum: Int?
    /// Seconds after which a source's observation no longer counts (default 60).
    public var maxAge: Int64?
    /// Publish when the price moved at least this many basis points (default 50).
    public var deviationBps: Int?
    /// Publish at least every this many seconds (default 3600).
    public var heartbeat: Int64?
    /// Freeze the price when it moves more than this many basis points within `breakerWindow`.
    public var breakerBps: Int?
    public var breakerWindow: Int64?
    /// Freeze the price when the spot is more than this many basis points from its TWAP.
    public var breakerTwapBps: Int?
    /// The time-weighted average's window in seconds (default 1800).
    public var twapWindow: Int64?
    /// Reject observations further than this many median absolute deviations (default 5).
    public var outlierMads: Int?
    /// Below this total fresh volume the price is flagged low-liquidity (decimal string).
    public var minimumVolume: String?

    enum CodingKeys: String, CodingKey {
        case pair, quorum, maxAge = "max_age", deviationBps = "deviation_bps", heartbeat, breakerBps = "breaker_bps", breakerWindow = "breaker_window"
        case breakerTwapBps = "breaker_twap_bps"
        case twapWindow = "twap_window", outlierMads = "outlier_mads", minimumVolume = "minimum_volume"
    }

    public init(pair: String, quorum: Int? = nil, maxAge: Int64? = nil, deviationBps: Int? = nil, heartbeat: Int64? = nil, breakerBps: Int? = nil,
                breakerWindow: Int64? = nil, twapWindow: Int64? = nil, outlierMads: Int? = nil, minimumVolume: String? = nil, breakerTwapBps: Int? = nil) {
        self.breakerTwapBps = breakerTwapBps
        self.pair = pair
        self.quorum = quorum
        self.maxAge = maxAge
        self.deviationBps = deviationBps
        self.heartbeat = heartbeat
        self.breakerBps = breakerBps
        self.breakerWindow = breakerWindow
        self.twapWindow = twapWindow
        self.outlierMads = outlierMads
        self.minimumVolume = minimumVolume
    }
}

/// An amount formatted for a locale (`GET /v1/format`, `coffer format`).
public struct FormattedAmountView: Codable, Sendable, Equatable {
    public let text: String
    public let locale: String
    public let currency: String

    public init(text: String, locale: String, currency: String) {
        self.text = text
        self.locale = locale
        self.currency = currency
    }
}
