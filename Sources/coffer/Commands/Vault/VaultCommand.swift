import ArgumentParser
import Foundation
import Vault
import WalletCore

struct VaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "The encrypted keystore: create it, check the passphrase, rotate it, list wallets.",
        subcommands: [Init.self, Unlock.self, Rotate.self, List.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the vault, protected by the passphrase in --passphrase-file.")
        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var kdf: KDFOptions

        func run() throws {
            let parameters = KDFOptions.testParameters ?? kdf.parameters(base: .default) ?? .default
            try vaultOptions.vault().initialize(passphrase: try vaultOptions.passphrase(), parameters: parameters)
            try JSONLine.print(["initialized": true, "argon2id": ["memory_bytes": parameters.memoryBytes, "iterations": parameters.iterations, "parallelism": parameters.parallelism]])
        }
    }

    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the vault passphrase and that every wallet decrypts: exit 0, else 1 and why.")
        @OptionGroup var vaultOptions: VaultOptions

        func run() throws {
            let unlocked = try vaultOptions.unlock()
            try JSONLine.print(["unlocked": true, "wallets": try unlocked.verifyAll()])
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the vault passphrase (and optionally the Argon2id cost), atomically.",
            discussion: "Every data key is re-sealed under the new key in one transaction; secrets are never decrypted.")
        @OptionGroup var vaultOptions: VaultOptions
        @Option(help: "File holding the new vault passphrase.") var newPassphraseFile: String
        @OptionGroup var kdf: KDFOptions

        func run() throws {
            let vault = try vaultOptions.vault()
            let pause = ProcessInfo.processInfo.environment["COFFER_TEST_ROTATION_PAUSE_MS"].flatMap(Int.init).map { Duration.milliseconds($0) }
            let current = try vault.store.meta()?.parameters
            try vault.rotate(
                from: try vaultOptions.passphrase(),
                to: try SecretInput.passphraseBytes(file: newPassphraseFile, what: "new passphrase file"),
                parameters: KDFOptions.testParameters ?? kdf.parameters(base: current == nil ? nil : current),
                pauseAfterEachWallet: pause)
            try JSONLine.print(["rotated": true, "wallets": try vault.wallets().count])
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the vault's wallets (public facts only), one JSON object per line.")
        @OptionGroup var vaultOptions: VaultOptions

        func run() throws {
            let vault = try vaultOptions.vault()
            guard try vault.isInitialized() else { throw VaultError.notInitialized }
            for wallet in try vault.wallets() { try JSONLine.print(JSONLine.walletObject(wallet)) }
        }
    }
}
