import CofferBase
/// How to read price observations out of one exchange's JSON responses (HTTP poll bodies or
/// WebSocket messages), so that adding an exchange is configuration rather than code.
///
/// A mapping is validated when it is built or decoded; applying it with
/// ``observations(from:receivedAt:)`` either yields exact observations or throws a
/// ``FeedMappingError`` naming the item and field — never a wrong price.
///
/// JSON form (snake_case):
/// ```json
/// {
///   "items": "data.tickers",
///   "pair": {"path": "symbol", "map": {"XBTUSD": "BTC/USD"}, "unmapped": "skip"},
///   "price": "last",
///   "volume": "vol24h",
///   "time": {"path": "ts", "format": "unix_millis"},
///   "filter": {"path": "$.type", "equals": "ticker"},
///   "max_body_bytes": 4194304
/// }
/// ```
/// Only `items`, `pair` and `price` are required. See ``FeedPath`` for the path syntax.
public struct FeedMapping: Sendable, Hashable {
    /// Default for ``maxBodyBytes``: 4 MiB.
    public static let defaultMaxBodyBytes = 4 << 20

    /// Where the pair of an item comes from.
    public enum Pair: Sendable, Hashable {
        /// Read a symbol at `path` (which may be `@key`). With `map`, the symbol is looked up
        /// exactly (case-sensitive) and replaced by the mapped `BASE/QUOTE`; symbols not in the
        /// map are handled by `unmapped`. Without `map`, the symbol must look like `BASE/QUOTE`,
        /// `BASE-QUOTE` or `BASE_QUOTE` (ASCII letters and digits, upper-cased into `BASE/QUOTE`).
        case path(FeedPath, map: [String: String]? = nil, unmapped: Unmapped = .skip)
        /// Every item is this pair (e.g. a per-pair WebSocket channel or REST endpoint).
        case fixed(String)
    }

    /// What to do with an item whose symbol is not in ``Pair/path(_:map:unmapped:)``'s map.
    public enum Unmapped: String, Sendable, Hashable, Codable, CaseIterable {
        /// Skip the item: the map doubles as the list of pairs wanted from an all-tickers body.
        case skip
        /// Throw ``FeedMappingError/invalidField(item:field:reason:)`` for the item.
        case error
    }

    /// How to read an item's source time.
    public struct Time: Sendable, Hashable {
        /// Where the timestamp is (relative to the item unless `$…`).
        public var path: FeedPath
        /// How it is encoded.
        public var format: TimeFormat

        public init(path: FeedPath, format: TimeFormat) {
            self.path = path
            self.format = format
        }
    }

    /// Timestamp encodings. Numeric forms accept a JSON number or a string of one (fractions and
    /// exponents are exact; the result is floored to whole seconds; negatives are rejected).
    public enum TimeFormat: String, Sendable, Hashable, Codable, CaseIterable {
        case unixSeconds = "unix_seconds"
        case unixMillis = "unix_millis"
        case unixMicros = "unix_micros"
        case unixNanos = "unix_nanos"
        /// A string such as `2026-11-01T00:00:00.123456Z` or `2026-11-01T01:00:00+01:00`, see ``RFC3339``.
        case rfc3339
    }

    /// Keeps only messages/items whose value at `path` equals `equals` — e.g. skip heartbeats
    /// and subscription acknowledgements on a WebSocket.
    ///
    /// A JSON string matches when it equals `equals`; a number, `true`, `false` or `null` matches
    /// when its JSON text does (`"equals": "1"` matches `1`, not `1.0`). A missing value never
    /// matches. When `path` is absolute (`$…`) the filter is checked once per message before the
    /// items are looked up, so a non-matching message yields no observations even if it has no
    /// items at all; otherwise it is checked per item.
    public struct Filter: Sendable, Hashable {
        /// The value to test (`$…`: per message; otherwise per item; may be `@key`).
        public var path: FeedPath
        /// The text it must equal.
        public var equals: String

        public init(path: FeedPath, equals: String) {
            self.path = path
            self.equals = equals
        }
    }

    /// Path to the items: an array means its elements (when the path has no `*`), an object
    /// means one item; with `*`, each match is one item.
    public let items: FeedPath
    /// Where each item's pair comes from.
    public let pair: Pair
    /// Path to the price: a JSON number or a string holding one; must be greater than zero.
    public let price: FeedPath
    /// Optional path to a volume (number or string, ≥ 0). A missing or `null` volume gives `nil`.
    public let volume: FeedPath?
    /// Optional source time; when absent an observation's `sourceTime` is its `receivedAt`.
    /// When configured, a missing or unreadable time is an error (never silently "now").
    public let time: Time?
    /// Optional filter skipping non-price messages or items.
    public let filter: Filter?
    /// Bodies larger than this are rejected before parsing.
    public let maxBodyBytes: Int

