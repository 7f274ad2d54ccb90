import Wordlists

/// The SLIP-39 word list: 1024 English words, each encoding 10 bits, every word with a unique
/// four-letter prefix. SLIP-39 has no other languages.
public enum SLIP39Wordlist {
    /// Number of words: each word encodes 10 bits.
    public static let size = 1024

    /// The words in list order (word `i` encodes the value `i`), lowercase.
    public static let words: [String] = {
        let text = String(decoding: SLIP39WordlistData.bytes, as: UTF8.self)
        let words = text.split(whereSeparator: \.isNewline).map(String.init)
        // The list is a build input, not user data: a malformed one is a packaging bug.
        precondition(words.count == size, "embedded SLIP-39 word list has \(words.count) words, expected \(size)")
        return words
    }()

    private static let valueByWord: [String: Int] = {
        var map: [String: Int] = [:]
        map.reserveCapacity(size)
        for (value, word) in words.enumerated() { map[word] = value }
        precondition(map.count == size, "embedded SLIP-39 word list has duplicate words")
        return map
    }()

    /// The 10-bit value of `word`, matched case-insensitively (as the reference implementation
    /// does); nil when the word is not in the list.
    public static func value(of word: some StringProtocol) -> Int? {
        valueByWord[word.lowercased()]
    }
}
