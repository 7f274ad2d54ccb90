import ArgumentParser
import Foundation
import WalletCore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A guided tour: a fresh mnemonic and the first addresses it gives on every chain.")

    @Option(help: "Addresses per chain.")
    var count: UInt32 = 3

    func run() throws {
        guard (1...20).contains(count) else { throw UsageError("--count must be 1...20 for the demo") }
        let mnemonic = try Mnemonic.generate(wordCount: 12)
        let seed = SecretBytes(mnemonic.seed())
        print("""
            Coffer demo
            ===========
            1. A new 12-word BIP39 mnemonic (demo only: it is printed, so never fund it):

               \(mnemonic.phrase)

            2. The first \(count) deposit addresses per chain, derived from it (BIP32/BIP44, SLIP-10):

            """)
        let formats: [AddressFormat] = [
            .bitcoin(.p2wpkh, .mainnet), .bitcoin(.p2tr, .mainnet), .bitcoin(.p2shP2wpkh, .mainnet),
            .bitcoin(.p2pkh, .mainnet), .ethereum, .tron, .solana,
        ]
        var rows: [[String]] = [["chain", "path", "address"]]
        for format in formats {
            let deriver = try AddressDeriver(seed: seed, format: format)
            for index in 0..<count {
                let record = try deriver.derive(index: index)
                rows.append([format.description, record.path, record.address])
            }
        }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max()! }
        for row in rows {
            let line = (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            print("   " + line.trimmingCharacters(in: .whitespaces))
        }
        let zpubFormat = AddressFormat.bitcoin(.p2wpkh, .mainnet)
        let zpub = try ExtendedPrivateKey(seed: seed).derive(path: zpubFormat.accountPath(account: 0))
            .extendedPublicKey.serialized(version: zpubFormat.keyVersion)
        print("""

            3. Watch-only: a deposit service needs only the account's public key, never the seed:

               \(zpub)

            Try it yourself (the mnemonic is read from stdin, never from arguments):

               coffer mnemonic generate --words 24 > my.mnemonic
               coffer mnemonic check < my.mnemonic
               coffer derive --chain ethereum --count 10 < my.mnemonic
               coffer xpub --chain bitcoin --scheme p2wpkh < my.mnemonic
               coffer derive --chain bitcoin --xpub <zpub> --count 1000000 --format csv > addresses.csv
               coffer address check --chain ethereum 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed

            Keys for real belong in the vault (Argon2id + AES-256-GCM, policy-checked signing, audit log):

               coffer vault init --passphrase-file vault.pass
               coffer wallet import --name treasury --from mnemonic --passphrase-file vault.pass < my.mnemonic
               coffer wallet backup --wallet treasury --threshold 2 --shares 3 --passphrase-file vault.pass
            """)
    }
}
