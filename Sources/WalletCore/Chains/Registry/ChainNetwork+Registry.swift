/// The registry: every network Coffer knows by name. The values are documented, with the reasons
/// for the confirmation counts and fee models, in docs/chains.md.
extension ChainNetwork {
    public static let bitcoinMainnet = bitcoinLike(.mainnet, asset: "BTC", confirmations: 6)
    public static let bitcoinTestnet = bitcoinLike(.testnet, asset: "BTC", confirmations: 3)
    public static let bitcoinRegtest = bitcoinLike(.regtest, asset: "BTC", confirmations: 1)
    public static let bitcoinSignet = bitcoinLike(.signet, asset: "BTC", confirmations: 3)
    public static let litecoinMainnet = bitcoinLike(.litecoinMainnet, asset: "LTC", confirmations: 12)
    public static let litecoinTestnet = bitcoinLike(.litecoinTestnet, asset: "LTC", confirmations: 6)
    public static let litecoinRegtest = bitcoinLike(.litecoinRegtest, asset: "LTC", confirmations: 1)

    public static let ethereum = evm(1, name: "ethereum", aliases: ["ethereum-mainnet"], asset: "ETH", confirmations: 64)
    /// BNB Smart Chain: type-2 transactions are accepted, but its base fee is zero, so what a fee
    /// estimate must produce is one gas price.
    public static let bsc = evm(56, name: "bsc", asset: "BNB", confirmations: 15, feeModel: .legacyGasPrice)
    public static let polygon = evm(137, name: "polygon", asset: "POL", confirmations: 128)
    public static let arbitrum = evm(42161, name: "arbitrum", asset: "ETH", confirmations: 20)
    public static let optimism = evm(10, name: "optimism", asset: "ETH", confirmations: 20)
    public static let base = evm(8453, name: "base", asset: "ETH", confirmations: 20)

    public static let tron = ChainNetwork(
        name: "tron", family: .tron, coinType: 195, nativeAsset: "TRX", decimals: 6, defaultConfirmations: 19,
        feeModel: .tronResources, uriScheme: "tron", isTest: false)
    public static let solana = ChainNetwork(
        name: "solana", family: .solana, coinType: 501, nativeAsset: "SOL", decimals: 9, defaultConfirmations: 32,
        feeModel: .solanaLamports, uriScheme: "solana", isTest: false)

    /// Every named network, in the order names are listed.
    public static let all: [ChainNetwork] = [
        .bitcoinMainnet, .bitcoinTestnet, .bitcoinRegtest, .bitcoinSignet, .litecoinMainnet, .litecoinTestnet, .litecoinRegtest,
        .ethereum, .bsc, .polygon, .arbitrum, .optimism, .base, .tron, .solana,
    ]

    /// An EVM chain the registry does not name, by its chain id: Ethereum's keys and addresses,
    /// ETH (18 decimals) as its native asset code unless the caller knows better, EIP-1559 fees and
    /// Ethereum's confirmation count.
    public static func evm(chainID: UInt64) -> ChainNetwork {
        all.first { $0.evmChainID == chainID } ?? evm(chainID, name: "evm:\(chainID)", asset: "ETH", confirmations: 64)
    }

    /// The network of a Bitcoin-like network's encodings.
    public static func of(_ bitcoin: BitcoinNetwork) -> ChainNetwork {
        all.first { $0.bitcoin == bitcoin } ?? bitcoinLike(bitcoin, asset: bitcoin.coin.uppercased(), confirmations: 6)
    }

