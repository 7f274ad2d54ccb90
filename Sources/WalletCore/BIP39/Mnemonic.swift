import Crypto
import CryptoExtras
import Foundation

/// A BIP39 mnemonic: entropy encoded as words of one official list, with a checksum.
///
/// Build one from entropy, generate one from the system CSPRNG, or parse and validate a
/// phrase a user typed; then derive the 64-byte seed that BIP32 wallets start from.
/// `description` is redacted so that logging a mnemonic by accident does not leak it.
public struct Mnemonic: Sendable, Equatable {
    /// The word counts BIP39 defines: 12, 15, 18, 21 and 24.
    public static let validWordCounts = [12, 15, 18, 21, 24]
    /// The entropy sizes in bytes BIP39 defines: 16, 20, 24, 28 and 32 (128 to 256 bits).
    public static let validEntropyByteCounts = [16, 20, 24, 28, 32]

    /// The list the words come from.
    public let language: MnemonicLanguage
    /// The words, exactly as in the word list (NFKD-normalised).
    public let words: [String]
    /// The encoded entropy (16 to 32 bytes). Secret.
    public let entropy: [UInt8]

    /// Canonical sentence: words joined by U+3000 for Japanese, by a space otherwise.
    public var phrase: String {
        words.joined(separator: language.wordSeparator)
    }

    /// Encodes `entropy` (16/20/24/28/32 bytes) as 12/15/18/21/24 words of `language`.
    /// - Throws: `.invalidEntropyLength` for any other size.
    public init(entropy: [UInt8], language: MnemonicLanguage = .english) throws(MnemonicError) {
        guard Self.validEntropyByteCounts.contains(entropy.count) else {
            throw MnemonicError(.invalidEntropyLength(byteCount: entropy.count))
        }
        let wordlist = Wordlist.of(language)
        // Entropy, then the first ENT/32 bits of SHA-256(entropy), read as 11-bit numbers.
        let bits = entropy + [Self.checksumByte(of: entropy)]
        let wordCount = entropy.count * 8 * 33 / 32 / 11
        let words = (0..<wordCount).map { i in
            var number = 0
            for bit in (i * 11)..<(i * 11 + 11) {
                number = number << 1 | Int(bits[bit >> 3] >> (7 - UInt8(bit & 7)) & 1)
            }
            return wordlist.words[number]
        }
        self.language = language
        self.words = words
        self.entropy = entropy
    }

    /// A new random mnemonic of `wordCount` words (12, 15, 18, 21 or 24).
    ///
    /// Uses the system CSPRNG (SystemRandomNumberGenerator is getrandom(2) on Linux).
    /// - Throws: `.invalidWordCount` for any other word count.
    public static func generate(wordCount: Int = 24, language: MnemonicLanguage = .english) throws(MnemonicError) -> Mnemonic {
        var rng = SystemRandomNumberGenerator()
        return try generate(wordCount: wordCount, language: language, using: &rng)
    }

    /// `generate(wordCount:language:)` with an explicit generator; internal so that production
    /// code cannot pick a non-cryptographic one.
    static func generate(wordCount: Int, language: MnemonicLanguage,
                         using rng: inout some RandomNumberGenerator) throws(MnemonicError) -> Mnemonic {
        guard validWordCounts.contains(wordCount) else {
            throw MnemonicError(.invalidWordCount(wordCount))
        }
        var entropy: [UInt8] = []
        entropy.reserveCapacity(32)
        while entropy.count < wordCount * 4 / 3 {
            withUnsafeBytes(of: rng.next() as UInt64) { entropy.append(contentsOf: $0) }
        }
        return try Mnemonic(entropy: Array(entropy.prefix(wordCount * 4 / 3)), language: language)
    }

