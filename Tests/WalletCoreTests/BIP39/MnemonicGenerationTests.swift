import Testing
import WalletCore

/// Mnemonics from the system CSPRNG.
@Suite("BIP39 generation")
struct MnemonicGenerationTests {
    @Test("every word count in every language generates a mnemonic that validates",
          arguments: Mnemonic.validWordCounts, MnemonicLanguage.allCases)
    func generatedValidates(wordCount: Int, language: MnemonicLanguage) throws {
        let mnemonic = try Mnemonic.generate(wordCount: wordCount, language: language)
        #expect(mnemonic.words.count == wordCount)
        #expect(mnemonic.entropy.count == wordCount * 4 / 3)
        #expect(mnemonic.language == language)
        let parsed = try Mnemonic(phrase: mnemonic.phrase, language: language)
        #expect(parsed == mnemonic)
        let detected = try Mnemonic(phrase: mnemonic.phrase)
        #expect(detected.language == language || (language == .chineseTraditional && detected.language == .chineseSimplified))
        #expect(mnemonic.seed().count == 64)
    }

    @Test("the default is 24 English words, and two draws differ")
    func defaults() throws {
        let first = try Mnemonic.generate()
        let second = try Mnemonic.generate()
        #expect(first.words.count == 24 && first.language == .english)
        #expect(first.entropy != second.entropy)
        // Sanity of the CSPRNG: 32 bytes are not all equal.
        #expect(Set(first.entropy).count > 1)
    }
}
