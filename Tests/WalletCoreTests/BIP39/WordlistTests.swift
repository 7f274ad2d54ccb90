import Foundation
import Testing
import WalletCore
import Wordlists

/// The embedded lists and the Wordlist API.
@Suite("BIP39 word lists")
struct WordlistTests {
    @Test("each list has 2048 distinct NFKD words without whitespace", arguments: MnemonicLanguage.allCases)
    func listShape(language: MnemonicLanguage) throws {
        let list = Wordlist.of(language)
        #expect(list.language == language)
        #expect(list.words.count == 2048)
        #expect(Set(list.words.map { Array($0.unicodeScalars) }).count == 2048)
        for (number, word) in list.words.enumerated() {
            let hasWhitespace = word.unicodeScalars.contains { $0.properties.isWhitespace }
            #expect(!word.isEmpty && !hasWhitespace)
            #expect(word.unicodeScalars.elementsEqual(word.decomposedStringWithCompatibilityMapping.unicodeScalars))
            #expect(list.index(of: word) == number)
        }
    }

    @Test("the embedded bytes are the published files: first and last words, line count")
    func embeddedBytes() throws {
        for language in MnemonicLanguage.allCases {
            let bytes = try #require(BIP39WordlistData.bytes(named: language.wordlistName))
            #expect(bytes.filter { $0 == UInt8(ascii: "\n") }.count == 2048)
            #expect(bytes.last == UInt8(ascii: "\n"))
        }
        #expect(Set(BIP39WordlistData.names) == Set(MnemonicLanguage.allCases.map(\.wordlistName)))
        #expect(BIP39WordlistData.bytes(named: "klingon") == nil)
        #expect(BIP39WordlistData.bytes(named: "slip39_english") == nil)
        let firstLast: [MnemonicLanguage: (String, String)] = [
            .english: ("abandon", "zoo"), .italian: ("abaco", "zuppa"), .czech: ("abdikace", "zvyk"),
            .portuguese: ("abacate", "zumbido"), .chineseSimplified: ("的", "歇"), .chineseTraditional: ("的", "歇"),
            .korean: ("가격", "힘껏"), .japanese: ("あいこくしん", "われる"), .spanish: ("\u{E1}baco", "zurdo"),
            .french: ("abaisser", "zoologie"),
        ]
        for (language, (first, last)) in firstLast {
            #expect(Wordlist.of(language).words.first == first, "\(language)")
            #expect(Wordlist.of(language).words.last == last, "\(language)")
        }
    }

    @Test("the SLIP-39 list is embedded too: 1024 words")
    func slip39() {
        let text = String(decoding: SLIP39WordlistData.bytes, as: UTF8.self)
        let words = text.split(whereSeparator: \.isNewline)
        #expect(words.count == 1024)
        #expect(words.first == "academic" && words.last == "zero")
    }

    @Test("index(of:) rejects words outside the list")
    func indexMisses() {
        let english = Wordlist.of(.english)
        #expect(english.index(of: "abandon") == 0)
        #expect(english.index(of: "zoo") == 2047)
        #expect(english.index(of: "Abandon") == nil)
        #expect(english.index(of: "aband") == nil)
        #expect(english.index(of: "") == nil)
        #expect(english.index(of: " abandon") == nil)
    }

    @Test("closestWords: ordered by edit distance, limit respected, transpositions cost one")
    func closestWords() {
        let english = Wordlist.of(.english)
        #expect(english.closestWords(to: "abandn").first == "abandon")
        #expect(english.closestWords(to: "abadnon").first == "abandon")  // swapped letters
        #expect(english.closestWords(to: "ZOO").first == "zoo")
        #expect(english.closestWords(to: "zoo", limit: 1) == ["zoo"])
        #expect(english.closestWords(to: "abandn", limit: 0) == [])
        #expect(english.closestWords(to: "abandn", limit: 5).count == 5)
        #expect(english.closestWords(to: "") == [])
        // Nothing closer than retyping the word: no suggestion.
        #expect(Wordlist.of(.chineseSimplified).closestWords(to: "\u{9F98}") == [])
    }

    @Test("lists are cached: repeated lookups return the same storage")
    func cached() {
        let a = Wordlist.of(.korean).words
        let b = Wordlist.of(.korean).words
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in #expect(pa.baseAddress == pb.baseAddress) }
        }
    }
}
