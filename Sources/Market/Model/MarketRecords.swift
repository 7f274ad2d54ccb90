/// A configured price source: where its observations come from and how much its voice weighs.
public struct MarketSource: Sendable, Equatable {
    /// `replay`: a recorded file run by `market replay`; `http`: a JSON endpoint `coffer serve`
    /// polls every `interval` seconds, read through `mapping`; `websocket`: a stream `coffer
    /// serve` keeps open (sending `subscribe` on each connection), each message read through
    /// `mapping`.
    public enum Kind: String, Sendable, CaseIterable { case replay, http, websocket }

    public let name: String
    public let kind: Kind
    /// The replay file's path, or the endpoint's URL.
    public let location: String
    public let weight: UInt32
    public let createdAt: Int64
    /// A live source's feed mapping (JSON, see `FeedMapping`); nil for a replay.
    public let mapping: String?
    /// Seconds between polls of an http source.
    public let interval: Int64?
    /// What a websocket source is sent on connecting: a JSON object (one message) or an array
    /// of them (one message each); nil sends nothing.
    public let subscribe: String?

    public init(name: String, kind: Kind, location: String, weight: UInt32, createdAt: Int64, mapping: String? = nil, interval: Int64? = nil,
                subscribe: String? = nil) {
        self.subscribe = subscribe
        self.name = name
        self.kind = kind
        self.location = location
        self.weight = weight
        self.createdAt = createdAt
        self.mapping = mapping
        self.interval = interval
    }
}

/// A pair Coffer publishes, with its aggregation settings.
public struct MarketPair: Sendable, Equatable {
    public let pair: MarketPairName
    public let settings: PairSettings
    public let createdAt: Int64

    public init(pair: MarketPairName, settings: PairSettings, createdAt: Int64) {
        self.pair = pair
        self.settings = settings
        self.createdAt = createdAt
    }
}

/// A publication as stored: the aggregate and where it came from (`replay` or `live`).
public struct StoredPrice: Sendable, Equatable {
    public let seq: Int64
    public let aggregate: AggregatePrice
    public let origin: String
}
