import Crypto
import PropertyBased
import Testing
import WalletCore

/// Round trips of transactions and PSBTs built from random data, and that random or
/// truncated bytes are refused with an error, never a crash.
struct BitcoinSerializationPropertyTests {
    /// A transaction whose fields all come from `seed`, `scripts` and `witnessItems`.
    static func transaction(seed: UInt32, scripts: [[UInt8]], witnessItems: [[UInt8]], segwit: Bool) -> BitcoinTransaction {
        let inputs = scripts.enumerated().map { offset, script in
            BitcoinTransaction.Input(
                previousOutput: .init(transactionHash: Array(SHA256.hash(data: script + [UInt8(offset)])), index: seed &+ UInt32(offset)),
                scriptSig: script, sequence: seed &* 31 &+ UInt32(offset),
                witness: segwit ? Array(witnessItems.prefix(offset + 1)) : [])
        }
        let outputs = scripts.reversed().enumerated().map { offset, script in
            BitcoinTransaction.Output(value: UInt64(seed) &* 1_000_003 &+ UInt64(offset), scriptPubKey: script)
        }
        return BitcoinTransaction(version: seed % 3, inputs: inputs, outputs: outputs, lockTime: seed)
    }

    @Test func transactionRoundTrip() async {
        await propertyCheck(
            input: Gen.uint32(), Gen.uint8().array(of: 0...80).array(of: 1...5), Gen.uint8().array(of: 0...300).array(of: 1...4), Gen.bool
        ) { seed, scripts, witnessItems, segwit throws in
            let transaction = Self.transaction(seed: seed, scripts: scripts, witnessItems: witnessItems, segwit: segwit)
            let bytes = transaction.serialized()
            #expect(try BitcoinTransaction(serialized: bytes) == transaction)
            var stripped = transaction
            for index in stripped.inputs.indices { stripped.inputs[index].witness = [] }
            #expect(try BitcoinTransaction(serialized: transaction.serialized(includingWitness: false), allowWitness: false) == stripped)
            #expect(transaction.txid == stripped.txid)
            #expect((transaction.wtxid == transaction.txid) == !transaction.hasWitness)
            // Every strict prefix is refused with an error.
            for cut in Set([0, 1, 4, 5, bytes.count / 2, bytes.count - 1]) where cut < bytes.count {
                #expect(throws: BitcoinEncodingError.self) { try BitcoinTransaction(serialized: Array(bytes[0..<cut])) }
            }
            #expect(throws: BitcoinEncodingError.self) { try BitcoinTransaction(serialized: bytes + [0]) }
        }
    }

    @Test func psbtRoundTrip() async {
        await propertyCheck(
            input: Gen.uint32(), Gen.uint8().array(of: 0...60).array(of: 1...4), Gen.uint8().array(of: 0...40).array(of: 0...6)
        ) { seed, scripts, unknownValues throws in
            let transaction = Self.transaction(seed: seed, scripts: scripts, witnessItems: [], segwit: false)
            var emptied = transaction
            for index in emptied.inputs.indices { emptied.inputs[index].scriptSig = [] }
            var psbt = try PSBT(unsignedTransaction: emptied)
            for (offset, value) in unknownValues.enumerated() {
                let index = offset % emptied.inputs.count
                try psbt.updateInput(index) { input in
                    input.witnessUTXO = BitcoinTransaction.Output(value: UInt64(offset), scriptPubKey: value)
                    input.sighashType = SighashType(rawValue: seed)
                    input.redeemScript = value
                    input.tapMerkleRoot = Array(SHA256.hash(data: value))
                }
                try psbt.updateOutput(offset % emptied.outputs.count) { _ in }
            }
            let parsed = try PSBT(serialized: psbt.serialized)
            #expect(parsed == psbt)
            #expect(parsed.serialized == psbt.serialized)
            #expect(try PSBT(base64: psbt.base64) == psbt)
            for index in psbt.inputs.indices {
                #expect(parsed.inputs[index].witnessUTXO == psbt.inputs[index].witnessUTXO)
            }
        }
    }

    /// Unknown, proprietary and repeated-type keys keep their order and bytes.
    @Test func unknownKeysRoundTrip() async {
        await propertyCheck(input: Gen.uint8().array(of: 1...20).array(of: 1...6), Gen.uint8(in: 0x20...0xF0)) { keys, type throws in
            var bytes = PSBT.magic
            let unsigned = BitcoinTransaction(version: 2, inputs: [.init(previousOutput: .init(transactionHash: [UInt8](repeating: 1, count: 32), index: 0))], outputs: [.init(value: 1, scriptPubKey: [0x6A])]).serialized()
            bytes += [0x01, 0x00, UInt8(unsigned.count)] + unsigned
            var seen = Set<[UInt8]>()
            for key in keys where seen.insert(key).inserted {
                bytes += [UInt8(key.count + 1), type] + key + [UInt8(key.count)] + key
            }
            bytes += [0x00, 0x00, 0x00]
            let psbt = try PSBT(serialized: bytes)
            #expect(psbt.serialized == bytes)
        }
    }

    @Test func randomBytesNeverCrash() async {
        await propertyCheck(count: 500, input: Gen.uint8().array(of: 0...200)) { noise in
            _ = try? BitcoinTransaction(serialized: noise)
            _ = try? PSBT(serialized: PSBT.magic + noise)
            _ = try? PSBT(serialized: noise)
        }
    }

    @Test func corruptedVectorsNeverCrash() async throws {
        let vector = try #require(PSBTVectorTests.bip174Valid.last?.bytes)
        await propertyCheck(count: 500, input: Gen.int(in: 0...10_000), Gen.uint8()) { position, byte in
            var bytes = vector
            bytes[position % bytes.count] = byte
            _ = try? PSBT(serialized: bytes)
            _ = try? PSBT(serialized: Array(bytes.prefix(position % bytes.count)))
        }
    }

    @Test func duplicateKeyIsRefused() throws {
        let psbt = try #require(PSBTVectorTests.bip174Valid.first)
        var bytes = psbt.bytes
        // Repeat the global unsigned transaction pair.
        #expect(bytes[5] == 0x01 && bytes[6] == 0x00 && bytes[7] < 0xFD)  // key: length 1, type 0; value length
        let pair = Array(bytes[5..<(8 + Int(bytes[7]))])
        bytes.insert(contentsOf: pair, at: 5)
        #expect(throws: PSBTError.self) { try PSBT(serialized: bytes) }
    }
}
