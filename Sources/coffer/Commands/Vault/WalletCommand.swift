import ArgumentParser
import CofferBase
import CofferCore
import Foundation
import Vault
import WalletCore

/// `coffer wallet`: vault wallets through `WalletService`, like POST /v1/wallets. Secrets come
/// from stdin or files, never from arguments.
struct WalletCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet",
        abstract: "Create, import, list, show and back up vault wallets.",
        subcommands: [Create.self, Import.self, List.self, Show.self, Backup.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an HD wallet from a BIP39 mnemonic made inside the vault and never shown (back it up with `coffer wallet backup`).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Wallet name (unique within the tenant, or the vault).") var name: String
        @Option(help: "Words of the internal mnemonic: 12, 15, 18, 21 or 24.") var words: Int?

        func run() async throws {
            var request = CreateWalletRequest(name: name, source: "generate")
            request.wordCount = words
            try Output.print(try await options.run { try await $0.wallets.create(request, by: $1) })
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a wallet: a BIP39 mnemonic, a private key, a master secret, SLIP-39 shares or (watch-only) an account xpub, read from stdin.",
            discussion: """
                --from xpub makes a watch-only wallet from an account-level extended public key (xpub, ypub, zpub, tpub, upub, \
                vpub; Litecoin's Ltub, Mtub, ttub): deposit addresses are its children 0/i (paths xpub/0/i) on any Bitcoin-like \
                network of its kind (main or test), and signing with it is refused. ypub/zpub-like versions fix the address type; \
                for xpub and tpub give --scheme (default p2pkh).
                """)
        enum Source: String, ExpressibleByArgument, CaseIterable {
            case mnemonic, privateKey = "private-key", masterSecret = "master-secret", slip39, xpub
        }
        @OptionGroup var options: ServiceOptions
        @Option(help: "Wallet name (unique).") var name: String
        @Option(help: "What stdin holds: mnemonic (BIP39, any of the 10 languages), private-key (hex), master-secret (hex, 16-64 bytes), slip39 (Shamir share mnemonics, one per line), xpub (an account-level extended public key: a watch-only wallet).")
        var from: Source
        @Option(help: "Curve of a private key: secp256k1 or ed25519.") var curve: String?
        @Option(help: "Mnemonic language (detected when omitted).") var language: MnemonicLanguage?
        @Option(help: "File holding the BIP39 passphrase of the mnemonic.") var bip39PassphraseFile: String?
        @Option(help: "File holding the SLIP-39 passphrase of the shares.") var slip39PassphraseFile: String?
        @Option(help: "Address type of an xpub or tpub: p2pkh (default), p2sh-p2wpkh, p2wpkh or p2tr (ypub, zpub... fix their own).") var scheme: BitcoinScheme?

        func run() async throws {
            if curve != nil && from != .privateKey { throw UsageError("--curve applies to --from private-key only") }
            if slip39PassphraseFile != nil && from != .slip39 { throw UsageError("--slip39-passphrase-file applies to --from slip39 only") }
            if bip39PassphraseFile != nil && from != .mnemonic { throw UsageError("--bip39-passphrase-file applies to --from mnemonic only") }
            if scheme != nil && from != .xpub { throw UsageError("--scheme applies to --from xpub only") }
            var request = CreateWalletRequest(name: name, source: from.rawValue)
            switch from {
            case .mnemonic:
                request.mnemonic = try SecretInput.mnemonic()
                request.language = language?.rawValue
                if bip39PassphraseFile != nil { request.bip39Passphrase = try SecretInput.passphrase(file: bip39PassphraseFile) }
            case .privateKey:
                guard let curve else { throw UsageError("--from private-key needs --curve secp256k1 or --curve ed25519") }
                request.curve = curve
                request.privateKey = try SecretInput.standardInputLine(what: "private key")
            case .masterSecret:
                request.masterSecret = try SecretInput.standardInputLine(what: "master secret")
            case .slip39:
                request.shares = try SecretInput.lines(what: "SLIP-39 mnemonics", example: "coffer wallet import --from slip39 < shares.txt")
                if slip39PassphraseFile != nil { request.slip39Passphrase = try SecretInput.passphrase(file: slip39PassphraseFile) }
            case .xpub:
                // Public, but read like every other import: from stdin, never an argument.
                request.xpub = try SecretInput.standardInputLine(what: "extended public key")
                request.scheme = scheme?.rawValue
            }
            let finished = request
            try Output.print(try await options.run { try await $0.wallets.create(finished, by: $1) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List wallets (public facts only), one JSON object per line.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Wallets per page, 1-500.") var limit: Int?
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?

        func run() async throws {
            let page = try PageRequest(limit: limit, cursor: cursor, maximum: 500)
            try Output.print(page: try await options.run { try await $0.wallets.wallets(page: page, by: $1) })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one wallet (public facts only).")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Wallet id or name.") var wallet: String

        func run() async throws { try Output.print(try await options.run { try await $0.wallets.wallet(wallet, by: $1) }) }
    }

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A SLIP-39 Shamir backup of an HD wallet's master secret, one mnemonic per line; audited.",
            discussion: """
                Recover with `coffer wallet import --from slip39` (or any SLIP-39 tool). With --json, the backup as
                POST /v1/wallets/{id}/backup answers it. An Ethereum V3 keystore of a key: `coffer keystore export`.
                """)
        @OptionGroup var options: ServiceOptions
        @Option(help: "Wallet id or name (an HD wallet).") var wallet: String
        @OptionGroup var scheme: ShamirSchemeOptions
        @Option(help: "File holding a SLIP-39 passphrase (printable ASCII).") var slip39PassphraseFile: String?
        @Flag(help: "Print the backup as one JSON object instead of one mnemonic per line.") var json = false

        func run() async throws {
            var request = BackupWalletRequest(format: "slip39")
            let (groupThreshold, groups) = try scheme.scheme()
            if groups.count == 1 {
                request.threshold = groups[0].memberThreshold
                request.shares = groups[0].memberCount
            } else {
                request.groups = groups.map { ShareGroup(threshold: $0.memberThreshold, shares: $0.memberCount) }
                request.groupThreshold = groupThreshold
            }
            request.iterationExponent = scheme.iterationExponent
            request.passphrase = try SecretInput.passphrase(file: slip39PassphraseFile)
            let finished = request
            let backup = try await options.run { try await $0.wallets.backup(wallet, finished, by: $1) }
            if json { try Output.print(backup) } else { try Terminal.print((backup.shares ?? []).joined(separator: "\n")) }
        }
    }
}

extension Curve: ExpressibleByArgument {}
