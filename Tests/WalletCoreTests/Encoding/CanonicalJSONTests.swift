import CofferTestSupport
import Foundation
import PropertyBased
import Testing
import CofferBase

/// RFC 8785 (JCS) over JSONValue: the RFC's published examples, the reference implementation's
/// test data (cyberphone/json-canonicalization, testdata/), Coffer's integer-only number
/// profile, and properties over random documents.
struct CanonicalJSONTests {
    static func canonical(_ text: String) throws -> String {
        try CanonicalJSON.text(try JSONValue(parsing: text))
    }

    /// RFC 8785 section 3.2.3: members sorted by UTF-16 code units, so the emoji (U+1F600, the
    /// surrogates D83D DE00) comes before U+FB33 although its code point is larger.
    @Test func sortsMembersByUTF16CodeUnits() throws {
        let input = #"""
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """#
        let value = try JSONValue(parsing: input)
        let sorted = try JSONValue(parsing: try CanonicalJSON.encode(value))
        guard case .object(let members) = sorted else { Issue.record("not an object"); return }
        #expect(members.map { $0.value } == [
            "Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face",
            "Hebrew Letter Dalet With Dagesh",
        ].map(JSONValue.string))
    }

    /// RFC 8785 section 3.2.4's example without its fractional numbers (which this profile
    /// refuses, below): string escaping exactly as ECMAScript's JSON.stringify.
    @Test func escapesStringsAsTheRFCShows() throws {
        let input = #"{"string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}"#
        #expect(try Self.canonical(input) == #"{"literals":[null,true,false],"string":"€$\u000f\nA'B\"\\\\\"/"}"#)
        #expect(try Self.canonical(#"["\b\f\t\u0000\u001f\u007f\u2028"]"#) == "[\"\\b\\f\\t\\u0000\\u001f\u{7F}\u{2028}\"]")
    }

    /// cyberphone/json-canonicalization testdata (input → output), byte for byte.
    @Test(arguments: [
        ("arrays", "[\n  56,\n  {\n    \"d\": true,\n    \"10\": null,\n    \"1\": [ ]\n  }\n]\n", #"[56,{"1":[],"10":null,"d":true}]"#),
        ("french", #"{"peach": "This sorting order", "péché": "is wrong according to French", "pêche": "but canonicalization MUST", "sin":   "ignore locale"}"#,
         #"{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ignore locale"}"#),
        ("structures", #"{"1": {"f": {"f": "hi","F": 5} ,"\n": 56.0}, "10": { }, "": "empty", "a": { }, "111": [ {"e": "yes","E": "no" } ], "A": { }}"#,
         #"{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{"E":"no","e":"yes"}],"A":{},"a":{}}"#),
        ("unicode", #"{"Unnormalized Unicode":"A\u030a"}"#, "{\"Unnormalized Unicode\":\"A\u{030A}\"}"),
        ("weird", #"""
            {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\u000a": "Newline", "1": "One", "\u0080": "Control\u007f",
             "\ud83d\ude02": "Smiley", "\u00f6": "Latin Small Letter O With Diaeresis", "\ufb33": "Hebrew Letter Dalet With Dagesh",
             "</script>": "Browser Challenge"}
            """#,
         "{\"\\n\":\"Newline\",\"\\r\":\"Carriage Return\",\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u{80}\":\"Control\u{7F}\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😂\":\"Smiley\",\"\u{FB33}\":\"Hebrew Letter Dalet With Dagesh\"}"),
    ])
    func matchesTheReferenceTestData(name: String, input: String, output: String) throws {
        #expect(try Self.canonical(input) == output, "\(name)")
    }

    /// Integers of magnitude at most 2^53 in any spelling, printed shortest; -0 is 0.
    @Test(arguments: [
        ("0", "0"), ("-0", "0"), ("-0.0e5", "0"), ("56.0", "56"), ("1e2", "100"), ("1E+2", "100"), ("12.50e1", "125"), ("1000e-3", "1"),
        ("-42", "-42"), ("9007199254740992", "9007199254740992"), ("-9007199254740992", "-9007199254740992"), ("0.9007199254740992e16", "9007199254740992"),
        ("0e99999999999999999999", "0"),
    ])
    func printsIntegersInShortestForm(literal: String, expected: String) throws {
        #expect(try CanonicalJSON.text(.number(literal)) == expected)
        #expect(CanonicalJSON.integer(literal).map(String.init) == expected)
    }

    /// Everything a double might not hold exactly, or readers might print differently, is refused
    /// with the place and the advice to send a decimal string.
    @Test(arguments: [
        ("9007199254740993", "beyond ±2^53", "\"9007199254740993\""), ("1e18", "beyond ±2^53", "\"1000000000000000000\""),
        ("-1e16", "beyond ±2^53", "\"-10000000000000000\""), ("1e300", "beyond ±2^53", "decimal string"),
        ("1.5", "not a whole number", "decimal string"), ("333333333.33333329", "not a whole number", "decimal string"),
        ("2e-3", "not a whole number", "decimal string"), ("1e-99999999999", "not a whole number", "decimal string"),
        ("01", "not a JSON number", ""), ("1.", "not a JSON number", ""), ("+1", "not a JSON number", ""), ("NaN", "not a JSON number", ""),
    ])
    func refusesOtherNumbers(literal: String, reason: String, advice: String) {
        #expect {
            try CanonicalJSON.encode(.object([("amounts", .array([.number(literal)]))]), path: "payload")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("payload.amounts[0]: ") && text.contains(reason) && (advice.isEmpty || text.contains(advice))
        }
    }

    @Test func refusesDuplicateMembersBuiltInCode() {
        #expect(throws: JSONError.self) { try CanonicalJSON.encode(.object([("a", .null), ("a", .bool(true))])) }
    }

    /// Over random documents: the canonical form reads back to itself, and it does not depend on
    /// member order, whitespace or how strings and numbers are spelled.
    @Test func canonicalFormIsIndependentOfSpelling() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let value = Self.randomValue(depth: 0, using: &random)
            let canonical = try CanonicalJSON.encode(value)
            #expect(try CanonicalJSON.encode(try JSONValue(parsing: canonical)) == canonical)
            let respelled = Self.write(value, using: &random)
            #expect(try CanonicalJSON.encode(try JSONValue(parsing: respelled)) == canonical, "\(respelled.debugDescription)")
        }
    }

    static let keys = ["a", "b", "A", "é", "€", "😀", "\u{FB33}", "", "10", "1", "\n", "\"q\"", "\\"]
    static let texts = ["", "x", "café", "€$", "tab\there", "\u{0}\u{1F}\u{7F}", "😀 🚀", "\"\\/", "\u{2028}"]

    static func randomValue(depth: Int, using random: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2, 3: return .number(String(Int64.random(in: -(1 << 53)...(1 << 53), using: &random)))
        case 4: return .string(texts.randomElement(using: &random)!)
        case 5: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random) })
        default:
            let names = keys.shuffled(using: &random).prefix(Int.random(in: 0...4, using: &random))
            return .object(names.map { ($0, randomValue(depth: depth + 1, using: &random)) })
        }
    }

    /// JSON text for `value` with shuffled members, random whitespace, random `\u` escapes and
    /// integers respelled with fractions or exponents.
    static func write(_ value: JSONValue, using random: inout SplitMix64) -> String {
        func space() -> String { ["", "", " ", "\n", "\t", "\r\n  "].randomElement(using: &random)! }
        func string(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += Bool.random(using: &random) ? "\\\\" : "\\u005C"
                case "/": out += Bool.random(using: &random) ? "/" : "\\/"
                case _ where scalar.value < 0x20 || Bool.random(using: &random):
                    for unit in String(scalar).utf16 { out += "\\u" + String(format: "%04X", unit) }
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let literal):
            let spellings = [literal, literal + ".0", literal + "e0", literal + ".000E+0"] + (literal == "0" ? [] : [literal + "0e-1", literal + "00E-2"])
            return spellings.randomElement(using: &random)!
        case .string(let text): return string(text)
        case .array(let elements):
            return "[" + space() + elements.map { write($0, using: &random) + space() }.joined(separator: "," + space()) + "]"
        case .object(let members):
            return "{" + space() + members.shuffled(using: &random).map { string($0.key) + space() + ":" + space() + write($0.value, using: &random) + space() }
                .joined(separator: "," + space()) + "}"
        }
    }
}
