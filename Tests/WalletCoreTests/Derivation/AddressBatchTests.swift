import Foundation
import PropertyBased
import Testing
import WalletCore

struct AddressBatchTests {
    static func seed() throws -> SecretBytes {
        SecretBytes(try Mnemonic(phrase: AddressVectorTests.abandonAbout).seed())
    }

    static func output(_ batch: AddressBatch) throws -> String {
        var bytes: [UInt8] = []
        try batch.stream(write: { bytes += $0 })
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A deposit service with only the account xpub gets exactly the addresses the seed gives.
    @Test(arguments: [
        AddressFormat.bitcoin(.p2wpkh, .mainnet), .bitcoin(.p2tr, .mainnet), .bitcoin(.p2shP2wpkh, .testnet),
        .bitcoin(.p2pkh, .mainnet), .ethereum, .tron,
    ])
    func watchOnlyMatchesSeed(format: AddressFormat) throws {
        let seed = try Self.seed()
        let fromSeed = try AddressDeriver(seed: seed, format: format, account: 3)
        let accountKey = try ExtendedPrivateKey(seed: seed).derive(path: format.accountPath(account: 3)).extendedPublicKey
        let parsed = try ExtendedKey(parsing: accountKey.serialized(version: format.keyVersion)).extendedPublicKey
        let watchOnly = try AddressDeriver(accountKey: parsed, format: format)
        #expect(watchOnly.account == 3)
        for index: UInt32 in [0, 1, 17, 2_147_483_647] {
            #expect(try fromSeed.derive(index: index) == watchOnly.derive(index: index))
        }
    }

    @Test func watchOnlyNeedsAnAccountLevelKey() throws {
        let master = try ExtendedPrivateKey(seed: Self.seed()).extendedPublicKey
        #expect(throws: DerivationError.self) { try AddressDeriver(accountKey: master, format: .ethereum) }
    }

    /// Parallel output is byte-identical to one-thread output, whatever the chunking.
    @Test func parallelStreamMatchesSequential() async throws {
        let deriver = try AddressDeriver(seed: Self.seed(), format: .ethereum)
        await propertyCheck(count: 12, input: Gen.uint32(in: 0...1_000), Gen.uint32(in: 1...300), Gen.int(in: 1...64)) { start, count, chunk in
            var sequential = try AddressBatch(deriver: deriver, start: start, count: count, format: .jsonl, metadata: AddressMetadata())
            sequential.workers = 1
            sequential.chunkSize = 1_000
            var parallel = sequential
            parallel.workers = 3
            parallel.chunkSize = chunk
            let expected = try Self.output(sequential)
            #expect(try Self.output(parallel) == expected)
            let lines = expected.split(separator: "\n")
            #expect(lines.count == Int(count))
            #expect(lines.first?.hasPrefix("{\"index\":\(start),") == true)
        }
    }

    /// Deriving a range at once (keys first, then encodings) gives what one index at a time gives.
    @Test func rangeDerivationMatchesSingle() async throws {
        let seed = try Self.seed()
        let derivers = try [AddressFormat.bitcoin(.p2wpkh, .mainnet), .bitcoin(.p2tr, .testnet), .ethereum, .tron, .solana]
            .map { try AddressDeriver(seed: seed, format: $0) }
        await propertyCheck(count: 20, input: Gen.uint32(in: 0...2_147_483_600), Gen.uint32(in: 0...40), Gen.int(in: 0...4)) { start, count, which throws in
            let deriver = derivers[which]
            let range = start..<start + count
            #expect(try deriver.derive(range: range) == range.map { try deriver.derive(index: $0) })
        }
    }

    @Test func jsonLinesCarryMetadataAndParse() throws {
        let deriver = try AddressDeriver(seed: Self.seed(), format: .bitcoin(.p2wpkh, .mainnet))
        let metadata = AddressMetadata(label: "shop \"A\"\n", owner: "user-7", purpose: "deposit", batch: "b\\1")
        let text = try Self.output(AddressBatch(deriver: deriver, start: 0, count: 2, format: .jsonl, metadata: metadata))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["index"] as? Int == 0)
        #expect(first["path"] as? String == "m/84'/0'/0'/0/0")
        #expect(first["address"] as? String == "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu")
        #expect(first["public_key"] as? String == "0330d54fd0dd420a6e5f8d3624f5f3482cae350f79d5f0753bf5beef9c2d91af3c")
        #expect(first["label"] as? String == "shop \"A\"\n")
        #expect(first["owner"] as? String == "user-7")
        #expect(first["purpose"] as? String == "deposit")
        #expect(first["batch"] as? String == "b\\1")
    }

    @Test func csvQuotesAndNeutralisesFormulas() throws {
        let deriver = try AddressDeriver(seed: Self.seed(), format: .bitcoin(.p2wpkh, .mainnet))
        let metadata = AddressMetadata(label: "a,b", owner: "=cmd()")
        let text = try Self.output(AddressBatch(deriver: deriver, start: 0, count: 1, format: .csv, metadata: metadata))
        #expect(text == """
            index,path,address,public_key,label,owner
            0,m/84'/0'/0'/0/0,bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu,0330d54fd0dd420a6e5f8d3624f5f3482cae350f79d5f0753bf5beef9c2d91af3c,"a,b",'=cmd()

            """)
    }

    @Test func rangeIsChecked() throws {
        let deriver = try AddressDeriver(seed: Self.seed(), format: .ethereum)
        #expect(throws: DerivationError.self) {
            try AddressBatch(deriver: deriver, start: 2_147_483_647, count: 2, format: .jsonl, metadata: AddressMetadata())
        }
        #expect(throws: DerivationError.self) {
            try AddressBatch(deriver: deriver, start: 0, count: 0, format: .jsonl, metadata: AddressMetadata())
        }
        _ = try AddressBatch(deriver: deriver, start: 2_147_483_647, count: 1, format: .jsonl, metadata: AddressMetadata())
    }

    @Test func solanaRefusesAccountsAndWatchOnly() throws {
        #expect(throws: DerivationError.self) { try AddressDeriver(seed: Self.seed(), format: .solana, account: 1) }
    }
}
