import CofferTestSupport
import Foundation
import PropertyBased
import Testing
import WalletCore

/// RLP against ethereum/tests RLPTests (rlptest.json, invalidRLPTest.json) and round trips.
@Suite("RLP")
struct RLPTests {
    /// ethereum/tests notation: "#123" is a big integer, "0x.." raw bytes, other strings UTF-8.
    static func item(_ value: Any) throws -> RLP.Item {
        switch value {
        case let list as [Any]:
            return .list(try list.map(item))
        case let text as String where text.hasPrefix("#"):
            return .bytes(bigEndian(decimal: text.dropFirst()))
        case let text as String where text.hasPrefix("0x"):
            return .bytes(hex(text))
        case let text as String:
            return .bytes(Array(text.utf8))
        case let number as NSNumber:
            return .quantity(EthereumQuantity(number.uint64Value))
        default:
            throw RLPError("unexpected vector input \(value)")
        }
    }

    /// Decimal digits to minimal big-endian bytes, any size (the vectors include 2^256).
    static func bigEndian(decimal: Substring) -> [UInt8] {
        var bytes: [UInt8] = []  // little-endian while building
        for digit in decimal.utf8 {
            var carry = Int(digit - UInt8(ascii: "0"))
            for index in bytes.indices {
                let value = Int(bytes[index]) * 10 + carry
                bytes[index] = UInt8(value & 0xFF)
                carry = value >> 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xFF))
                carry >>= 8
            }
        }
        return bytes.reversed()
    }

    @Test("ethereum/tests rlptest.json: encode, and decode back")
    func validVectors() throws {
        let vectors = try #require(try TestVectors.json("ethereum/rlptest.json") as? [String: [String: Any]])
        #expect(vectors.count == 28)
        for (name, vector) in vectors {
            let item = try Self.item(try #require(vector["in"]))
            let expected = hex(try #require(vector["out"] as? String))
            #expect(RLP.encode(item) == expected, "\(name)")
            #expect(try RLP.decode(expected) == item, "\(name)")
        }
    }

    @Test("ethereum/tests invalidRLPTest.json: every case is refused")
    func invalidVectors() throws {
        let vectors = try #require(try TestVectors.json("ethereum/invalidRLPTest.json") as? [String: [String: Any]])
        #expect(vectors.count == 26)
        for (name, vector) in vectors {
            let bytes = hex(try #require(vector["out"] as? String))
            #expect(throws: RLPError.self, "\(name)") { try RLP.decode(bytes) }
        }
    }

    @Test("errors say what is wrong", arguments: [
        ("8100", "single byte below 0x80"),
        ("b800", "leading zero"),
        ("b801ff", "short form"),
        ("c5010203", "declares 5 bytes but only 3 remain"),
        ("0102", "1 unexpected bytes after the item"),
        ("", "empty input"),
    ])
    func errorMessages(input: String, fragment: String) {
        #expect {
            try RLP.decode(hex(input))
        } throws: { error in
            "\(error)".contains(fragment) && !"\(error)".contains("\n")
        }
    }

    @Test("integers must be canonical when read as quantities")
    func canonicalQuantities() throws {
        #expect(try RLP.Item.bytes([]).quantity("nonce") == .zero)
        #expect(try RLP.Item.bytes([0x04, 0x00]).quantity("nonce") == EthereumQuantity(1024))
        #expect(throws: RLPError("nonce is not a canonical integer: it has a leading zero byte")) {
            try RLP.Item.bytes([0x00, 0x01]).quantity("nonce")
        }
        #expect(throws: RLPError.self) { try RLP.Item.bytes([UInt8](repeating: 1, count: 33)).quantity("value") }
        #expect(throws: RLPError("to must be a byte string, got a list")) { try RLP.Item.list([]).bytes("to") }
    }

    @Test("nesting deeper than the limit is refused, not a stack overflow")
    func deepNesting() throws {
        let deep = [UInt8](repeating: 0xC1, count: 10_000) + [0xC0]
        #expect(throws: RLPError.self) { try RLP.decode(deep) }
        var ok: RLP.Item = .list([])
        for _ in 0..<RLP.maximumDepth { ok = .list([ok]) }
        #expect(try RLP.decode(RLP.encode(ok)) == ok)
    }

    /// Random trees of byte strings (all lengths around the 55-byte short/long boundary) and lists.
    static let items = Gen.uint64().map { seed in
        var generator = SplitMix64(state: seed)
        return randomItem(&generator, depth: 0)
    }

    static func randomItem(_ generator: inout SplitMix64, depth: Int) -> RLP.Item {
        if depth < 4 && Bool.random(using: &generator) {
            return .list((0..<Int.random(in: 0...5, using: &generator)).map { _ in randomItem(&generator, depth: depth + 1) })
        }
        let length = [0, 1, 1, 2, 55, 56, 57, 255, 256, 1100].randomElement(using: &generator) ?? 0
        return .bytes((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    @Test("encode then decode gives the same item")
    func roundTrip() async {
        await propertyCheck(count: 300, input: Self.items) { item throws in
            let encoded = RLP.encode(item)
            #expect(try RLP.decode(encoded) == item)
            // Any strict prefix is truncated; any extra byte is trailing garbage.
            #expect(throws: RLPError.self) { try RLP.decode(encoded.dropLast()) }
            #expect(throws: RLPError.self) { try RLP.decode(encoded + [0]) }
        }
    }
}
