/// Everything that decides how keys become addresses on one chain: the derivation paths, the
/// extended-key version and the encoding. One case per address codec; the networks' data (HRPs,
/// version bytes, coin types) comes from the registry (``ChainNetwork``, ``BitcoinNetwork``), and
/// ``ChainNetwork/addressFormat(scheme:)`` makes a format from a network.
public enum AddressFormat: Sendable, Hashable, CustomStringConvertible {
    case bitcoin(BitcoinScheme, BitcoinNetwork)
    case ethereum
    case tron
    case solana

    /// Builds a format from CLI-style names. `scheme` and `network` only apply to Bitcoin.
    public init(chain: Chain, scheme: BitcoinScheme? = nil, network: BitcoinNetwork? = nil) throws(AddressError) {
        switch chain {
        case .bitcoin:
            self = .bitcoin(scheme ?? .p2wpkh, network ?? .mainnet)
        case .ethereum, .tron, .solana:
            if let scheme {
                throw AddressError("--scheme \(scheme.rawValue) applies to bitcoin only, not \(chain)")
            }
            if let network, network != .mainnet {
                throw AddressError("--network \(network.name) applies to bitcoin only; \(chain) addresses are the same on every network")
            }
            self = chain == .ethereum ? .ethereum : chain == .tron ? .tron : .solana
        }
    }

    public var chain: Chain {
        switch self {
        case .bitcoin: .bitcoin
        case .ethereum: .ethereum
        case .tron: .tron
        case .solana: .solana
        }
    }

    public var description: String {
        switch self {
        case .bitcoin(let scheme, let network): "bitcoin \(scheme.rawValue) \(network.name)"
        default: chain.rawValue
        }
    }

    /// The BIP44-style account path `m/purpose'/coin'/account'` (secp256k1 chains).
    public func accountPath(account: UInt32) throws(DerivationPathError) -> DerivationPath {
        let (purpose, coin) = purposeAndCoin
        return DerivationPath([try .hardened(purpose), try .hardened(coin), try .hardened(account)])
    }

    /// The full path of address `index`: `account/0/index`, or `m/44'/501'/index'/0'` on Solana.
    public func addressPath(account: UInt32, index: UInt32) throws(DerivationPathError) -> DerivationPath {
        if case .solana = self {
            return DerivationPath([try .hardened(44), try .hardened(501), try .hardened(index), try .hardened(0)])
        }
        return try accountPath(account: account).appending(.normal(0)).appending(.normal(index))
    }

    /// The prefix every address path shares, for building paths as text in hot loops.
    public func addressPathPrefix(account: UInt32) -> String {
        switch self {
        case .solana: "m/44'/501'/"
        default:
            "m/\(purposeAndCoin.purpose)'/\(purposeAndCoin.coin)'/\(account)'/0/"
        }
    }

    /// The format of the addresses of an account-level extended public key of `version`, for
    /// watch-only derivation. SLIP-132 versions fix the scheme (ypub/upub/Mtub p2sh-p2wpkh,
    /// zpub/vpub p2wpkh) and a `scheme` that differs is refused; the generic ones (xpub, tpub,
    /// Ltub, ttub) take `scheme`, or `defaultScheme`. The key's version also fixes whether the
    /// network is a main or a test one, and Litecoin's own versions fix the coin: a `network`
    /// that does not fit is refused; without one, the first that fits (Bitcoin's, for Bitcoin's versions).
    public static func watchOnly(
        version: KeyVersion, scheme: BitcoinScheme?, network: BitcoinNetwork?, defaultScheme: BitcoinScheme
    ) throws(AddressError) -> AddressFormat {
        let implied: BitcoinScheme?
        switch version.impliedScript {
        case nil: implied = nil
        case .p2shP2wpkh: implied = .p2shP2wpkh
        case .p2wpkh: implied = .p2wpkh
        case .p2shP2wsh, .p2wsh:
            throw AddressError("\(version.publicPrefix) keys are for multisig scripts, which coffer does not derive")
        }
        if let scheme, let implied, scheme != implied {
            throw AddressError("scheme \(scheme.rawValue) does not match the extended key: a \(version.publicPrefix) is for \(implied.rawValue)")
        }
        if let network, !network.accepts(version) {
            let kind = version.coin.map { "\($0) \(version.isTestnet ? "test" : "main") networks" } ?? (version.isTestnet ? "test networks" : "main networks")
            throw AddressError("network \(network.name) does not match the extended key, a \(version.publicPrefix) (\(kind))")
        }
        return .bitcoin(scheme ?? implied ?? defaultScheme, network ?? BitcoinNetwork.first(accepting: version))
    }

    /// The first format of the registry whose addresses are this format's, string for string:
    /// networks with the same coin type and the same encoding for the scheme (signet's and
    /// testnet's everything, regtest's p2pkh and testnet's, Litecoin testnet's p2pkh and Bitcoin
    /// testnet's) give one key the same address. Address counters are kept per shared format.
    public var sharedAddresses: AddressFormat {
        guard case .bitcoin(let scheme, let network) = self else { return self }
        let first = BitcoinNetwork.all.first { other in
            guard other.coinType == network.coinType else { return false }
            switch scheme {
            case .p2pkh: return other.p2pkhVersion == network.p2pkhVersion
            case .p2shP2wpkh: return other.p2shVersion == network.p2shVersion
            case .p2wpkh, .p2tr: return other.bech32HRP == network.bech32HRP
            }
        }
        return .bitcoin(scheme, first ?? network)
    }

    /// The version an account-level extended public key is exported with.
    public var keyVersion: KeyVersion {
        switch self {
        case .bitcoin(let scheme, let network): scheme.keyVersion(network)
        default: .xpub
        }
    }

    var purposeAndCoin: (purpose: UInt32, coin: UInt32) {
        switch self {
        case .bitcoin(let scheme, let network): (scheme.purpose, network.coinType)
        case .ethereum, .tron, .solana: (44, chain.coinType)
        }
    }

    /// The address of a secp256k1 public key in this format.
    public func address(for publicKey: Secp256k1.PublicKey) throws(AddressError) -> String {
        try address(for: publicKey, compressed: publicKey.compressed)
    }

    /// Same, reusing the key's compressed encoding the caller already has (the hot path).
    public func address(for publicKey: Secp256k1.PublicKey, compressed: [UInt8]) throws(AddressError) -> String {
        switch self {
        case .bitcoin(let scheme, let network): try BitcoinAddress.encode(publicKey, compressed: compressed, scheme: scheme, network: network)
        case .ethereum: EthereumAddress.encode(publicKey)
        case .tron: TronAddress.encode(publicKey)
        case .solana: throw AddressError("solana addresses are ed25519 keys, not secp256k1")
        }
    }
}

/// Why an address (or a chain, scheme or network name) was refused.
public struct AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
