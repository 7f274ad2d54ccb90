import ArgumentParser
import Foundation
import WalletCore

struct DeriveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "derive",
        abstract: "Stream deposit addresses from the mnemonic on stdin, or watch-only from --xpub.",
        discussion: """
            Records are written in index order as JSON Lines (default) or CSV, using every core, in \
            constant memory. Default paths: ethereum m/44'/60'/A'/0/i; bitcoin p2pkh m/44'/0'/A'/0/i, \
            p2sh-p2wpkh m/49'/..., p2wpkh m/84'/... (default), p2tr m/86'/... (coin type 1' on every test \
            network, 2' on litecoin-mainnet); tron m/44'/195'/A'/0/i; solana m/44'/501'/i'/0'. --network \
            names a network of the chain registry and implies its chain (--network litecoin-regtest \
            derives rltc1... addresses); every EVM network derives Ethereum's addresses.
            """
    )

    @Option(help: "ethereum, bitcoin, tron or solana (implied by --network).")
    var chain: Chain?

    @Option(help: "Bitcoin address type: p2pkh, p2sh-p2wpkh, p2wpkh (default) or p2tr.")
    var scheme: BitcoinScheme?

    @Option(help: NetworkOption.help)
    var network: String?

    @Option(help: "Account number A (hardened). Not for solana.")
    var account: UInt32?

    @Option(help: "First address index.")
    var start: UInt32 = 0

    @Option(help: "Number of addresses.")
    var count: UInt32

    @OptionGroup var seedOptions: SeedOptions

    @Option(help: "Account-level extended public key (xpub/ypub/zpub/tpub/...): derive watch-only, no mnemonic.")
    var xpub: String?

    @Option(help: "Output format: jsonl or csv.")
    var format: AddressRecordFormat = .jsonl

    @Option(help: "Label stored on every record.") var label: String?
    @Option(help: "Owner id stored on every record.") var owner: String?
    @Option(help: "Purpose stored on every record.") var purpose: String?
    @Option(help: "Batch id stored on every record.") var batch: String?

    @Option(help: "Worker threads (default: every core).")
    var threads: Int?

    func validate() throws {
        if let threads, !(1...256).contains(threads) {
            throw ValidationError("--threads must be between 1 and 256, got \(threads)")
        }
    }

    func run() throws {
        let deriver = try makeDeriver()
        let metadata = AddressMetadata(label: label, owner: owner, purpose: purpose, batch: batch)
        var addressBatch = try AddressBatch(deriver: deriver, start: start, count: count, format: format, metadata: metadata)
        if let threads {
            addressBatch.workers = threads
        }
        var progress = Terminal.stderrIsTerminal ? ProgressBar(total: count, label: "deriving") : nil
        let output = BufferedOutput(descriptor: STDOUT_FILENO)
        try addressBatch.stream(write: { try output.write($0) }, progress: { progress?.update($0) })
        try output.flush()
        progress?.finish()
    }

    private func makeDeriver() throws -> AddressDeriver {
        let resolved = try NetworkOption.resolve(network, chain: chain)
        let chain = resolved.chain
        if chain == .solana && account != nil {
            throw UsageError("--account is not supported for solana: its path m/44'/501'/i'/0' has no account level")
        }
        guard let xpub else {
            let format = try resolved.addressFormat(scheme: scheme)
            let seed = try seedOptions.readSeed()
            return try AddressDeriver(seed: seed, format: format, account: account ?? 0)
        }
        if chain == .solana {
            throw UsageError("--xpub is not supported for solana: SLIP-10 ed25519 keys are hardened-only, so there is no watch-only derivation")
        }
        if seedOptions.passphraseFile != nil {
            throw UsageError("--passphrase-file has no effect with --xpub; remove one of them")
        }
        let key = try WatchOnlyKey.parse(xpub, chain: chain, scheme: scheme, network: network == nil ? nil : resolved)
        if let account, account != key.accountKey.childIndex.index {
            throw UsageError("--account \(account) does not match the extended key, which is account \(key.accountKey.childIndex.index)")
        }
        return try AddressDeriver(accountKey: key.accountKey, format: key.format)
    }
}

/// An account-level public key given on the command line, checked against the chain, scheme
/// and network the user asked for.
struct WatchOnlyKey {
    let accountKey: ExtendedPublicKey
    let format: AddressFormat

    static func parse(_ text: String, chain: Chain, scheme: BitcoinScheme?, network: ChainNetwork?) throws -> WatchOnlyKey {
        let parsed = try ExtendedKey(parsing: text)
        guard case .publicKey(let key, let version) = parsed else {
            throw CLIError("--xpub was given a private extended key (\(parsed.version.privatePrefix)); pass its public form: watch-only derivation never needs private keys, and a private key on the command line is exposed to other users of this machine")
        }
        switch chain {
        case .bitcoin:
            do {
                let format = try AddressFormat.watchOnly(version: version, scheme: scheme, network: network?.bitcoin, defaultScheme: .p2wpkh)
                return WatchOnlyKey(accountKey: key, format: format)
            } catch {
                throw UsageError("\(error)")
            }
        case .ethereum, .tron:
            guard version == .xpub else {
                throw UsageError("\(chain) expects an xpub, not a \(version.publicPrefix)")
            }
            return WatchOnlyKey(accountKey: key, format: try (network ?? .default(for: chain)).addressFormat(scheme: scheme))
        case .solana:
            throw UsageError("solana has no extended public keys")
        }
    }
}
