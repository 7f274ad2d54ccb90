import Crypto
import PropertyBased
import Testing
import WalletCore

/// Block decoding: a real mainnet block, blocks assembled from random transactions checked against
/// `BitcoinTransaction` (which computes txids by re-serialising), strictness on every truncation,
/// and the speed the sync path needs. Blocks from a running node are checked in ChainNodesTests.
struct BitcoinBlockTests {
    /// Mainnet block 170 (00000000d1145790…a2ee): the coinbase and the first payment between people.
    static let block170 = hex(
        "0100000055bd840a78798ad0da853f68974f3d183e2bd1db6a842c1feecf222a00000000ff104ccb05421ab93e63f8c3ce5c2c2e9dbb37de2764b3a3175c8166"
            + "562cac7d51b96a49ffff001d283e9e700201000000010000000000000000000000000000000000000000000000000000000000000000ffffffff0704ffff001d"
            + "0102ffffffff0100f2052a01000000434104d46c4968bde02899d2aa0963367c7a6ce34eec332b32e42e5f3407e052d64ac625da6f0718e7b302140434bd7257"
            + "06957c092db53805b821a85b23a7ac61725bac000000000100000001c997a5e56e104102fa209c6a852dd90660a20b2d9c352423edce25857fcd370400000000"
            + "4847304402204e45e16932b8af514961a1d3a1a25fdf3f4f7732e9d624c6c61548ab5fb8cd410220181522ec8eca07de4860a4acdd12909d831cc56cbbac4622"
            + "082221a8768d1d0901ffffffff0200ca9a3b00000000434104ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554"
            + "a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84cac00286bee0000000043410411db93e1dcdb8a016b49840f8c53bc1eb68a382e97b1482ecad7b1"
            + "48a6909a5cb2e0eaddfb84ccf9744464f82e160bfa9b8b64f9d4c03f999b8643f656b412a3ac00000000")

