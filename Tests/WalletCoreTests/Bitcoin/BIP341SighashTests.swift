import Foundation
import Testing
import WalletCore

/// Every "keyPathSpending" case of BIP341's wallet vectors: SigMsg, sighash, tweaked key,
/// signature (with 32 zero bytes of auxiliary randomness) and witness; then the same through
/// the PSBT signer and finaliser.
struct BIP341SighashTests {
    struct Case {
        let transaction: BitcoinTransaction
        let spent: [BitcoinTransaction.Output]
        let inputs: [[String: Any]]
    }

    static func load() throws -> Case {
        let root = try #require(try TestVectors.json("bip-0341-wallet-test-vectors.json") as? [String: Any])
        let spending = try #require((root["keyPathSpending"] as? [[String: Any]])?.first)
        let given = try #require(spending["given"] as? [String: Any])
        let transaction = try BitcoinTransaction(hex: try #require(given["rawUnsignedTx"] as? String))
        let spent = try #require(given["utxosSpent"] as? [[String: Any]]).map { utxo in
            BitcoinTransaction.Output(value: UInt64(utxo["amountSats"] as! Int), scriptPubKey: hex(utxo["scriptPubKey"] as! String))
        }
        return Case(transaction: transaction, spent: spent, inputs: try #require(spending["inputSpending"] as? [[String: Any]]))
    }

    @Test func everyKeyPathSpendingCase() throws {
        let vectors = try Self.load()
        #expect(vectors.inputs.count == 7)
        for spending in vectors.inputs {
            let given = spending["given"] as! [String: Any]
            let intermediary = spending["intermediary"] as! [String: Any]
            let expected = spending["expected"] as! [String: Any]
            let index = given["txinIndex"] as! Int
            let type = SighashType(rawValue: UInt32(given["hashType"] as! Int))
            let merkleRoot = (given["merkleRoot"] as? String).map(hex)

            let message = try vectors.transaction.taprootSignatureMessage(inputIndex: index, spentOutputs: vectors.spent, sighashType: type)
            // The vectors print the epoch byte (0x00) in front of SigMsg.
            #expect("00" + Hex.encode(message) == intermediary["sigMsg"] as? String, "input \(index)")
            let digest = try vectors.transaction.taprootSignatureHash(inputIndex: index, spentOutputs: vectors.spent, sighashType: type)
            #expect(Hex.encode(digest) == intermediary["sigHash"] as? String, "input \(index)")

            let internalKey = try Secp256k1.PrivateKey(hex(given["internalPrivkey"] as! String))
            #expect(Hex.encode(internalKey.publicKey.xOnly) == intermediary["internalPubkey"] as? String)
            let tweaked = try internalKey.taprootTweaked(merkleRoot: merkleRoot)
            #expect(Hex.encode(tweaked.secret.copyBytes()) == intermediary["tweakedPrivkey"] as? String, "input \(index)")

            var signature = try tweaked.signSchnorr(message: digest, auxiliaryRandomness: [UInt8](repeating: 0, count: 32))
            if type != .default { signature.append(UInt8(type.rawValue)) }
            #expect([Hex.encode(signature)] == expected["witness"] as? [String], "input \(index)")
        }
    }

    /// The same inputs signed by the PSBT signer with each single key, then finalised.
    @Test func psbtSignerReproducesTheWitnesses() throws {
        let vectors = try Self.load()
        var psbt = try PSBT(unsignedTransaction: vectors.transaction)
        #expect(try PSBT(serialized: Self.emptyPSBT(for: vectors.transaction)) == psbt)
        for index in vectors.spent.indices {
            try psbt.updateInput(index) { $0.witnessUTXO = vectors.spent[index] }
        }
        for spending in vectors.inputs {
            let given = spending["given"] as! [String: Any]
            let index = given["txinIndex"] as! Int
            let type = SighashType(rawValue: UInt32(given["hashType"] as! Int))
            try psbt.updateInput(index) { input in
                input.tapMerkleRoot = (given["merkleRoot"] as? String).map(hex)
                input.sighashType = type == .default ? nil : type
            }
            let key = try Secp256k1.PrivateKey(hex(given["internalPrivkey"] as! String))
            let report = try psbt.sign(
                with: .privateKey(key), allowedSighashTypes: SighashType.validTaproot,
                schnorrAuxiliaryRandomness: [UInt8](repeating: 0, count: 32))
            #expect(report.signed.map(\.index) == [index])
            let expected = (spending["expected"] as! [String: Any])["witness"] as! [String]
            #expect(psbt.inputs[index].tapKeySignature.map { Hex.encode($0) } == expected.first)
        }
        // Inputs 2 (p2pkh) and 5 (p2wpkh) have no signature, so finalising names input 2.
        #expect(throws: PSBTError.self) { try psbt.finalize() }
        do {
            try psbt.finalize()
        } catch {
            #expect(error.description.hasPrefix("input 2 cannot be finalised"))
        }
    }

    /// A PSBT with the transaction and empty maps (the creator role).
    static func emptyPSBT(for transaction: BitcoinTransaction) -> [UInt8] {
        var bytes = PSBT.magic
        let unsigned = transaction.serialized(includingWitness: false)
        bytes += [0x01, 0x00]
        bytes += compactSize(unsigned.count) + unsigned + [0x00]
        bytes += [UInt8](repeating: 0x00, count: transaction.inputs.count + transaction.outputs.count)
        return bytes
    }

    static func compactSize(_ value: Int) -> [UInt8] {
        value < 0xFD ? [UInt8(value)] : [0xFD, UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    @Test func sighashErrors() throws {
        let vectors = try Self.load()
        #expect(throws: SighashError.self) {
            try vectors.transaction.taprootSignatureHash(inputIndex: 0, spentOutputs: vectors.spent, sighashType: SighashType(rawValue: 0x04))
        }
        #expect(throws: SighashError.self) {
            try vectors.transaction.taprootSignatureHash(inputIndex: 0, spentOutputs: Array(vectors.spent.dropLast()), sighashType: .default)
        }
        #expect(throws: SighashError.self) {
            try vectors.transaction.taprootSignatureHash(inputIndex: 9, spentOutputs: vectors.spent, sighashType: .default)
        }
        // SINGLE on an input without a matching output fails (BIP341), unlike BIP143.
        #expect(throws: SighashError.self) {
            try vectors.transaction.taprootSignatureHash(inputIndex: 4, spentOutputs: vectors.spent, sighashType: .single)
        }
    }
}
