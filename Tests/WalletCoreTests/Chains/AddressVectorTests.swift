import CofferBase
import Foundation
import Testing
import WalletCore

/// Address derivation against BIP49, BIP84, BIP86, BIP341 and widely published values.
struct AddressVectorTests {
    static let abandonAbout = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

    static func seed() throws -> SecretBytes {
        SecretBytes(try Mnemonic(phrase: abandonAbout).seed())
    }

    static func address(_ format: AddressFormat, _ index: UInt32, account: UInt32 = 0) throws -> DerivedAddress {
        try AddressDeriver(seed: seed(), format: format, account: account).derive(index: index)
    }

    @Test func bip84NativeSegwit() throws {
        let first = try Self.address(.bitcoin(.p2wpkh, .mainnet), 0)
        #expect(first.path == "m/84'/0'/0'/0/0")
        #expect(first.address == "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu")
        #expect(Hex.encode(first.publicKey) == "0330d54fd0dd420a6e5f8d3624f5f3482cae350f79d5f0753bf5beef9c2d91af3c")
        #expect(try Self.address(.bitcoin(.p2wpkh, .mainnet), 1).address == "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g")
        let root = try ExtendedPrivateKey(seed: Self.seed())
        #expect(root.serialized(version: .zpub) == "zprvAWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3RvMXYSrRJL62XuezvGdPvG6GFBZduosCc1YP5wixPox7zhZLfiUm8aunE96BBa4Kei5")
        #expect(root.extendedPublicKey.serialized(version: .zpub) == "zpub6jftahH18ngZxLmXaKw3GSZzZsszmt9WqedkyZdezFtWRFBZqsQH5hyUmb4pCEeZGmVfQuP5bedXTB8is6fTv19U1GQRyQUKQGUTzyHACMF")
        let account = try root.derive(path: AddressFormat.bitcoin(.p2wpkh, .mainnet).accountPath(account: 0))
        #expect(account.serialized(version: .zpub) == "zprvAdG4iTXWBoARxkkzNpNh8r6Qag3irQB8PzEMkAFeTRXxHpbF9z4QgEvBRmfvqWvGp42t42nvgGpNgYSJA9iefm1yYNZKEm7z6qUWCroSQnE")
        #expect(account.extendedPublicKey.serialized(version: .zpub) == "zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs")
        // First change address m/84'/0'/0'/1/0 (not produced by `derive`, which serves deposits).
        let change = try account.derive(path: DerivationPath(parsing: "m/1/0"))
        #expect(try BitcoinAddress.encode(change.privateKey.publicKey, scheme: .p2wpkh, network: .mainnet) == "bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el")
    }

    @Test func bip49NestedSegwitTestnet() throws {
        let root = try ExtendedPrivateKey(seed: Self.seed())
        #expect(root.serialized(version: .upub) == "uprv8tXDerPXZ1QsVNjUJWTurs9kA1KGfKUAts74GCkcXtU8GwnH33GDRbNJpEqTvipfCyycARtQJhmdfWf8oKt41X9LL1zeD2pLsWmxEk3VAwd")
        let format = AddressFormat.bitcoin(.p2shP2wpkh, .testnet)
        let account = try root.derive(path: format.accountPath(account: 0))
        #expect(account.serialized(version: format.keyVersion) == "uprv91G7gZkzehuMVxDJTYE6tLivdF8e4rvzSu1LFfKw3b2Qx1Aj8vpoFnHdfUZ3hmi9jsvPifmZ24RTN2KhwB8BfMLTVqaBReibyaFFcTP1s9n")
        #expect(account.extendedPublicKey.serialized(version: format.keyVersion) == "upub5EFU65HtV5TeiSHmZZm7FUffBGy8UKeqp7vw43jYbvZPpoVsgU93oac7Wk3u6moKegAEWtGNF8DehrnHtv21XXEMYRUocHqguyjknFHYfgY")
        let first = try Self.address(format, 0)
        #expect(first.path == "m/49'/1'/0'/0/0")
        #expect(Hex.encode(first.publicKey) == "03a1af804ac108a8a51782198c2d034b28bf90c8803f5a53f76276fa69a4eae77f")
        #expect(first.address == "2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2")
    }

    @Test func bip86Taproot() throws {
        let format = AddressFormat.bitcoin(.p2tr, .mainnet)
        let account = try ExtendedPrivateKey(seed: Self.seed()).derive(path: format.accountPath(account: 0))
        #expect(account.serialized() == "xprv9xgqHN7yz9MwCkxsBPN5qetuNdQSUttZNKw1dcYTV4mkaAFiBVGQziHs3NRSWMkCzvgjEe3n9xV8oYywvM8at9yRqyaZVz6TYYhX98VjsUk")
        #expect(account.extendedPublicKey.serialized() == "xpub6BgBgsespWvERF3LHQu6CnqdvfEvtMcQjYrcRzx53QJjSxarj2afYWcLteoGVky7D3UKDP9QyrLprQ3VCECoY49yfdDEHGCtMMj92pReUsQ")
        let expected = [
            ("cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115", "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr"),
            ("83dfe85a3151d2517290da461fe2815591ef69f2b18a2ce63f01697a8b313145", "bc1p4qhjn9zdvkux4e44uhx8tc55attvtyu358kutcqkudyccelu0was9fqzwh"),
        ]
        for (index, (internalKey, address)) in expected.enumerated() {
            let record = try Self.address(format, UInt32(index))
            #expect(record.path == "m/86'/0'/0'/0/\(index)")
            #expect(record.address == address)
            // The record carries the internal key (before the tweak), compressed.
            #expect(Hex.encode(record.publicKey.dropFirst()) == internalKey)
        }
        let change = try account.derive(path: DerivationPath(parsing: "m/1/0")).privateKey.publicKey
        #expect(Hex.encode(try change.taprootOutputKey()) == "882d74e5d0572d5a816cef0041a96b6c1de832f6f9676d9605c44d5e9a97d3dc")
    }