    /// Parses and validates a phrase: word count, every word, and the checksum.
    ///
    /// Words may be separated by any run of whitespace (spaces, tabs, newlines, U+3000) and are
    /// NFKD-normalised, so accents typed composed or decomposed are equivalent. `language: nil`
    /// detects the language: the first of `MnemonicLanguage.allCases` whose list contains every
    /// word and whose checksum validates (English and French share words; Chinese simplified
    /// and traditional share characters).
    /// - Throws: `.invalidWordCount`, `.unknownWord` (with the closest valid words),
    ///   `.mixedLanguages`, `.checksumMismatch` or `.languageNotDetected`.
    public init(phrase: String, language: MnemonicLanguage? = nil) throws(MnemonicError) {
        let typed = Self.splitWords(phrase)
        guard Self.validWordCounts.contains(typed.count) else {
            throw MnemonicError(.invalidWordCount(typed.count))
        }
        let normalized = typed.map(\.decomposedStringWithCompatibilityMapping)

        if let language {
            let wordlist = Wordlist.of(language)
            let numbers = normalized.map(wordlist.index(ofNormalized:))
            if let position = numbers.firstIndex(of: nil) {
                throw MnemonicError(.unknownWord(
                    position: position + 1, word: typed[position], language: language,
                    closest: wordlist.closestWords(to: typed[position])))
            }
            guard let mnemonic = Self(numbers: numbers.map { $0! }, language: language) else {
                throw MnemonicError(.checksumMismatch(wordCount: typed.count, language: language))
            }
            self = mnemonic
            return
        }

        // Detection. Lists are loaded lazily in preference order, so a valid English phrase
        // never loads another list.
        var firstComplete: MnemonicLanguage?
        var lookups: [(language: MnemonicLanguage, numbers: [Int?])] = []
        for candidate in MnemonicLanguage.allCases {
            let wordlist = Wordlist.of(candidate)
            let numbers = normalized.map(wordlist.index(ofNormalized:))
            lookups.append((candidate, numbers))
            guard !numbers.contains(nil) else { continue }
            if let mnemonic = Self(numbers: numbers.map { $0! }, language: candidate) {
                self = mnemonic
                return
            }
            firstComplete = firstComplete ?? candidate
        }
        if let firstComplete {
            throw MnemonicError(.checksumMismatch(wordCount: typed.count, language: firstComplete))
        }

        // No list contains every word: judge against the list that contains the most
        // (ties go to the earlier language of `allCases`; `max(by:)` would keep the last).
        var best = lookups[0]
        var bestKnown = best.numbers.count { $0 != nil }
        for lookup in lookups.dropFirst() {
            let known = lookup.numbers.count { $0 != nil }
            if known > bestKnown { (best, bestKnown) = (lookup, known) }
        }
        guard bestKnown > 0, let position = best.numbers.firstIndex(of: nil) else {
            throw MnemonicError(.languageNotDetected(wordCount: typed.count))
        }
        let closest = Wordlist.of(best.language).closestWords(to: typed[position])
        let foundIn = lookups.filter { $0.numbers[position] != nil }.map(\.language)
        if foundIn.isEmpty {
            throw MnemonicError(.unknownWord(
                position: position + 1, word: typed[position], language: best.language, closest: closest))
        }
        throw MnemonicError(.mixedLanguages(
            position: position + 1, word: typed[position], language: best.language,
            foundIn: foundIn, closest: closest))
    }

    /// Decodes 11-bit word numbers; nil when the checksum bits do not match.
    private init?(numbers: [Int], language: MnemonicLanguage) {
        var bits = [UInt8](repeating: 0, count: (numbers.count * 11 + 7) / 8)
        for (i, number) in numbers.enumerated() {
            for k in 0..<11 where number >> (10 - k) & 1 == 1 {
                let bit = i * 11 + k
                bits[bit >> 3] |= 0x80 >> UInt8(bit & 7)
            }
        }
        let entropyBytes = numbers.count * 4 / 3
        let checksumBits = numbers.count / 3
        let entropy = Array(bits.prefix(entropyBytes))
        let checksumMask = UInt8(0xFF) << (8 - checksumBits)  // the top ENT/32 bits (4 to 8)
        guard bits[entropyBytes] == Self.checksumByte(of: entropy) & checksumMask else {
            return nil
        }
        self.language = language
        let wordlist = Wordlist.of(language)
        self.words = numbers.map { wordlist.words[$0] }
        self.entropy = entropy
    }

    /// 64-byte BIP39 seed: PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic" + NFKD(passphrase).
    ///
    /// The password is the NFKD form of the words joined by single U+0020 spaces, whatever
    /// separator the phrase was typed or displayed with.
    public func seed(passphrase: String = "") -> [UInt8] {
        let password = Array(words.joined(separator: " ").decomposedStringWithCompatibilityMapping.utf8)
        let salt = Array(("mnemonic" + passphrase.decomposedStringWithCompatibilityMapping).utf8)
        do {
            // 2048 rounds is what BIP39 fixes; the checked `rounds:` variant rejects < 210,000.
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: .sha512, outputByteCount: 64, unsafeUncheckedRounds: 2048)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            // Only BoringSSL failing internally (out of memory) can get here: the parameters are fixed and valid.
            preconditionFailure("PBKDF2-HMAC-SHA512 failed: \(error)")
        }
    }

    /// Splits on runs of Unicode whitespace (U+0020, tabs, newlines, U+3000, U+00A0, ...).
    static func splitWords(_ phrase: String) -> [String] {
        phrase.unicodeScalars
            .split(whereSeparator: \.properties.isWhitespace)
            .map { String(String.UnicodeScalarView($0)) }
    }

    /// The first byte of SHA-256(`entropy`); BIP39 uses its top ENT/32 bits as the checksum.
    private static func checksumByte(of entropy: [UInt8]) -> UInt8 {
        SHA256.hash(data: entropy).withUnsafeBytes { $0[0] }
    }
}

extension Mnemonic: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Redacted: word count and language only, never the words or the entropy.
    public var description: String {
        "Mnemonic(\(words.count) words, \(language.rawValue), redacted)"
    }

    /// Redacted like `description`.
    public var debugDescription: String { description }

    /// Redacted for `dump` and debuggers: language and word count only.
    public var customMirror: Mirror {
        Mirror(self, children: ["language": language, "wordCount": words.count], displayStyle: .struct)
    }
}
