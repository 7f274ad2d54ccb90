import Foundation
import Testing
import WalletCore

/// The examples of BIP143 (Tests/Vectors/bip-0143.mediawiki). Every hex string used here is
/// checked to appear verbatim in the copied specification, so a typo cannot make a test pass.
struct BIP143SighashTests {
    static let spec: String = (try? TestVectors.text("bip-0143.mediawiki")) ?? ""

    /// `hex(text)` for a string that must appear in BIP143 (whitespace-separated fields are joined).
    static func fromSpec(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [UInt8] {
        #expect(spec.contains(text), "not in bip-0143.mediawiki: \(text.prefix(40))…", sourceLocation: sourceLocation)
        return hex(text)
    }

    /// The scriptCode as printed (with its length byte), stripped to the bare script.
    static func scriptCode(_ printed: String) -> [UInt8] { Array(fromSpec(printed).dropFirst()) }

    @Test func nativeP2WPKH() throws {
        let unsigned = try BitcoinTransaction(serialized: Self.fromSpec("0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac11000000"))
        let key = try Secp256k1.PrivateKey(Self.fromSpec("619c335025c7f4012e556c2a58b2506e30b8511b53ade95ea316fd8c3286feb9"))
        let publicKey = key.publicKey.compressed
        #expect(publicKey == Self.fromSpec("025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee6357"))
        let keyHash = Hash160.hash(publicKey)
        #expect(BitcoinScript.p2wpkh(publicKeyHash: keyHash) == Self.fromSpec("00141d0f172a0ecb48aee1be1f2687d2963ae33f71a1"))

        let scriptCode = BitcoinScript.p2wpkhScriptCode(publicKeyHash: keyHash)
        let amount: UInt64 = 600_000_000
        let message = try unsigned.segwitV0SignatureMessage(inputIndex: 1, scriptCode: scriptCode, amount: amount, sighashType: .all)
        #expect(message == Self.fromSpec("0100000096b827c8483d4e9b96712b6713a7b68d6e8003a781feba36c31143470b4efd3752b0a642eea2fb7ae638c36f6252b6750293dbe574a806984b8e4d8548339a3bef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a010000001976a9141d0f172a0ecb48aee1be1f2687d2963ae33f71a188ac0046c32300000000ffffffff863ef3e1a92afbfdb97f31ad0fc7683ee943e9abcf2501590ff8f6551f47e5e51100000001000000"))
        let digest = try unsigned.segwitV0SignatureHash(inputIndex: 1, scriptCode: scriptCode, amount: amount, sighashType: .all)
        #expect(digest == Self.fromSpec("c37af31116d1b27caf68aae9e3ac82f1477929014d5b917657d0eb49478cb670"))
        let signature = try key.signRecoverable(digest: digest).der + [0x01]
        #expect(signature == Self.fromSpec("304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee01"))

        // The first input (p2pk, legacy sighash) is signed in the spec; take its scriptSig from there.
        var signed = unsigned
        signed.inputs[0].scriptSig = Self.fromSpec("4830450221008b9d1dc26ba6a9cb62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be022040529b194ba3f9281a99f2b1c0a19c0489bc22ede944ccf4ecbab4cc618ef3ed01")
        signed.inputs[1].witness = [signature, publicKey]
        let expected = Self.fromSpec("01000000000102fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f00000000494830450221008b9d1dc26ba6a9cb62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be022040529b194ba3f9281a99f2b1c0a19c0489bc22ede944ccf4ecbab4cc618ef3ed01eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac000247304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee0121025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee635711000000")
        #expect(signed.serialized() == expected)
        #expect(try BitcoinTransaction(serialized: expected) == signed)
        #expect(signed.wtxid != signed.txid)
        #expect(signed.transactionHash == DoubleSHA256.hash(signed.serialized(includingWitness: false)))
    }

    @Test func p2shP2WPKH() throws {
        let unsigned = try BitcoinTransaction(serialized: Self.fromSpec("0100000001db6b1b20aa0fd7b23880be2ecbd4a98130974cf4748fb66092ac4d3ceb1a54770100000000feffffff02b8b4eb0b000000001976a914a457b684d7f0d539a46a45bbc043f35b59d0d96388ac0008af2f000000001976a914fd270b1ee6abcaea97fea7ad0402e8bd8ad6d77c88ac92040000"))
        let key = try Secp256k1.PrivateKey(Self.fromSpec("eb696a065ef48a2192da5b28b694f87544b30fae8327c4510137a922f32c6dcf"))
        let keyHash = Hash160.hash(key.publicKey.compressed)
        let redeemScript = BitcoinScript.p2wpkh(publicKeyHash: keyHash)
        #expect(redeemScript == Self.fromSpec("001479091972186c449eb1ded22b78e40d009bdf0089"))
        #expect(BitcoinScript.p2sh(scriptHash: Hash160.hash(redeemScript)) == Self.fromSpec("a9144733f37cf4db86fbc2efed2500b4f4e49f31202387"))
        let digest = try unsigned.segwitV0SignatureHash(
            inputIndex: 0, scriptCode: BitcoinScript.p2wpkhScriptCode(publicKeyHash: keyHash), amount: 1_000_000_000, sighashType: .all)
        #expect(digest == Self.fromSpec("64f3b0f4dd2bb3aa1ce8566d220cc74dda9df97d8490cc81d89d735c92e59fb6"))
        let signature = try key.signRecoverable(digest: digest).der + [0x01]
        #expect(signature == Self.fromSpec("3044022047ac8e878352d3ebbde1c94ce3a10d057c24175747116f8288e5d794d12d482f0220217f36a485cae903c713331d877c1f64677e3622ad4010726870540656fe9dcb01"))
        var signed = unsigned
        signed.inputs[0].scriptSig = BitcoinScript.push(redeemScript)
        signed.inputs[0].witness = [signature, key.publicKey.compressed]
        #expect(signed.serialized() == Self.fromSpec("01000000000101db6b1b20aa0fd7b23880be2ecbd4a98130974cf4748fb66092ac4d3ceb1a5477010000001716001479091972186c449eb1ded22b78e40d009bdf0089feffffff02b8b4eb0b000000001976a914a457b684d7f0d539a46a45bbc043f35b59d0d96388ac0008af2f000000001976a914fd270b1ee6abcaea97fea7ad0402e8bd8ad6d77c88ac02473044022047ac8e878352d3ebbde1c94ce3a10d057c24175747116f8288e5d794d12d482f0220217f36a485cae903c713331d877c1f64677e3622ad4010726870540656fe9dcb012103ad1d8e89212f0b92c74d23bb710c00662ad1470198ac48c43f7d6f93a2a2687392040000"))
    }

    /// Native P2WSH: SINGLE on input 1 with no matching output hashes zero outputs, and the
    /// OP_CODESEPARATOR scriptCodes (given by the spec) hash as printed.
    @Test func nativeP2WSHSingleWithoutMatchingOutput() throws {
        let unsigned = try BitcoinTransaction(serialized: Self.fromSpec("0100000002fe3dc9208094f3ffd12645477b3dc56f60ec4fa8e6f5d67c565d1c6b9216b36e0000000000ffffffff0815cf020f013ed6cf91d29f4202e8a58726b1ac6c79da47c23d1bee0a6925f80000000000ffffffff0100f2052a010000001976a914a30741f8145e5acadf23f751864167f32e0963f788ac00000000"))
        let cases: [(scriptCode: String, sighash: String, key: String, signature: String)] = [
            ("4721026dccc749adc2a9d0d89497ac511f760f45c47dc5ed9cf352a58ac706453880aeadab210255a9626aebf5e29c0e6538428ba0d1dcf6ca98ffdf086aa8ced5e0d0215ea465ac",
             "82dde6e4f1e94d02c2b7ad03d2115d691f48d064e9d52f58194a6637e4194391",
             "8e02b539b1500aa7c81cf3fed177448a546f19d2be416c0c61ff28e577d8d0cd",
             "3044022027dc95ad6b740fe5129e7e62a75dd00f291a2aeb1200b84b09d9e3789406b6c002201a9ecd315dd6a0e632ab20bbb98948bc0c6fb204f2c286963bb48517a7058e2703"),
            ("23210255a9626aebf5e29c0e6538428ba0d1dcf6ca98ffdf086aa8ced5e0d0215ea465ac",
             "fef7bd749cce710c5c052bd796df1af0d935e59cea63736268bcbe2d2134fc47",
             "86bf2ed75935a0cbef03b89d72034bb4c189d381037a5ac121a70016db8896ec",
             "304402200de66acf4527789bfda55fc5459e214fa6083f936b430a762c629656216805ac0220396f550692cd347171cbc1ef1f51e15282e837bb2b30860dc77c8f78bc8501e503"),
        ]
        for test in cases {
            let digest = try unsigned.segwitV0SignatureHash(inputIndex: 1, scriptCode: Self.scriptCode(test.scriptCode), amount: 4_900_000_000, sighashType: .single)
            #expect(digest == Self.fromSpec(test.sighash))
            let key = try Secp256k1.PrivateKey(Self.fromSpec(test.key))
            #expect(try key.signRecoverable(digest: digest).der + [0x03] == Self.fromSpec(test.signature))
        }
    }

    /// SINGLE|ANYONECANPAY, which commits to neither the other inputs nor the input index.
    @Test func singleAnyoneCanPay() throws {
        let unsigned = try BitcoinTransaction(serialized: Self.fromSpec("0100000002e9b542c5176808107ff1df906f46bb1f2583b16112b95ee5380665ba7fcfc0010000000000ffffffff80e68831516392fcd100d186b3c2c7b95c80b53c77e77c35ba03a66b429a2a1b0000000000ffffffff0280969800000000001976a914de4b231626ef508c9a74a8517e6783c0546d6b2888ac80969800000000001976a9146648a8cd4531e1ec47f35916de8e259237294d1e88ac00000000"))
        let key = try Secp256k1.PrivateKey(Self.fromSpec("f52b3484edd96598e02a9c89c4492e9c1e2031f471c49fd721fe68b3ce37780d"))
        let cases: [(input: Int, scriptCode: String, sighash: String, signature: String)] = [
            (0, "270063ab68210392972e2eb617b2388771abe27235fd5ac44af8e61693261550447a4c3e39da98ac",
             "e9071e75e25b8a1e298a72f0d2e9f4f95a0f5cdf86a533cda597eb402ed13b3a",
             "3045022100f6a10b8604e6dc910194b79ccfc93e1bc0ec7c03453caaa8987f7d6c3413566002206216229ede9b4d6ec2d325be245c5b508ff0339bf1794078e20bfe0babc7ffe683"),
            (1, "2468210392972e2eb617b2388771abe27235fd5ac44af8e61693261550447a4c3e39da98ac",
             "cd72f1f1a433ee9df816857fad88d8ebd97e09a75cd481583eb841c330275e54",
             "30440220032521802a76ad7bf74d0e2c218b72cf0cbc867066e2e53db905ba37f130397e02207709e2188ed7f08f4c952d9d13986da504502b8c3be59617e043552f506c46ff83"),
        ]
        for test in cases {
            let digest = try unsigned.segwitV0SignatureHash(inputIndex: test.input, scriptCode: Self.scriptCode(test.scriptCode), amount: 16_777_215, sighashType: .singleAnyoneCanPay)
            #expect(digest == Self.fromSpec(test.sighash))
            #expect(try key.signRecoverable(digest: digest).der + [0x83] == Self.fromSpec(test.signature))
        }
    }

    /// P2SH-P2WSH 6-of-6: the same input signed under all six sighash types.
    @Test func p2shP2WSHAllSixSighashTypes() throws {
        let unsigned = try BitcoinTransaction(serialized: Self.fromSpec("010000000136641869ca081e70f394c6948e8af409e18b619df2ed74aa106c1ca29787b96e0100000000ffffffff0200e9a435000000001976a914389ffce9cd9ae88dcc0631e88a821ffdbe9bfe2688acc0832f05000000001976a9147480a33f950689af511e6e84c138dbbd3c3ee41588ac00000000"))
        let witnessScript = Self.fromSpec("56210307b8ae49ac90a048e9b53357a2354b3334e9c8bee813ecb98e99a7e07e8c3ba32103b28f0c28bfab54554ae8c658ac5c3e0ce6e79ad336331f78c428dd43eea8449b21034b8113d703413d57761b8b9781957b8c0ac1dfe69f492580ca4195f50376ba4a21033400f6afecb833092a9a21cfdf1ed1376e58c5d1f47de74683123987e967a8f42103a6d48b1131e94ba04d9737d61acdaa1322008af9602b3b14862c07a1789aac162102d8b661b0b3302ee2f162b09e07a55ad5dfbe673a9f01d9f0c19617681024306b56ae")
        let cases: [(SighashType, sighash: String, key: String, signature: String)] = [
            (.all, "185c0be5263dce5b4bb50a047973c1b6272bfbd0103a89444597dc40b248ee7c", "730fff80e1413068a05b57d6a58261f07551163369787f349438ea38ca80fac6",
             "304402206ac44d672dac41f9b00e28f4df20c52eeb087207e8d758d76d92c6fab3b73e2b0220367750dbbe19290069cba53d096f44530e4f98acaa594810388cf7409a1870ce01"),
            (.none, "e9733bc60ea13c95c6527066bb975a2ff29a925e80aa14c213f686cbae5d2f36", "11fa3d25a17cbc22b29c44a484ba552b5a53149d106d3d853e22fdd05a2d8bb3",
             "3044022068c7946a43232757cbdf9176f009a928e1cd9a1a8c212f15c1e11ac9f2925d9002205b75f937ff2f9f3c1246e547e54f62e027f64eefa2695578cc6432cdabce271502"),
            (.single, "1e1f1c303dc025bd664acb72e583e933fae4cff9148bf78c157d1e8f78530aea", "77bf4141a87d55bdd7f3cd0bdccf6e9e642935fec45f2f30047be7b799120661",
             "3044022059ebf56d98010a932cf8ecfec54c48e6139ed6adb0728c09cbe1e4fa0915302e022007cd986c8fa870ff5d2b3a89139c9fe7e499259875357e20fcbb15571c76795403"),
            (.allAnyoneCanPay, "2a67f03e63a6a422125878b40b82da593be8d4efaafe88ee528af6e5a9955c6e", "14af36970f5025ea3e8b5542c0f8ebe7763e674838d08808896b63c3351ffe49",
             "3045022100fbefd94bd0a488d50b79102b5dad4ab6ced30c4069f1eaa69a4b5a763414067e02203156c6a5c9cf88f91265f5a942e96213afae16d83321c8b31bb342142a14d16381"),
            (.noneAnyoneCanPay, "781ba15f3779d5542ce8ecb5c18716733a5ee42a6f51488ec96154934e2c890a", "fe9a95c19eef81dde2b95c1284ef39be497d128e2aa46916fb02d552485e0323",
             "3045022100a5263ea0553ba89221984bd7f0b13613db16e7a70c549a86de0cc0444141a407022005c360ef0ae5a5d4f9f2f87a56c1546cc8268cab08c73501d6b3be2e1e1a8a0882"),
            (.singleAnyoneCanPay, "511e8e52ed574121fc1b654970395502128263f62662e076dc6baf05c2e6a99b", "428a7aee9f0c2af0cd19af3cf1c78149951ea528726989b2e83e4778d2c3f890",
             "30440220525406a1482936d5a21888260dc165497a90a15669636d8edca6b9fe490d309c022032af0c646a34a44d1f4576bf6a4a74b67940f8faa84c7df9abe12a01a11e2b4783"),
        ]
        for (type, sighash, key, signature) in cases {
            let digest = try unsigned.segwitV0SignatureHash(inputIndex: 0, scriptCode: witnessScript, amount: 987_654_321, sighashType: type)
            #expect(digest == Self.fromSpec(sighash), "\(type)")
            let privateKey = try Secp256k1.PrivateKey(Self.fromSpec(key))
            #expect(try privateKey.signRecoverable(digest: digest).der + [UInt8(type.rawValue)] == Self.fromSpec(signature), "\(type)")
        }
    }

    /// The P2SH-P2WPKH example through the PSBT roles: creator, updater, signer (single key,
    /// matched by script), finaliser, extractor, ending in the spec's signed transaction.
    @Test func p2shP2WPKHThroughPSBT() throws {
        let unsigned = try BitcoinTransaction(serialized: Self.fromSpec("0100000001db6b1b20aa0fd7b23880be2ecbd4a98130974cf4748fb66092ac4d3ceb1a54770100000000feffffff02b8b4eb0b000000001976a914a457b684d7f0d539a46a45bbc043f35b59d0d96388ac0008af2f000000001976a914fd270b1ee6abcaea97fea7ad0402e8bd8ad6d77c88ac92040000"))
        let key = try Secp256k1.PrivateKey(Self.fromSpec("eb696a065ef48a2192da5b28b694f87544b30fae8327c4510137a922f32c6dcf"))
        var psbt = try PSBT(unsignedTransaction: unsigned)
        try psbt.updateInput(0) { input in
            input.witnessUTXO = BitcoinTransaction.Output(value: 1_000_000_000, scriptPubKey: Self.fromSpec("a9144733f37cf4db86fbc2efed2500b4f4e49f31202387"))
        }
        // Without the redeem script the signer cannot tell what the p2sh output wraps.
        #expect(try psbt.sign(with: .privateKey(key)).skipped.first?.reason == "p2sh input without PSBT_IN_REDEEM_SCRIPT")
        try psbt.updateInput(0) { $0.redeemScript = [0x00] }
        #expect(throws: PSBTError.self) { try psbt.sign(with: .privateKey(key)) }
        try psbt.updateInput(0) { $0.redeemScript = Self.fromSpec("001479091972186c449eb1ded22b78e40d009bdf0089") }
        let report = try psbt.sign(with: .privateKey(key))
        #expect(report.signed.first?.method == .p2shP2wpkh)
        #expect(psbt.inputs[0].partialSignatures.first?.signature == Self.fromSpec("3044022047ac8e878352d3ebbde1c94ce3a10d057c24175747116f8288e5d794d12d482f0220217f36a485cae903c713331d877c1f64677e3622ad4010726870540656fe9dcb01"))
        let signed = try psbt.finalize()
        #expect(signed.serialized() == Self.fromSpec("01000000000101db6b1b20aa0fd7b23880be2ecbd4a98130974cf4748fb66092ac4d3ceb1a5477010000001716001479091972186c449eb1ded22b78e40d009bdf0089feffffff02b8b4eb0b000000001976a914a457b684d7f0d539a46a45bbc043f35b59d0d96388ac0008af2f000000001976a914fd270b1ee6abcaea97fea7ad0402e8bd8ad6d77c88ac02473044022047ac8e878352d3ebbde1c94ce3a10d057c24175747116f8288e5d794d12d482f0220217f36a485cae903c713331d877c1f64677e3622ad4010726870540656fe9dcb012103ad1d8e89212f0b92c74d23bb710c00662ad1470198ac48c43f7d6f93a2a2687392040000"))
        // Finalising cleared the signing fields and kept the UTXO.
        #expect(psbt.inputs[0].partialSignatures.isEmpty && psbt.inputs[0].redeemScript == nil)
        #expect(psbt.inputs[0].witnessUTXO != nil && psbt.inputs[0].isFinalized)
        #expect(try PSBT(serialized: psbt.serialized) == psbt)
    }

    @Test func inputOutOfRangeIsAnError() throws {
        let transaction = BitcoinTransaction(inputs: [], outputs: [])
        #expect(throws: SighashError.self) {
            try transaction.segwitV0SignatureHash(inputIndex: 0, scriptCode: [], amount: 0, sighashType: .all)
        }
    }
}
