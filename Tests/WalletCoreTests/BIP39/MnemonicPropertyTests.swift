import Testing
import PropertyBased
import WalletCore

/// Randomised properties over every entropy size and language.
@Suite("BIP39 properties")
struct MnemonicPropertyTests {
    static let entropy = zip(
        Gen.int(in: 0...4).map { 16 + 4 * $0 },  // 16, 20, 24, 28 or 32 bytes
        Gen.uint8().array(of: 32)
    ).map { count, bytes in Array(bytes.prefix(count)) }

    @Test("entropy -> mnemonic -> parse gives the same entropy")
    func roundTrip() async {
        await propertyCheck(count: 300, input: Self.entropy, Gen<MnemonicLanguage>.case) { entropy, language in
            do {
                let mnemonic = try Mnemonic(entropy: entropy, language: language)
                #expect(mnemonic.words.count == entropy.count * 3 / 4)
                let parsed = try Mnemonic(phrase: mnemonic.phrase, language: language)
                #expect(parsed.entropy == entropy)
                #expect(parsed == mnemonic)
                // Detection: the same language, or an earlier one that decodes the same phrase
                // (Chinese simplified/traditional share characters).
                let detected = try Mnemonic(phrase: mnemonic.phrase)
                if detected.language != language {
                    #expect(language == .chineseTraditional && detected.language == .chineseSimplified)
                    #expect(try Mnemonic(phrase: mnemonic.phrase, language: detected.language) == detected)
                } else {
                    #expect(detected.entropy == entropy)
                }
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("a single-word substitution never parses as the same entropy")
    func substitution() async {
        await propertyCheck(count: 300, input: Self.entropy, Gen<MnemonicLanguage>.case, Gen.int(in: 0...23), Gen.int(in: 1...2047)) {
            entropy, language, rawPosition, offset in
            do {
                let mnemonic = try Mnemonic(entropy: entropy, language: language)
                let wordlist = Wordlist.of(language)
                let position = rawPosition % mnemonic.words.count
                var words = mnemonic.words
                let original = try #require(wordlist.index(of: words[position]))
                words[position] = wordlist.words[(original + offset) % Wordlist.size]  // always a different word
                let phrase = words.joined(separator: " ")
                // Usually a checksum mismatch; when the checksum happens to validate, other entropy.
                if let parsed = try? Mnemonic(phrase: phrase, language: language) {
                    #expect(parsed.entropy != entropy)
                }
                if let detected = try? Mnemonic(phrase: phrase) {
                    #expect(detected.entropy != entropy || detected.language != language)
                }
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
