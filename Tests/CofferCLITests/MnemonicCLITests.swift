import Foundation
import Testing

struct MnemonicCLITests {
    static let abandonAbout = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
    /// BIP39 vector for abandon...about with passphrase "TREZOR".
    static let trezorSeed = "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04"

    static let languages = [
        "english", "chinese-simplified", "chinese-traditional", "japanese", "korean",
        "spanish", "french", "italian", "czech", "portuguese",
    ]

    @Test(arguments: languages)
    func generatedMnemonicsCheckOut(language: String) throws {
        for words in [12, 15, 18, 21, 24] {
            let generated = try CofferProcess.run(["mnemonic", "generate", "--words", "\(words)", "--language", language])
            #expect(generated.status == 0, "\(generated.stderr)")
            #expect(generated.stdoutLines.count == 1)
            let separator: Character = language == "japanese" ? "\u{3000}" : " "
            #expect(generated.stdout.trimmingCharacters(in: .newlines).split(separator: separator).count == words)
            let check = try CofferProcess.run(["mnemonic", "check", "--language", language], stdin: generated.stdout)
            #expect(check.status == 0, "\(language) \(words): \(check.stderr)")
        }
    }

    @Test func generateDefaultsAndRandomness() throws {
        let first = try CofferProcess.run(["mnemonic", "generate"])
        let second = try CofferProcess.run(["mnemonic", "generate"])
        #expect(first.stdout.split(separator: " ").count == 24)
        #expect(first.stdout != second.stdout)
    }

    @Test func seedWithPassphraseFile() throws {
        let file = try temporaryFile("TREZOR\n")
        let result = try CofferProcess.run(["mnemonic", "seed", "--passphrase-file", file], stdin: "  \(Self.abandonAbout) \n\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.trezorSeed + "\n")
        // Exactly one trailing newline is dropped: a second one is part of the passphrase.
        let twoNewlines = try temporaryFile("TREZOR\n\n")
        let other = try CofferProcess.run(["mnemonic", "seed", "--passphrase-file", twoNewlines], stdin: Self.abandonAbout)
        #expect(other.status == 0)
        #expect(other.stdout != result.stdout)
        let noPassphrase = try CofferProcess.run(["mnemonic", "seed"], stdin: Self.abandonAbout)
        #expect(noPassphrase.stdout.count == 129)
    }

    @Test func checkRejectionsSayWhy() throws {
        try CofferProcess.expectRejected(
            ["mnemonic", "check"], stdin: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandn",
            status: 1, mentioning: ["12", "abandn", "abandon"])
        try CofferProcess.expectRejected(
            ["mnemonic", "check"], stdin: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon",
            status: 1, mentioning: ["checksum"])
        try CofferProcess.expectRejected(
            ["mnemonic", "check"], stdin: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
            status: 1, mentioning: ["11"])
        try CofferProcess.expectRejected(["mnemonic", "check"], stdin: "", status: 1, mentioning: ["no mnemonic"])
        try CofferProcess.expectRejected(["mnemonic", "check"], stdin: "   \n ", status: 1)
        try CofferProcess.expectRejected(["mnemonic", "check", "--language", "klingon"], stdin: Self.abandonAbout, status: 2)
        try CofferProcess.expectRejected(["mnemonic", "generate", "--words", "13"], status: 2, mentioning: ["13"])
        try CofferProcess.expectRejected(["mnemonic", "generate", "--words", "many"], status: 2)
        try CofferProcess.expectRejected(["mnemonic", "seed", "--passphrase-file", "/nonexistent/pass"], stdin: Self.abandonAbout, status: 1, mentioning: ["/nonexistent/pass"])
        try CofferProcess.expectRejected(["mnemonic", "frobnicate"], status: 2)
    }

    @Test func secretsNeverEchoedOnSuccess() throws {
        let file = try temporaryFile("correct horse battery staple\n")
        let result = try CofferProcess.run(["mnemonic", "seed", "--passphrase-file", file], stdin: Self.abandonAbout)
        #expect(!result.stdout.contains("horse") && !result.stderr.contains("horse"))
        #expect(!result.stdout.contains("abandon") && !result.stderr.contains("abandon"))
    }
}
