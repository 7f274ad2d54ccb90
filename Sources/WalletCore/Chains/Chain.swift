/// The chains Coffer derives addresses for. EVM chains share Ethereum's keys and addresses.
public enum Chain: String, CaseIterable, Sendable, CustomStringConvertible {
    case bitcoin, ethereum, tron, solana

    /// SLIP-44 coin type used in BIP44-style paths (mainnet).
    public var coinType: UInt32 {
        switch self {
        case .bitcoin: 0
        case .ethereum: 60
        case .tron: 195
        case .solana: 501
        }
    }

    public var curve: Curve {
        self == .solana ? .ed25519 : .secp256k1
    }

    public var description: String { rawValue }

    /// Parses a chain name; the error lists the accepted names.
    public init(parsing name: String) throws(AddressError) {
        guard let chain = Chain(rawValue: name.lowercased()) else {
            throw AddressError("unknown chain \"\(name)\"; expected one of: \(Chain.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = chain
    }
}

/// The signature curve a chain's keys live on.
public enum Curve: String, Sendable {
    case secp256k1, ed25519
}

/// Bitcoin network: address prefixes, HRP and the BIP44 coin type (1' on every test network).
public enum BitcoinNetwork: String, CaseIterable, Sendable {
    case mainnet, testnet

    public var bech32HRP: String { self == .mainnet ? "bc" : "tb" }
    public var p2pkhVersion: UInt8 { self == .mainnet ? 0x00 : 0x6F }
    public var p2shVersion: UInt8 { self == .mainnet ? 0x05 : 0xC4 }
    public var coinType: UInt32 { self == .mainnet ? 0 : 1 }

    public init(parsing name: String) throws(AddressError) {
        guard let network = BitcoinNetwork(rawValue: name.lowercased()) else {
            throw AddressError("unknown network \"\(name)\"; expected mainnet or testnet")
        }
        self = network
    }
}

/// The Bitcoin output script an address pays to, with the BIP that fixes its derivation purpose.
public enum BitcoinScheme: String, CaseIterable, Sendable {
    case p2pkh, p2shP2wpkh = "p2sh-p2wpkh", p2wpkh, p2tr

    /// BIP44, BIP49, BIP84 and BIP86 purposes.
    public var purpose: UInt32 {
        switch self {
        case .p2pkh: 44
        case .p2shP2wpkh: 49
        case .p2wpkh: 84
        case .p2tr: 86
        }
    }

    /// SLIP-132 version used when exporting the account key (taproot has none: plain xpub).
    public func keyVersion(_ network: BitcoinNetwork) -> KeyVersion {
        switch (self, network) {
        case (.p2shP2wpkh, .mainnet): .ypub
        case (.p2shP2wpkh, .testnet): .upub
        case (.p2wpkh, .mainnet): .zpub
        case (.p2wpkh, .testnet): .vpub
        case (_, .mainnet): .xpub
        case (_, .testnet): .tpub
        }
    }

    public init(parsing name: String) throws(AddressError) {
        guard let scheme = BitcoinScheme(rawValue: name.lowercased()) else {
            throw AddressError("unknown bitcoin scheme \"\(name)\"; expected one of: \(BitcoinScheme.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = scheme
    }
}
