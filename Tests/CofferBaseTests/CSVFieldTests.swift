import CofferBase
import Testing

/// CSV fields as every export writes them: RFC 4180 quoting, and formula injection neutralised
/// except for plain numbers.
@Suite("CSV field")
struct CSVFieldTests {
    @Test("Fields are quoted per RFC 4180", arguments: [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("line\nbreak", "\"line\nbreak\""),
        ("cr\rhere", "\"cr\rhere\""),
        ("crlf\r\nhere", "\"crlf\r\nhere\""),
        ("0-1 d", "0-1 d"),
    ])
    func quoting(raw: String, expected: String) {
        #expect(CSVField.text(raw) == expected)
    }

    @Test("Formula starters are neutralised unless the field is a plain number", arguments: [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1+2", "'+1+2"),
        ("+5", "'+5"),
        ("@cmd", "'@cmd"),
        ("-2+3", "'-2+3"),
        ("-", "'-"),
        ("-.5", "'-.5"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""),
        ("-0.05", "-0.05"),
        ("-170141183460469231731.687303715884105728", "-170141183460469231731.687303715884105728"),
        ("-42", "-42"),
        ("-0.05%", "-0.05%"),
        ("98.50%", "98.50%"),
        ("a=b", "a=b"),
    ])
    func injection(raw: String, expected: String) {
        #expect(CSVField.text(raw) == expected)
    }
}
