/// A Bitcoin-like network as data: its address prefixes, Bech32 HRP, WIF and extended-key
/// versions and BIP44 coin type. Bitcoin's networks and Litecoin's are instances; another
/// Bitcoin-like coin is one more instance (and one more entry in ``ChainNetwork/all``).
///
/// Several networks share encodings (regtest, signet and testnet share Base58 versions and, but
/// for regtest, the HRP; Litecoin's test networks use Bitcoin testnet's p2pkh version), so an
/// address alone does not always name its network: ``BitcoinAddress/decode(_:network:)`` takes the
/// network to check against, and reports the first matching one of ``all`` without it.
public struct BitcoinNetwork: Sendable, Hashable, CustomStringConvertible {
    /// "mainnet", "testnet", "regtest", "signet" (Bitcoin), "litecoin-mainnet", ... : the name in
    /// address format keys ("bitcoin:p2wpkh:regtest") and signing payloads.
    public let name: String
    /// The network's name in the chain registry: "bitcoin-mainnet", "litecoin-regtest".
    public let registryName: String
    /// The coin, as in BIP21-style URIs and key-version ownership: "bitcoin", "litecoin".
    public let coin: String
    public let bech32HRP: String
    public let p2pkhVersion: UInt8
    /// The version new p2sh addresses are written with.
    public let p2shVersion: UInt8
    /// Every p2sh version an address of this network may carry: Litecoin also accepts the legacy
    /// Bitcoin versions (0x05 mainnet, 0xC4 test networks) it used before its own 'M' and 'Q'.
    public let acceptedP2SHVersions: [UInt8]
    /// The version byte of WIF private keys.
    public let wifVersion: UInt8
    /// SLIP-44 coin type of BIP44-style paths (1 on every test network).
    public let coinType: UInt32
    /// The extended-key versions account keys are exported with, per script type.
    public let keyVersions: KeyVersions
    public let isTest: Bool

    /// The SLIP-132 versions of one network's account keys.
    public struct KeyVersions: Sendable, Hashable {
        /// p2pkh and p2tr (no SLIP-132 version of their own): xpub, tpub, Ltub.
        public let generic: KeyVersion
        public let p2shP2wpkh: KeyVersion
        public let p2wpkh: KeyVersion

        public init(generic: KeyVersion, p2shP2wpkh: KeyVersion, p2wpkh: KeyVersion) {
            self.generic = generic
            self.p2shP2wpkh = p2shP2wpkh
            self.p2wpkh = p2wpkh
        }

        public func version(for scheme: BitcoinScheme) -> KeyVersion {
            switch scheme {
            case .p2pkh, .p2tr: generic
            case .p2shP2wpkh: p2shP2wpkh
            case .p2wpkh: p2wpkh
            }
        }
    }

    public init(
        name: String, registryName: String, coin: String, bech32HRP: String, p2pkhVersion: UInt8, p2shVersion: UInt8,
        acceptedP2SHVersions: [UInt8], wifVersion: UInt8, coinType: UInt32, keyVersions: KeyVersions, isTest: Bool
    ) {
        self.name = name
        self.registryName = registryName
        self.coin = coin
        self.bech32HRP = bech32HRP
        self.p2pkhVersion = p2pkhVersion
        self.p2shVersion = p2shVersion
        self.acceptedP2SHVersions = acceptedP2SHVersions
        self.wifVersion = wifVersion
        self.coinType = coinType
        self.keyVersions = keyVersions
        self.isTest = isTest
    }

    public var description: String { name }

    /// Names are unique in the registry: two networks are the same network when their names are.
    public static func == (lhs: BitcoinNetwork, rhs: BitcoinNetwork) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// The network's name without its coin: "mainnet" for both "mainnet" and "litecoin-mainnet".
    public var shortName: String {
        name.hasPrefix(coin + "-") ? String(name.dropFirst(coin.count + 1)) : name
    }

    /// The version an account key of `scheme` is exported with on this network.
    public func keyVersion(for scheme: BitcoinScheme) -> KeyVersion { keyVersions.version(for: scheme) }

    /// Whether an extended key of `version` can be this network's: the same kind of network
    /// (main or test), and a version that is either shared (Bitcoin's xpub family, which other
    /// coins use too) or registered for this network's coin (Litecoin's Ltub, Mtub, ttub).
    public func accepts(_ version: KeyVersion) -> Bool {
        version.isTestnet == isTest && (version.coin == nil || version.coin == coin)
    }

    // MARK: The registry's Bitcoin-like networks

