extension PSBT {
    /// Completes every input (BIP174 finaliser) and returns the signed transaction (extractor).
    ///
    /// p2wpkh and p2sh-p2wpkh inputs get PSBT_IN_FINAL_SCRIPTWITNESS `[signature, public key]`
    /// (and the redeem-script push as PSBT_IN_FINAL_SCRIPTSIG); p2tr inputs get `[key-path
    /// signature]`. Signatures are verified first. Inputs already finalised are kept as they
    /// are. The signing fields of finalised inputs are then removed, as BIP174 requires; UTXOs,
    /// proprietary and unknown pairs stay. Throws, naming the first input that cannot be
    /// finalised, and then leaves the PSBT unchanged.
    @discardableResult
    public mutating func finalize() throws(PSBTError) -> BitcoinTransaction {
        var finalized = inputs
        let shared = SegwitV0SharedHashes(unsignedTransaction)
        for index in inputs.indices where !inputs[index].isFinalized {
            let (scriptSig, witness) = try finalScripts(index, shared: shared)
            var input = inputs[index]
            input.entries.removeAll { Self.clearedOnFinalize.contains($0.keyType) }
            if let scriptSig { input.entries.append(PSBTKeyValue(keyType: PSBTInput.KeyType.finalScriptSig, value: scriptSig)) }
            input.entries.append(PSBTKeyValue(keyType: PSBTInput.KeyType.finalScriptWitness, value: BitcoinTransaction.serializeWitness(witness)))
            finalized[index] = input
        }
        inputs = finalized
        return try extractTransaction()
    }

    /// The network transaction of a fully finalised PSBT (BIP174 transaction extractor).
    public func extractTransaction() throws(PSBTError) -> BitcoinTransaction {
        var transaction = unsignedTransaction
        for index in inputs.indices {
            let input = inputs[index]
            guard input.isFinalized else { throw PSBTError("input \(index) is not finalised") }
            transaction.inputs[index].scriptSig = input.finalScriptSig ?? []
            transaction.inputs[index].witness = input.finalScriptWitness ?? []
        }
        return transaction
    }

    /// Input fields a finaliser removes (BIP174, BIP371): everything used only for signing.
    static let clearedOnFinalize: Set<UInt64> = [
        PSBTInput.KeyType.partialSignature, PSBTInput.KeyType.sighashType, PSBTInput.KeyType.redeemScript,
        PSBTInput.KeyType.witnessScript, PSBTInput.KeyType.bip32Derivation,
        PSBTInput.KeyType.tapKeySignature, PSBTInput.KeyType.tapScriptSignature, PSBTInput.KeyType.tapLeafScript,
        PSBTInput.KeyType.tapBIP32Derivation, PSBTInput.KeyType.tapInternalKey, PSBTInput.KeyType.tapMerkleRoot,
    ]

    private func finalScripts(_ index: Int, shared: SegwitV0SharedHashes) throws(PSBTError) -> (scriptSig: [UInt8]?, witness: [[UInt8]]) {
        let input = inputs[index]
        guard let spent = try spentOutput(of: index) else {
            throw PSBTError("input \(index) cannot be finalised: it has no UTXO (witness_utxo or non_witness_utxo)")
        }
        switch BitcoinScript.template(of: spent.scriptPubKey) {
        case .p2wpkh(let hash):
            return (nil, try ecdsaWitness(index, keyHash: hash, amount: spent.value, shared: shared))
        case .p2sh(let scriptHash):
            guard let redeemScript = input.redeemScript, Hash160.hash(redeemScript) == scriptHash,
                  case .p2wpkh(let hash) = BitcoinScript.template(of: redeemScript)
            else {
                throw PSBTError("input \(index) cannot be finalised: only p2sh-p2wpkh is supported for p2sh, with its redeem script")
            }
            return (BitcoinScript.push(redeemScript), try ecdsaWitness(index, keyHash: hash, amount: spent.value, shared: shared))
        case .p2tr(let outputKey):
            guard let signature = input.tapKeySignature else {
                throw PSBTError("input \(index) cannot be finalised: p2tr input has no key-path signature (PSBT_IN_TAP_KEY_SIG)")
            }
            let sighashType = signature.count == 65 ? SighashType(rawValue: UInt32(signature[64])) : .default
            guard signature.count == 64 || sighashType != .default else {
                throw PSBTError("input \(index) cannot be finalised: a 65-byte taproot signature may not use sighash byte 0x00")
            }
            let spentOutputs: [BitcoinTransaction.Output?]
            do {
                spentOutputs = try inputs.indices.map { other throws(PSBTError) in try spentOutput(of: other) }
                let digest = try unsignedTransaction.taprootSignatureHash(inputIndex: index, spentOutputs: spentOutputs, sighashType: sighashType)
                guard Secp256k1.isValidSchnorrSignature(Array(signature.prefix(64)), message: digest, xOnlyPublicKey: outputKey) else {
                    throw PSBTError("input \(index) cannot be finalised: its taproot signature does not verify")
                }
            } catch let error as PSBTError {
                throw error
            } catch {
                throw PSBTError("input \(index) cannot be finalised: \(error)")
            }
            return (nil, [signature])
        case .other:
            throw PSBTError("input \(index) cannot be finalised: unsupported scriptPubKey (only p2wpkh, p2sh-p2wpkh and p2tr key path)")
        }
    }

    /// `[signature, public key]` for the partial signature whose key hashes to `keyHash`, verified.
    private func ecdsaWitness(_ index: Int, keyHash: [UInt8], amount: UInt64, shared: SegwitV0SharedHashes) throws(PSBTError) -> [[UInt8]] {
        guard let (publicKeyBytes, signature) = inputs[index].partialSignatures.first(where: { Hash160.hash($0.publicKey) == keyHash }) else {
            throw PSBTError("input \(index) cannot be finalised: no signature from the key it pays to")
        }
        guard let sighashByte = signature.last, signature.count > 1,
              let publicKey = try? Secp256k1.PublicKey(publicKeyBytes)
        else { throw PSBTError("input \(index) cannot be finalised: malformed partial signature") }
        let sighashType = SighashType(rawValue: UInt32(sighashByte))
        guard let digest = try? unsignedTransaction.segwitV0SignatureHash(
            inputIndex: index, scriptCode: BitcoinScript.p2wpkhScriptCode(publicKeyHash: keyHash), amount: amount, sighashType: sighashType, shared: shared),
              publicKey.isValidSignature(der: Array(signature.dropLast()), digest: digest)
        else { throw PSBTError("input \(index) cannot be finalised: its signature does not verify") }
        return [signature, publicKeyBytes]
    }
}
