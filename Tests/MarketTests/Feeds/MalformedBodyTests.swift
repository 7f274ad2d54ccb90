import Testing
@testable import Market

/// Every bad body gives a specific error, never a wrong price.
@Suite struct MalformedBodyTests {
    static let mapping = #"{"items":"tickers","pair":{"path":"s"},"price":"p"}"#

    @Test(arguments: [
        (#"{"tickers":[{"s":"BTC-USD","p":"64123.45"}"#, FeedMappingError.malformedJSON(reason: "unexpected end of input")),
        (#"{"tickers":[{"s":"BTC-USD","p":"64123.4"#, .malformedJSON(reason: "unterminated string")),
        (#"{"tickers":[{"s":"BTC-USD","p":64123."#, .malformedJSON(reason: "unexpected end of input")),
        (#"{"tickers":[{"s":"BTC-USD","p":"1"},{"s":"ETH-USD"}]}"#, .missingField(item: 1, field: "price", path: "p")),
        (#"{"tickers":[{"s":"BTC-USD","p":null}]}"#, .missingField(item: 0, field: "price", path: "p")),
        (#"{"tickers":[{"p":"1"}]}"#, .missingField(item: 0, field: "pair", path: "s")),
        (#"{"tickers":[{"s":7,"p":"1"}]}"#, .invalidField(item: 0, field: "pair", reason: "expected a string, found number")),
        (#"{"tickers":[{"s":"BTCUSD","p":"1"}]}"#, .invalidField(item: 0, field: "pair", reason: "'BTCUSD' is not BASE/QUOTE, BASE-QUOTE or BASE_QUOTE (add a pair map)")),
        (#"{"tickers":[{"s":"BTC-USD","p":"-64123.45"}]}"#, .invalidField(item: 0, field: "price", reason: "'-64123.45' is negative")),
        (#"{"tickers":[{"s":"BTC-USD","p":-64123.45}]}"#, .invalidField(item: 0, field: "price", reason: "'-64123.45' is negative")),
        (#"{"tickers":[{"s":"BTC-USD","p":-0}]}"#, .invalidField(item: 0, field: "price", reason: "'-0' is negative")),
        (#"{"tickers":[{"s":"BTC-USD","p":"0.000"}]}"#, .invalidField(item: 0, field: "price", reason: "must be greater than zero")),
        (#"{"tickers":[{"s":"BTC-USD","p":0}]}"#, .invalidField(item: 0, field: "price", reason: "must be greater than zero")),
        (#"{"tickers":[{"s":"BTC-USD","p":"NaN"}]}"#, .invalidField(item: 0, field: "price", reason: "'NaN' is not a decimal number")),
        (#"{"tickers":[{"s":"BTC-USD","p":""}]}"#, .invalidField(item: 0, field: "price", reason: "'' is empty")),
        (#"{"tickers":[{"s":"BTC-USD","p":" 1"}]}"#, .invalidField(item: 0, field: "price", reason: "' 1' is not a decimal number")),
        (#"{"tickers":[{"s":"BTC-USD","p":"64,123.45"}]}"#, .invalidField(item: 0, field: "price", reason: "'64,123.45' is not a decimal number")),
        (#"{"tickers":[{"s":"BTC-USD","p":1e400}]}"#, .invalidField(item: 0, field: "price", reason: "'1e400' needs more than 64 digits when written out")),
        (#"{"tickers":[{"s":"BTC-USD","p":true}]}"#, .invalidField(item: 0, field: "price", reason: "expected a number or a numeric string, found boolean")),
        (#"{"tickers":[{"s":"BTC-USD","p":{"v":"1"}}]}"#, .invalidField(item: 0, field: "price", reason: "expected a number or a numeric string, found object")),
        (#"{"tickers":[{"s":"BTC-USD","p":"1","p":"2"}]}"#, .malformedJSON(reason: "duplicate key \"p\"")),
        (#"{"ticker":[]}"#, .itemsNotFound(path: "tickers")),
        (#"{"tickers":"none"}"#, .itemsNotFound(path: "tickers")),
        (#"{"tickers":null}"#, .itemsNotFound(path: "tickers")),
        (#"[]"#, .itemsNotFound(path: "tickers")),
        ("", .malformedJSON(reason: "empty body")),
        ("<html>502 Bad Gateway</html>", .malformedJSON(reason: "unexpected character '<'")),
    ])
    func rejects(body: String, expected: FeedMappingError) {
        let error = caught { try observe(Self.mapping, body) }
        // Syntax errors carry the JSON parser's own words (CofferBase's, tested there).
        if case .malformedJSON = expected, case .malformedJSON = error { return }
        #expect(error == expected, "\(body)")
    }

    @Test func hugeNestingIsRejectedBeforeMapping() {
        let body = #"{"tickers":"# + String(repeating: "[", count: 100_000)
        guard case .malformedJSON(let reason) = caught({ try observe(Self.mapping, body) }) else { Issue.record("accepted"); return }
        #expect(reason.contains("nested"), "\(reason)")
    }

    @Test func bodySizeLimit() throws {
        let small = #"{"items":"$","pair":{"fixed":"A/B"},"price":"p","max_body_bytes":16}"#
        #expect(try observe(small, #"{"p":"12345678"}"#).map(\.price) == ["12345678"])  // exactly 16 bytes
        #expect(caught { try observe(small, #"{"p":"123456789"}"#) } == .bodyTooLarge(bytes: 17, limit: 16))
        // The default is 4 MiB: a body just over it is refused without being parsed.
        let big = [UInt8](repeating: UInt8(ascii: " "), count: 4 * 1024 * 1024 + 1)
        #expect(caught { try FeedMapping(json: Self.mapping).observations(from: big, receivedAt: 0) } == .bodyTooLarge(bytes: 4_194_305, limit: 4_194_304))
    }

    @Test func invalidUTF8InBody() {
        let body: [UInt8] = Array(#"{"tickers":[{"s":""#.utf8) + [0xC3, 0x28] + Array(#"","p":"1"}]}"#.utf8)
        guard case .malformedJSON = caught({ try FeedMapping(json: Self.mapping).observations(from: body, receivedAt: 0) }) else {
            Issue.record("invalid UTF-8 accepted")
            return
        }
    }

    @Test func errorDescriptionsNameItemAndField() {
        #expect(FeedMappingError.missingField(item: 3, field: "price", path: "c[0]").description == "item 3: price: missing at path 'c[0]'")
        #expect(FeedMappingError.invalidField(item: 0, field: "price", reason: "'-1' is negative").description == "item 0: price: '-1' is negative")
        #expect(FeedMappingError.malformedJSON(reason: "unterminated string at byte 9").description == "malformed JSON: unterminated string at byte 9")
        #expect(FeedMappingError.bodyTooLarge(bytes: 17, limit: 16).description == "body of 17 bytes exceeds the limit of 16 bytes")
        #expect(FeedMappingError.itemsNotFound(path: "data").description == "items path 'data' not found in the body")
        #expect(FeedMappingError.invalidMapping(field: "price", reason: "is required").description == "invalid feed mapping: price: is required")
    }

    @Test func oneBadItemFailsTheWholeMessage() {
        // The caller must not act on part of a message: item 2 is bad, so nothing is returned.
        let body = #"{"tickers":[{"s":"A/B","p":"1"},{"s":"C/D","p":"2"},{"s":"E/F","p":"-3"}]}"#
        #expect(caught { try observe(Self.mapping, body) } == .invalidField(item: 2, field: "price", reason: "'-3' is negative"))
    }
}
