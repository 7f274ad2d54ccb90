import Foundation

/// Why a BIP39 mnemonic could not be built or parsed.
///
/// `description` is one line a user can act on. It never contains entropy or the whole
/// phrase; an unknown word is quoted as typed (control and invisible characters escaped,
/// very long input shortened) so the user can find it.
public struct MnemonicError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The specific failure, with the details needed to report it.
    public enum Kind: Sendable, Equatable {
        /// Entropy must be 16, 20, 24, 28 or 32 bytes.
        case invalidEntropyLength(byteCount: Int)
        /// A phrase (or a request to generate one) has a word count other than 12, 15, 18, 21 or 24.
        case invalidWordCount(Int)
        /// Word `position` (1-based) is not in `language`'s list; `closest` are up to 3 suggestions.
        case unknownWord(position: Int, word: String, language: MnemonicLanguage, closest: [String])
        /// Language detection: most words are in `language`'s list, but word `position` is only
        /// in the lists of `foundIn`; `closest` are suggestions from `language`'s list.
        case mixedLanguages(position: Int, word: String, language: MnemonicLanguage,
                            foundIn: [MnemonicLanguage], closest: [String])
        /// Every word is valid in `language` but the checksum bits do not match the entropy.
        case checksumMismatch(wordCount: Int, language: MnemonicLanguage)
        /// Language detection: no word of the phrase is in any BIP39 list.
        case languageNotDetected(wordCount: Int)
    }

    /// The specific failure.
    public let kind: Kind

    /// Wraps `kind`.
    public init(_ kind: Kind) {
        self.kind = kind
    }

    /// One actionable line, e.g. `word 7 "abandn" is not in the english wordlist; closest: abandon`.
    public var description: String {
        switch kind {
        case .invalidEntropyLength(let byteCount):
            return "entropy must be 16, 20, 24, 28 or 32 bytes, got \(byteCount)"
        case .invalidWordCount(let count):
            return "expected 12, 15, 18, 21 or 24 words, got \(count)"
        case .unknownWord(let position, let word, let language, let closest):
            return "word \(position) \(Self.quote(word)) is not in the \(language.rawValue) wordlist; "
                + Self.suggestions(closest)
        case .mixedLanguages(let position, let word, let language, let foundIn, let closest):
            let others = foundIn.map(\.rawValue).joined(separator: ", ")
            return "words from different languages: the phrase looks \(language.rawValue), but word \(position) "
                + "\(Self.quote(word)) is only in the \(others) wordlist\(foundIn.count == 1 ? "" : "s"); "
                + "use words from one list; " + Self.suggestions(closest, in: language)
        case .checksumMismatch(let wordCount, let language):
            return "all \(wordCount) words are in the \(language.rawValue) wordlist, but the checksum does not match: "
                + "a word is wrong or the words are out of order"
        case .languageNotDetected(let wordCount):
            let names = MnemonicLanguage.allCases.map(\.rawValue).joined(separator: ", ")
            return "could not detect the language: none of the \(wordCount) words is in any BIP39 wordlist (\(names))"
        }
    }

    private static func suggestions(_ closest: [String], in language: MnemonicLanguage? = nil) -> String {
        let label = language.map { "closest \($0.rawValue) words" } ?? "closest"
        // Wordlist words are NFKD; show them composed, the way a user reads and types them.
        return closest.isEmpty
            ? "no close match in the list"
            : "\(label): " + closest.map(\.precomposedStringWithCanonicalMapping).joined(separator: ", ")
    }

    /// `word` in double quotes, safe to print on one terminal line: quotes and backslashes are
    /// escaped, control/format/separator characters (newlines, escape sequences, bidi overrides,
    /// zero-width spaces) are shown as `\u{…}`, and input longer than 48 characters is shortened.
    static func quote(_ word: String) -> String {
        let maxScalars = 48
        var out = "\""
        for (n, scalar) in word.unicodeScalars.enumerated() {
            if n == maxScalars {
                out += "…"
                break
            }
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                switch scalar.properties.generalCategory {
                case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator,
                     .privateUse, .surrogate, .unassigned:
                    out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                default:
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension MnemonicError: LocalizedError {
    /// The same one-line message as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
