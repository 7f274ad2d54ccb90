import Testing
import WalletCore

/// Language detection when lists share words (English/French) or characters (Chinese).
@Suite("BIP39 language detection")
struct MnemonicDetectionTests {
    /// Words in both lists, as (number in `a`, number in `b`).
    static func shared(_ a: MnemonicLanguage, _ b: MnemonicLanguage) -> [(Int, Int)] {
        let listB = Wordlist.of(b)
        return Wordlist.of(a).words.enumerated().compactMap { number, word in
            listB.index(of: word).map { (number, $0) }
        }
    }

    /// Searches phrases made only of words shared by `a` and `b` until one validates as
    /// wanted; nil if none is found.
    static func sharedPhrase(_ a: MnemonicLanguage, _ b: MnemonicLanguage,
                             validInA: Bool, validInB: Bool) -> String? {
        let shared = Self.shared(a, b).map { Wordlist.of(a).words[$0.0] }
        for rotation in 0..<shared.count {
            let prefix = (0..<11).map { shared[(rotation + $0 * 7) % shared.count] }
            for last in shared {
                let phrase = (prefix + [last]).joined(separator: " ")
                if ((try? Mnemonic(phrase: phrase, language: a)) != nil) == validInA,
                   ((try? Mnemonic(phrase: phrase, language: b)) != nil) == validInB {
                    return phrase
                }
            }
        }
        return nil
    }

    @Test("English and French share 100 words; Chinese lists share 1275 characters")
    func overlaps() {
        #expect(Self.shared(.english, .french).count == 100)
        #expect(Self.shared(.chineseSimplified, .chineseTraditional).count == 1275)
    }

    @Test("words in both English and French: the list whose checksum validates wins")
    func englishFrenchByChecksum() throws {
        let frenchOnly = try #require(Self.sharedPhrase(.english, .french, validInA: false, validInB: true))
        #expect(try Mnemonic(phrase: frenchOnly).language == .french)
        let englishOnly = try #require(Self.sharedPhrase(.english, .french, validInA: true, validInB: false))
        #expect(try Mnemonic(phrase: englishOnly).language == .english)
    }

    @Test("words in both lists and valid in both: the earlier of allCases wins")
    func englishFrenchBothValid() throws {
        let both = try #require(Self.sharedPhrase(.english, .french, validInA: true, validInB: true))
        #expect(try Mnemonic(phrase: both).language == .english)
        #expect(try Mnemonic(phrase: both, language: .french).language == .french)
    }

    @Test("valid in neither shared list: checksum error against the earlier language")
    func englishFrenchNeitherValid() throws {
        let neither = try #require(Self.sharedPhrase(.english, .french, validInA: false, validInB: false))
        #expect(throws: MnemonicError(.checksumMismatch(wordCount: 12, language: .english))) {
            try Mnemonic(phrase: neither)
        }
    }

    @Test("Chinese characters in both lists sit at the same numbers: simplified is detected, same entropy")
    func chinese() throws {
        // Every shared character has the same number in both lists, so a phrase of shared
        // characters decodes to the same entropy (and seed) in either: detection picks
        // simplified, the earlier of allCases, and nothing is lost.
        let shared = Self.shared(.chineseSimplified, .chineseTraditional)
        #expect(shared.allSatisfy { $0.0 == $0.1 })
        let words = shared.prefix(11).map { Wordlist.of(.chineseTraditional).words[$0.1] }
        let phrase = try #require(shared.lazy
            .map { (words + [Wordlist.of(.chineseTraditional).words[$0.1]]).joined(separator: " ") }
            .first { (try? Mnemonic(phrase: $0, language: .chineseTraditional)) != nil })
        let traditional = try Mnemonic(phrase: phrase, language: .chineseTraditional)
        let detected = try Mnemonic(phrase: phrase)
        #expect(detected.language == .chineseSimplified)
        #expect(detected.entropy == traditional.entropy)
        #expect(detected.seed() == traditional.seed())

        // A traditional-only character makes detection pick traditional.
        let zero = try Mnemonic(entropy: [UInt8](repeating: 0x5A, count: 32), language: .chineseTraditional)
        let hasTraditionalOnly = zero.words.contains { Wordlist.of(.chineseSimplified).index(of: $0) == nil }
        #expect(hasTraditionalOnly)
        #expect(try Mnemonic(phrase: zero.phrase).language == .chineseTraditional)
    }
}