    /// A network by its registry name or an alias, in any case, or `evm:<chain id>` for any EVM
    /// chain (`evm:1` is `ethereum`). The error lists the accepted names.
    public static func named(_ text: String) throws(AddressError) -> ChainNetwork {
        let lower = text.lowercased()
        if let known = all.first(where: { $0.name == lower || $0.aliases.contains(lower) }) { return known }
        if lower.hasPrefix("evm:") {
            let digits = lower.dropFirst(4)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }), digits.first != "0", let id = UInt64(digits) else {
                throw AddressError("\"\(text)\" is not an EVM network: evm:<chain id> takes a decimal chain id from 1 to \(UInt64.max), e.g. evm:137")
            }
            return evm(chainID: id)
        }
        throw AddressError("unknown network \"\(text)\"; expected one of: \(namesList)")
    }

    /// The networks' names as the errors list them.
    static var namesList: String {
        all.map(\.name).joined(separator: ", ") + ", or evm:<chain id>"
    }

    /// The network a chain means when none is named: mainnet of Bitcoin, Ethereum, TRON or Solana.
    public static func `default`(for chain: Chain) -> ChainNetwork {
        switch chain {
        case .bitcoin: .bitcoinMainnet
        case .ethereum: .ethereum
        case .tron: .tron
        case .solana: .solana
        }
    }

    /// Resolves a `--network` (or request `network`) for `chain`, which may be unknown when the
    /// network alone is given: a registry name, or, as before the registry, a Bitcoin network's
    /// own name ("mainnet", "testnet", "regtest", "signet"): that network of Bitcoin, or for
    /// another chain "mainnet" only (its one network). With neither, the chain's default network.
    public static func resolve(_ text: String?, chain: Chain?) throws(AddressError) -> ChainNetwork {
        guard let text else {
            guard let chain else { throw AddressError("give a chain or a network (\(namesList))") }
            return .default(for: chain)
        }
        let network: ChainNetwork
        if let bitcoin = BitcoinNetwork.all.first(where: { $0.name == text.lowercased() && $0.coin == "bitcoin" }) {
            switch chain {
            case nil, .bitcoin: network = .of(bitcoin)
            case let other?:
                guard bitcoin == .mainnet else {
                    throw AddressError("network \(text) applies to bitcoin only; \(other) addresses are the same on every network")
                }
                network = .default(for: other)
            }
        } else {
            network = try named(text)
        }
        if let chain, network.chain != chain {
            throw AddressError("network \(network.name) is a\(network.family == .evm ? "n" : "") \(network.family.rawValue) network (chain \(network.chain)), not \(chain)")
        }
        return network
    }

    /// Every name `resolve` accepts but `evm:<chain id>`: registry names, aliases and Bitcoin's short names.
    public static var acceptedNames: [String] {
        BitcoinNetwork.all.filter { $0.coin == "bitcoin" }.map(\.name) + all.flatMap { [$0.name] + $0.aliases }
    }

    private static func bitcoinLike(_ network: BitcoinNetwork, asset: String, confirmations: Int) -> ChainNetwork {
        ChainNetwork(
            name: network.registryName, family: .bitcoin, coinType: network.coinType, nativeAsset: asset, decimals: 8,
            defaultConfirmations: confirmations, feeModel: .utxoFeeRate, bitcoin: network, uriScheme: network.coin, isTest: network.isTest)
    }

    private static func evm(
        _ chainID: UInt64, name: String, aliases: [String] = [], asset: String, confirmations: Int, feeModel: FeeModel = .eip1559
    ) -> ChainNetwork {
        ChainNetwork(
            name: name, aliases: aliases, family: .evm, coinType: 60, nativeAsset: asset, decimals: 18, defaultConfirmations: confirmations,
            feeModel: feeModel, evmChainID: chainID, uriScheme: "ethereum", isTest: false)
    }
}

extension ChainNetwork {
    /// The network's target time between blocks, in seconds: what fee/speed routing multiplies by
    /// the confirmations it waits for. Registry data (protocol targets, not measurements); an EVM
    /// chain the registry does not name is taken at Ethereum's 12 s.
    public var targetBlockSeconds: UInt32 {
        switch family {
        case .bitcoin: bitcoin?.coin == "litecoin" ? 150 : 600
        case .evm:
            switch evmChainID {
            case 56: 3
            case 137, 10, 8453: 2
            case 42161: 1
            default: 12
            }
        case .tron: 3
        case .solana: 1
        }
    }
}
