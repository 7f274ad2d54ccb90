import PropertyBased
import Testing
import WalletCore

@Suite("Hex")
struct HexTests {
    @Test("Encodes lowercase, two digits per byte")
    func encode() {
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode([0x00]) == "00")
        #expect(Hex.encode([0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF]) == "0123456789abcdef")
        #expect(Hex.encode([0xFF, 0x0F, 0xF0]) == "ff0ff0")
        #expect(Hex.encode((0...255).map { UInt8($0) }).count == 512)
        #expect(Hex.encode([0xDE, 0xAD].lazy.map { $0 }) == "dead")
    }

    @Test("Decodes either case, with or without 0x/0X", arguments: [
        ("", [UInt8]()),
        ("0x", []),
        ("0X", []),
        ("00", [0x00]),
        ("0123456789abcdef", [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF]),
        ("0123456789ABCDEF", [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF]),
        ("0xDeadBeef", [0xDE, 0xAD, 0xBE, 0xEF]),
        ("0XdeadBEEF", [0xDE, 0xAD, 0xBE, 0xEF]),
        ("0x00ff", [0x00, 0xFF]),
    ])
    func decode(input: String, expected: [UInt8]) throws {
        #expect(try Hex.decode(input) == expected)
        #expect(try Hex.decode(input[...]) == expected)
    }

    @Test("Rejections name the problem", arguments: [
        ("abc", HexError.Kind.oddLength(3)),
        ("0x1", .oddLength(1)),
        ("0", .oddLength(1)),
        ("0123456g", .invalidCharacter("g", position: 7)),
        ("0x0123456g", .invalidCharacter("g", position: 9)),
        ("abg", .invalidCharacter("g", position: 2)),   // bad character reported before odd length
        ("0x0x", .invalidCharacter("x", position: 3)),
        ("12 34", .invalidCharacter(" ", position: 2)),
        (" 1234", .invalidCharacter(" ", position: 0)),
        ("1234\n", .invalidCharacter("\n", position: 4)),
        ("12é4", .invalidCharacter("é", position: 2)),   // non-ASCII; position counts characters
        ("€€12", .invalidCharacter("€", position: 0)),
        ("x0", .invalidCharacter("x", position: 0)),
    ])
    func rejects(input: String, expected: HexError.Kind) {
        #expect(throws: HexError(expected)) { try Hex.decode(input) }
    }

    @Test("Error descriptions are one readable line")
    func descriptions() {
        #expect(HexError(.oddLength(3)).description == "invalid hex: odd number of digits (3); each byte needs two digits")
        #expect(HexError(.invalidCharacter("g", position: 7)).description == "invalid hex: invalid character 'g' at position 7")
        #expect(HexError(.invalidCharacter(" ", position: 2)).description == "invalid hex: invalid character U+0020 (space) at position 2")
        #expect(HexError(.invalidCharacter("\n", position: 4)).description == "invalid hex: invalid character U+000A (control character) at position 4")
        #expect(HexError(.invalidCharacter("é", position: 2)).description == "invalid hex: invalid character 'é' (U+00E9) at position 2")
        for error in [HexError(.oddLength(1)), HexError(.invalidCharacter("\n", position: 0))] {
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("Round trip: decode(encode(x)) == x, also uppercased and 0x-prefixed")
    func roundTrip() async {
        await propertyCheck(input: Gen.uint8().array(of: 0...64)) { bytes throws in
            let encoded = Hex.encode(bytes)
            #expect(encoded.count == bytes.count * 2)
            #expect(encoded == encoded.lowercased())
            #expect(try Hex.decode(encoded) == bytes)
            #expect(try Hex.decode("0x" + encoded.uppercased()) == bytes)
        }
    }
}
