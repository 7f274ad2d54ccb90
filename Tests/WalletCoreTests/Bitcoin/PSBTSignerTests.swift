import Foundation
import Testing
import WalletCore

/// Cross-checks against embit (Tests/Vectors/generated/bitcoin-psbt-embit.json, made by
/// scripts/vectors/bitcoin_psbt_embit.py): PSBTs spending p2wpkh and p2tr outputs of the
/// "abandon ... about" mnemonic. ECDSA (RFC 6979) and Schnorr (zero auxiliary randomness) are
/// deterministic, so every signature and final transaction must be byte-identical.
struct PSBTSignerTests {
    static var document: [String: Any] { (try? TestVectors.json("generated/bitcoin-psbt-embit.json") as? [String: Any]) ?? [:] }
    static let zeroAux = [UInt8](repeating: 0, count: 32)

    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let psbt: String
        let inputs: [ExpectedInput]
        let transaction: String?
        let txid: String?
        var description: String { name }
    }

    struct ExpectedInput: Sendable {
        let index: Int
        let signed: Bool
        let type: String?
        let sighash: String?
        let publicKey: String?
        let signature: String?
    }

    static let cases: [Case] = ((document["cases"] as? [[String: Any]]) ?? []).map { record in
        Case(
            name: record["name"] as! String, psbt: record["psbt"] as! String,
            inputs: (record["inputs"] as! [[String: Any]]).map {
                ExpectedInput(
                    index: $0["index"] as! Int, signed: $0["signed"] as! Bool, type: $0["type"] as? String,
                    sighash: $0["sighash"] as? String, publicKey: $0["public_key"] as? String, signature: $0["signature"] as? String)
            },
            transaction: record["tx"] as? String, txid: record["txid"] as? String)
    }

    static func extendedKey(_ field: String) throws -> ExtendedPrivateKey {
        guard case .privateKey(let key, _) = try ExtendedKey(parsing: try #require(document[field] as? String)) else {
            Issue.record("\(field) is not a private key")
            throw CancellationError()
        }
        return key
    }

    /// The signature a signed input carries (partial signature or taproot key signature).
    static func signature(in psbt: PSBT, input: Int) -> [UInt8]? {
        psbt.inputs[input].tapKeySignature ?? psbt.inputs[input].partialSignatures.first?.signature
    }

    static func check(_ test: Case, signedWith keys: [PSBTSigningKey]) throws {
        var psbt = try PSBT(base64: test.psbt)
        #expect(psbt.base64 == test.psbt)
        var signedIndices: [Int] = []
        for key in keys {
            let report = try psbt.sign(with: key, allowedSighashTypes: SighashType.validTaproot, schnorrAuxiliaryRandomness: zeroAux)
            signedIndices += report.signed.map(\.index)
            for record in report.signed {
                let expected = test.inputs[record.index]
                #expect(record.method.rawValue == expected.type)
                #expect(Hex.encode(record.publicKey) == expected.publicKey)
            }
        }
        #expect(Set(signedIndices) == Set(test.inputs.filter(\.signed).map(\.index)), "\(test.name)")
        for expected in test.inputs where expected.signed {
            #expect(signature(in: psbt, input: expected.index).map { Hex.encode($0) } == expected.signature, "\(test.name) input \(expected.index)")
        }
        // The signed PSBT survives a round trip.
        #expect(try PSBT(base64: psbt.base64) == psbt)
        if let transaction = test.transaction {
            let final = try psbt.finalize()
            #expect(Hex.encode(final.serialized()) == transaction, "\(test.name)")
            #expect(final.txid == test.txid)
            #expect(try psbt.extractTransaction() == final)
        } else {
            #expect(throws: PSBTError.self) { try psbt.finalize() }
        }
    }

    @Test func generatedVectorsArePresent() {
        #expect(Self.cases.count == 4)
        #expect(Self.document["master_fingerprint"] as? String == "73c5da0a")
    }

    @Test(arguments: cases)
    func masterKeyReproducesEmbit(_ test: Case) throws {
        try Self.check(test, signedWith: [.extendedKey(try Self.extendedKey("xprv"))])
    }

    /// Account-level keys (zprv for BIP84, xprv for BIP86) sign the same inputs identically.
    @Test(arguments: cases)
    func accountKeysReproduceEmbit(_ test: Case) throws {
        try Self.check(test, signedWith: [
            .extendedKey(try Self.extendedKey("account_zprv_84"), masterFingerprint: 0x73C5_DA0A),
            .extendedKey(try Self.extendedKey("account_xprv_86")),
        ])
    }

    /// The embit sighashes agree with ours (a second, independent implementation of BIP143/341).
    @Test(arguments: cases)
    func sighashesMatchEmbit(_ test: Case) throws {
        let psbt = try PSBT(base64: test.psbt)
        let spent = try psbt.unsignedTransaction.inputs.indices.map { try psbt.spentOutput(of: $0) }
        for expected in test.inputs where expected.signed {
            let input = psbt.inputs[expected.index]
            let output = try #require(spent[expected.index])
            let digest: [UInt8]
            if expected.type == "p2wpkh" {
                digest = try psbt.unsignedTransaction.segwitV0SignatureHash(
                    inputIndex: expected.index, scriptCode: BitcoinScript.p2wpkhScriptCode(publicKeyHash: Array(output.scriptPubKey.dropFirst(2))),
                    amount: output.value, sighashType: input.sighashType ?? .all)
            } else {
                digest = try psbt.unsignedTransaction.taprootSignatureHash(
                    inputIndex: expected.index, spentOutputs: spent.map { try #require($0) }, sighashType: input.sighashType ?? .default)
            }
            #expect(Hex.encode(digest) == expected.sighash, "\(test.name) input \(expected.index)")
        }
    }

    @Test func wifKeySignsItsP2WPKHInput() throws {
        let test = try #require(Self.cases.first { $0.name == "p2wpkh-two-inputs" })
        let wif = try WIF.decode(try #require(Self.document["wif_84_0_0"] as? String))
        #expect(wif.network == .mainnet && wif.compressed)
        var psbt = try PSBT(base64: test.psbt)
        let report = try psbt.sign(with: .privateKey(wif.privateKey))
        #expect(report.signed.map(\.index) == [0])
        #expect(report.skipped.map(\.index) == [1])
        #expect(report.skipped.first?.reason == "no key matches this input")
        #expect(Self.signature(in: psbt, input: 0).map { Hex.encode($0) } == test.inputs[0].signature)
        #expect(throws: PSBTError.self) { try psbt.finalize() }
    }

    /// By default only ALL and DEFAULT are signed: NONE/SINGLE/ANYONECANPAY need opting in.
    @Test func nonDefaultSighashNeedsOptIn() throws {
        let test = try #require(Self.cases.first { $0.name == "non-default-sighash" })
        var psbt = try PSBT(base64: test.psbt)
        #expect(psbt.inputs[0].sighashType == .singleAnyoneCanPay && psbt.inputs[1].sighashType == .all)
        let report = try psbt.sign(with: .extendedKey(try Self.extendedKey("xprv")), schnorrAuxiliaryRandomness: Self.zeroAux)
        #expect(report.signed.map(\.index) == [1])
        #expect(report.signed.first?.sighashType == .all)
        #expect(report.skipped.map(\.index) == [0])
        #expect(report.skipped.first?.reason == "sighash type SINGLE|ANYONECANPAY is not allowed by the signing policy")
        #expect(psbt.inputs[0].partialSignatures.isEmpty)
        #expect(psbt.inputs[1].tapKeySignature?.count == 65)
    }

    @Test func wrongKeySignsNothing() throws {
        let other = try ExtendedPrivateKey(seed: SecretBytes([UInt8](repeating: 7, count: 32)))
        for test in Self.cases {
            var psbt = try PSBT(base64: test.psbt)
            let report = try psbt.sign(with: .extendedKey(other))
            #expect(report.signed.isEmpty)
            #expect(report.skipped.count == psbt.inputs.count)
            // An account key at the wrong position matches nothing either.
            let wrongAccount = try Self.extendedKey("xprv").derive(path: DerivationPath(parsing: "m/84'/0'/1'"))
            #expect(try psbt.sign(with: .extendedKey(wrongAccount)).signed.isEmpty)
            #expect(try psbt.sign(with: .extendedKey(try Self.extendedKey("account_zprv_84"), masterFingerprint: 0x0102_0304)).signed.isEmpty)
        }
    }

    /// A UTXO that contradicts the transaction or the other UTXO field stops the signer.
    @Test func mismatchedUTXOsAreRefused() throws {
        let test = try #require(Self.cases.first { $0.name == "mixed-with-foreign-input" })
        let original = try PSBT(base64: test.psbt)
        let key = PSBTSigningKey.extendedKey(try Self.extendedKey("xprv"))

        // Input 0 carries a non-witness UTXO; a witness UTXO with another amount contradicts it.
        var contradicting = original
        let real = try #require(try original.spentOutput(of: 0))
        try contradicting.updateInput(0) { $0.witnessUTXO = BitcoinTransaction.Output(value: real.value + 1, scriptPubKey: real.scriptPubKey) }
        #expect(throws: PSBTError.self) { try contradicting.sign(with: key) }
        #expect(contradicting.inputs[1].tapKeySignature == nil)

        // A non-witness UTXO that is not the spent transaction.
        var wrongTransaction = original
        try wrongTransaction.updateInput(0) { input in
            var previous = input.nonWitnessUTXO!
            previous.lockTime += 1
            input.nonWitnessUTXO = previous
        }
        #expect(throws: PSBTError.self) { try wrongTransaction.sign(with: key) }

        // No UTXO at all: skipped, not signed.
        var missing = original
        try missing.updateInput(0) { $0.nonWitnessUTXO = nil }
        let report = try missing.sign(with: key)
        #expect(report.skipped.contains { $0.index == 0 && $0.reason.hasPrefix("no UTXO") })
        // ...and the taproot input then cannot be signed either: its sighash commits to every amount.
        #expect(report.skipped.contains { $0.index == 1 && $0.reason.contains("every input's UTXO") })
    }

    @Test func finalizeNamesTheFirstUnfinishedInput() throws {
        let test = try #require(Self.cases.first { $0.name == "mixed-with-foreign-input" })
        var psbt = try PSBT(base64: test.psbt)
        try psbt.sign(with: .extendedKey(try Self.extendedKey("xprv")))
        let before = psbt
        do {
            try psbt.finalize()
            Issue.record("finalised a PSBT with an unsigned input")
        } catch {
            #expect(error.description == "input 2 cannot be finalised: no signature from the key it pays to")
        }
        #expect(psbt == before)
    }

    @Test func tamperedSignatureIsNotFinalised() throws {
        let test = try #require(Self.cases.first { $0.name == "p2tr-key-path" })
        var psbt = try PSBT(base64: test.psbt)
        try psbt.sign(with: .extendedKey(try Self.extendedKey("xprv")), schnorrAuxiliaryRandomness: Self.zeroAux)
        try psbt.updateInput(1) { input in
            var signature = input.tapKeySignature!
            signature[10] ^= 1
            input.tapKeySignature = signature
        }
        #expect(throws: PSBTError.self) { try psbt.finalize() }
    }
}
