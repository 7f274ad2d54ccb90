import Foundation
import Testing
import WalletCore

/// Unicode handling: NFKD of words and passphrase, and any whitespace between words.
@Suite("BIP39 normalisation")
struct MnemonicNormalizationTests {
    typealias Support = BIP39TestSupport

    @Test("Japanese vectors are joined by U+3000; the seed is over words joined by U+0020")
    func japaneseIdeographicSpace() throws {
        let vectors = try #require(Support.vectors["japanese"])
        for vector in vectors {
            #expect(vector.mnemonic.unicodeScalars.contains("\u{3000}"))
            #expect(!vector.mnemonic.unicodeScalars.contains(" "))
            let parsed = try Mnemonic(phrase: vector.mnemonic)
            #expect(parsed.language == .japanese)
            #expect(parsed.phrase.unicodeScalars.filter { $0 == "\u{3000}" }.count == parsed.words.count - 1)
            // Retyped with ASCII spaces, or a mix of separators: same entropy, same seed.
            let spaced = vector.mnemonic.replacingOccurrences(of: "\u{3000}", with: " ")
            let mixed = "\n " + vector.mnemonic.replacingOccurrences(of: "\u{3000}", with: " \u{3000}\t ") + " \u{3000}"
            for variant in [spaced, mixed] {
                let reparsed = try Mnemonic(phrase: variant, language: .japanese)
                #expect(reparsed.entropy == vector.entropy)
                #expect(reparsed.seed(passphrase: "TREZOR") == vector.seed)
            }
        }
    }

    @Test("any run of whitespace separates words")
    func whitespaceRuns() throws {
        let vector = try #require(Support.vectors["english"]?[1])
        let words = vector.mnemonic.split(separator: " ")
        let messy = "  \t" + words.joined(separator: "   \n\u{00A0}\u{2003}") + "\r\n"
        let parsed = try Mnemonic(phrase: messy)
        #expect(parsed.entropy == vector.entropy)
        #expect(parsed.phrase == vector.mnemonic)
        #expect(parsed.seed(passphrase: "TREZOR") == vector.seed)
    }

    @Test("accented words validate typed composed (NFC) or decomposed (NFD), with the same seed",
          arguments: [MnemonicLanguage.spanish, .french])
    func composedAndDecomposedAccents(language: MnemonicLanguage) throws {
        let vectors = try #require(Support.vectors[language.wordlistName])
        var accentedVectors = 0
        for vector in vectors {
            let nfc = vector.mnemonic.precomposedStringWithCanonicalMapping
            let nfd = vector.mnemonic.decomposedStringWithCanonicalMapping
            guard Array(nfc.unicodeScalars) != Array(nfd.unicodeScalars) else { continue }
            accentedVectors += 1
            let fromNFC = try Mnemonic(phrase: nfc, language: language)
            let fromNFD = try Mnemonic(phrase: nfd)
            #expect(fromNFD.language == language)
            #expect(fromNFC.entropy == vector.entropy)
            #expect(fromNFD.entropy == vector.entropy)
            #expect(fromNFC.seed(passphrase: "TREZOR") == vector.seed)
            #expect(fromNFD.seed(passphrase: "TREZOR") == vector.seed)
            // The stored words are the NFKD list words whatever was typed.
            #expect(fromNFC.words.map { Array($0.unicodeScalars) } == fromNFD.words.map { Array($0.unicodeScalars) })
        }
        #expect(accentedVectors > 10, "the test needs vectors with accented words")
    }

    @Test("an accented word typed NFC and NFD has the same list index")
    func wordlistIndexIgnoresNormalisation() throws {
        let nfc = "\u{E1}baco"  // ábaco, precomposed
        let nfd = "a\u{301}baco"
        #expect(Array(nfc.unicodeScalars) != Array(nfd.unicodeScalars))
        #expect(Wordlist.of(.spanish).index(of: nfc) == 0)
        #expect(Wordlist.of(.spanish).index(of: nfd) == 0)
        #expect(Wordlist.of(.french).index(of: "\u{E9}charpe") == Wordlist.of(.french).index(of: "e\u{301}charpe"))
        #expect(Wordlist.of(.french).index(of: "\u{E9}charpe") != nil)
    }

    @Test("compatibility forms: full-width Latin letters and half-width katakana are NFKD-folded")
    func compatibilityForms() throws {
        // "ａｂａｎｄｏｎ" in full-width letters is "abandon" after NFKD.
        #expect(Wordlist.of(.english).index(of: "\u{FF41}\u{FF42}\u{FF41}\u{FF4E}\u{FF44}\u{FF4F}\u{FF4E}") == 0)
        let vector = try #require(Support.vectors["english"]?.first)
        let fullWidth = vector.mnemonic.replacingOccurrences(of: "about", with: "\u{FF41}\u{FF42}\u{FF4F}\u{FF55}\u{FF54}")
        #expect(fullWidth != vector.mnemonic)
        #expect(try Mnemonic(phrase: fullWidth).seed(passphrase: "TREZOR") == vector.seed)
    }

    @Test("passphrase is NFKD-normalised: half-width katakana ﾊﾟ, composed パ and NFKD パ agree")
    func passphraseKatakana() throws {
        let mnemonic = try Mnemonic(phrase: try #require(Support.vectors["english"]?.first).mnemonic)
        let halfWidth = "\u{FF8A}\u{FF9F}"  // ﾊﾟ: HALFWIDTH KATAKANA HA + HALFWIDTH SEMI-VOICED SOUND MARK
        let composed = "\u{30D1}"  // パ
        let nfkd = "\u{30CF}\u{309A}"  // ハ + COMBINING SEMI-VOICED SOUND MARK
        #expect(halfWidth.decomposedStringWithCompatibilityMapping.unicodeScalars.elementsEqual(nfkd.unicodeScalars))
        let seed = mnemonic.seed(passphrase: nfkd)
        #expect(mnemonic.seed(passphrase: halfWidth) == seed)
        #expect(mnemonic.seed(passphrase: composed) == seed)
        #expect(mnemonic.seed(passphrase: "\u{30CF}") != seed)
        #expect(mnemonic.seed() != seed)
    }

    @Test("passphrase is NFKD-normalised: precomposed and decomposed accents agree")
    func passphraseAccents() throws {
        let mnemonic = try Mnemonic(phrase: try #require(Support.vectors["spanish"]?.first).mnemonic)
        let composed = "contrase\u{F1}a \u{C5}ngstr\u{F6}m"  // contraseña Ångström
        let decomposed = "contrasen\u{303}a A\u{30A}ngstro\u{308}m"
        let angstromSign = "contrase\u{F1}a \u{212B}ngstr\u{F6}m"  // U+212B ANGSTROM SIGN
        #expect(mnemonic.seed(passphrase: composed) == mnemonic.seed(passphrase: decomposed))
        #expect(mnemonic.seed(passphrase: composed) == mnemonic.seed(passphrase: angstromSign))
        #expect(mnemonic.seed(passphrase: composed) != mnemonic.seed(passphrase: "contrasena Angstrom"))
    }
}
