import Testing
import CofferBase
@testable import Market

@Suite struct DecimalTests {
    @Test(arguments: [
        ("64123.45", "64123.45"),
        ("64123.40000", "64123.40000"),   // trailing zeros are the source's scale: kept
        ("1e-8", "0.00000001"),
        ("1E-8", "0.00000001"),
        ("1.5e3", "1500"),
        ("1.5E+3", "1500"),
        ("1.50e-3", "0.00150"),
        ("100e-2", "1.00"),
        ("123.456e1", "1234.56"),
        ("123.456e-4", "0.0123456"),
        ("12e0", "12"),
        ("12e-0", "12"),
        ("+0.5", "0.5"),
        (".5", "0.5"),
        ("5.", "5"),
        ("007.50", "7.50"),
        ("0", "0"),
        ("000", "0"),
        ("0.00", "0.00"),
        ("0e5", "0"),
        ("0e-3", "0.000"),
        ("0.000000012345678901234567890", "0.000000012345678901234567890"),
        ("123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"),
        ("1e63", "1" + String(repeating: "0", count: 63)),
        ("1e-63", "0." + String(repeating: "0", count: 62) + "1"),
        ("0e999999999999999999999", "0"),
    ])
    func normalizes(text: String, expected: String) {
        #expect(plain(text) == .success(expected), "\(text)")
    }

    @Test(arguments: [
        ("", ExactDecimal.Problem.empty),
        ("-1", .negative),
        ("-0", .negative),
        ("-1.5e3", .negative),
        ("NaN", .notADecimal),
        ("nan", .notADecimal),
        ("Infinity", .notADecimal),
        ("-Infinity", .notADecimal),
        (" 1", .notADecimal),
        ("1 ", .notADecimal),
        ("1,000", .notADecimal),
        ("0x10", .notADecimal),
        ("1e", .notADecimal),
        ("1e+", .notADecimal),
        (".", .notADecimal),
        ("+", .notADecimal),
        ("-", .notADecimal),
        ("e5", .notADecimal),
        ("1..2", .notADecimal),
        ("1.2.3", .notADecimal),
        ("++1", .notADecimal),
        ("+-1", .notADecimal),
        ("1_000", .notADecimal),
        ("١٢", .notADecimal),
        ("１", .notADecimal),
        ("1e64", .tooManyDigits(limit: 64)),
        ("1e-64", .tooManyDigits(limit: 64)),
        ("1e999999999999999999999", .tooManyDigits(limit: 64)),
        ("0e-999999", .tooManyDigits(limit: 64)),
        (String(repeating: "9", count: 65), .tooManyDigits(limit: 64)),
    ])
    func rejects(text: String, problem: ExactDecimal.Problem) {
        #expect(plain(text) == .failure(problem), "\(text)")
    }

    @Test func zero() {
        #expect(ExactDecimal.isZero("0"))
        #expect(ExactDecimal.isZero("0.000"))
        #expect(!ExactDecimal.isZero("0.001"))
        #expect(!ExactDecimal.isZero("10"))
    }
}

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-11-01T00:00:00Z", 1_793_491_200),
        ("2026-11-01T00:00:00.123456Z", 1_793_491_200),
        ("2026-11-01T00:00:00.999999999999Z", 1_793_491_200),
        ("2026-11-01T01:00:00+01:00", 1_793_491_200),
        ("2026-10-31T19:00:00-05:00", 1_793_491_200),
        ("2026-11-01T05:30:00.5+05:30", 1_793_491_200),
        ("2026-11-01T00:00:00-00:00", 1_793_491_200),
        ("2026-11-01t00:00:00z", 1_793_491_200),
        ("2026-11-01 00:00:00Z", 1_793_491_200),
        ("2024-02-29T23:59:59Z", 1_709_251_199),
        ("2000-02-29T00:00:00Z", 951_782_400),
        ("2000-03-01T00:00:00Z", 951_868_800),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.999Z", -1),             // floor, not toward zero
        ("0001-01-01T00:00:00Z", -62_135_596_800),
        ("9999-12-31T23:59:59Z", 253_402_300_799),
        ("2016-12-31T23:59:60Z", 1_483_228_799),     // leap second read as :59
    ] as [(String, Int64)])
    func parses(text: String, seconds: Int64) {
        #expect(RFC3339.unixSeconds(text) == seconds, "\(text)")
    }

    @Test(arguments: [
        "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
        "2026-11-31T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-01T24:00:00Z", "2026-11-01T00:60:00Z",
        "2026-11-01T00:00:61Z", "2026-11-01T00:00:00", "2026-11-01T00:00:00.Z", "2026-11-01T00:00:00+0100",
        "2026-11-01T00:00:00+24:00", "2026-11-01T00:00:00+01:60", "26-11-01T00:00:00Z", "2026-11-01",
        "2026-11-01T00:00:00Zjunk", "2026/11/01T00:00:00Z", "2026-11-01X00:00:00Z", "2026-11-01T00:00:00+01:00:00",
        "2026-11-01T0:00:00Z", " 2026-11-01T00:00:00Z", "2026-11-01T00:00:00.1", "",
    ])
    func rejects(text: String) {
        #expect(RFC3339.unixSeconds(text) == nil, "\(text)")
    }
}

@Suite struct PathTests {
    @Test(arguments: ["data.tickers", "$", "$.a", "$[0]", "[0]", "c[0]", "a[0][1].b", "result.*", "a[*].b", "@key", "*", "a.$b", "a-b.c_d", "ключ.价格"])
    func parsesValidPaths(text: String) throws {
        #expect(try FeedPath(text).text == text)
    }

    @Test(arguments: ["", "a.", ".a", "a..b", "a[", "a[x]", "a[01]", "a[-1]", "a]b", "$a", "@foo", "a[0]b", "a[1234567890]", "a.[0]", "a[]", "$."])
    func rejectsInvalidPaths(text: String) {
        let error = caught { try FeedPath(text) }
        guard case .invalidMapping(field: "path", let reason)? = error else {
            Issue.record("expected invalidMapping for '\(text)', got \(String(describing: error))")
            return
        }
        #expect(reason.contains("invalid path '\(text)'"))
    }

    @Test func resolution() throws {
        let document = try JSONValue(parsing: Array(#"{"a":[{"b":1},{"b":2}],"m":{"x":{"p":"1"},"y":{"p":"2"}}}"#.utf8))
        #expect(try FeedPath("a[1].b").value(root: document, item: document, key: nil) == .number("2"))
        #expect(try FeedPath("$.a[0].b").value(root: document, item: .null, key: nil) == .number("1"))
        #expect(try FeedPath("b").value(root: document, item: .null, key: nil) == nil)
        #expect(try FeedPath("@key").value(root: document, item: .null, key: "x") == .string("x"))
        #expect(try FeedPath("@key").value(root: document, item: .null, key: nil) == nil)
        let wild = try FeedPath("a.*.b").matches(in: document)
        #expect(wild.map(\.value) == [.number("1"), .number("2")])
        let members = try FeedPath("m.*").matches(in: document)
        #expect(members.map(\.key) == ["x", "y"])
        #expect(try FeedPath("$").value(root: document, item: .null, key: nil) == document)
    }
}
