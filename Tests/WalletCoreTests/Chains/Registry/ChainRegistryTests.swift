import Testing
import WalletCore

/// The chain registry as data: names, aliases, `evm:<id>`, the values each network carries and
/// how `--network` is resolved against a chain.
struct ChainRegistryTests {
    @Test func everyNetworkRoundTripsItsNames() throws {
        #expect(Set(ChainNetwork.all.map(\.name)).count == ChainNetwork.all.count)
        for network in ChainNetwork.all {
            #expect(try ChainNetwork.named(network.name) == network)
            #expect(try ChainNetwork.named(network.name.uppercased()) == network)
            for alias in network.aliases { #expect(try ChainNetwork.named(alias) == network) }
            if let id = network.evmChainID {
                #expect(try ChainNetwork.named("evm:\(id)") == network)
                #expect(ChainNetwork.evm(chainID: id).name == network.name)
            }
            if let bitcoin = network.bitcoin {
                #expect(ChainNetwork.of(bitcoin) == network)
                #expect(bitcoin.registryName == network.name)
                #expect(try BitcoinNetwork(parsing: bitcoin.name) == bitcoin)
                #expect(try BitcoinNetwork(parsing: bitcoin.registryName) == bitcoin)
            }
            #expect(network.chain == network.family.chain)
            #expect(try ChainNetwork.resolve(network.name, chain: network.chain) == network)
        }
        #expect(BitcoinNetwork.all.allSatisfy { bitcoin in ChainNetwork.all.contains { $0.bitcoin == bitcoin } })
    }

    @Test func evmChainIDs() throws {
        #expect(try ChainNetwork.named("evm:1") == .ethereum)
        #expect(try ChainNetwork.named("ethereum-mainnet") == .ethereum)
        #expect(try ChainNetwork.named("EVM:137") == .polygon)
        for (id, network) in [(56, ChainNetwork.bsc), (137, .polygon), (42161, .arbitrum), (10, .optimism), (8453, .base)] as [(UInt64, ChainNetwork)] {
            #expect(network.evmChainID == id && network.family == .evm && network.chain == .ethereum && network.uriScheme == "ethereum")
        }
        let unknown = try ChainNetwork.named("evm:10143")
        #expect(unknown.name == "evm:10143" && unknown.evmChainID == 10143 && unknown.family == .evm)
        #expect(unknown.nativeAsset == "ETH" && unknown.decimals == 18 && unknown.coinType == 60 && unknown.feeModel == .eip1559)
        #expect(try unknown.addressFormat() == .ethereum)
        #expect(try ChainNetwork.named("evm:18446744073709551615").evmChainID == UInt64.max)
        for bad in ["evm:", "evm:0", "evm:01", "evm:-1", "evm:1.5", "evm:0x89", "evm:18446744073709551616", "evm: 1"] {
            #expect(throws: AddressError.self, "\(bad)") { try ChainNetwork.named(bad) }
        }
    }

    @Test func unknownNamesAreRefusedWithTheList() throws {
        for bad in ["dogecoin", "", "bitcoin", "litecoin", "mainnet", "sepolia"] {
            do {
                _ = try ChainNetwork.named(bad)
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.description.contains("unknown network \"\(bad)\""))
                for network in ChainNetwork.all { #expect(error.description.contains(network.name)) }
                #expect(error.description.contains("evm:<chain id>"))
            }
        }
        #expect { try BitcoinNetwork(parsing: "dogecoin") } throws: { error in
            let text = "\(error)"
            return BitcoinNetwork.all.allSatisfy { text.contains($0.name) && text.contains($0.registryName) }
        }
    }

    @Test func theValuesEachNetworkCarries() throws {
        let bitcoin = ChainNetwork.all.filter { $0.family == .bitcoin }
        #expect(bitcoin.map(\.name) == ["bitcoin-mainnet", "bitcoin-testnet", "bitcoin-regtest", "bitcoin-signet", "litecoin-mainnet", "litecoin-testnet", "litecoin-regtest"])
        #expect(bitcoin.map(\.coinType) == [0, 1, 1, 1, 2, 1, 1])
        #expect(bitcoin.map { $0.bitcoin?.bech32HRP } == ["bc", "tb", "bcrt", "tb", "ltc", "tltc", "rltc"])
        #expect(bitcoin.map(\.nativeAsset) == ["BTC", "BTC", "BTC", "BTC", "LTC", "LTC", "LTC"])
        #expect(bitcoin.map(\.uriScheme) == ["bitcoin", "bitcoin", "bitcoin", "bitcoin", "litecoin", "litecoin", "litecoin"])
        #expect(bitcoin.allSatisfy { $0.decimals == 8 && $0.feeModel == .utxoFeeRate && $0.isTest == ($0.coinType == 1) })
        #expect(bitcoin.filter { $0.name.hasSuffix("regtest") }.allSatisfy { $0.defaultConfirmations == 1 })
        let litecoin = BitcoinNetwork.litecoinMainnet
        #expect(litecoin.p2pkhVersion == 0x30 && litecoin.p2shVersion == 0x32 && litecoin.acceptedP2SHVersions == [0x32, 0x05] && litecoin.wifVersion == 0xB0)
        for test in [BitcoinNetwork.litecoinTestnet, .litecoinRegtest] {
            #expect(test.p2pkhVersion == 0x6F && test.p2shVersion == 0x3A && test.acceptedP2SHVersions == [0x3A, 0xC4] && test.coinType == 1)
        }
        #expect(litecoin.keyVersion(for: .p2pkh) == .litecoinLtub && litecoin.keyVersion(for: .p2shP2wpkh) == .litecoinMtub)
        #expect(litecoin.keyVersion(for: .p2wpkh) == .zpub && litecoin.keyVersion(for: .p2tr) == .litecoinLtub)
        #expect(BitcoinNetwork.litecoinRegtest.keyVersion(for: .p2wpkh) == .vpub && BitcoinNetwork.regtest.keyVersion(for: .p2shP2wpkh) == .upub)

        let evm = ChainNetwork.all.filter { $0.family == .evm }
        #expect(evm.map(\.nativeAsset) == ["ETH", "BNB", "POL", "ETH", "ETH", "ETH"])
        #expect(evm.allSatisfy { $0.decimals == 18 && $0.coinType == Chain.ethereum.coinType && $0.bitcoin == nil && (try? $0.addressFormat()) == .ethereum })
        #expect(ChainNetwork.bsc.feeModel == .legacyGasPrice && ChainNetwork.ethereum.feeModel == .eip1559)
        #expect(ChainNetwork.tron.decimals == 6 && ChainNetwork.tron.nativeAsset == "TRX" && ChainNetwork.tron.coinType == Chain.tron.coinType)
        #expect(ChainNetwork.solana.decimals == 9 && ChainNetwork.solana.nativeAsset == "SOL" && ChainNetwork.solana.coinType == Chain.solana.coinType)
        #expect(ChainNetwork.all.allSatisfy { $0.defaultConfirmations >= 1 })
    }

