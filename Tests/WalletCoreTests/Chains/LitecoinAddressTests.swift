import CofferBase
import Testing
import WalletCore

/// Litecoin (and Bitcoin regtest) addresses from the "abandon … about" mnemonic. Mainnet p2pkh,
/// p2sh-p2wpkh and p2wpkh addresses and account keys are published vectors (eclair's Litecoin port
/// of the BIP49/BIP84 tests; Edge's Litecoin key-manager tests, cross-verified there with Ian
/// Coleman's BIP39 tool); the p2tr and test-network addresses were computed with bip-utils 2.12.3
/// (Bip44/49/84 Litecoin coins, and its P2TR and P2WPKH encoders with the ltc/tltc/rltc/bcrt HRPs),
/// an independent implementation, as scripts/crosscheck does for random mnemonics.
struct LitecoinAddressTests {
    static func address(_ scheme: BitcoinScheme, _ network: BitcoinNetwork, _ index: UInt32 = 0) throws -> DerivedAddress {
        try AddressDeriver(seed: AddressVectorTests.seed(), format: .bitcoin(scheme, network)).derive(index: index)
    }

    static let mainnet: [(BitcoinScheme, String, [String])] = [
        (.p2pkh, "m/44'/2'/0'/0/", ["LUWPbpM43E2p7ZSh8cyTBEkvpHmr3cB8Ez", "Ldatw8ZjgMGNUo5HMN6RgCrjmh7q494Si3"]),
        (.p2shP2wpkh, "m/49'/2'/0'/0/", ["M7wtsL7wSHDBJVMWWhtQfTMSYYkyooAAXM", "M92zAbFXY2J7NJXdFpJTe3a5PrsyZQhKZK"]),
        (.p2wpkh, "m/84'/2'/0'/0/", ["ltc1qjmxnz78nmc8nq77wuxh25n2es7rzm5c2rkk4wh", "ltc1qwlezpr3890hcp6vva9twqh27mr6edadreqvhnn"]),
        (.p2tr, "m/86'/2'/0'/0/", ["ltc1puht8rk95c53q3u9w3pf9h3jfcutcrl9lxc7rqsdthjrse4k6sn7q9tuqm9",
                                   "ltc1p4m4d6s554w3lhamw6pt5je23xvzsqxnz58wc24gc8g9n328yc3xsg3antm"]),
    ]

    /// Litecoin's test networks: coin type 1, so the keys of Bitcoin testnet's paths.
    static let test: [(BitcoinScheme, BitcoinNetwork, [String])] = [
        (.p2pkh, .litecoinTestnet, ["mkpZhYtJu2r87Js3pDiWJDmPte2NRZ8bJV", "mzpbWabUQm1w8ijuJnAof5eiSTep27deVH"]),
        (.p2shP2wpkh, .litecoinTestnet, ["QRHtkDQdVvNNwrVjEdeCGviCw7Ny3SNNiA", "QYSXC5cNwxCApsQkHaePqL2v3oNQftuzPX"]),
        (.p2wpkh, .litecoinTestnet, ["tltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9pesrjxk", "tltc1qd7spv5q28348xl4myc8zmh983w5jx32ctl5d4h"]),
        (.p2tr, .litecoinTestnet, ["tltc1p8wpt9v4frpf3tkn0srd97pksgsxc5hs52lafxwru9kgeephvs7rqqrhyad",
                                   "tltc1p90h6z3p36n9hrzy7580h5l429uwchyg8uc9sz4jwzhdtuhqdl5eqyzjp9v"]),
        (.p2pkh, .litecoinRegtest, ["mkpZhYtJu2r87Js3pDiWJDmPte2NRZ8bJV", "mzpbWabUQm1w8ijuJnAof5eiSTep27deVH"]),
        (.p2shP2wpkh, .litecoinRegtest, ["QRHtkDQdVvNNwrVjEdeCGviCw7Ny3SNNiA", "QYSXC5cNwxCApsQkHaePqL2v3oNQftuzPX"]),
        (.p2wpkh, .litecoinRegtest, ["rltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9puuzgkg", "rltc1qd7spv5q28348xl4myc8zmh983w5jx32cwn4h9f"]),
        (.p2tr, .litecoinRegtest, ["rltc1p8wpt9v4frpf3tkn0srd97pksgsxc5hs52lafxwru9kgeephvs7rq66tuc9",
                                   "rltc1p90h6z3p36n9hrzy7580h5l429uwchyg8uc9sz4jwzhdtuhqdl5eq7mweqy"]),
        (.p2wpkh, .regtest, ["bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk", "bcrt1qd7spv5q28348xl4myc8zmh983w5jx32cs707jh"]),
        (.p2tr, .regtest, ["bcrt1p8wpt9v4frpf3tkn0srd97pksgsxc5hs52lafxwru9kgeephvs7rqjeprhg",
                           "bcrt1p90h6z3p36n9hrzy7580h5l429uwchyg8uc9sz4jwzhdtuhqdl5eqkcyx0f"]),
        (.p2wpkh, .signet, ["tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl", "tb1qd7spv5q28348xl4myc8zmh983w5jx32cjhkn97"]),
    ]

