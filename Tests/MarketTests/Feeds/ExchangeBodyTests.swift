import Testing
@testable import Market

/// Bodies shaped like real exchange responses and WebSocket messages.
@Suite struct ExchangeBodyTests {
    static let binance = #"{"items":"$","pair":{"path":"symbol","map":{"BTCUSDT":"BTC/USDT","ETHUSDT":"ETH/USDT"}},"price":"price"}"#

    @Test func binanceSingleTicker() throws {
        let result = try observe(Self.binance, #"{"symbol":"BTCUSDT","price":"64123.45"}"#, receivedAt: 1_793_491_205)
        #expect(result == [FeedObservation(pair: "BTC/USDT", price: "64123.45", volume: nil, sourceTime: 1_793_491_205, receivedAt: 1_793_491_205)])
    }

    @Test func binanceAllTickersKeepsOnlyMappedSymbols() throws {
        let body = #"[{"symbol":"ETHBTC","price":"0.05123000"},{"symbol":"BTCUSDT","price":"64123.45000000"},{"symbol":"ETHUSDT","price":"3012.10000000"}]"#
        let result = try observe(Self.binance, body, receivedAt: 100)
        #expect(result.map(\.pair) == ["BTC/USDT", "ETH/USDT"])
        #expect(result.map(\.price) == ["64123.45000000", "3012.10000000"])
        // With "unmapped": "error" the unknown symbol is an error naming the item.
        let strict = #"{"items":"$","pair":{"path":"symbol","map":{"BTCUSDT":"BTC/USDT"},"unmapped":"error"},"price":"price"}"#
        #expect(caught { try observe(strict, body) } == .invalidField(item: 0, field: "pair", reason: "symbol 'ETHBTC' is not in the pair map"))
    }

    static let coinbase = """
    {"items":"$","filter":{"path":"type","equals":"ticker"},"pair":{"path":"product_id"},"price":"price",
     "volume":"volume_24h","time":{"path":"time","format":"rfc3339"}}
    """

    @Test func coinbaseTickerWithTimeAndVolume() throws {
        let body = #"{"type":"ticker","sequence":37475248783,"product_id":"BTC-USD","price":"64123.45","open_24h":"63000","volume_24h":"12.5","time":"2026-11-01T00:00:00.123456Z","trade_id":8}"#
        let result = try observe(Self.coinbase, body, receivedAt: 1_793_491_201)
        #expect(result == [FeedObservation(pair: "BTC/USD", price: "64123.45", volume: "12.5", sourceTime: 1_793_491_200, receivedAt: 1_793_491_201)])
    }

    @Test func coinbaseNonTickerMessagesAreSkipped() throws {
        #expect(try observe(Self.coinbase, #"{"type":"heartbeat","sequence":90,"last_trade_id":20,"product_id":"BTC-USD","time":"2026-11-01T00:00:00Z"}"#).isEmpty)
        #expect(try observe(Self.coinbase, #"{"type":"subscriptions","channels":[{"name":"ticker","product_ids":["BTC-USD"]}]}"#).isEmpty)
        #expect(try observe(Self.coinbase, #"{"sequence":1}"#).isEmpty)  // no type at all: not a ticker
    }

    @Test func krakenPairFromObjectKey() throws {
        let mapping = #"{"items":"result.*","pair":{"path":"@key","map":{"XXBTZUSD":"BTC/USD","XETHZUSD":"ETH/USD"}},"price":"c[0]","volume":"v[1]"}"#
        let body = """
        {"error":[],"result":{
          "XXBTZUSD":{"a":["64123.50000","1","1.000"],"b":["64123.30000","2","2.000"],"c":["64123.40000","0.001"],"v":["100.1","2345.67890123"]},
          "XETHZUSD":{"a":["3012.2","1","1.000"],"c":["3012.11","0.5"],"v":["10","20"]},
          "XXRPZUSD":{"c":["0.5","1"],"v":["1","2"]}
        }}
        """
        let result = try observe(mapping, body, receivedAt: 5)
        #expect(result == [
            FeedObservation(pair: "BTC/USD", price: "64123.40000", volume: "2345.67890123", sourceTime: 5, receivedAt: 5),
            FeedObservation(pair: "ETH/USD", price: "3012.11", volume: "20", sourceTime: 5, receivedAt: 5),
        ])
        // A non-wildcard items path to one pair's object also exposes its key.
        let one = #"{"items":"result.XXBTZUSD","pair":{"path":"@key","map":{"XXBTZUSD":"BTC/USD"}},"price":"c[0]"}"#
        #expect(try observe(one, body).map(\.price) == ["64123.40000"])
        // An error body has no result: the items path is not found.
        #expect(caught { try observe(mapping, #"{"error":["EQuery:Unknown asset pair"]}"#) } == .itemsNotFound(path: "result.*"))
        // Empty result: no observations, no error.
        #expect(try observe(mapping, #"{"error":[],"result":{}}"#).isEmpty)
    }

    @Test func nestedArrayOfTickersWithMillis() throws {
        let mapping = #"{"items":"data.tickers","pair":{"path":"instId"},"price":"last","volume":"vol24h","time":{"path":"ts","format":"unix_millis"}}"#
        let body = """
        {"code":"0","data":{"tickers":[
          {"instId":"BTC-USDT","last":"64123.4","vol24h":"8123.5","ts":"1793491200999"},
          {"instId":"ETH-USDT","last":"3012.1","vol24h":"0","ts":1793491201000}
        ]}}
        """
        #expect(try observe(mapping, body, receivedAt: 1_793_491_202) == [
            FeedObservation(pair: "BTC/USDT", price: "64123.4", volume: "8123.5", sourceTime: 1_793_491_200, receivedAt: 1_793_491_202),
            FeedObservation(pair: "ETH/USDT", price: "3012.1", volume: "0", sourceTime: 1_793_491_201, receivedAt: 1_793_491_202),
        ])
        // The same with an explicit wildcard and several groups.
        let wild = #"{"items":"groups.*.tickers.*","pair":{"path":"s"},"price":"p"}"#
        let grouped = #"{"groups":[{"tickers":[{"s":"A/B","p":"1"},{"s":"C/D","p":"2"}]},{"tickers":[]},{"tickers":[{"s":"E/F","p":"3"}]}]}"#
        #expect(try observe(wild, grouped).map(\.pair) == ["A/B", "C/D", "E/F"])
    }

    @Test func arrayItemsWithIndexPaths() throws {
        // Bitfinex /v2/tickers: [SYMBOL, BID, BID_SIZE, ASK, ASK_SIZE, DAILY_CHANGE, DAILY_CHANGE_RELATIVE, LAST_PRICE, VOLUME, HIGH, LOW]
        let mapping = #"{"items":"$","pair":{"path":"[0]","map":{"tBTCUSD":"BTC/USD"}},"price":"[7]","volume":"[8]"}"#
        let body = #"[["tBTCUSD",64120,3.1,64121,2.2,-550.8,-0.0674,64123.45,8314.71,65000,63000],["tETHUSD",3010,1,3011,1,1,0.01,3012.5,100,3100,2900]]"#
        #expect(try observe(mapping, body, receivedAt: 9) == [FeedObservation(pair: "BTC/USD", price: "64123.45", volume: "8314.71", sourceTime: 9, receivedAt: 9)])
    }

    @Test func jsonNumbersStayExact() throws {
        let mapping = #"{"items":"$","pair":{"path":"s"},"price":"p","volume":"v"}"#
        let cases: [(String, String)] = [
            ("64123.45", "64123.45"), ("1e-8", "0.00000001"), ("1.5e3", "1500"), ("2.50", "2.50"),
            ("0.1", "0.1"), ("0.30000000000000004", "0.30000000000000004"), ("9007199254740993", "9007199254740993"),
            ("123456789012345678901234567890.000000000000000001", "123456789012345678901234567890.000000000000000001"),
        ]
        for (number, expected) in cases {
            let result = try observe(mapping, #"{"s":"BTC/USD","p":\#(number),"v":\#(number)}"#)
            #expect(result.first?.price == expected, "\(number)")
            #expect(result.first?.volume == expected, "\(number)")
        }
    }

    @Test func envelopeFilterAndAbsolutePaths() throws {
        // The filter on the envelope runs first, so a heartbeat without "data" is skipped, not an error.
        let mapping = #"{"items":"data","filter":{"path":"$.channel","equals":"ticker"},"pair":{"path":"$.symbol"},"price":"p","time":{"path":"$.ts","format":"unix_seconds"}}"#
        let body = #"{"channel":"ticker","symbol":"btc_usd","ts":1793491200.75,"data":[{"p":"1.1"},{"p":"1.2"}]}"#
        #expect(try observe(mapping, body, receivedAt: 1_793_491_201) == [
            FeedObservation(pair: "BTC/USD", price: "1.1", sourceTime: 1_793_491_200, receivedAt: 1_793_491_201),
            FeedObservation(pair: "BTC/USD", price: "1.2", sourceTime: 1_793_491_200, receivedAt: 1_793_491_201),
        ])
        #expect(try observe(mapping, #"{"channel":"heartbeat"}"#).isEmpty)
        // A relative filter is per item.
        let perItem = #"{"items":"$","filter":{"path":"live","equals":"true"},"pair":{"path":"s"},"price":"p"}"#
        let items = #"[{"s":"A/B","p":"1","live":true},{"s":"C/D","p":"2","live":false},{"s":"E/F","p":"3","live":"true"}]"#
        #expect(try observe(perItem, items).map(\.pair) == ["A/B", "E/F"])
        let numeric = #"{"items":"$","filter":{"path":"e","equals":"1"},"pair":{"fixed":"A/B"},"price":"p"}"#
        #expect(try observe(numeric, #"[{"e":1,"p":"1"},{"e":1.0,"p":"2"},{"e":"1","p":"3"},{"e":null,"p":"4"}]"#).map(\.price) == ["1", "3"])
    }

    @Test func timeFormats() throws {
        func time(_ format: String, _ value: String) throws(FeedMappingError) -> Int64? {
            try observe(#"{"items":"$","pair":{"fixed":"A/B"},"price":"p","time":{"path":"t","format":"\#(format)"}}"#, #"{"p":"1","t":\#(value)}"#).first?.sourceTime
        }
        #expect(try time("unix_seconds", "1793491200") == 1_793_491_200)
        #expect(try time("unix_seconds", #""1793491200.999""#) == 1_793_491_200)
        #expect(try time("unix_seconds", "1.7934912e9") == 1_793_491_200)
        #expect(try time("unix_millis", "1793491200999") == 1_793_491_200)
        #expect(try time("unix_micros", #""1793491200999999""#) == 1_793_491_200)
        #expect(try time("unix_nanos", "1793491200999999999") == 1_793_491_200)
        #expect(try time("rfc3339", #""2026-11-01T01:00:00.5+01:00""#) == 1_793_491_200)
        #expect(caught { try time("unix_seconds", "-1") } == .invalidField(item: 0, field: "time", reason: "'-1' is negative"))
        #expect(caught { try time("unix_seconds", "9223372036854775808") } == .invalidField(item: 0, field: "time", reason: "'9223372036854775808' is out of range"))
        #expect(caught { try time("rfc3339", "1793491200") } == .invalidField(item: 0, field: "time", reason: "expected an RFC 3339 string, found number"))
        #expect(caught { try time("rfc3339", #""2026-11-01""#) } == .invalidField(item: 0, field: "time", reason: "'2026-11-01' is not an RFC 3339 timestamp"))
        #expect(caught { try time("unix_millis", "null") } == .missingField(item: 0, field: "time", path: "t"))
        #expect(caught { try time("unix_millis", #""soon""#) } == .invalidField(item: 0, field: "time", reason: "'soon' is not a decimal number"))
    }

    @Test func volumeIsOptionalPerItem() throws {
        let mapping = #"{"items":"$","pair":{"fixed":"A/B"},"price":"p","volume":"v"}"#
        #expect(try observe(mapping, #"[{"p":"1"},{"p":"2","v":null},{"p":"3","v":"4.0"}]"#).map(\.volume) == [nil, nil, "4.0"])
        #expect(caught { try observe(mapping, #"[{"p":"1","v":"-4"}]"#) } == .invalidField(item: 0, field: "volume", reason: "'-4' is negative"))
    }
}
