import ArgumentParser
import Foundation
import Vault
import WalletCore

struct KeystoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keystore",
        abstract: "Move keys between the vault and Ethereum V3 keystore files (geth, MetaMask).",
        subcommands: [Import.self, Export.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case ethereumV3 = "ethereum-v3" }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a V3 keystore file into the vault; the keystore password is read from stdin.")
        @OptionGroup var vaultOptions: VaultOptions
        @Option(help: "Keystore format: ethereum-v3.") var format: Format
        @Option(help: "Wallet name (default: keystore-<address>).") var name: String?
        @Argument(help: "The keystore JSON file.") var file: String

        func run() throws {
            let json = try InputFile.bytes(at: file, what: "keystore file")
            let unlocked = try vaultOptions.unlock()
            let password = try SecretInput.password(what: "keystore password")
            let key = try EthereumKeystoreV3.decrypt(json: json, password: password)
            let address = try EthereumAddress.encode(Secp256k1.PrivateKey(secret: key).publicKey)
            let info = try unlocked.addWallet(
                name: name ?? "keystore-\(address.lowercased())", secret: .privateKey(key, curve: .secp256k1), origin: "ethereum-v3")
            try JSONLine.print(JSONLine.walletObject(info))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a wallet's key as a V3 keystore (JSON on stdout), encrypted with the password on stdin.",
            discussion: "A single-key wallet exports its key; an HD wallet exports the key at --path (default m/44'/60'/0'/0/0).")
        @OptionGroup var vaultOptions: VaultOptions
        @Option(help: "Keystore format: ethereum-v3.") var format: Format
        @Option(help: "Wallet id or name.") var wallet: String
        @Option(help: "Key derivation: scrypt (geth's standard, n=2^18) or pbkdf2 (262144 rounds).") var kdf: String = "scrypt"
        @Option(help: "For HD wallets: the path of the key to export.") var path: String?

        func run() throws {
            let derivation: EthereumKeystoreV3.KeyDerivation
            switch kdf {
            case "scrypt": derivation = .standard
            case "pbkdf2": derivation = .pbkdf2(iterations: 262_144)
            default: throw UsageError("--kdf must be scrypt or pbkdf2, got \"\(kdf)\"")
            }
            let derivationPath = try path.map { try DerivationPath(parsing: $0) }
            let unlocked = try vaultOptions.unlock()
            let password = try SecretInput.password(what: "keystore password")
            let (json, walletID) = try unlocked.withSecret(of: wallet) { secret, info in
                let keyPath: DerivationPath? =
                    if case .seed = secret { try derivationPath ?? DerivationPath(parsing: "m/44'/60'/0'/0/0") } else { derivationPath }
                let signer = try WalletSigner.key(from: secret, curve: .secp256k1, path: keyPath, walletID: info.id)
                guard let key = signer.secp256k1Key else { throw CLIError("wallet \(info.name) has no secp256k1 key") }
                return (try EthereumKeystoreV3.encrypt(privateKey: key.secret, password: password, kdf: derivation), info.id)
            }
            try unlocked.audit(AuditEvent(actor: unlocked.vault.actor, action: "wallet.export", subject: walletID, outcome: "ok",
                                          detail: "ethereum-v3 \(kdf)\(path.map { " \($0)" } ?? "")"))
            try Terminal.print(String(decoding: json, as: UTF8.self))
        }
    }
}
