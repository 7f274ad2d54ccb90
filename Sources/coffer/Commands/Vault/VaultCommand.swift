import ArgumentParser
import CofferCore
import Foundation
import CofferBase
import Vault
import WalletCore

struct VaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "The encrypted keystore: create it, check the passphrase, rotate it, list wallets.",
        subcommands: [Init.self, Unlock.self, Rotate.self, List.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the vault, protected by the passphrase in --passphrase-file.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var passphrase: VaultPassphraseOption
        @OptionGroup var kdf: KDFOptions

        func run() async throws {
            let parameters = KDFOptions.testParameters ?? kdf.parameters(base: .default) ?? .default
            let secret = try passphrase.passphrase()
            let caller = try Caller.commandLine()
            try Output.print(try await store.withStores {
                try await VaultAdministration(store: $0.vault).initialize(passphrase: secret, parameters: parameters, by: caller)
            })
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the vault passphrase and that every wallet decrypts: exit 0, else 1 and why.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var passphrase: VaultPassphraseOption

        func run() async throws {
            let secret = try passphrase.passphrase()
            let caller = try Caller.commandLine()
            try Output.print(try await store.withStores { try await VaultAdministration(store: $0.vault).check(passphrase: secret, by: caller) })
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the vault passphrase (and optionally the Argon2id cost), atomically.",
            discussion: "Every data key is re-sealed under the new key in one transaction; secrets are never decrypted.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var passphrase: VaultPassphraseOption
        @Option(help: "File holding the new vault passphrase.") var newPassphraseFile: String
        @OptionGroup var kdf: KDFOptions

        func run() async throws {
            let pause = ProcessInfo.processInfo.environment["COFFER_TEST_ROTATION_PAUSE_MS"].flatMap(Int.init).map { Duration.milliseconds($0) }
            let old = try passphrase.passphrase()
            let new = try SecretInput.passphraseBytes(file: newPassphraseFile, what: "new passphrase file")
            let caller = try Caller.commandLine()
            try Output.print(try await store.withStores { stores in
                let current = try await stores.vault.meta()?.parameters
                return try await VaultAdministration(store: stores.vault).rotate(
                    from: old, to: new, parameters: KDFOptions.testParameters ?? kdf.parameters(base: current), pauseAfterEachWallet: pause, by: caller)
            })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the vault's wallets (public facts only), one JSON object per line.")
        @OptionGroup var options: ServiceOptions

        func run() async throws {
            try Output.print(page: try await options.run { services, caller in
                guard try await services.stores.vault.meta() != nil else { throw VaultError.notInitialized }
                return try await services.wallets.wallets(page: PageRequest(limit: 500), by: caller)
            })
        }
    }
}
