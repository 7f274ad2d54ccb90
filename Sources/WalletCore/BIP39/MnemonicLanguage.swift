/// One of the ten official BIP39 word lists.
///
/// The raw value is the stable, user-facing name (used in CLI flags, JSON and error
/// messages); the case order is the preference order of language detection.
public enum MnemonicLanguage: String, CaseIterable, Sendable {
    case english, chineseSimplified = "chinese-simplified", chineseTraditional = "chinese-traditional",
         japanese, korean, spanish, french, italian, czech, portuguese

    /// The stem of the embedded word-list file (`bip39/<stem>.txt`), e.g. "chinese_simplified".
    public var wordlistName: String {
        switch self {
        case .english: "english"
        case .chineseSimplified: "chinese_simplified"
        case .chineseTraditional: "chinese_traditional"
        case .japanese: "japanese"
        case .korean: "korean"
        case .spanish: "spanish"
        case .french: "french"
        case .italian: "italian"
        case .czech: "czech"
        case .portuguese: "portuguese"
        }
    }

    /// The separator of a canonical sentence: U+3000 IDEOGRAPHIC SPACE for Japanese
    /// (as the BIP39 reference implementation prints it), U+0020 otherwise.
    ///
    /// The separator never affects the seed: the seed is computed over the words joined by U+0020.
    public var wordSeparator: String {
        self == .japanese ? "\u{3000}" : " "
    }
}
