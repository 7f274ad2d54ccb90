public import WalletCore

/// How a Bitcoin-like network writes an output script as an address: its Base58Check version
/// bytes and its Bech32 human-readable part.
///
/// A stand-in while `BitcoinNetwork` is an enum of Bitcoin's own networks: once networks are data
/// (Litecoin's among them), `BitcoinChainSource` takes the network itself and calls
/// `BitcoinAddress.address(scriptPubKey:network:)` in `address(of:)`'s place.
public struct BitcoinAddressEncoding: Sendable, Hashable {
    public let p2pkhVersion: UInt8
    public let p2shVersion: UInt8
    public let bech32HRP: String

    public init(p2pkhVersion: UInt8, p2shVersion: UInt8, bech32HRP: String) {
        self.p2pkhVersion = p2pkhVersion
        self.p2shVersion = p2shVersion
        self.bech32HRP = bech32HRP
    }

    public init(_ network: BitcoinNetwork) {
        self.init(p2pkhVersion: network.p2pkhVersion, p2shVersion: network.p2shVersion, bech32HRP: network.bech32HRP)
    }

    /// Litecoin regtest as Litecoin Core 0.21 prints it: p2sh with version 58 ("Q…"), `rltc1…`.
    public static let litecoinRegtest = BitcoinAddressEncoding(p2pkhVersion: 0x6F, p2shVersion: 0x3A, bech32HRP: "rltc")

    /// The address `script` pays to, or nil for a script without one (OP_RETURN, bare multisig...).
    public func address(of script: ArraySlice<UInt8>) -> String? {
        BitcoinAddress.address(scriptPubKey: script, p2pkhVersion: p2pkhVersion, p2shVersion: p2shVersion, bech32HRP: bech32HRP)
    }
}
