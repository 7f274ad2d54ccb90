import CofferBase
import Testing
import WalletCore

/// The strict JSON reader behind the signing requests: exact numbers, no duplicate keys.
@Suite("JSON reader")
struct JSONValueTests {
    @Test func keepsNumbersExactly() throws {
        let value = try JSONValue(parsing: #"{"a": 115792089237316195423570985008687907853269984665640564039457584007913129639935, "b": -1.5e3, "c": [true, false, null, "x\u00e9\ud83c\udf0d\n"]}"#)
        #expect(value["a"] == .number("115792089237316195423570985008687907853269984665640564039457584007913129639935"))
        #expect(value["b"] == .number("-1.5e3"))
        #expect(value["c"] == .array([.bool(true), .bool(false), .null, .string("xé🌍\n")]))
    }

    @Test("refuses malformed documents", arguments: [
        "", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1,\"a\":2}", "01", "1.", "-", "\"\\x\"", "\"\u{01}\"", "{} {}",
        "\"\\ud800\"", "[" + String(repeating: "[", count: 200) + String(repeating: "]", count: 201), "tru", "{a:1}",
    ])
    func refuses(text: String) {
        #expect(throws: JSONError.self) { try JSONValue(parsing: text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
    }
}
