import WalletCore

/// Private keys of test mnemonics, for tests that must act as someone who holds Coffer's keys
/// (a double spend of one of its outputs). Test-only: production code never exports a key.
public enum TestKeys {
    /// The WIF of the key at `path` of `mnemonic` (no BIP39 passphrase) on a registry network.
    public static func wif(mnemonic: String, path: String, network: String) throws -> String {
        let master = try ExtendedPrivateKey(seed: SecretBytes(try Mnemonic(phrase: mnemonic).seed()))
        let key = try master.derive(path: try DerivationPath(parsing: path)).privateKey
        guard let bitcoin = try ChainNetwork.named(network).bitcoin else { throw HarnessError("\(network) is not Bitcoin-like") }
        return WIF.encode(key, network: bitcoin)
    }
}
