import Foundation
import Testing
@testable import Market

@Suite struct MappingConfigTests {
    static let full = """
    {
      "items": "data.tickers",
      "pair": {"path": "symbol", "map": {"XBTUSD": "btc-usd", "ETHUSD": "ETH/USD"}, "unmapped": "error"},
      "price": "last",
      "volume": "vol24h",
      "time": {"path": "ts", "format": "unix_millis"},
      "filter": {"path": "$.type", "equals": "ticker"},
      "max_body_bytes": 65536
    }
    """

    @Test func decodesEveryField() throws {
        let mapping = try FeedMapping(json: Self.full)
        #expect(mapping.items.text == "data.tickers")
        #expect(mapping.pair == .path(try FeedPath("symbol"), map: ["XBTUSD": "BTC/USD", "ETHUSD": "ETH/USD"], unmapped: .error))
        #expect(mapping.price.text == "last")
        #expect(mapping.volume?.text == "vol24h")
        #expect(mapping.time == FeedMapping.Time(path: try FeedPath("ts"), format: .unixMillis))
        #expect(mapping.filter == FeedMapping.Filter(path: try FeedPath("$.type"), equals: "ticker"))
        #expect(mapping.maxBodyBytes == 65536)
    }

    @Test func minimalMappingGetsDefaults() throws {
        let mapping = try FeedMapping(json: #"{"items":"$","pair":{"fixed":"eth_btc"},"price":"p"}"#)
        #expect(mapping.pair == .fixed("ETH/BTC"))
        #expect(mapping.volume == nil && mapping.time == nil && mapping.filter == nil)
        #expect(mapping.maxBodyBytes == 4 * 1024 * 1024)
    }

    @Test func encodeDecodeRoundTrip() throws {
        for json in [Self.full, #"{"items":"$","pair":{"fixed":"BTC/USD"},"price":"p"}"#,
                     #"{"items":"result.*","pair":{"path":"@key","map":{"XXBTZUSD":"BTC/USD"}},"price":"c[0]","time":{"path":"t","format":"rfc3339"}}"#] {
            let mapping = try FeedMapping(json: json)
            let encoded = try JSONEncoder().encode(mapping)
            #expect(try FeedMapping(json: Array(encoded)) == mapping)
        }
    }

    @Test func programmaticInitValidatesToo() throws {
        let mapping = try FeedMapping(items: FeedPath("$"), pair: .path(FeedPath("s")), price: FeedPath("p"))
        #expect(try mapping.observations(from: #"{"s":"sol-usdc","p":"150.25"}"#, receivedAt: 7)
            == [FeedObservation(pair: "SOL/USDC", price: "150.25", sourceTime: 7, receivedAt: 7)])
        #expect(caught { try FeedMapping(items: FeedPath("$"), pair: .fixed("BTCUSD"), price: FeedPath("p")) }
            == .invalidMapping(field: "pair.fixed", reason: "'BTCUSD' is not BASE/QUOTE"))
    }

    @Test(arguments: [
        (#"{"items":"$","pair":{"fixed":"BTC/USD"},"price":"p","volumne":"v"}"#, "volumne", "unknown field"),
        (#"{"items":"$","pair":{"fixed":"BTC/USD"}}"#, "price", "is required"),
        (#"{"pair":{"fixed":"BTC/USD"},"price":"p"}"#, "items", "is required"),
        (#"{"items":"$","price":"p"}"#, "pair", "is required"),
        (#"{"items":"$","pair":{},"price":"p"}"#, "pair", "needs either 'path' or 'fixed'"),
        (#"{"items":"$","pair":{"fixed":"BTC/USD","path":"s"},"price":"p"}"#, "pair.path", "cannot be combined"),
        (#"{"items":"$","pair":{"fixed":"BTCUSD"},"price":"p"}"#, "pair.fixed", "is not BASE/QUOTE"),
        (#"{"items":"$","pair":{"path":"s","map":{"XBTUSD":"BTC USD"}},"price":"p"}"#, "pair.map.XBTUSD", "'BTC USD' is not BASE/QUOTE"),
        (#"{"items":"$","pair":{"path":"s","map":{}},"price":"p"}"#, "pair.map", "must not be empty"),
        (#"{"items":"$","pair":{"path":"s","map":{"X":1}},"price":"p"}"#, "pair.map.X", "must be"),
        (#"{"items":"$","pair":{"path":"s","unmapped":"error"},"price":"p"}"#, "pair.unmapped", "only applies with 'pair.map'"),
        (#"{"items":"$","pair":{"path":"s","map":{"A":"A/B"},"unmapped":"drop"},"price":"p"}"#, "pair.unmapped", "must be 'skip' or 'error'"),
        (#"{"items":"$","pair":{"path":"s","extra":1},"price":"p"}"#, "pair.extra", "unknown field"),
        (#"{"items":"$","pair":{"path":"s.*"},"price":"p"}"#, "pair.path", "wildcards are only allowed in 'items'"),
        (#"{"items":"$","pair":{"path":"@key"},"price":"p"}"#, "pair.path", "'@key' needs an items path"),
        (#"{"items":"@key","pair":{"fixed":"A/B"},"price":"p"}"#, "items", "'@key' cannot be the items path"),
        (#"{"items":"a..b","pair":{"fixed":"A/B"},"price":"p"}"#, "items", "invalid path 'a..b': empty key"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":"c[*]"}"#, "price", "wildcards are only allowed"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":7}"#, "price", "must be a string"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":null}"#, "price", "is required"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":"p","volume":"v[x]"}"#, "volume", "invalid path 'v[x]'"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":"p","time":{"path":"t","format":"iso"}}"#, "time.format", "'iso' is not one of 'unix_seconds', 'unix_millis', 'unix_micros', 'unix_nanos', 'rfc3339'"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":"p","time":{"path":"t"}}"#, "time.format", "is required"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":"p","time":{"format":"rfc3339"}}"#, "time.path", "is required"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":"p","time":{"path":"t","format":"rfc3339","tz":"UTC"}}"#, "time.tz", "unknown field"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":"p","filter":{"path":"type"}}"#, "filter.equals", "is required"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":"p","filter":{"path":"type","equals":true}}"#, "filter.equals", "must be a string"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":"p","max_body_bytes":0}"#, "max_body_bytes", "must be greater than zero"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":"p","max_body_bytes":"big"}"#, "max_body_bytes", "must be an integer"),
        (#"{"items":"$","pair":"BTC/USD","price":"p"}"#, "pair", "must be a JSON object"),
        (#"{"items":"$","pair":{"fixed":"A/B"},"price":"p""#, "", "not valid JSON"),
        (#"[]"#, "", "must be a JSON object"),
    ])
    func rejectsInvalidMappings(json: String, field: String, reasonPart: String) {
        let error = caught { try FeedMapping(json: json) }
        guard case .invalidMapping(let actualField, let reason)? = error else {
            Issue.record("expected invalidMapping for \(json), got \(String(describing: error))")
            return
        }
        #expect(actualField == field, "\(json)")
        #expect(reason.contains(reasonPart), "\(json): \(reason)")
        #expect(error!.description.hasPrefix("invalid feed mapping: "))
    }

    @Test(arguments: [
        ("BTC/USD", "BTC/USD"), ("btc-usd", "BTC/USD"), ("ETH_BTC", "ETH/BTC"), ("1INCH/USDT", "1INCH/USDT"),
    ])
    func normalizesPairs(text: String, expected: String) {
        #expect(FeedMapping.normalizePair(text) == expected)
    }

    @Test(arguments: ["BTCUSD", "BTC/USD/EUR", "BTC-USD-SWAP", "/USD", "BTC/", "BTC /USD", "BTC/US$", "", "Ƀ/USD",
                      String(repeating: "A", count: 33) + "/USD"])
    func rejectsPairs(text: String) {
        #expect(FeedMapping.normalizePair(text) == nil)
    }
}