    @Test func mainnetBlock170() throws {
        let block = try BitcoinBlock(serialized: Self.block170)
        #expect(block.hash.hex == "00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee")
        #expect(block.header.previousBlockHash.hex == "000000002a22cfee1f2c846adbd12b3e183d4f97683f85dad08a79780a84bd55")
        #expect(block.header.merkleRoot.hex == "7dac2c5666815c17a3b36427de37bb9d2e2c5ccec3f8633eb91a4205cb4c10ff")
        #expect(block.header.version == 1)
        #expect(block.header.time == 1_231_731_025)
        #expect(block.header.bits == 0x1D00_FFFF)
        #expect(block.header.nonce == 1_889_418_792)
        #expect(block.size == Self.block170.count)
        #expect(block.computedMerkleRoot() == block.header.merkleRoot)

        #expect(block.transactions.map(\.txid.hex) == [
            "b1fea52486ce0c62bb442b530a3f0132b826c74e473d1f2c220bfa78111c5082",
            "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16",
        ])
        let (coinbase, payment) = (block.transactions[0], block.transactions[1])
        #expect(coinbase.isCoinbase && !payment.isCoinbase)
        #expect(coinbase.outputs.map(\.value) == [50_0000_0000])
        #expect(payment.inputs.map(\.previousOutput) == [
            BitcoinBlock.OutPoint(txid: BitcoinHash(hex: "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9")!, index: 0)
        ])
        #expect(payment.inputs[0].sequence == 0xFFFF_FFFF)
        #expect(payment.outputs.map(\.value) == [10_0000_0000, 40_0000_0000])
        // Pay-to-pubkey: the 65-byte key of Hal Finney, then OP_CHECKSIG.
        #expect(Array(payment.outputs[0].scriptPubKey) == hex("4104ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84cac"))
        #expect(!payment.hasWitness && payment.size == 275 && payment.lockTime == 0 && payment.version == 1)
        // The header alone hashes the same.
        #expect(try BitcoinBlock.Header(serialized: Array(Self.block170[0..<80])) == block.header)
    }

    /// `count` transactions from the serialisation property tests, every second one with witnesses.
    static func transactions(_ count: Int, seed: UInt32 = 7) -> [BitcoinTransaction] {
        (0..<count).map { index in
            let value = seed &+ UInt32(index)
            // Standard-looking scripts: a p2wpkh, a p2pkh and an OP_RETURN of varying content.
            let keyHash = Array(SHA256.hash(data: [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]).prefix(20))
            let scripts: [[UInt8]] = [[0x00, 0x14] + keyHash, [0x76, 0xA9, 0x14] + keyHash + [0x88, 0xAC], [0x6A, 0x04] + keyHash.prefix(4)]
            let witness: [[UInt8]] = [Array(repeating: 0x30, count: 71), Array(repeating: 0x02, count: 33)]
            return BitcoinSerializationPropertyTests.transaction(seed: value, scripts: scripts, witnessItems: witness, segwit: index % 2 == 1)
        }
    }

    /// A block of `transactions` under an arbitrary header.
    static func assemble(_ transactions: [BitcoinTransaction], header: [UInt8] = Array(repeating: 0x5A, count: 80)) -> [UInt8] {
        var bytes = header
        appendCompactSize(transactions.count, to: &bytes)
        for transaction in transactions { bytes += transaction.serialized() }
        return bytes
    }

    static func appendCompactSize(_ value: Int, to bytes: inout [UInt8]) {
        switch value {
        case ..<0xFD: bytes.append(UInt8(value))
        case ...0xFFFF: bytes += [0xFD, UInt8(value & 0xFF), UInt8(value >> 8)]
        default: bytes += [0xFE] + (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
    }

    static func expectSame(_ decoded: BitcoinBlock.Transaction, _ original: BitcoinTransaction) {
        #expect(decoded.txid.hex == original.txid)
        #expect(decoded.hasWitness == original.hasWitness)
        #expect(decoded.size == original.serialized().count)
        #expect(decoded.lockTime == original.lockTime)
        #expect(UInt32(bitPattern: decoded.version) == original.version)
        #expect(decoded.inputs.map(\.previousOutput.txid.internalBytes) == original.inputs.map(\.previousOutput.transactionHash))
        #expect(decoded.inputs.map(\.previousOutput.index) == original.inputs.map(\.previousOutput.index))
        #expect(decoded.inputs.map(\.sequence) == original.inputs.map(\.sequence))
        #expect(decoded.outputs.map(\.value) == original.outputs.map(\.value))
        #expect(decoded.outputs.map { Array($0.scriptPubKey) } == original.outputs.map(\.scriptPubKey))
    }

    @Test func assembledBlockMatchesReserialisedTransactions() throws {
        let originals = Self.transactions(300)
        let block = try BitcoinBlock(serialized: Self.assemble(originals))
        #expect(block.transactions.count == 300)
        for (decoded, original) in zip(block.transactions, originals) { Self.expectSame(decoded, original) }
        #expect(block.header.version == 0x5A5A_5A5A)
        // A single transaction decodes alone as it does inside the block.
        let single = try BitcoinBlock.Transaction(serialized: originals[1].serialized())
        Self.expectSame(single, originals[1])
    }

    @Test func randomTransactionsInBlocks() async {
        await propertyCheck(
            input: Gen.uint32(), Gen.uint8().array(of: 0...80).array(of: 1...5), Gen.uint8().array(of: 0...300).array(of: 1...4), Gen.bool
        ) { seed, scripts, witnessItems, segwit throws in
            let original = BitcoinSerializationPropertyTests.transaction(seed: seed, scripts: scripts, witnessItems: witnessItems, segwit: segwit)
            let block = try BitcoinBlock(serialized: Self.assemble([original, original]))
            Self.expectSame(block.transactions[1], original)
        }
    }

    @Test func merkleRootOfOddAndEvenCounts() throws {
        for count in [1, 2, 3, 4, 5, 7] {
            let originals = Self.transactions(count)
            let block = try BitcoinBlock(serialized: Self.assemble(originals))
            // Reference: pair the level, duplicating an odd last hash, over byte arrays.
            var level = originals.map(\.transactionHash)
            while level.count > 1 {
                if level.count % 2 == 1 { level.append(level.last!) }
                level = stride(from: 0, to: level.count, by: 2).map { DoubleSHA256.hash(level[$0] + level[$0 + 1]) }
            }
            #expect(block.computedMerkleRoot().internalBytes == level[0], "\(count) transactions")
        }
    }

    @Test func everyTruncationAndAnyTrailingByteIsAnError() throws {
        let segwitBlock = Self.assemble(Self.transactions(3))
        for bytes in [Self.block170, segwitBlock] {
            for length in 0..<bytes.count {
                #expect(throws: BitcoinEncodingError.self) { try BitcoinBlock(serialized: Array(bytes[0..<length])) }
            }
            #expect(throws: BitcoinEncodingError.self) { try BitcoinBlock(serialized: bytes + [0x00]) }
        }
        let transaction = Self.transactions(2)[1].serialized()
        for length in 0..<transaction.count {
            #expect(throws: BitcoinEncodingError.self) { try BitcoinBlock.Transaction(serialized: Array(transaction[0..<length])) }
        }
        #expect(throws: BitcoinEncodingError.self) { try BitcoinBlock.Transaction(serialized: transaction + [0x00]) }
    }

    @Test func malformedStructuresAreRefused() throws {
        let header = Array(Self.block170[0..<80])
        let segwit = Self.transactions(2)[1].serialized()
        #expect(segwit[4] == 0x00 && segwit[5] == 0x01)
        // A flag other than 1 (Litecoin's MWEB uses 8).
        var flagged = segwit
        flagged[5] = 0x08
        #expect(throws: BitcoinEncodingError.self) { try BitcoinBlock.Transaction(serialized: flagged) }
        // The segwit form with every witness empty.
        let stripped = Self.transactions(2)[0]
        var superfluous = Array(stripped.serialized().prefix(4)) + [0x00, 0x01] + Array(stripped.serialized().dropFirst(4).dropLast(4))
        for _ in stripped.inputs { superfluous.append(0x00) }
        superfluous += stripped.serialized().suffix(4)
        #expect(throws: BitcoinEncodingError.self) { try BitcoinBlock.Transaction(serialized: superfluous) }
        // No transactions; a count of 1 written non-canonically; a count far beyond the bytes.
        #expect(throws: BitcoinEncodingError.self) { try BitcoinBlock(serialized: header + [0x00]) }
        #expect(throws: BitcoinEncodingError.self) { try BitcoinBlock(serialized: header + [0xFD, 0x01, 0x00] + Array(Self.block170[81...])) }
        #expect(throws: BitcoinEncodingError.self) { try BitcoinBlock(serialized: header + [0xFF] + Array(repeating: 0xFF, count: 8)) }
        #expect(throws: BitcoinEncodingError.self) { try BitcoinBlock.Header(serialized: header.dropLast()) }
    }

    @Test func randomBytesNeverCrash() async {
        await propertyCheck(input: Gen.uint8().array(of: 0...400)) { bytes in
            _ = try? BitcoinBlock(serialized: Array(Self.block170[0..<80]) + bytes)
            _ = try? BitcoinBlock.Transaction(serialized: bytes)
        }
    }

    @Test func hashText() throws {
        let text = "00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee"
        let hash = try #require(BitcoinHash(hex: text))
        #expect(hash.hex == text && hash.description == text)
        #expect(BitcoinHash(hex: text.uppercased()) == hash)
        #expect(BitcoinHash(internalBytes: hash.internalBytes) == hash)
        #expect(hash.internalBytes.first == 0xEE)
        #expect(BitcoinHash(hex: String(text.dropLast())) == nil)
        #expect(BitcoinHash(hex: "0x" + text.dropFirst(2)) == nil)
        #expect(BitcoinHash.zero < hash && [hash, .zero].sorted() == [.zero, hash])
    }

    /// The sync hot path: a 1,000-transaction block (half of them segwit) decodes in a few
    /// milliseconds in a release build; the bound here allows for debug builds on a busy machine.
    @Test func aThousandTransactionBlockDecodesFast() throws {
        let bytes = Self.assemble(Self.transactions(1_000))
        var best = Duration.seconds(1_000)
        for _ in 0..<5 {
            let started = ContinuousClock.now
            let block = try BitcoinBlock(serialized: bytes)
            best = min(best, ContinuousClock.now - started)
            #expect(block.transactions.count == 1_000)
        }
        print("BitcoinBlock: \(bytes.count) bytes, 1,000 transactions decoded in \(best)")
        #expect(best < .milliseconds(100))
    }
}