    @Test func resolvingANetworkForAChain() throws {
        #expect(try ChainNetwork.resolve(nil, chain: .bitcoin) == .bitcoinMainnet)
        #expect(try ChainNetwork.resolve(nil, chain: .ethereum) == .ethereum)
        #expect(try ChainNetwork.resolve("testnet", chain: .bitcoin) == .bitcoinTestnet)
        #expect(try ChainNetwork.resolve("REGTEST", chain: nil) == .bitcoinRegtest)
        #expect(try ChainNetwork.resolve("signet", chain: .bitcoin) == .bitcoinSignet)
        #expect(try ChainNetwork.resolve("mainnet", chain: .tron) == .tron)
        #expect(try ChainNetwork.resolve("litecoin-regtest", chain: nil) == .litecoinRegtest)
        #expect(try ChainNetwork.resolve("polygon", chain: .ethereum) == .polygon)
        #expect(try ChainNetwork.resolve("evm:8453", chain: nil) == .base)
        for (name, chain) in [("testnet", Chain.ethereum), ("polygon", .bitcoin), ("litecoin-mainnet", .ethereum), ("tron", .solana), ("dogecoin", .bitcoin)] {
            #expect(throws: AddressError.self, "\(name) for \(chain)") { try ChainNetwork.resolve(name, chain: chain) }
        }
        #expect(throws: AddressError.self) { try ChainNetwork.resolve(nil, chain: nil) }
        #expect(try ChainNetwork.litecoinRegtest.addressFormat(scheme: .p2tr) == .bitcoin(.p2tr, .litecoinRegtest))
        #expect(try ChainNetwork.bitcoinTestnet.addressFormat() == .bitcoin(.p2wpkh, .testnet))
        #expect(throws: AddressError.self) { try ChainNetwork.polygon.addressFormat(scheme: .p2wpkh) }
        #expect(ChainNetwork.acceptedNames.contains("mainnet") && ChainNetwork.acceptedNames.contains("ethereum-mainnet"))
    }

    /// Networks whose addresses are the same strings share one counter key; others keep their own.
    @Test func sharedAddressFormats() {
        #expect(AddressFormat.bitcoin(.p2wpkh, .signet).sharedAddresses == .bitcoin(.p2wpkh, .testnet))
        #expect(AddressFormat.bitcoin(.p2wpkh, .regtest).sharedAddresses == .bitcoin(.p2wpkh, .regtest))
        #expect(AddressFormat.bitcoin(.p2pkh, .regtest).sharedAddresses == .bitcoin(.p2pkh, .testnet))
        #expect(AddressFormat.bitcoin(.p2pkh, .litecoinRegtest).sharedAddresses == .bitcoin(.p2pkh, .testnet))
        #expect(AddressFormat.bitcoin(.p2shP2wpkh, .litecoinRegtest).sharedAddresses == .bitcoin(.p2shP2wpkh, .litecoinTestnet))
        #expect(AddressFormat.bitcoin(.p2wpkh, .litecoinRegtest).sharedAddresses == .bitcoin(.p2wpkh, .litecoinRegtest))
        #expect(AddressFormat.bitcoin(.p2pkh, .litecoinMainnet).sharedAddresses == .bitcoin(.p2pkh, .litecoinMainnet))
        #expect(AddressFormat.ethereum.sharedAddresses == .ethereum)
        // Shared formats really do write the same addresses.
        let key = try! Secp256k1.PrivateKey((0..<32).map { UInt8($0 + 1) }).publicKey
        for scheme in BitcoinScheme.allCases {
            for network in BitcoinNetwork.all {
                guard case .bitcoin(_, let shared) = AddressFormat.bitcoin(scheme, network).sharedAddresses else { continue }
                #expect(try! BitcoinAddress.encode(key, scheme: scheme, network: network) == (try! BitcoinAddress.encode(key, scheme: scheme, network: shared)))
            }
        }
    }
}
