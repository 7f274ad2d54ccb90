import PropertyBased
import Testing
import WalletCore

/// Keccak-256 (Ethereum variant, padding 0x01). Expected digests for the
/// `0x00 0x01 0x02 …` patterned inputs were produced with pycryptodome's
/// `Crypto.Hash.keccak.new(digest_bits=256)`; the text vectors are the
/// widely published Ethereum values.
@Suite("Keccak-256")
struct Keccak256Tests {
    /// `n` bytes 0x00, 0x01, …, 0xff, 0x00, … (byte i = i mod 256).
    static func pattern(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0) } }

    @Test("Published text vectors", arguments: [
        ("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        ("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
        ("The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"),
    ])
    func textVectors(message: String, expected: String) {
        #expect(Hex.encode(Keccak256.hash(Array(message.utf8))) == expected)
    }

    @Test("Is not NIST SHA3-256 (which gives a7ffc6f8… for the empty string)")
    func notSHA3() {
        #expect(Hex.encode(Keccak256.hash([UInt8]())) != "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
    }

    @Test("Lengths around the 136-byte rate boundary", arguments: [
        (1, "bc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a"),
        (55, "797f92d5e159d80a886c0a7802a255b475a1e8e473e8cf4345144824a2aee79c"),
        (56, "0d0bf4902a749dee22eae5f1b6e2b867ba696ce9be7632eba14315ac09bd1856"),
        (64, "002030bde3d4cf89919649775cd71875c4d0ab1708a380e03fefc3a28aa24831"),
        (127, "c52f0bd08793b9e8601b29753539e1bf47f8e483eed0a901e8761982449c9b4c"),
        (128, "ed4c9adc183fb8cb025b1500ec3eeae1b45517314441a187605de1bb8a64726e"),
        (135, "cbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62"),
        (136, "7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e"),
        (137, "ac73d4fae68b8453f764007c1a20ce95994187861f0c3227a3a8e99a73a3b1db"),
        (200, "bfb0aa97863e797943cf7c33bb7e880bb4543f3d2703c0923c6901c2af57b890"),
        (271, "7c974895b2a88303ff2dc6b58f438ceb0b298cac91099ac0539cc0f477506191"),
        (272, "fdf2ec49e749960d3c8521a0219af8d03e30e2b3bf19bd16150ee0eaf133d66e"),
        (273, "4f707289a9c3ccd0c4a51f2f17339f5dd171d371c04ff7783b735b5b22682eaf"),
        (1000, "aca79e4146e30eb1c733f6d6060d72471c36ea4e01ebf45d7f4916249c2bbd82"),
    ])
    func patternedInputs(length: Int, expected: String) throws {
        let input = Self.pattern(length)
        #expect(Hex.encode(Keccak256.hash(input)) == expected)
        // Raw-pointer fast path.
        var out = [UInt8](repeating: 0xAA, count: 32)
        input.withUnsafeBytes { data in
            out.withUnsafeMutableBytes { Keccak256.hash(data, into: $0) }
        }
        #expect(Hex.encode(out) == expected)
        // Non-contiguous sequence path.
        #expect(Hex.encode(Keccak256.hash(input.lazy.map { $0 })) == expected)
        // Streaming, fed in awkward pieces (1, 7, 136, rest).
        var hasher = Keccak256.Hasher()
        var rest = input[...]
        for size in [1, 7, 136] {
            let piece = rest.prefix(size)
            hasher.update(piece)
            rest = rest.dropFirst(piece.count)
        }
        hasher.update(rest)
        #expect(Hex.encode(hasher.finalize()) == expected)
    }

    @Test("One million 'a'")
    func millionA() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Hex.encode(Keccak256.hash(input)) == "fadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96")
    }

    @Test("hash(_:into:) writes exactly 32 bytes")
    func writesOnly32Bytes() {
        var out = [UInt8](repeating: 0xEE, count: 40)
        [UInt8]().withUnsafeBytes { data in
            out.withUnsafeMutableBytes { Keccak256.hash(data, into: $0) }
        }
        #expect(Hex.encode(out.prefix(32)) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(out.suffix(8) == [UInt8](repeating: 0xEE, count: 8))
    }

    @Test("finalize() does not consume the hasher")
    func finalizeTwice() {
        var hasher = Keccak256.Hasher()
        hasher.update(Array("ab".utf8))
        let first = hasher.finalize()
        #expect(hasher.finalize() == first)
        hasher.update(Array("c".utf8))
        #expect(Hex.encode(hasher.finalize()) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
    }

    @Test("Streaming at random split points equals one-shot")
    func streamingMatchesOneShot() async {
        await propertyCheck(input: Gen.uint8().array(of: 0...400), Gen.int(in: 0...400), Gen.int(in: 0...400)) { bytes, a, b throws in
            let cut1 = min(a, b, bytes.count), cut2 = min(max(a, b), bytes.count)
            var hasher = Keccak256.Hasher()
            hasher.update(bytes[..<cut1])
            hasher.update(bytes[cut1..<cut2])
            hasher.update(bytes[cut2...])
            #expect(hasher.finalize() == Keccak256.hash(bytes))
        }
    }
}
