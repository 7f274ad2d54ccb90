import PropertyBased
import Testing
import WalletCore

@Suite("Base58 / Base58Check")
struct Base58Tests {
    /// Bitcoin Core src/test/data/base58_encode_decode.json (hex, base58).
    static let bitcoinCoreVectors: [(String, String)] = [
        ("", ""),
        ("61", "2g"),
        ("626262", "a3gV"),
        ("636363", "aPEr"),
        ("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"),
        ("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"),
        ("516b6fcd0f", "ABnLTmg"),
        ("bf4f89001e670274dd", "3SEo3LWLoPntC"),
        ("572e4794", "3EFU7m"),
        ("ecac89cad93923c02321", "EJDM8drfXA6uyA"),
        ("10c8511e", "Rt5zm"),
        ("00000000000000000000", "1111111111"),
        ("00000000000000000000000000000000000000000000000000000000000000000000000000000000", "1111111111111111111111111111111111111111"),
        ("00000000000000000000000000000000000000000000000000000000000000000000000000000001", "1111111111111111111111111111111111111112"),
        ("0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000ec39d04c37e71e5d591881f6",
         "111111111111111111111111111111111111111111111111111111111111111111111111111111111111115TYzLYH1udmLdzCLM"),
        ("000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5",
         "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"),
        ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
         "1cWB5HCBdLjAuqGGReWE3R3CguuwSjw6RHn39s2yuDRTS5NsBgNiFpWgAnEx6VQi8csexkgYw3mdYrMHr8x9i7aEwP8kZ7vccXWqKDvGv3u1GxFKPuAkn8JCPPGDMf3vMMnbzm6Nh9zh1gcNsMvH3ZNLmP5fSG6DGbbi2tuwMWPthr4boWwCxf7ewSgNQeacyozhKDDQQ1qL5fQFUW52QKUZDZ5fw3KXNQJMcNTcaB723LchjeKun7MuGW5qyCBZYzA1KjofN1gYBV3NqyhQJ3Ns746GNuf9N2pQPmHz4xpnSrrfCvy6TVVz5d4PdrjeshsWQwpZsZGzvbdAdN8MKV5QsBDY"),
        ("271F359E", "zzzzy"),
        ("271F359F", "zzzzz"),
        ("271F35A0", "211111"),
        ("271F35A1", "211112"),
    ]

    @Test("Bitcoin Core base58_encode_decode vectors", arguments: bitcoinCoreVectors)
    func bitcoinCore(hex: String, base58: String) throws {
        let bytes = try Hex.decode(hex)
        #expect(Base58.encode(bytes) == base58)
        #expect(Base58.encode(bytes[...]) == base58)
        #expect(try Base58.decode(base58) == bytes)
    }

    @Test("Base58Check: known addresses and Bitcoin Core's checksum vector", arguments: [
        // Genesis block coinbase address (version 0x00 + HASH160).
        ("0062e907b15cbf27d5425399ebf6f0fb50ebb88f18", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
        // Bitcoin wiki "Technical background of version 1 Bitcoin addresses".
        ("00f54a5851e9372b87810a8e60cdd2e7cfd80b6e31", "1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs"),
        // Bitcoin Core base58_tests.cpp: DecodeBase58Check("3vQB7B6MrGQZaxCuFg4oh") == "hello world".
        ("68656c6c6f20776f726c64", "3vQB7B6MrGQZaxCuFg4oh"),
    ])
    func base58Check(payloadHex: String, encoded: String) throws {
        let payload = try Hex.decode(payloadHex)
        #expect(Base58.encodeCheck(payload) == encoded)
        #expect(try Base58.decodeCheck(encoded) == payload)
    }

    @Test("Base58Check of the wiki address keeps its checksum bytes c7f18fe8")
    func checksumBytes() throws {
        let full = try Base58.decode("1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs")
        #expect(Hex.encode(full) == "00f54a5851e9372b87810a8e60cdd2e7cfd80b6e31c7f18fe8")
    }

    @Test("Invalid characters are named with their position", arguments: [
        ("0", Base58Error.Kind.invalidCharacter("0", position: 0)),
        ("1O1", .invalidCharacter("O", position: 1)),
        ("abcI", .invalidCharacter("I", position: 3)),
        ("3vQB7B6MrGQZaxCuFg4oh0IOl", .invalidCharacter("0", position: 21)),
        ("zl", .invalidCharacter("l", position: 1)),
        ("2g ", .invalidCharacter(" ", position: 2)),
        (" 2g", .invalidCharacter(" ", position: 0)),
        ("2g\n", .invalidCharacter("\n", position: 2)),
        ("a+b", .invalidCharacter("+", position: 1)),
        ("2gé", .invalidCharacter("é", position: 2)),
        ("ü2g", .invalidCharacter("ü", position: 0)),
        ("1🙂1", .invalidCharacter("🙂", position: 1)),
        ("\u{0}", .invalidCharacter("\u{0}", position: 0)),
    ])
    func invalidCharacters(input: String, expected: Base58Error.Kind) {
        #expect(throws: Base58Error(expected)) { try Base58.decode(input) }
        #expect(throws: Base58Error(expected)) { try Base58.decodeCheck(input) }
    }

    @Test("Base58Check rejects a wrong checksum")
    func badChecksum() {
        // Bitcoin Core base58_tests.cpp: last character changed h -> i.
        #expect(throws: Base58Error(.checksumMismatch)) { try Base58.decodeCheck("3vQB7B6MrGQZaxCuFg4oi") }
        // Genesis address with its last character changed.
        #expect(throws: Base58Error(.checksumMismatch)) { try Base58.decodeCheck("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb") }
        // Plain Base58 of a payload without a checksum.
        #expect(throws: Base58Error(.checksumMismatch)) { try Base58.decodeCheck(Base58.encode(Array("hello world".utf8))) }
    }

    @Test("Base58Check rejects input shorter than the checksum", arguments: [
        ("", 0), ("1", 1), ("2g", 1), ("111", 3), ("zzzzz", 4 - 0),
    ])
    func tooShort(input: String, byteCount: Int) throws {
        if byteCount < 4 {
            #expect(throws: Base58Error(.tooShortForChecksum(byteCount: byteCount))) { try Base58.decodeCheck(input) }
        } else {
            // Exactly 4 bytes is long enough to check (empty payload), and this one is wrong.
            #expect(throws: Base58Error(.checksumMismatch)) { try Base58.decodeCheck(input) }
        }
    }

    @Test("Empty payload Base58Check round trips")
    func emptyPayload() throws {
        let encoded = Base58.encodeCheck([UInt8]())
        #expect(encoded == "3QJmnh")
        #expect(try Base58.decodeCheck(encoded) == [])
    }

    @Test("Error descriptions are one readable line")
    func descriptions() {
        #expect(Base58Error(.invalidCharacter("0", position: 21)).description
            == "invalid Base58: character '0' at position 21 is not in the alphabet (excluded from Base58 because it looks like another character)")
        #expect(Base58Error(.invalidCharacter("+", position: 1)).description
            == "invalid Base58: character '+' at position 1 is not in the alphabet")
        #expect(Base58Error(.tooShortForChecksum(byteCount: 1)).description
            == "invalid Base58Check: decodes to 1 byte, fewer than the 4-byte checksum")
        #expect(Base58Error(.checksumMismatch).description
            == "invalid Base58Check: checksum mismatch (mistyped or corrupted string)")
    }

    @Test("Round trip Base58 (leading zeros preserved)")
    func roundTrip() async {
        await propertyCheck(input: Gen.uint8().array(of: 0...4), Gen.uint8().array(of: 0...64)) { zeros, rest throws in
            let bytes = [UInt8](repeating: 0, count: zeros.count) + rest
            let encoded = Base58.encode(bytes)
            let leadingOnes = encoded.prefix { $0 == "1" }.count
            #expect(leadingOnes == bytes.prefix { $0 == 0 }.count)
            #expect(try Base58.decode(encoded) == bytes)
        }
    }

    @Test("Round trip Base58Check, and any single-character change is caught")
    func roundTripCheck() async {
        await propertyCheck(input: Gen.uint8().array(of: 0...64), Gen.int(in: 0...1000), Gen.int(in: 1...57)) { payload, where_, delta throws in
            let encoded = Base58.encodeCheck(payload)
            #expect(try Base58.decodeCheck(encoded) == payload)
            // Replace one character with a different alphabet character.
            let alphabet = Array(Base58.alphabet)
            var chars = Array(encoded)
            let i = where_ % chars.count
            let old = alphabet.firstIndex(of: chars[i])!
            chars[i] = alphabet[(old + delta) % 58]
            #expect(throws: Base58Error.self) { try Base58.decodeCheck(String(chars)) }
        }
    }
}
