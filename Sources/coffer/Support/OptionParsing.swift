import ArgumentParser
import Foundation
import WalletCore

extension Chain: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension BitcoinScheme: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// `--network`: a network of the chain registry, or one of Bitcoin's short names. Resolved at run
/// time against `--chain`, which it may imply; a name that resolves to nothing is a usage error.
enum NetworkOption {
    static let help = ArgumentHelp(
        "Network of the chain registry: \(ChainNetwork.all.map(\.name).joined(separator: ", ")) or evm:<chain id> (default: the chain's mainnet); mainnet, testnet, regtest and signet mean bitcoin's.",
        valueName: "network")

    static func resolve(_ name: String?, chain: Chain?) throws -> ChainNetwork {
        do { return try ChainNetwork.resolve(name, chain: chain) } catch { throw UsageError(name == nil ? "give --chain or --network" : "--network: \(error)") }
    }
}

extension MnemonicLanguage: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased().replacingOccurrences(of: "_", with: "-")) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension AddressRecordFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// Options shared by commands that turn a mnemonic into a seed.
struct SeedOptions: ParsableArguments {
    @Option(name: .long, help: "File holding the BIP39 passphrase (one trailing newline is dropped).")
    var passphraseFile: String?

    @Option(name: .long, help: "Mnemonic language (detected when omitted).")
    var language: MnemonicLanguage?

    /// Reads the mnemonic from stdin, validates it and returns the 64-byte seed in wiped memory.
    func readSeed() throws -> SecretBytes {
        let passphrase = try SecretInput.passphrase(file: passphraseFile)
        let mnemonic = try Mnemonic(phrase: try SecretInput.mnemonic(), language: language)
        var seed = mnemonic.seed(passphrase: passphrase)
        defer { SecretBytes.wipe(&seed) }
        return SecretBytes(seed)
    }
}
