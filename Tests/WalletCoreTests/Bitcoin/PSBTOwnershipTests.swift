import Testing
import WalletCore

/// The single-key scripts the signer and the change check both rely on, and the PSBT fee.
struct PSBTOwnershipTests {
    static let key = try! Secp256k1.PrivateKey([UInt8](repeating: 1, count: 32)).publicKey
    static let other = try! Secp256k1.PrivateKey([UInt8](repeating: 2, count: 32)).publicKey

    @Test func recognisesTheScriptsOneKeyPaysAlone() throws {
        let hash = Hash160.hash(Self.key.compressed)
        #expect(BitcoinKeyScripts.scheme(of: BitcoinScript.p2wpkh(publicKeyHash: hash), payingTo: Self.key) == .p2wpkh)
        #expect(BitcoinKeyScripts.scheme(of: BitcoinScript.p2sh(scriptHash: Hash160.hash(BitcoinScript.p2wpkh(publicKeyHash: hash))), payingTo: Self.key) == .p2shP2wpkh)
        #expect(BitcoinKeyScripts.scheme(of: BitcoinScript.p2pkh(publicKeyHash: hash), payingTo: Self.key) == .p2pkh)
        #expect(BitcoinKeyScripts.scheme(of: BitcoinScript.p2tr(outputKey: try Self.key.taprootOutputKey()), payingTo: Self.key) == .p2tr)
        let root = [UInt8](repeating: 7, count: 32)
        let withTree = BitcoinScript.p2tr(outputKey: try Self.key.taprootOutputKey(merkleRoot: root))
        #expect(BitcoinKeyScripts.scheme(of: withTree, payingTo: Self.key) == nil)
        #expect(BitcoinKeyScripts.scheme(of: withTree, payingTo: Self.key, merkleRoot: root) == .p2tr)
        // Another key's scripts, a p2sh of something else, p2wsh, OP_RETURN: not this key's.
        #expect(BitcoinKeyScripts.scheme(of: BitcoinScript.p2wpkh(publicKeyHash: Hash160.hash(Self.other.compressed)), payingTo: Self.key) == nil)
        #expect(BitcoinKeyScripts.scheme(of: BitcoinScript.p2sh(scriptHash: hash), payingTo: Self.key) == nil)
        #expect(BitcoinKeyScripts.scheme(of: [0x00, 0x20] + [UInt8](repeating: 1, count: 32), payingTo: Self.key) == nil)
        #expect(BitcoinKeyScripts.scheme(of: [0x6A], payingTo: Self.key) == nil)
        // Uncompressed-key p2pkh is not what a BIP32 wallet pays.
        #expect(BitcoinKeyScripts.scheme(of: BitcoinScript.p2pkh(publicKeyHash: Hash160.hash(Self.key.uncompressed)), payingTo: Self.key) == nil)
    }

    @Test func feeIsInputsLessOutputsAndNeedsEveryUTXO() throws {
        let script = BitcoinScript.p2wpkh(publicKeyHash: Hash160.hash(Self.key.compressed))
        let outpoint = BitcoinTransaction.OutPoint(transactionHash: [UInt8](repeating: 3, count: 32), index: 0)
        let transaction = BitcoinTransaction(
            version: 2, inputs: [BitcoinTransaction.Input(previousOutput: outpoint), BitcoinTransaction.Input(previousOutput: BitcoinTransaction.OutPoint(transactionHash: outpoint.transactionHash, index: 1))],
            outputs: [BitcoinTransaction.Output(value: 70_000, scriptPubKey: script)], lockTime: 0)
        var psbt = try PSBT(unsignedTransaction: transaction)
        try psbt.updateInput(0) { $0.witnessUTXO = BitcoinTransaction.Output(value: 50_000, scriptPubKey: script) }
        #expect(throws: PSBTError.self) { try psbt.fee() }
        try psbt.updateInput(1) { $0.witnessUTXO = BitcoinTransaction.Output(value: UInt64.max, scriptPubKey: script) }
        #expect(try psbt.fee() == UInt128(UInt64.max) + 50_000 - 70_000)
        try psbt.updateInput(1) { $0.witnessUTXO = BitcoinTransaction.Output(value: 10_000, scriptPubKey: script) }
        #expect(throws: PSBTError.self) { try psbt.fee() }
    }
}
