import ArgumentParser
import WalletCore

struct XpubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xpub",
        abstract: "Print the account-level extended public key of the mnemonic on stdin.",
        discussion: "xpub for p2pkh, p2tr, ethereum and tron; ypub for p2sh-p2wpkh; zpub for p2wpkh (tpub/upub/vpub on every test network); Ltub, Mtub and zpub on litecoin-mainnet."
    )

    @Option(help: "bitcoin, ethereum or tron (solana has no extended public keys); implied by --network.")
    var chain: Chain?

    @Option(help: "Bitcoin address type: p2pkh, p2sh-p2wpkh, p2wpkh (default) or p2tr.")
    var scheme: BitcoinScheme?

    @Option(help: NetworkOption.help)
    var network: String?

    @Option(help: "Account number (hardened).")
    var account: UInt32 = 0

    @OptionGroup var seedOptions: SeedOptions

    func run() throws {
        let resolved = try NetworkOption.resolve(network, chain: chain)
        if resolved.chain == .solana {
            throw UsageError("solana has no extended public keys: SLIP-10 ed25519 derivation is hardened-only")
        }
        let format = try resolved.addressFormat(scheme: scheme)
        let path = try format.accountPath(account: account)
        let seed = try seedOptions.readSeed()
        let accountKey = try ExtendedPrivateKey(seed: seed).derive(path: path)
        try Terminal.print(accountKey.extendedPublicKey.serialized(version: format.keyVersion))
    }
}