    @Test func mainnetAddressesOfEveryScheme() throws {
        for (scheme, prefix, addresses) in Self.mainnet {
            for (index, expected) in addresses.enumerated() {
                let record = try Self.address(scheme, .litecoinMainnet, UInt32(index))
                #expect(record.address == expected, "\(scheme) \(index)")
                #expect(record.path == prefix + String(index))
                let decoded = try BitcoinAddress.decode(expected, network: .litecoinMainnet)
                #expect(BitcoinAddress.address(scriptPubKey: decoded.scriptPubKey, network: .litecoinMainnet) == expected)
            }
        }
        #expect(Hex.encode(try Self.address(.p2wpkh, .litecoinMainnet).publicKey) == "02e49c9b9b5d0f127235dc26a0c252814c52fb333d651a946773f59d72c2da9904")
        #expect(Hex.encode(try Self.address(.p2shP2wpkh, .litecoinMainnet).publicKey) == "03f7a0a5d44504ea8a2494c7e32c895ba4968d3dab66a4d790380be8b0539f36bc")
    }

    @Test func testAndRegtestAddressesOfEveryScheme() throws {
        for (scheme, network, addresses) in Self.test {
            for (index, expected) in addresses.enumerated() {
                let record = try Self.address(scheme, network, UInt32(index))
                #expect(record.address == expected, "\(scheme) \(network) \(index)")
                #expect(record.path.hasPrefix("m/\(scheme.purpose)'/1'/0'/0/"))
                #expect(try BitcoinAddress.decode(expected, network: network).network == network)
                let decoded = try BitcoinAddress.decode(expected, network: network)
                #expect(BitcoinAddress.address(scriptPubKey: decoded.scriptPubKey, network: network) == expected)
            }
        }
    }

