import Foundation
import Wordlists

/// One BIP39 word list: 2048 words, NFKD-normalised, with an index for O(1) word -> number lookup.
///
/// Lists are parsed from the bytes compiled into the binary (`Wordlists` target) the first
/// time each language is used, then kept for the life of the process.
public struct Wordlist: Sendable {
    /// Number of words in every BIP39 list (each word encodes 11 bits).
    public static let size = 2048

    /// The language of this list.
    public let language: MnemonicLanguage
    /// The 2048 words in BIP39 order (word `i` encodes the 11-bit value `i`), NFKD-normalised.
    public let words: [String]
    private let numberByWord: [String: Int]

    /// The list of `language`, parsed once per process and cached.
    public static func of(_ language: MnemonicLanguage) -> Wordlist {
        // One `static let` per language: each is initialised lazily and exactly once
        // (thread-safe), so using English never pays for parsing the other nine lists.
        switch language {
        case .english: Cache.english
        case .chineseSimplified: Cache.chineseSimplified
        case .chineseTraditional: Cache.chineseTraditional
        case .japanese: Cache.japanese
        case .korean: Cache.korean
        case .spanish: Cache.spanish
        case .french: Cache.french
        case .italian: Cache.italian
        case .czech: Cache.czech
        case .portuguese: Cache.portuguese
        }
    }

    /// The number (0..<2048) of `word`, which is NFKD-normalised first, so composed and
    /// decomposed accents and compatibility forms (full-width letters, half-width kana) all match.
    /// Nil when the word is not in this list. Matching is case-sensitive, like BIP39 itself.
    public func index(of word: String) -> Int? {
        numberByWord[word.decomposedStringWithCompatibilityMapping]
    }

    /// Index lookup for a word that the caller has already NFKD-normalised.
    func index(ofNormalized word: String) -> Int? {
        numberByWord[word]
    }

    /// Up to `limit` words of this list closest to `word` by edit distance (insertions,
    /// deletions, substitutions and swaps of adjacent characters), closest first, for "did
    /// you mean" suggestions.
    ///
    /// Comparison is over NFKD Unicode scalars and case-insensitive, so a missing accent or a
    /// capital letter costs one edit or none. A word is suggested only when it is closer than
    /// retyping the whole input, so a single unknown CJK character gets no suggestion.
    /// Ties are broken by the longer common prefix, then by list order.
    public func closestWords(to word: String, limit: Int = 3) -> [String] {
        let typed = Array(word.lowercased().decomposedStringWithCompatibilityMapping.unicodeScalars)
        guard limit > 0, !typed.isEmpty else { return [] }
        var ranked: [(distance: Int, sharedPrefix: Int, number: Int)] = []
        for (number, candidate) in words.enumerated() {
            let scalars = Array(candidate.unicodeScalars)
            let distance = Self.editDistance(typed, scalars)
            guard distance < typed.count else { continue }
            let sharedPrefix = zip(typed, scalars).prefix { $0 == $1 }.count
            ranked.append((distance, sharedPrefix, number))
        }
        ranked.sort {
            ($0.distance, -$0.sharedPrefix, $0.number) < ($1.distance, -$1.sharedPrefix, $1.number)
        }
        return ranked.prefix(limit).map { words[$0.number] }
    }

    /// Optimal-string-alignment distance: Levenshtein plus transposition of adjacent scalars.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, beforePrevious[j - 2] + 1)
                }
                current[j] = best
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    private init(loading language: MnemonicLanguage) {
        guard let bytes = BIP39WordlistData.bytes(named: language.wordlistName) else {
            preconditionFailure("no embedded BIP39 word list named \(language.wordlistName)")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let words = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces).decomposedStringWithCompatibilityMapping }
            .filter { !$0.isEmpty }
        var numberByWord: [String: Int] = [:]
        numberByWord.reserveCapacity(words.count)
        for (number, word) in words.enumerated() {
            numberByWord[word] = number
        }
        // The lists are build inputs, not user data: a malformed one is a packaging bug.
        precondition(
            words.count == Self.size && numberByWord.count == Self.size,
            "embedded BIP39 word list \(language.wordlistName) has \(words.count) words, \(numberByWord.count) distinct; expected \(Self.size)"
        )
        self.language = language
        self.words = words
        self.numberByWord = numberByWord
    }

    private enum Cache {
        static let english = Wordlist(loading: .english)
        static let chineseSimplified = Wordlist(loading: .chineseSimplified)
        static let chineseTraditional = Wordlist(loading: .chineseTraditional)
        static let japanese = Wordlist(loading: .japanese)
        static let korean = Wordlist(loading: .korean)
        static let spanish = Wordlist(loading: .spanish)
        static let french = Wordlist(loading: .french)
        static let italian = Wordlist(loading: .italian)
        static let czech = Wordlist(loading: .czech)
        static let portuguese = Wordlist(loading: .portuguese)
    }
}