    public static let mainnet = BitcoinNetwork(
        name: "mainnet", registryName: "bitcoin-mainnet", coin: "bitcoin", bech32HRP: "bc", p2pkhVersion: 0x00, p2shVersion: 0x05,
        acceptedP2SHVersions: [0x05], wifVersion: 0x80, coinType: 0, keyVersions: .bitcoinMain, isTest: false)
    public static let testnet = bitcoinTest("testnet", hrp: "tb")
    /// Bitcoin Core's regtest: testnet's Base58 versions and keys, HRP "bcrt".
    public static let regtest = bitcoinTest("regtest", hrp: "bcrt")
    /// BIP325 signet: every encoding is testnet's (HRP "tb"), so its addresses are testnet's.
    public static let signet = bitcoinTest("signet", hrp: "tb")
    /// Litecoin: L... (0x30), M... (0x32, also legacy 3... 0x05), ltc1..., coin type 2, WIF 0xB0,
    /// SLIP-132 Ltub (p2pkh, p2tr) and Mtub (p2sh-p2wpkh); p2wpkh has no Litecoin version
    /// registered, so it is zpub, as bip-utils and Electrum-LTC write it.
    public static let litecoinMainnet = BitcoinNetwork(
        name: "litecoin-mainnet", registryName: "litecoin-mainnet", coin: "litecoin", bech32HRP: "ltc", p2pkhVersion: 0x30, p2shVersion: 0x32,
        acceptedP2SHVersions: [0x32, 0x05], wifVersion: 0xB0, coinType: 2,
        keyVersions: KeyVersions(generic: .litecoinLtub, p2shP2wpkh: .litecoinMtub, p2wpkh: .zpub), isTest: false)
    /// Litecoin testnet: m/n... (0x6F, as Bitcoin testnet), Q... (0x3A, also legacy 2... 0xC4),
    /// tltc1..., coin type 1; keys are exported as tpub/upub/vpub like Litecoin Core does (SLIP-132's
    /// ttub is accepted on import).
    public static let litecoinTestnet = litecoinTest("litecoin-testnet", hrp: "tltc")
    /// Litecoin regtest: the test network's versions and keys, HRP "rltc".
    public static let litecoinRegtest = litecoinTest("litecoin-regtest", hrp: "rltc")

    /// A Bitcoin test network: testnet's versions and keys under its own name and HRP.
    private static func bitcoinTest(_ name: String, hrp: String) -> BitcoinNetwork {
        BitcoinNetwork(
            name: name, registryName: "bitcoin-" + name, coin: "bitcoin", bech32HRP: hrp, p2pkhVersion: 0x6F, p2shVersion: 0xC4,
            acceptedP2SHVersions: [0xC4], wifVersion: 0xEF, coinType: 1, keyVersions: .bitcoinTest, isTest: true)
    }

    /// A Litecoin test network: Bitcoin testnet's p2pkh and WIF versions, Litecoin's own p2sh 'Q'.
    private static func litecoinTest(_ name: String, hrp: String) -> BitcoinNetwork {
        BitcoinNetwork(
            name: name, registryName: name, coin: "litecoin", bech32HRP: hrp, p2pkhVersion: 0x6F, p2shVersion: 0x3A,
            acceptedP2SHVersions: [0x3A, 0xC4], wifVersion: 0xEF, coinType: 1, keyVersions: .bitcoinTest, isTest: true)
    }

    /// Every Bitcoin-like network, in the order an ambiguous address is attributed.
    public static let all: [BitcoinNetwork] = [.mainnet, .testnet, .regtest, .signet, .litecoinMainnet, .litecoinTestnet, .litecoinRegtest]

    /// Every name a network is known by: its own ("testnet") and its registry name ("bitcoin-testnet").
    public static var acceptedNames: [String] {
        var names: [String] = []
        for network in all {
            for name in [network.name, network.registryName] where !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// A network by its name or registry name, in any case; the error lists the accepted names.
    public init(parsing text: String) throws(AddressError) {
        let lower = text.lowercased()
        guard let network = Self.all.first(where: { $0.name == lower || $0.registryName == lower }) else {
            throw AddressError("unknown bitcoin network \"\(text)\"; expected one of: \(Self.acceptedNames.joined(separator: ", "))")
        }
        self = network
    }

    /// The first network an extended key of `version` fits (see ``accepts(_:)``): Bitcoin mainnet
    /// or testnet for Bitcoin's versions, Litecoin's for Ltub, Mtub and ttub.
    public static func first(accepting version: KeyVersion) -> BitcoinNetwork {
        all.first { $0.accepts(version) } ?? (version.isTestnet ? .testnet : .mainnet)
    }
}

extension BitcoinNetwork.KeyVersions {
    static let bitcoinMain = BitcoinNetwork.KeyVersions(generic: .xpub, p2shP2wpkh: .ypub, p2wpkh: .zpub)
    static let bitcoinTest = BitcoinNetwork.KeyVersions(generic: .tpub, p2shP2wpkh: .upub, p2wpkh: .vpub)
}
