import PropertyBased
import Testing
import CofferBase
@testable import Market

@Suite struct FeedPropertyTests {
    static let mapping = try! FeedMapping(json: #"{"items":"$","pair":{"fixed":"BTC/USD"},"price":"p","volume":"v"}"#)

    static func digits(_ count: Int, using random: inout SplitMix64, nonZeroFirst: Bool = false) -> String {
        String((0..<count).map { index in
            let low = nonZeroFirst && index == 0 ? 1 : 0
            return Character(String(Int.random(in: low...9, using: &random)))
        })
    }

    /// A canonical plain decimal: no sign, no exponent, no redundant leading zero, not zero.
    static func canonicalDecimal(using random: inout SplitMix64) -> String {
        var integer = Bool.random(using: &random) ? "0" : digits(Int.random(in: 1...25, using: &random), using: &random, nonZeroFirst: true)
        let fraction = Bool.random(using: &random) ? "" : digits(Int.random(in: 1...30, using: &random), using: &random)
        if integer == "0", fraction.allSatisfy({ $0 == "0" }) { integer = "1" }
        return fraction.isEmpty ? integer : integer + "." + fraction
    }

    /// Canonical decimal texts embedded as JSON numbers and as JSON strings come back unchanged.
    @Test func canonicalDecimalsRoundTripExactly() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let text = Self.canonicalDecimal(using: &random)
            let asNumber = #"{"p":\#(text),"v":\#(text)}"#
            let asString = #"{"p":"\#(text)","v":"\#(text)"}"#
            for body in [asNumber, asString] {
                let result = try? Self.mapping.observations(from: body, receivedAt: 0)
                #expect(result == [FeedObservation(pair: "BTC/USD", price: text, volume: text, sourceTime: 0, receivedAt: 0)], "\(body)")
            }
        }
    }

    /// Any decimal with sign, leading zeros and exponent normalises to the same value and scale,
    /// checked against an independent digit-string oracle, in JSON numbers and strings alike.
    @Test func exponentFormsMatchOracle() async {
        await propertyCheck(count: 1000, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let leadingZeros = String(repeating: "0", count: Int.random(in: 0...2, using: &random))
            var integer = Self.digits(Int.random(in: 0...20, using: &random), using: &random)
            let fraction = Self.digits(Int.random(in: 0...20, using: &random), using: &random)
            if integer.isEmpty && fraction.isEmpty { integer = "0" }
            let exponent = Int.random(in: -40...40, using: &random)
            let exponentText = ["e", "E"].randomElement(using: &random)! + (exponent >= 0 && Bool.random(using: &random) ? "+" : "") + String(exponent)
            let mantissa = leadingZeros + integer + (fraction.isEmpty ? "" : "." + fraction)
            let text = (Bool.random(using: &random) ? "+" : "") + mantissa + exponentText

            // Oracle: value = M × 10^(e − f); scale s = max(0, f − e); unscaled U = M × 10^max(0, e − f).
            let f = fraction.count
            let scale = max(0, f - exponent)
            let unscaled = (integer + fraction + String(repeating: "0", count: max(0, exponent - f))).drop(while: { $0 == "0" })
            let integerDigits = max(1, unscaled.count - scale)
            let result = plain(text)
            if integerDigits + scale > ExactDecimal.maxDigits {
                #expect(result == .failure(.tooManyDigits(limit: 64)), "\(text)")
                return
            }
            guard case .success(let output) = result else {
                Issue.record("\(text) → \(result)")
                return
            }
            let parts = output.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count == (scale == 0 ? 1 : 2), "\(text) → \(output)")
            #expect(parts.count < 2 || parts[1].count == scale, "\(text) → \(output)")
            #expect(parts[0] == "0" || parts[0].first != "0", "\(text) → \(output)")
            #expect(output.filter { $0 != "." }.drop(while: { $0 == "0" }) == unscaled, "\(text) → \(output)")
            // Idempotent, and the same through the mapping as a JSON string (and as a JSON number
            // when the text is valid JSON number syntax).
            #expect(plain(output) == .success(output))
            let viaString = try? Self.mapping.observations(from: #"{"p":"1","v":"\#(text)"}"#, receivedAt: 0)
            #expect(viaString?.first?.volume == output, "\(text)")
            if !text.hasPrefix("+"), leadingZeros.isEmpty, integer.first != "0" || integer == "0", !integer.isEmpty {
                let viaNumber = try? Self.mapping.observations(from: #"{"p":"1","v":\#(text)}"#, receivedAt: 0)
                #expect(viaNumber?.first?.volume == output, "\(text)")
            }
        }
    }

    /// Random JSON documents survive serialisation (with random escaping) and parsing unchanged.
    @Test func jsonDocumentsRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let value = Self.randomJSON(depth: 0, using: &random)
            let text = Self.serialize(value, using: &random)
            let parsed = try? JSONValue(parsing: Array(text.utf8))
            #expect(parsed == value, "\(text)")
        }
    }

    /// RFC 3339 parsing agrees with naive day counting for random instants and offsets.
    @Test func rfc3339MatchesNaiveCount() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let year = Int64.random(in: 1...9999, using: &random)
            let month = Int64.random(in: 1...12, using: &random)
            let monthLengths: [Int64] = [31, Self.leap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            let day = Int64.random(in: 1...monthLengths[Int(month - 1)], using: &random)
            let hour = Int64.random(in: 0...23, using: &random)
            let minute = Int64.random(in: 0...59, using: &random)
            let second = Int64.random(in: 0...59, using: &random)
            let offset = Int64.random(in: -(23 * 60 + 59)...(23 * 60 + 59), using: &random)
            var days: Int64 = 0
            if year >= 1970 {
                for y in 1970..<year { days += Self.leap(y) ? 366 : 365 }
            } else {
                for y in year..<1970 { days -= Self.leap(y) ? 366 : 365 }
            }
            days += monthLengths[0..<Int(month - 1)].reduce(0, +) + day - 1
            let expected = days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60
            func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
            let yearText = String(repeating: "0", count: 4 - String(year).count) + String(year)
            let fraction = Bool.random(using: &random) ? "" : "." + Self.digits(Int.random(in: 1...9, using: &random), using: &random)
            let zone = offset == 0 && Bool.random(using: &random) ? "Z" : (offset < 0 ? "-" : "+") + two(abs(offset) / 60) + ":" + two(abs(offset) % 60)
            let text = "\(yearText)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))\(fraction)\(zone)"
            #expect(RFC3339.unixSeconds(text) == expected, "\(text)")
        }
    }

    static func leap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func randomJSON(depth: Int, using random: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0...(depth >= 4 ? 4 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            let sign = Bool.random(using: &random) ? "-" : ""
            let integer = Bool.random(using: &random) ? "0" : digits(Int.random(in: 1...20, using: &random), using: &random, nonZeroFirst: true)
            let fraction = Bool.random(using: &random) ? "" : "." + digits(Int.random(in: 1...10, using: &random), using: &random)
            let exponent = Bool.random(using: &random) ? "" : "e" + ["", "+", "-"].randomElement(using: &random)! + String(Int.random(in: 0...30, using: &random))
            return .number(sign + integer + fraction + exponent)
        case 3, 4: return .string(randomString(using: &random))
        case 5:
            return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in randomJSON(depth: depth + 1, using: &random) })
        default:
            var keys = Set<String>()
            var members: [(key: String, value: JSONValue)] = []
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                let key = randomString(using: &random)
                if keys.insert(key).inserted { members.append((key: key, value: randomJSON(depth: depth + 1, using: &random))) }
            }
            return .object(members)
        }
    }

    static func randomString(using random: inout SplitMix64) -> String {
        let pool: [Unicode.Scalar] = ["a", "B", "7", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "é", "€", "😀", "价", "\u{FFFF}", "\u{10FFFF}"]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...8, using: &random) { scalars.append(pool.randomElement(using: &random)!) }
        return String(scalars)
    }

    static func serialize(_ value: JSONValue, using random: inout SplitMix64) -> String {
        let space = [" ", "", "\n", "\t", "\r\n"]
        func ws() -> String { Bool.random(using: &random) ? "" : space.randomElement(using: &random)! }
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return quote(text, using: &random)
        case .array(let elements):
            return "[" + ws() + elements.map { serialize($0, using: &random) + ws() }.joined(separator: "," + ws()) + "]"
        case .object(let members):
            return "{" + ws() + members.map { quote($0.key, using: &random) + ws() + ":" + ws() + serialize($0.value, using: &random) + ws() }.joined(separator: "," + ws()) + "}"
        }
    }

    static func quote(_ text: String, using random: inout SplitMix64) -> String {
        func hex(_ unit: UInt16) -> String {
            let digits = String(unit, radix: 16, uppercase: Bool.random(using: &random))
            return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += Bool.random(using: &random) ? "\\/" : "/"
            case "\n": out += Bool.random(using: &random) ? "\\n" : hex(0x0A)
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += hex(UInt16(scalar.value))
            case _ where scalar.value > 0x7F && Bool.random(using: &random):
                out += String(scalar).utf16.map { hex($0) }.joined()
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
