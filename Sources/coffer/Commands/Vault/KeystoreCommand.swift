import ArgumentParser
import CofferBase
import CofferCore
import Foundation
import Vault
import WalletCore

/// `coffer keystore`: moving keys between the vault and Ethereum V3 keystore files, through
/// `WalletService` (an import is a wallet created from a keystore, an export is a backup).
struct KeystoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keystore",
        abstract: "Move keys between the vault and Ethereum V3 keystore files (geth, MetaMask).",
        subcommands: [Import.self, Export.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case ethereumV3 = "ethereum-v3" }
    enum KeyDerivation: String, ExpressibleByArgument, CaseIterable { case scrypt, pbkdf2 }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a V3 keystore file into the vault; the keystore password is read from stdin.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Keystore format: ethereum-v3.") var format: Format
        @Option(help: "Wallet name (default: keystore-<address>).") var name: String?
        @Argument(help: "The keystore JSON file.") var file: String

        func run() async throws {
            let json = try InputFile.bytes(at: file, what: "keystore file")
            var request = CreateWalletRequest(name: name, source: "ethereum-keystore")
            request.keystore = KeystoreText(bytes: json)
            request.password = try SecretInput.password(what: "keystore password")
            let finished = request
            try Output.print(try await options.run { try await $0.wallets.create(finished, by: $1) })
        }

    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a wallet's key as a V3 keystore (JSON on stdout), encrypted with the password on stdin.",
            discussion: "A single-key wallet exports its key; an HD wallet exports the key at --path (default m/44'/60'/0'/0/0). Audited.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Keystore format: ethereum-v3.") var format: Format
        @Option(help: "Wallet id or name.") var wallet: String
        @Option(help: "Key derivation: scrypt (geth's standard, n=2^18) or pbkdf2 (262144 rounds).") var kdf: KeyDerivation = .scrypt
        @Option(help: "For HD wallets: the path of the key to export.") var path: String?

        func run() async throws {
            var request = BackupWalletRequest(format: "ethereum-keystore")
            request.kdf = kdf.rawValue
            request.path = path
            request.password = try SecretInput.password(what: "keystore password")
            let finished = request
            let backup = try await options.run { try await $0.wallets.backup(wallet, finished, by: $1) }
            try Terminal.print(backup.keystore?.text ?? "{}")
        }
    }
}
