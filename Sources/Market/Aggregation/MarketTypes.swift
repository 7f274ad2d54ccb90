/// One source's report of a pair's price. `price` and `volume` at `PriceScale` (18 decimals);
/// times in seconds since 1970. `weight` is the source's say in the weighted medians; the
/// aggregator counts a weight of 0 as 1 so every fresh source has a say.
public struct MarketObservation: Sendable, Equatable {
    public let source: String
    public let pair: String
    public let price: UInt128
    public let volume: UInt128?
    public let sourceTime: Int64
    public let receivedAt: Int64
    public let weight: UInt32

    public init(source: String, pair: String, price: UInt128, volume: UInt128? = nil, sourceTime: Int64, receivedAt: Int64, weight: UInt32 = 1) {
        self.source = source
        self.pair = pair
        self.price = price
        self.volume = volume
        self.sourceTime = sourceTime
        self.receivedAt = receivedAt
        self.weight = weight
    }
}

/// Per-pair aggregation settings. Coded with snake_case keys (`max_age`, `deviation_bps`,
/// `breaker_bps`, `breaker_window`, `twap_window`, `outlier_mads`, `minimum_volume`); every key
/// is optional and defaults as below; `minimum_volume` is a decimal string of 18-decimal units.
public struct PairSettings: Sendable, Equatable, Codable {
    /// Surviving (fresh, non-outlier) sources needed for a price.
    public var quorum: Int = 1
    /// A source is fresh while `sourceTime > now − maxAge`.
    public var maxAge: Int64 = 60
    /// Publish when the price moved at least this many bps from the last published price.
    public var deviationBps: UInt32 = 50
    /// Publish at least this often (seconds since the last publication).
    public var heartbeat: Int64 = 3600
    /// Circuit breaker threshold; nil disables the breaker.
    public var breakerBps: UInt32? = nil
    /// Breaker on the time-weighted average: trip when the spot is more than this many bps from
    /// the TWAP (a slow manipulation or a crash the window missed); nil disables it.
    public var breakerTwapBps: UInt32? = nil
    /// Breaker look-back and settling time, seconds.
    public var breakerWindow: Int64 = 60
    /// TWAP window, seconds.
    public var twapWindow: Int64 = 1800
    /// Reject observations further than this many MADs from the median.
    public var outlierMADs: UInt32 = 5
    /// Below this total fresh volume: low-liquidity flag.
    public var minimumVolume: UInt128? = nil

    public init() {}

    enum CodingKeys: String, CodingKey {
        case quorum
        case maxAge = "max_age"
        case deviationBps = "deviation_bps"
        case heartbeat
        case breakerBps = "breaker_bps"
        case breakerTwapBps = "breaker_twap_bps"
        case breakerWindow = "breaker_window"
        case twapWindow = "twap_window"
        case outlierMADs = "outlier_mads"
        case minimumVolume = "minimum_volume"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        quorum = try container.decodeIfPresent(Int.self, forKey: .quorum) ?? quorum
        maxAge = try container.decodeIfPresent(Int64.self, forKey: .maxAge) ?? maxAge
        deviationBps = try container.decodeIfPresent(UInt32.self, forKey: .deviationBps) ?? deviationBps
        heartbeat = try container.decodeIfPresent(Int64.self, forKey: .heartbeat) ?? heartbeat
        breakerBps = try container.decodeIfPresent(UInt32.self, forKey: .breakerBps)
        breakerTwapBps = try container.decodeIfPresent(UInt32.self, forKey: .breakerTwapBps)
        breakerWindow = try container.decodeIfPresent(Int64.self, forKey: .breakerWindow) ?? breakerWindow
        twapWindow = try container.decodeIfPresent(Int64.self, forKey: .twapWindow) ?? twapWindow
        outlierMADs = try container.decodeIfPresent(UInt32.self, forKey: .outlierMADs) ?? outlierMADs
        if let text = try container.decodeIfPresent(String.self, forKey: .minimumVolume) {
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let value = UInt128(text) else {
                throw DecodingError.dataCorruptedError(forKey: .minimumVolume, in: container, debugDescription: "minimum_volume must be a decimal string of 18-decimal units")
            }
            minimumVolume = value
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(quorum, forKey: .quorum)
        try container.encode(maxAge, forKey: .maxAge)
        try container.encode(deviationBps, forKey: .deviationBps)
        try container.encode(heartbeat, forKey: .heartbeat)
        try container.encodeIfPresent(breakerBps, forKey: .breakerBps)
        try container.encodeIfPresent(breakerTwapBps, forKey: .breakerTwapBps)
        try container.encode(breakerWindow, forKey: .breakerWindow)
        try container.encode(twapWindow, forKey: .twapWindow)
        try container.encode(outlierMADs, forKey: .outlierMADs)
        try container.encodeIfPresent(minimumVolume.map { String($0) }, forKey: .minimumVolume)
    }
}

/// What an aggregate's price means.
/// - `ok`: a fresh price from at least `quorum` surviving sources.
/// - `stale`: no fresh source at all, but the pair had a price: the last published price is
///   carried.
/// - `noQuorum`: some fresh sources, fewer than `quorum` survive outlier rejection (or no fresh
///   source and never a price): price nil.
/// - `breaker`: the circuit breaker is tripped: the price is frozen at the last good spot.
public enum PriceStatus: String, Sendable, Codable {
    case ok, stale, noQuorum = "no_quorum", breaker
}

/// One computed (and possibly published) aggregate.
public struct AggregatePrice: Sendable, Equatable {
    public let pair: String
    /// nil when `noQuorum` (never a guess).
    public let price: UInt128?
    /// Pyth-style: the weighted median of `|p − price|` over the surviving sources (0 when they
    /// agree). nil when there is no price or the price is carried (`stale`).
    public let confidence: UInt128?
    /// Surviving sources counted (fresh and not rejected); 0 when `stale`.
    public let sources: Int
    /// The time the aggregate was computed at.
    public let time: Int64
    public let twap: UInt128?
    public let median24h: UInt128?
    public let status: PriceStatus
    public let lowLiquidity: Bool
    /// Fresh sources left out as outliers, sorted by name.
    public let rejected: [String]

    public init(pair: String, price: UInt128?, confidence: UInt128?, sources: Int, time: Int64, twap: UInt128?, median24h: UInt128?, status: PriceStatus, lowLiquidity: Bool, rejected: [String]) {
        self.pair = pair
        self.price = price
        self.confidence = confidence
        self.sources = sources
        self.time = time
        self.twap = twap
        self.median24h = median24h
        self.status = status
        self.lowLiquidity = lowLiquidity
        self.rejected = rejected
    }
}
