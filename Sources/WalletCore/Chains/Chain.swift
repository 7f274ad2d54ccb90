/// The chains Coffer derives addresses for: one per key derivation and address codec. Every
/// Bitcoin-like network (Litecoin too) derives as `bitcoin`, every EVM network as `ethereum`;
/// the networks themselves are data in the registry (``ChainNetwork``).
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

    /// SLIP-132 version used when exporting the account key on `network` (taproot has none: the
    /// network's generic xpub-like version).
    public func keyVersion(_ network: BitcoinNetwork) -> KeyVersion {
        network.keyVersion(for: self)
    }

    public init(parsing name: String) throws(AddressError) {
        guard let scheme = BitcoinScheme(rawValue: name.lowercased()) else {
            throw AddressError("unknown bitcoin scheme \"\(name)\"; expected one of: \(BitcoinScheme.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = scheme
    }
}
