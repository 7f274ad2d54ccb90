import CofferTestSupport
import CofferBase
import Foundation
@testable import Ledger
import PropertyBased
import Testing

/// `TransferJSON.decode`'s fast path (`PlainTransferJSON`) against the strict `JSONDecoding`,
/// which reads whatever the fast path declines: over random transfer objects and random
/// mutations of them, whatever the fast path accepts the strict decoder reads into the same
/// fields, and `decode` gives the same transfer or the same error as the strict decoder alone.
struct TransferJSONTests {
    static let canonical = #"{"id":"t1","debit":"acct-a","credit":"acct-b","amount":"1500000","asset":"USDT","flags":["pending"],"pending_id":"t0","timeout":30,"reference":"order-77","code":7,"metadata":"m"}"#

    @Test func theUsualObjectTakesTheFastPath() throws {
        let wire = try #require(Self.fast(Self.canonical))
        #expect(wire == (try TransferJSON.wire(TransferJSON.WireTransfer.self, from: Array(Self.canonical.utf8))))
        #expect(wire.timeout == 30 && wire.code == 7 && wire.flags == ["pending"] && wire.pendingID == "t0")
        // Whitespace between tokens, null for an absent field, non-ASCII text: still the fast path.
        #expect(Self.fast(" {\n\t\"id\" : \"t1\" , \"reference\" : null, \"metadata\": \"café ✓\" }\r\n")?.metadata == "café ✓")
        // What it leaves to the strict decoder: escapes, unknown or repeated fields, signs, fractions, exponents, leading zeros.
        for declined in [#"{"id":"t\"1"}"#, #"{"id":"t1","memo":"x"}"#, #"{"id":"t1","id":"t2"}"#, #"{"id":"t1","timeout":-1}"#,
                         #"{"id":"t1","timeout":1.0}"#, #"{"id":"t1","timeout":1e2}"#, #"{"id":"t1","timeout":01}"#,
                         #"{"id":"t1","timeout":4294967296}"#, #"{"id":"t1","code":65536}"#, #"{"id":"t1"} x"#, #"{"id":"t1",}"#, "[]"] {
            #expect(Self.fast(declined) == nil, "\(declined)")
        }
    }

    @Test func whateverTheFastPathAcceptsTheStrictDecoderReadsTheSame() async {
        await propertyCheck(count: 3_000, input: Gen.uint64(), Gen.int(in: 0...3)) { seed, mutations in
            var random = SplitMix64(state: seed)
            var bytes = Array(Self.randomObject(using: &random).utf8)
            for _ in 0..<mutations { Self.mutate(&bytes, using: &random) }
            let text = String(decoding: bytes, as: UTF8.self)
            if let fast = bytes.withUnsafeBytes({ PlainTransferJSON.wire($0) }) {
                let strict = try? TransferJSON.wire(TransferJSON.WireTransfer.self, from: bytes)
                #expect(strict == fast, "the fast path read \(text.debugDescription) differently")
            }
            let both = (Self.outcome { () throws(LedgerError) in try TransferJSON.decode(bytes) },
                        Self.outcome { () throws(LedgerError) in try TransferJSON.decodeWithoutFastPath(bytes) })
            #expect(both.0 == both.1, "\(text.debugDescription)")
        }
    }

    static func fast(_ text: String) -> TransferJSON.WireTransfer? {
        Array(text.utf8).withUnsafeBytes { PlainTransferJSON.wire($0) }
    }

    static func outcome(_ body: () throws(LedgerError) -> Transfer) -> String {
        do { return "\(try body())" } catch { return "error: \(error.description)" }
    }

    static let names = ["id", "debit", "credit", "amount", "asset", "flags", "pending_id", "timeout", "reference", "code", "metadata"]
    static let texts = ["t1", "acct-a", "USDT", "1500000", "0", "", "café", "✓ 🚀", #"a\"b"#, #"\u00e9"#, #"x\ny"#, "tab\there",
                        "pending", "linked", "post_pending", "-1", "1.5", String(repeating: "9", count: 40)]
    static let numbers = ["0", "30", "65535", "65536", "4294967295", "4294967296", "-1", "-0", "1.0", "1e2", "01", "00", "18446744073709551616"]
    static let spaces = ["", "", "", " ", "\n", "\t", "\r\n "]

    /// An object with random fields (sometimes unknown or repeated) and values of the right or a wrong type.
    static func randomObject(using random: inout SplitMix64) -> String {
        func space() -> String { spaces.randomElement(using: &random)! }
        func string() -> String { "\"" + texts.randomElement(using: &random)! + "\"" }
        func value(for name: String) -> String {
            switch Int.random(in: 0..<10, using: &random) {
            case 0: return "null"
            case 1: return ["true", "false", "{}", "[1]", "7"].randomElement(using: &random)!
            default:
                switch name {
                case "timeout", "code": return Bool.random(using: &random) ? numbers.randomElement(using: &random)! : string()
                case "flags": return "[" + (0..<Int.random(in: 0...3, using: &random)).map { _ in space() + string() + space() }.joined(separator: ",") + "]"
                default: return string()
                }
            }
        }
        var fields = names.filter { _ in Bool.random(using: &random) }.shuffled(using: &random)
        if Int.random(in: 0..<8, using: &random) == 0 { fields.append("memo") }
        if Int.random(in: 0..<8, using: &random) == 0, let repeated = fields.first { fields.append(repeated) }
        let members = fields.map { name in space() + "\"\(name)\"" + space() + ":" + space() + value(for: name) + space() }
        return space() + "{" + members.joined(separator: ",") + "}" + space()
    }

    /// Deletes, inserts or replaces one byte, favouring the bytes JSON's grammar turns on.
    static func mutate(_ bytes: inout [UInt8], using random: inout SplitMix64) {
        let significant = Array("{}[],:\"\\ 0159-.enul\u{1}".utf8) + [0xC3, 0xFF]
        let position = Int.random(in: 0...bytes.count, using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0 where position < bytes.count: bytes.remove(at: position)
        case 1 where position < bytes.count: bytes[position] = significant.randomElement(using: &random)!
        default: bytes.insert(significant.randomElement(using: &random)!, at: position)
        }
    }
}