    /// SLIP-132 account keys: Ltub/Ltpv and Mtub/Mtpv on mainnet, zpub for p2wpkh; test networks as Bitcoin's.
    @Test func accountKeys() throws {
        let root = try ExtendedPrivateKey(seed: AddressVectorTests.seed())
        let expected: [(BitcoinScheme, String, String?)] = [
            (.p2pkh, "Ltub2YDQmP391UYeDYvLye9P1SuNJFkcRGN7SYHM8JMxaDnegcPTXHJ2BnYmvHnFnGPGKu2WMuCga6iZV3SDxDMGrRyMcrYEfSPhrpS1EPkC43E",
             "Ltpv7735AbcbmL1gbgDWj2ezvs59rh4RM1oTN2BKTKbfe3146FCPCNFbBBSWfuV9vCJNMXD9LuHpQnqVWpn2hbMhikqPdoGqbS3ptdPoNWEvvgR"),
            (.p2shP2wpkh, "Mtub2rz9F1pkisRsSZX8sa4Ajon9GhPP6JymLgpuHqbYdU5JKFLBF7Qy8b1tZ3dccj2fefrAxfrPdVkpCxuWn3g72UctH2bvJRkp6iFmp8aLeRZ",
             "Mtpv7RooeEQDUitupgpJcxZnfDwvq8hC24R7GAiscrqFhHHhit96vCNY7yudJgrM841dMbiRUQceC12566XAHHC8Rd1BtnBdokq9tmF7jLLvUdh"),
            (.p2wpkh, "zpub6rPo5mF47z5coVm5rvWv7fv181awb7Vckn5Cf3xQXBVKu18kuBHDhNi1Jrb4br6vVD3ZbrnXemEsWJoR18mZwkUdzwD8TQnHDUCGxqZ6swA", nil),
        ]
        for (scheme, publicKey, privateKey) in expected {
            let format = AddressFormat.bitcoin(scheme, .litecoinMainnet)
            let account = try root.derive(path: format.accountPath(account: 0))
            #expect(account.extendedPublicKey.serialized(version: format.keyVersion) == publicKey)
            if let privateKey { #expect(account.serialized(version: format.keyVersion) == privateKey) }
            // Parsed back: the version fixes the network kind and, for Litecoin's own, the coin.
            let parsed = try ExtendedKey(parsing: publicKey)
            let watchOnly = try AddressFormat.watchOnly(version: parsed.version, scheme: scheme, network: nil, defaultScheme: .p2pkh)
            if parsed.version.coin == "litecoin" {
                #expect(watchOnly == format)
            }
            let fromKey = try AddressDeriver(accountKey: parsed.extendedPublicKey, format: format).derive(index: 0)
            #expect(fromKey == (try Self.address(scheme, .litecoinMainnet)))
        }
        let testnet = AddressFormat.bitcoin(.p2wpkh, .litecoinTestnet)
        let account = try root.derive(path: testnet.accountPath(account: 0)).extendedPublicKey
        #expect(account.serialized(version: testnet.keyVersion) == "vpub5Y6cjg78GGuNLsaPhmYsiw4gYX3HoQiRBiSwDaBXKUafCt9bNwWQiitDk5VZ5BVxYnQdwoTyXSs2JHRPAgjAvtbBrf8ZhDYe2jWAqvZVnsc")
        // SLIP-132's Litecoin testnet version (bip-utils writes it) is read, and fits only Litecoin's test networks.
        let ttub = try ExtendedKey(parsing: "ttub4d81p5cxvtYKpLR1rpAWdWgdTEdcpRUTEjhEAwi4jFysnyYYYU6w3pRyV6gPAKZbaHoVQdDSdDJrEngpFdPnoTQM8PBSDhD552ZSfeKDEKA")
        #expect(ttub.version == .litecoinTtub && ttub.extendedPublicKey == account)
        #expect(try AddressFormat.watchOnly(version: .litecoinTtub, scheme: .p2wpkh, network: nil, defaultScheme: .p2pkh) == testnet)
        #expect(try AddressFormat.watchOnly(version: .litecoinTtub, scheme: .p2wpkh, network: .litecoinRegtest, defaultScheme: .p2pkh) == .bitcoin(.p2wpkh, .litecoinRegtest))
        #expect(throws: AddressError.self) { try AddressFormat.watchOnly(version: .litecoinTtub, scheme: nil, network: .testnet, defaultScheme: .p2pkh) }
        #expect(throws: AddressError.self) { try AddressFormat.watchOnly(version: .vpub, scheme: nil, network: .litecoinMainnet, defaultScheme: .p2pkh) }
        #expect(throws: AddressError.self) { try AddressFormat.watchOnly(version: .zpub, scheme: .p2pkh, network: nil, defaultScheme: .p2pkh) }
        #expect(try AddressFormat.watchOnly(version: .vpub, scheme: nil, network: .litecoinRegtest, defaultScheme: .p2pkh) == .bitcoin(.p2wpkh, .litecoinRegtest))
        #expect(try AddressFormat.watchOnly(version: .xpub, scheme: nil, network: nil, defaultScheme: .p2tr) == .bitcoin(.p2tr, .mainnet))
    }

    /// A Litecoin WIF (version 0xB0) from the eclair vectors: the key of m/84'/2'/0'/0/0.
    @Test func wif() throws {
        let decoded = try WIF.decode("T5ZCYhLqXu6EJKk2nhjvwsaLH357CisixhLGWpKXEiqWTUtzte6o")
        #expect(decoded.network == .litecoinMainnet && decoded.compressed)
        #expect(Hex.encode(decoded.privateKey.publicKey.compressed) == "02e49c9b9b5d0f127235dc26a0c252814c52fb333d651a946773f59d72c2da9904")
        #expect(WIF.encode(decoded.privateKey, network: .litecoinMainnet) == "T5ZCYhLqXu6EJKk2nhjvwsaLH357CisixhLGWpKXEiqWTUtzte6o")
    }

    /// With a network given, an address of any other network is refused, naming the one it is of.
    @Test func addressesOfOtherNetworksAreRefused() throws {
        let cases: [(String, BitcoinNetwork, String)] = [
            ("ltc1qjmxnz78nmc8nq77wuxh25n2es7rzm5c2rkk4wh", .mainnet, "litecoin-mainnet"),
            ("ltc1qjmxnz78nmc8nq77wuxh25n2es7rzm5c2rkk4wh", .litecoinTestnet, "litecoin-mainnet"),
            ("LUWPbpM43E2p7ZSh8cyTBEkvpHmr3cB8Ez", .mainnet, "litecoin-mainnet"),
            ("M7wtsL7wSHDBJVMWWhtQfTMSYYkyooAAXM", .mainnet, "litecoin-mainnet"),
            ("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", .litecoinMainnet, "mainnet"),
            ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", .litecoinMainnet, "mainnet"),
            ("rltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9puuzgkg", .litecoinTestnet, "litecoin-regtest"),
            ("tltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9pesrjxk", .litecoinRegtest, "litecoin-testnet"),
            ("bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk", .testnet, "regtest"),
            ("tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl", .regtest, "testnet"),
            ("QRHtkDQdVvNNwrVjEdeCGviCw7Ny3SNNiA", .testnet, "litecoin-testnet"),
            ("mkpZhYtJu2r87Js3pDiWJDmPte2NRZ8bJV", .litecoinMainnet, "testnet"),
        ]
        for (address, network, actual) in cases {
            do {
                _ = try BitcoinAddress.decode(address, network: network)
                Issue.record("\(address) was accepted for \(network)")
            } catch {
                #expect(error.description == "\(address) is a \(actual) address, not \(network.name)")
            }
            #expect(try BitcoinAddress.decode(address).network.name == actual)
        }
        // Shared encodings: the same string is valid on each network that writes it.
        #expect(try BitcoinAddress.decode("mkpZhYtJu2r87Js3pDiWJDmPte2NRZ8bJV", network: .litecoinRegtest).description == "litecoin p2pkh regtest")
        #expect(try BitcoinAddress.decode("tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl", network: .signet).description == "bitcoin p2wpkh signet")
        #expect(try BitcoinAddress.decode("tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl").description == "bitcoin p2wpkh testnet")
        // Litecoin still accepts its legacy p2sh versions (3..., 2...), as the same script.
        let legacy = try BitcoinAddress.decode("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", network: .litecoinMainnet)
        #expect(legacy.type == "p2sh" && legacy.network == .litecoinMainnet)
        #expect(BitcoinAddress.address(scriptPubKey: legacy.scriptPubKey, network: .litecoinMainnet)?.hasPrefix("M") == true)
        #expect(try BitcoinAddress.decode("2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2", network: .litecoinRegtest).type == "p2sh")
        #expect(try AddressValidator.validate("rltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9puuzgkg", network: .litecoinRegtest) == "litecoin p2wpkh regtest")
        #expect(try AddressValidator.validate("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", network: .polygon).hasPrefix("ethereum address"))
        #expect(throws: AddressError.self) { try AddressValidator.validate("ltc1qjmxnz78nmc8nq77wuxh25n2es7rzm5c2rkk4wh", network: .bitcoinMainnet) }
        // A wrong checksum under a registry HRP is a segwit error, not "unknown version".
        #expect(throws: AddressError.self) { try BitcoinAddress.decode("ltc1qjmxnz78nmc8nq77wuxh25n2es7rzm5c2rkk4wj") }
    }
}
