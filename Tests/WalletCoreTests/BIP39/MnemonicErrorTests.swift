import Foundation
import Testing
import WalletCore

/// Every failure path, with its exact one-line message.
@Suite("BIP39 errors")
struct MnemonicErrorTests {
    typealias Support = BIP39TestSupport
    static let valid12 = "legal winner thank year wave sausage worth useful legal winner thank yellow"

    @Test("wrong word count", arguments: [0, 1, 11, 13, 14, 23, 25, 48])
    func wrongWordCount(count: Int) throws {
        let phrase = Array(repeating: "abandon", count: count).joined(separator: " ")
        for language in [nil, MnemonicLanguage.english] {
            let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: phrase, language: language) })
            #expect(error == MnemonicError(.invalidWordCount(count)))
            #expect(error.description == "expected 12, 15, 18, 21 or 24 words, got \(count)")
        }
    }

    @Test("blank input counts zero words")
    func blankInput() throws {
        let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: " \n\t\u{3000} ") })
        #expect(error.description == "expected 12, 15, 18, 21 or 24 words, got 0")
    }

    @Test("unknown word: position, word as typed, language and closest words")
    func unknownWord() throws {
        var words = Self.valid12.split(separator: " ").map(String.init)
        words[6] = "abandn"
        let phrase = words.joined(separator: " ")
        let closest = Wordlist.of(.english).closestWords(to: "abandn")
        #expect(closest.first == "abandon")
        #expect(closest.count == 3)
        for language in [nil, MnemonicLanguage.english] {
            let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: phrase, language: language) })
            #expect(error == MnemonicError(.unknownWord(position: 7, word: "abandn", language: .english, closest: closest)))
            #expect(error.description == "word 7 \"abandn\" is not in the english wordlist; closest: " + closest.joined(separator: ", "))
            #expect(error.description.hasPrefix("word 7 \"abandn\" is not in the english wordlist; closest: abandon, "))
        }
    }

    @Test("unknown word reported as typed, not normalised or lower-cased; suggestions ignore case")
    func unknownWordAsTyped() throws {
        let phrase = "Abandon" + String(repeating: " abandon", count: 10) + " about"
        let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: phrase) })
        #expect(error.description.hasPrefix("word 1 \"Abandon\" is not in the english wordlist; closest: abandon"))
        // A Spanish word typed without its accent gets the accented word as first suggestion.
        let spanish = try Mnemonic(entropy: [UInt8](repeating: 0, count: 16), language: .spanish)
        let typed = "abaco " + spanish.words.dropFirst().joined(separator: " ")
        let spanishError = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: typed, language: .spanish) })
        #expect(spanishError.description.hasPrefix("word 1 \"abaco\" is not in the spanish wordlist; closest: \u{E1}baco"))
    }

    @Test("an unknown CJK character gets no suggestion")
    func unknownWordWithoutSuggestion() throws {
        let zero = try Mnemonic(entropy: [UInt8](repeating: 0, count: 16), language: .chineseSimplified)
        var words = zero.words
        words[2] = "\u{9F98}"  // 龘: in neither Chinese list
        #expect(Wordlist.of(.chineseSimplified).index(of: words[2]) == nil)
        #expect(Wordlist.of(.chineseTraditional).index(of: words[2]) == nil)
        let error = try #require(Support.error { () throws(MnemonicError) in
            try Mnemonic(phrase: words.joined(separator: " "), language: .chineseSimplified)
        })
        #expect(error.description == "word 3 \"\u{9F98}\" is not in the chinese-simplified wordlist; no close match in the list")
    }

    @Test("explicit language: a word of another list is an unknown word")
    func explicitLanguageMismatch() throws {
        let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: Self.valid12, language: .spanish) })
        guard case .unknownWord(let position, let word, let language, _) = error.kind else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect((position, word, language) == (1, "legal", .spanish))
    }

    @Test("checksum mismatch: all words valid, checksum wrong")
    func checksumMismatch() throws {
        let phrase = Array(repeating: "abandon", count: 12).joined(separator: " ")
        for language in [nil, MnemonicLanguage.english] {
            let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: phrase, language: language) })
            #expect(error == MnemonicError(.checksumMismatch(wordCount: 12, language: .english)))
            #expect(error.description == "all 12 words are in the english wordlist, but the checksum does not match: a word is wrong or the words are out of order")
        }
    }

    @Test("two swapped words fail the checksum")
    func swappedWords() throws {
        var words = Self.valid12.split(separator: " ").map(String.init)
        _ = try Mnemonic(phrase: words.joined(separator: " "))
        words.swapAt(1, 2)
        let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: words.joined(separator: " ")) })
        #expect(error.kind == .checksumMismatch(wordCount: 12, language: .english))
    }

    @Test("language detection failure: no word in any list")
    func languageNotDetected() throws {
        let phrase = Array(repeating: "xyzzy", count: 15).joined(separator: " ")
        let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: phrase) })
        #expect(error == MnemonicError(.languageNotDetected(wordCount: 15)))
        #expect(error.description == "could not detect the language: none of the 15 words is in any BIP39 wordlist (english, chinese-simplified, chinese-traditional, japanese, korean, spanish, french, italian, czech, portuguese)")
    }

    @Test("words from different languages")
    func mixedLanguages() throws {
        var words = Self.valid12.split(separator: " ").map(String.init)
        words[3] = "abaisser"  // French only
        let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: words.joined(separator: " ")) })
        let closest = Wordlist.of(.english).closestWords(to: "abaisser")
        #expect(error == MnemonicError(.mixedLanguages(position: 4, word: "abaisser", language: .english, foundIn: [.french], closest: closest)))
        #expect(error.description == "words from different languages: the phrase looks english, but word 4 \"abaisser\" is only in the french wordlist; use words from one list; closest english words: " + closest.joined(separator: ", "))

        // An Italian word that is also Spanish and Portuguese lists every list it is in.
        let spanish = try Mnemonic(entropy: [UInt8](repeating: 0xA5, count: 16), language: .spanish)
        var mixed = spanish.words
        mixed[0] = "abaco"  // Italian only (Spanish has ábaco)
        let mixedError = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: mixed.joined(separator: " ")) })
        guard case .mixedLanguages(let position, _, let language, let foundIn, let suggestions) = mixedError.kind else {
            Issue.record("unexpected \(mixedError)")
            return
        }
        #expect((position, language, foundIn) == (1, .spanish, [.italian]))
        #expect(suggestions.first.map(Support.nfdScalars) == Support.nfdScalars("\u{E1}baco"))
    }

    @Test("several unknown words: the first one relative to the list containing the most words")
    func firstUnknownOfBestLanguage() throws {
        let italian = try Mnemonic(entropy: [UInt8](repeating: 0x3C, count: 20), language: .italian)
        var words = italian.words
        words[4] = "qwertz"
        words[9] = "asdfgh"
        words[0] = "abandon"  // English: the phrase is still mostly Italian
        let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: words.joined(separator: " ")) })
        guard case .mixedLanguages(let position, let word, let language, let foundIn, _) = error.kind else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect((position, word, language) == (1, "abandon", .italian))
        #expect(foundIn == [.english, .french])

        words[0] = italian.words[0]
        let second = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: words.joined(separator: " ")) })
        guard case .unknownWord(5, "qwertz", .italian, _) = second.kind else {
            Issue.record("unexpected \(second)")
            return
        }
    }

    @Test("invalid entropy length", arguments: [0, 1, 15, 17, 19, 31, 33, 64])
    func invalidEntropyLength(byteCount: Int) throws {
        let error = try #require(Support.error { () throws(MnemonicError) in
            try Mnemonic(entropy: [UInt8](repeating: 7, count: byteCount))
        })
        #expect(error == MnemonicError(.invalidEntropyLength(byteCount: byteCount)))
        #expect(error.description == "entropy must be 16, 20, 24, 28 or 32 bytes, got \(byteCount)")
    }

    @Test("generate with an invalid word count", arguments: [0, 3, 11, 13, 16, 25])
    func generateInvalidWordCount(count: Int) throws {
        let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic.generate(wordCount: count) })
        #expect(error.description == "expected 12, 15, 18, 21 or 24 words, got \(count)")
    }

    @Test("messages stay on one line: control, invisible and bidi characters are escaped")
    func escapedWord() throws {
        let hostile = "ab\u{1B}[31m\"x\\\u{202E}\u{200B}\u{0}"
        let phrase = hostile + String(repeating: " abandon", count: 11)
        let error = try #require(Support.error { () throws(MnemonicError) in try Mnemonic(phrase: phrase, language: .english) })
        #expect(error.description.hasPrefix(#"word 1 "ab\u{1B}[31m\"x\\\u{202E}\u{200B}\u{0}" is not in the english wordlist"#))
        let long = String(repeating: "z", count: 500)
        let longError = try #require(Support.error { () throws(MnemonicError) in
            try Mnemonic(phrase: long + String(repeating: " abandon", count: 11))
        })
        #expect(longError.description.contains("\"" + String(repeating: "z", count: 48) + "…\""))
        for message in [error.description, longError.description] {
            let hasNewline = message.contains { $0.isNewline }
            #expect(!hasNewline)
            #expect(message.count < 200)
        }
    }

    @Test("errors and mnemonics never print the entropy or the words")
    func noSecretsInOutput() throws {
        let mnemonic = try Mnemonic(phrase: Self.valid12)
        let entropyHex = Support.hex(mnemonic.entropy)
        var dumped = ""
        dump(mnemonic, to: &dumped)
        for text in ["\(mnemonic)", String(reflecting: mnemonic), dumped] {
            #expect(!text.contains("legal") && !text.contains("yellow") && !text.contains(entropyHex), "\(text)")
            #expect(!text.contains("127") && !text.contains("0x7f"), "\(text)")
        }
        #expect("\(mnemonic)" == "Mnemonic(12 words, english, redacted)")
        let error = MnemonicError(.checksumMismatch(wordCount: 12, language: .english))
        #expect(error.localizedDescription == error.description)
    }
}
