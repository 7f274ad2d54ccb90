/// One network Coffer knows, as data: which family's code handles it, its coin type, native
/// asset, default confirmations, fee model and, for Bitcoin-like networks, the encodings. The
/// registry is ``all`` (see `ChainNetwork+Registry.swift`); any EVM chain id is a network too
/// (`evm:<chain id>`). Adding a network of a known family is one more value here; a new family
/// is one more ``ChainFamily`` case and its address codec.
public struct ChainNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The registry name: "bitcoin-mainnet", "litecoin-regtest", "ethereum", "bsc", "evm:10143".
    public let name: String
    /// Other names accepted for it ("ethereum-mainnet"); `evm:<id>` names every EVM network too.
    public let aliases: [String]
    public let family: ChainFamily
    /// The derivation chain: `.bitcoin` for every Bitcoin-like network, `.ethereum` for every EVM one.
    public var chain: Chain { family.chain }
    /// SLIP-44 coin type of its BIP44 paths (60 for every EVM network: the keys are Ethereum's).
    public let coinType: UInt32
    /// The native asset's code: BTC, LTC, ETH, BNB, POL, TRX, SOL.
    public let nativeAsset: String
    /// Decimal places of the native asset's smallest unit (satoshi 8, wei 18, sun 6, lamport 9).
    public let decimals: Int
    /// Confirmations after which a deposit is final by default (see docs/chains.md).
    public let defaultConfirmations: Int
    public let feeModel: FeeModel
    /// The encodings of a Bitcoin-like network; nil for other families.
    public let bitcoin: BitcoinNetwork?
    /// The EIP-155 chain id of an EVM network; nil for other families.
    public let evmChainID: UInt64?
    /// The payment-URI scheme: "bitcoin" (BIP21), "litecoin", "ethereum" (EIP-681, every EVM
    /// chain: the chain id goes in the URI), "tron", "solana".
    public let uriScheme: String
    /// A test network (its coins have no value).
    public let isTest: Bool

    public init(
        name: String, aliases: [String] = [], family: ChainFamily, coinType: UInt32, nativeAsset: String, decimals: Int,
        defaultConfirmations: Int, feeModel: FeeModel, bitcoin: BitcoinNetwork? = nil, evmChainID: UInt64? = nil, uriScheme: String,
        isTest: Bool
    ) {
        self.name = name
        self.aliases = aliases
        self.family = family
        self.coinType = coinType
        self.nativeAsset = nativeAsset
        self.decimals = decimals
        self.defaultConfirmations = defaultConfirmations
        self.feeModel = feeModel
        self.bitcoin = bitcoin
        self.evmChainID = evmChainID
        self.uriScheme = uriScheme
        self.isTest = isTest
    }

    public var description: String { name }

    /// Registry names are unique: two networks are the same network when their names are.
    public static func == (lhs: ChainNetwork, rhs: ChainNetwork) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// The address format of this network's addresses: Bitcoin-like networks take a `scheme`
    /// (p2wpkh by default); other families have one format and refuse a scheme.
    public func addressFormat(scheme: BitcoinScheme? = nil) throws(AddressError) -> AddressFormat {
        if let bitcoin { return .bitcoin(scheme ?? .p2wpkh, bitcoin) }
        if let scheme {
            throw AddressError("--scheme \(scheme.rawValue) applies to bitcoin only (its Bitcoin-like networks), not \(name)")
        }
        switch family {
        case .evm: return .ethereum
        case .bitcoin: throw AddressError("network \(name) has no Bitcoin encodings")
        case .tron: return .tron
        case .solana: return .solana
        }
    }
}