    /// BIP341's wallet vectors: internal key + script tree -> output key, scriptPubKey, address.
    @Test func bip341ScriptPubKeyVectors() throws {
        let root = try #require(try TestVectors.json("bip-0341-wallet-test-vectors.json") as? [String: Any])
        let cases = try #require(root["scriptPubKey"] as? [[String: Any]])
        #expect(cases.count == 7)
        for testCase in cases {
            let given = try #require(testCase["given"] as? [String: Any])
            let intermediary = try #require(testCase["intermediary"] as? [String: Any])
            let expected = try #require(testCase["expected"] as? [String: Any])
            let internalKey = try Secp256k1.PublicKey([0x02] + hex(given["internalPubkey"] as! String))
            let tree = try JSONSerialization.data(withJSONObject: given["scriptTree"] ?? NSNull(), options: .fragmentsAllowed)
            let merkleRoot = try TaprootScriptTree.merkleRoot(of: try JSONValue(parsing: tree))
            #expect(merkleRoot.map(Hex.encode) == intermediary["merkleRoot"] as? String)
            let output = try internalKey.taprootOutputKey(merkleRoot: merkleRoot)
            #expect(Hex.encode(output) == intermediary["tweakedPubkey"] as? String)
            #expect("5120" + Hex.encode(output) == expected["scriptPubKey"] as? String)
            let address = try SegwitAddress.encode(hrp: "bc", version: 1, program: output)
            #expect(address == expected["bip350Address"] as? String)
            let decoded = try BitcoinAddress.decode(address)
            #expect(decoded.type == "p2tr")
            #expect(Hex.encode(decoded.scriptPubKey) == expected["scriptPubKey"] as? String)
        }
    }

    /// Values published for the "abandon ... about" mnemonic and confirmed with bip-utils.
    @Test func ethereumTronSolana() throws {
        let eth = [
            ("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "0237b0bb7a8288d38ed49a524b5dc98cff3eb5ca824c9f9dc0dfdb3d9cd600f299"),
            ("0x6Fac4D18c912343BF86fa7049364Dd4E424Ab9C0", "039fd0991d0222b4e1339c1a1a5b5f6d9f6a96672a3247b638ee6156d9ea877a2f"),
            ("0xb6716976A3ebe8D39aCEB04372f22Ff8e6802D7A", "03880bcb4bf46b49bdb071e307e282b11b9166907d9708f8c706092c44743f3e67"),
        ]
        let tron = [
            ("TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH", "03ff21f8e64d3a3c0198edfbb7afdc79be959432e92e2f8a1984bb436a414b8edc"),
            ("TSeJkUh4Qv67VNFwY8LaAxERygNdy6NQZK", "0209b9854ad6e016c5d72aee08f763821bd5e32489c12bcc078a935a14f29dbed6"),
            ("TYJPRrdB5APNeRs4R7fYZSwW3TcrTKw2gx", "02f988243bb0c75357d9d269098b08fe8a8f18a470a37e250528c67600272bd06f"),
        ]
        let solana = [
            ("HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk", "f036276246a75b9de3349ed42b15e232f6518fc20f5fcd4f1d64e81f9bd258f7"),
            ("Hh8QwFUA6MtVu1qAoq12ucvFHNwCcVTV7hpWjeY1Hztb", "f8029acf5cbcbdd5ac46ec147f3b78a3df6e5022ef0411db2bab650d329a4cd4"),
            ("7WktogJEd2wQ9eH2oWusmcoFTgeYi6rS632UviTBJ2jm", "60c5985f58a32ff8ab91e2fbd1d211b8de6b4acc4f6ce4458830efc0c801ca1c"),
        ]
        for (format, table, path) in [
            (AddressFormat.ethereum, eth, "m/44'/60'/0'/0/"), (.tron, tron, "m/44'/195'/0'/0/"), (.solana, solana, "m/44'/501'/"),
        ] {
            for (index, (address, publicKey)) in table.enumerated() {
                let record = try Self.address(format, UInt32(index))
                #expect(record.address == address, "\(format) \(index)")
                #expect(Hex.encode(record.publicKey) == publicKey, "\(format) \(index)")
                #expect(record.path == path + (format == .solana ? "\(index)'/0'" : "\(index)"))
            }
        }
        #expect(try ExtendedPrivateKey(seed: Self.seed()).derive(path: AddressFormat.ethereum.accountPath(account: 0)).extendedPublicKey.serialized()
            == "xpub6DCoCpSuQZB2jawqnGMEPS63ePKWkwWPH4TU45Q7LPXWuNd8TMtVxRrgjtEshuqpK3mdhaWHPFsBngh5GFZaM6si3yZdUsT8ddYM3PwnATt")
    }

    /// EIP-55's own examples.
    @Test(arguments: [
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ])
    func eip55Examples(address: String) throws {
        let bytes = try EthereumAddress.decode(address)
        let checksummed = EthereumAddress.checksummed(bytes)
        let isMixed = address.dropFirst(2).contains(where: \.isLowercase) && address.dropFirst(2).contains(where: \.isUppercase)
        if isMixed { #expect(checksummed == address) }
        #expect(checksummed.lowercased() == address.lowercased())
    }
}
