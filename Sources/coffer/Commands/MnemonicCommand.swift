import ArgumentParser
import WalletCore

struct MnemonicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnemonic",
        abstract: "Generate, check and turn BIP39 mnemonics into seeds.",
        subcommands: [Generate.self, Check.self, Seed.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new random mnemonic (system CSPRNG) on one line.")

        @Option(help: "Number of words: 12, 15, 18, 21 or 24.")
        var words: Int = 24

        @Option(help: "Word list: \(MnemonicLanguage.allCases.map(\.rawValue).joined(separator: ", ")).")
        var language: MnemonicLanguage = .english

        func validate() throws {
            guard [12, 15, 18, 21, 24].contains(words) else {
                throw ValidationError("--words must be 12, 15, 18, 21 or 24, got \(words)")
            }
        }

        func run() throws {
            let mnemonic = try Mnemonic.generate(wordCount: words, language: language)
            try Terminal.print(mnemonic.phrase)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the mnemonic on stdin: exit 0 if valid, else 1 and the reason.")

        @Option(help: "Expected language (detected when omitted).")
        var language: MnemonicLanguage?

        func run() throws {
            let mnemonic = try Mnemonic(phrase: try SecretInput.mnemonic(), language: language)
            if Terminal.stderrIsTerminal {
                Terminal.writeError("valid \(mnemonic.words.count)-word \(mnemonic.language.rawValue) mnemonic\n")
            }
        }
    }

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the 64-byte BIP39 seed of the mnemonic on stdin as 128 hex characters.")

        @OptionGroup var seedOptions: SeedOptions

        func run() throws {
            let seed = try seedOptions.readSeed()
            try Terminal.print(seed.withUnsafeBytes { Hex.encode($0) })
        }
    }
}
