import ArgumentParser
import Foundation
import Vault
import WalletCore

struct WalletCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet",
        abstract: "Create and import vault wallets.",
        subcommands: [Create.self, Import.self, Backup.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a wallet with a new random 32-byte master secret (back it up with `coffer shamir` or an export).")
        @OptionGroup var vaultOptions: VaultOptions
        @Option(help: "Wallet name (unique).") var name: String

        func run() throws {
            let unlocked = try vaultOptions.unlock()
            let info = try unlocked.addWallet(name: name, secret: .seed(Envelope.randomKey(length: 32)), origin: "random")
            try JSONLine.print(JSONLine.walletObject(info))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a wallet: a BIP39 mnemonic, a private key, or a master secret, read from stdin.")
        enum Source: String, ExpressibleByArgument, CaseIterable {
            case mnemonic, privateKey = "private-key", masterSecret = "master-secret", slip39
        }
        @OptionGroup var vaultOptions: VaultOptions
        @Option(help: "Wallet name (unique).") var name: String
        @Option(help: "What stdin holds: mnemonic (BIP39, any of the 10 languages), private-key (hex), master-secret (hex, 16-64 bytes), slip39 (Shamir share mnemonics, one per line).")
        var from: Source
        @Option(help: "Curve of a private key: secp256k1 or ed25519.") var curve: String?
        @Option(help: "Mnemonic language (detected when omitted).") var language: MnemonicLanguage?
        @Option(help: "File holding the BIP39 passphrase of the mnemonic.") var bip39PassphraseFile: String?
        @Option(help: "File holding the SLIP-39 passphrase of the shares.") var slip39PassphraseFile: String?

        func run() throws {
            let secret: WalletSecret
            let origin: String
            switch from {
            case .mnemonic:
                if curve != nil { throw UsageError("--curve applies to --from private-key only") }
                let passphrase = try SecretInput.passphrase(file: bip39PassphraseFile)
                let mnemonic = try Mnemonic(phrase: try SecretInput.mnemonic(), language: language)
                var seed = mnemonic.seed(passphrase: passphrase)
                defer { SecretBytes.wipe(&seed) }
                secret = .seed(SecretBytes(seed))
                origin = "bip39"
            case .privateKey:
                guard let curveName = curve, let parsed = Curve(rawValue: curveName) else {
                    throw UsageError("--from private-key needs --curve secp256k1 or --curve ed25519")
                }
                secret = .privateKey(try Self.readHexSecret(expectedLength: 32...32, what: "private key"), curve: parsed)
                origin = "private-key"
            case .masterSecret:
                if curve != nil { throw UsageError("--curve applies to --from private-key only") }
                secret = .seed(try Self.readHexSecret(expectedLength: 16...64, what: "master secret"))
                origin = "master-secret"
            case .slip39:
                if curve != nil { throw UsageError("--curve applies to --from private-key only") }
                let passphrase = try SecretInput.passphrase(file: slip39PassphraseFile)
                let mnemonics = try SecretInput.lines(what: "SLIP-39 mnemonics", example: "coffer wallet import --from slip39 < shares.txt")
                secret = .seed(try SLIP39.recover(mnemonics: mnemonics, passphrase: passphrase))
                origin = "slip39"
            }
            if slip39PassphraseFile != nil && from != .slip39 { throw UsageError("--slip39-passphrase-file applies to --from slip39 only") }
            if bip39PassphraseFile != nil && from != .mnemonic { throw UsageError("--bip39-passphrase-file applies to --from mnemonic only") }
            let info = try vaultOptions.unlock().addWallet(name: name, secret: secret, origin: origin)
            try JSONLine.print(JSONLine.walletObject(info))
        }

        static func readHexSecret(expectedLength: ClosedRange<Int>, what: String) throws -> SecretBytes {
            var text = try SecretInput.standardInputLine(what: what)
            defer { text = "" }
            var bytes: [UInt8]
            do { bytes = try Hex.decode(text) } catch { throw CLIError("the \(what) on stdin is not hex (expected \(expectedLength.lowerBound * 2)\(expectedLength.count > 1 ? "-\(expectedLength.upperBound * 2)" : "") hex digits)") }
            defer { SecretBytes.wipe(&bytes) }
            guard expectedLength.contains(bytes.count) else {
                throw CLIError("the \(what) must be \(expectedLength.count > 1 ? "\(expectedLength.lowerBound)-\(expectedLength.upperBound)" : "\(expectedLength.lowerBound)") bytes, got \(bytes.count)")
            }
            return SecretBytes(bytes)
        }
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a SLIP-39 Shamir backup of an HD wallet's master secret (its BIP32 seed), one mnemonic per line.",
            discussion: "Recover with `coffer wallet import --from slip39` (or any SLIP-39 tool). The backup is audited.")
        @OptionGroup var vaultOptions: VaultOptions
        @Option(help: "Wallet id or name (an HD wallet).") var wallet: String
        @OptionGroup var scheme: ShamirSchemeOptions
        @Option(help: "File holding a SLIP-39 passphrase (printable ASCII).") var slip39PassphraseFile: String?

        func run() throws {
            let passphrase = try SecretInput.passphrase(file: slip39PassphraseFile)
            let unlocked = try vaultOptions.unlock()
            let (mnemonics, walletID) = try unlocked.withSecret(of: wallet) { secret, info in
                guard case .seed(let seed) = secret else {
                    throw CLIError("wallet \(info.name) holds a single key, not a master secret; export it with `coffer keystore export`")
                }
                return (try scheme.split(seed, passphrase: passphrase), info.id)
            }
            try unlocked.audit(AuditEvent(actor: unlocked.vault.actor, action: "wallet.export", subject: walletID, outcome: "ok",
                                          detail: "slip39 \(mnemonics.count) shares"))
            try Terminal.print(mnemonics.joined(separator: "\n"))
        }
    }
}

extension Curve: ExpressibleByArgument {}
