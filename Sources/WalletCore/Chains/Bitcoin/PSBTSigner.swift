extension PSBT {
    /// Signs every input that `key` can sign: p2wpkh and p2sh-p2wpkh with ECDSA (RFC 6979,
    /// low-S, DER plus the sighash byte, into PSBT_IN_PARTIAL_SIG) and p2tr key path with
    /// BIP340 Schnorr under the BIP86/BIP341 tweak (64 bytes for DEFAULT, else 65, into
    /// PSBT_IN_TAP_KEY_SIG).
    ///
    /// An input is signed only when its spent output is known (PSBT_IN_WITNESS_UTXO, or
    /// PSBT_IN_NON_WITNESS_UTXO whose txid matches) and its script is the one the key pays to;
    /// otherwise it is skipped and the report says why. The sighash type is the input's
    /// PSBT_IN_SIGHASH_TYPE, else ALL (segwit v0) or DEFAULT (taproot); a type outside
    /// `allowedSighashTypes` is refused (NONE and SINGLE let others change the outputs).
    /// Contradictory data (UTXOs that disagree, a redeem script that does not hash to the
    /// output) throws and leaves the PSBT unchanged.
    ///
    /// `schnorrAuxiliaryRandomness` (32 bytes) is for reproducible tests; nil draws fresh
    /// randomness for each signature as BIP340 recommends.
    @discardableResult
    public mutating func sign(
        with key: PSBTSigningKey,
        allowedSighashTypes: Set<SighashType> = [.all, .default],
        schnorrAuxiliaryRandomness: [UInt8]? = nil
    ) throws(PSBTError) -> PSBTSigningReport {
        var report = PSBTSigningReport()
        var signedInputs = inputs
        let spentOutputs = try (0..<inputs.count).map { index throws(PSBTError) in try spentOutput(of: index) }
        let shared = SegwitV0SharedHashes(unsignedTransaction)
        for index in inputs.indices {
            let outcome = try signInput(
                index, key: key, spentOutputs: spentOutputs, shared: shared, allowed: allowedSighashTypes, aux: schnorrAuxiliaryRandomness)
            switch outcome {
            case .signed(let input, let record):
                signedInputs[index] = input
                report.signed.append(record)
            case .skipped(let reason):
                report.skipped.append(PSBTSigningReport.SkippedInput(index: index, reason: reason))
            }
        }
        inputs = signedInputs
        return report
    }

    /// The output input `index` spends, from its UTXO fields; nil when it has none. Throws when
    /// the fields contradict each other or the unsigned transaction.
    public func spentOutput(of index: Int) throws(PSBTError) -> BitcoinTransaction.Output? {
        guard inputs.indices.contains(index) else { throw PSBTError("PSBT has no input \(index)") }
        let input = inputs[index]
        let outpoint = unsignedTransaction.inputs[index].previousOutput
        var fromPrevious: BitcoinTransaction.Output?
        if let previous = input.nonWitnessUTXO {
            guard previous.transactionHash == outpoint.transactionHash else {
                throw PSBTError("input \(index): PSBT_IN_NON_WITNESS_UTXO is transaction \(previous.txid), but the input spends \(outpoint.txid)")
            }
            guard Int(outpoint.index) < previous.outputs.count else {
                throw PSBTError("input \(index) spends output \(outpoint.index) of \(outpoint.txid), which has only \(previous.outputs.count) output(s)")
            }
            fromPrevious = previous.outputs[Int(outpoint.index)]
        }
        if let witness = input.witnessUTXO {
            if let fromPrevious, fromPrevious != witness {
                throw PSBTError("input \(index): PSBT_IN_WITNESS_UTXO does not match output \(outpoint.index) of PSBT_IN_NON_WITNESS_UTXO")
            }
            return witness
        }
        return fromPrevious
    }

    private enum InputOutcome {
        case signed(PSBTInput, PSBTSigningReport.SignedInput)
        case skipped(String)
    }

    private func signInput(
        _ index: Int, key: PSBTSigningKey, spentOutputs: [BitcoinTransaction.Output?], shared: SegwitV0SharedHashes,
        allowed: Set<SighashType>, aux: [UInt8]?
    ) throws(PSBTError) -> InputOutcome {
        var input = inputs[index]
        if input.isFinalized { return .skipped("already finalised") }
        guard let spent = spentOutputs[index] else {
            return .skipped("no UTXO: the input has neither PSBT_IN_WITNESS_UTXO nor PSBT_IN_NON_WITNESS_UTXO")
        }
        switch BitcoinScript.template(of: spent.scriptPubKey) {
        case .p2wpkh(let hash):
            return try signECDSA(
                &input, index: index, script: spent.scriptPubKey, keyHash: hash, method: .p2wpkh, amount: spent.value, key: key, shared: shared, allowed: allowed)
        case .p2sh(let scriptHash):
            guard let redeemScript = input.redeemScript else {
                return .skipped("p2sh input without PSBT_IN_REDEEM_SCRIPT")
            }
            guard Hash160.hash(redeemScript) == scriptHash else {
                throw PSBTError("input \(index): PSBT_IN_REDEEM_SCRIPT does not hash to the p2sh scriptPubKey it spends")
            }
            guard case .p2wpkh(let hash) = BitcoinScript.template(of: redeemScript) else {
                return .skipped("unsupported p2sh redeem script (only p2sh-p2wpkh is signed)")
            }
            return try signECDSA(
                &input, index: index, script: spent.scriptPubKey, keyHash: hash, method: .p2shP2wpkh, amount: spent.value, key: key, shared: shared, allowed: allowed)
        case .p2tr(let outputKey):
            return try signTaproot(
                &input, index: index, script: spent.scriptPubKey, outputKey: outputKey, spentOutputs: spentOutputs, key: key, allowed: allowed, aux: aux)
        case .other:
            return .skipped("unsupported scriptPubKey (only p2wpkh, p2sh-p2wpkh and p2tr key path are signed)")
        }
    }

    /// `script` is the spent scriptPubKey (`keyHash` the key hash it commits to, directly or
    /// through the redeem script); the key is found by the same ownership rules as change
    /// outputs (``PSBT/ownedOutputScheme(_:keys:)``).
    private func signECDSA(
        _ input: inout PSBTInput, index: Int, script: [UInt8], keyHash: [UInt8], method: PSBTSigningReport.Method, amount: UInt64,
        key: PSBTSigningKey, shared: SegwitV0SharedHashes, allowed: Set<SighashType>
    ) throws(PSBTError) -> InputOutcome {
        let scheme: BitcoinScheme = method == .p2wpkh ? .p2wpkh : .p2shP2wpkh
        var privateKey: Secp256k1.PrivateKey?
        if let single = key.singleKey {
            if PSBTOwnership.scheme(ofSingleKey: single.publicKey, paying: script, merkleRoot: nil, declaredInternalKey: nil) == scheme {
                privateKey = single
            }
        } else if let proven = PSBTOwnership.provenKey(
            paying: script, merkleRoot: nil, declaredInternalKey: nil, records: input.bip32Derivations, tapRecords: [],
            derive: key.privateKey(for:), publicKey: \.publicKey), proven.scheme == scheme {
            privateKey = proven.key
        }
        guard let privateKey else { return .skipped("no key matches this input") }
        let sighashType = input.sighashType ?? .all
        guard SighashType.standardSegwitV0.contains(sighashType) else {
            return .skipped("sighash type \(sighashType) is not valid for segwit v0")
        }
        guard allowed.contains(sighashType) else { return .skipped("sighash type \(sighashType) is not allowed by the signing policy") }
        let publicKey = privateKey.publicKey
        do {
            let digest = try unsignedTransaction.segwitV0SignatureHash(
                inputIndex: index, scriptCode: BitcoinScript.p2wpkhScriptCode(publicKeyHash: keyHash), amount: amount, sighashType: sighashType,
                shared: shared)
            let der = try privateKey.signRecoverable(digest: digest).der
            guard publicKey.isValidSignature(der: der, digest: digest) else { throw PSBTError("input \(index): the new signature does not verify") }
            input.setPartialSignature(der + [UInt8(truncatingIfNeeded: sighashType.rawValue)], publicKey: publicKey.compressed)
        } catch let error as PSBTError {
            throw error
        } catch {
            throw PSBTError("input \(index): \(error)")
        }
        return .signed(input, .init(index: index, method: method, publicKey: publicKey.compressed, sighashType: sighashType))
    }

    private func signTaproot(
        _ input: inout PSBTInput, index: Int, script: [UInt8], outputKey: [UInt8], spentOutputs: [BitcoinTransaction.Output?],
        key: PSBTSigningKey, allowed: Set<SighashType>, aux: [UInt8]?
    ) throws(PSBTError) -> InputOutcome {
        let merkleRoot = input.tapMerkleRoot
        var privateKey: Secp256k1.PrivateKey?
        if let single = key.singleKey {
            if PSBTOwnership.scheme(ofSingleKey: single.publicKey, paying: script, merkleRoot: merkleRoot, declaredInternalKey: input.tapInternalKey) == .p2tr {
                privateKey = single
            }
        } else {
            privateKey = PSBTOwnership.provenKey(
                paying: script, merkleRoot: merkleRoot, declaredInternalKey: input.tapInternalKey, records: [],
                tapRecords: input.tapBIP32Derivations, derive: key.privateKey(for:), publicKey: \.publicKey)?.key
        }
        guard let privateKey else { return .skipped("no key matches this input") }
        let sighashType = input.sighashType ?? .default
        guard SighashType.validTaproot.contains(sighashType) else { return .skipped("sighash type \(sighashType) is not valid for taproot") }
        guard allowed.contains(sighashType) else { return .skipped("sighash type \(sighashType) is not allowed by the signing policy") }
        if !sighashType.anyoneCanPay, let missing = spentOutputs.firstIndex(where: { $0 == nil }) {
            return .skipped("taproot signing needs every input's UTXO; input \(missing) has none")
        }
        do {
            let digest = try unsignedTransaction.taprootSignatureHash(inputIndex: index, spentOutputs: spentOutputs, sighashType: sighashType)
            let tweaked = try privateKey.taprootTweaked(merkleRoot: merkleRoot)
            let signature = try tweaked.signSchnorr(message: digest, auxiliaryRandomness: aux)
            guard Secp256k1.isValidSchnorrSignature(signature, message: digest, xOnlyPublicKey: outputKey) else {
                throw PSBTError("input \(index): the new signature does not verify")
            }
            input.tapKeySignature = sighashType == .default ? signature : signature + [UInt8(sighashType.rawValue)]
        } catch let error as PSBTError {
            throw error
        } catch {
            throw PSBTError("input \(index): \(error)")
        }
        return .signed(input, .init(index: index, method: .p2trKeyPath, publicKey: outputKey, sighashType: sighashType))
    }
}