    /// Builds and validates a mapping.
    ///
    /// Throws ``FeedMappingError/invalidMapping(field:reason:)`` when `items` is `@key`, a field
    /// or filter path has a wildcard, `@key` is used while items are the root itself, a pair
    /// (fixed or a map target) is not `BASE/QUOTE`, a map is empty or has an empty key, or
    /// `maxBodyBytes` is not positive. Pairs are stored normalised (`btc-usd` → `BTC/USD`).
    public init(
        items: FeedPath,
        pair: Pair,
        price: FeedPath,
        volume: FeedPath? = nil,
        time: Time? = nil,
        filter: Filter? = nil,
        maxBodyBytes: Int = FeedMapping.defaultMaxBodyBytes
    ) throws(FeedMappingError) {
        if items.isItemKey { throw .invalidMapping(field: "items", reason: "'@key' cannot be the items path") }
        let itemsAreRoot = items.steps.isEmpty
        func checkField(_ path: FeedPath, _ field: String) throws(FeedMappingError) {
            if path.hasWildcard {
                throw .invalidMapping(field: field, reason: "wildcards are only allowed in 'items' (path '\(path)')")
            }
            if path.isItemKey, itemsAreRoot {
                throw .invalidMapping(field: field, reason: "'@key' needs an items path that selects object members")
            }
        }
        switch pair {
        case .fixed(let text):
            guard let normalized = Self.normalizePair(text) else {
                throw .invalidMapping(field: "pair.fixed", reason: "'\(text)' is not BASE/QUOTE")
            }
            self.pair = .fixed(normalized)
        case .path(let path, let map, let unmapped):
            try checkField(path, "pair.path")
            var normalizedMap: [String: String]?
            if let map {
                guard !map.isEmpty else { throw .invalidMapping(field: "pair.map", reason: "must not be empty (omit it instead)") }
                var result: [String: String] = [:]
                for (symbol, target) in map {
                    guard !symbol.isEmpty else { throw .invalidMapping(field: "pair.map", reason: "has an empty symbol") }
                    guard let normalized = Self.normalizePair(target) else {
                        throw .invalidMapping(field: "pair.map.\(symbol)", reason: "'\(target)' is not BASE/QUOTE")
                    }
                    result[symbol] = normalized
                }
                normalizedMap = result
            }
            self.pair = .path(path, map: normalizedMap, unmapped: unmapped)
        }
        try checkField(price, "price")
        if let volume { try checkField(volume, "volume") }
        if let time { try checkField(time.path, "time.path") }
        if let filter { try checkField(filter.path, "filter.path") }
        guard maxBodyBytes > 0 else { throw .invalidMapping(field: "max_body_bytes", reason: "must be greater than zero") }
        self.items = items
        self.price = price
        self.volume = volume
        self.time = time
        self.filter = filter
        self.maxBodyBytes = maxBodyBytes
    }

    /// `BASE/QUOTE`, `BASE-QUOTE` or `BASE_QUOTE` (exactly one separator, ASCII letters/digits on
    /// both sides, each at most 32 characters) → upper-cased `BASE/QUOTE`; `nil` otherwise.
    public static func normalizePair(_ text: String) -> String? {
        var base: [UInt8] = []
        var quote: [UInt8] = []
        var seenSeparator = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                guard !seenSeparator else { return nil }
                seenSeparator = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if seenSeparator { quote.append(byte) } else { base.append(byte) }
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                let upper = byte - 32
                if seenSeparator { quote.append(upper) } else { base.append(upper) }
            default:
                return nil
            }
        }
        guard seenSeparator, (1...32).contains(base.count), (1...32).contains(quote.count) else { return nil }
        return String(decoding: base, as: UTF8.self) + "/" + String(decoding: quote, as: UTF8.self)
    }
}

/// One price read from an exchange message.
public struct FeedObservation: Sendable, Hashable, Codable {
    /// `BASE/QUOTE`, upper case.
    public var pair: String
    /// Exact decimal text, normalised by ``ExactDecimal/normalize(_:maxDigits:)``; greater than zero.
    public var price: String
    /// Exact decimal text (≥ 0) when the mapping has a volume and the item carries one.
    public var volume: String?
    /// Unix seconds from the exchange (floored), or `receivedAt` when the mapping has no time.
    public var sourceTime: Int64
    /// Unix seconds at which the caller received the body.
    public var receivedAt: Int64

    /// Memberwise; values are taken as given (``FeedMapping`` is what validates them).
    public init(pair: String, price: String, volume: String? = nil, sourceTime: Int64, receivedAt: Int64) {
        self.pair = pair
        self.price = price
        self.volume = volume
        self.sourceTime = sourceTime
        self.receivedAt = receivedAt
    }

    enum CodingKeys: String, CodingKey {
        case pair, price, volume
        case sourceTime = "source_time"
        case receivedAt = "received_at"
    }
}
