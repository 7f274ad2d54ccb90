extension PSBTBuilder {
    /// Relay fee increments as Bitcoin Core's default `-incrementalrelayfee`: 1,000 sat/kvB.
    public static let defaultIncrementalRelayFeeRate = BitcoinFeeRate(perKilovbyte: 1_000)

    /// A BIP125 replacement of `original` that pays a higher fee out of its change: the same
    /// inputs (with their UTXO, key and script fields; signatures and final scripts dropped), the
    /// same payment outputs, the same order, version and lock time, and the change output
    /// lowered by the fee increase. Every output keeps its index, so the original's map of
    /// payments to outputs still holds (the replacement's ``Built/paymentOutputIndices`` can only
    /// list the outputs other than the change, in index order). `original` is the PSBT as built, or signed but not finalised:
    /// finalising removes the key records a signer needs, so finalised inputs are refused.
    ///
    /// The new fee is the larger of the fee at `feeRate` for the replacement's estimated size and
    /// the original fee plus `incrementalRelayFeeRate` for that size (BIP125 rules 3 and 4). The
    /// estimated sizes are equal, so the fee rate rises too; the signed sizes may differ by a
    /// byte or so per ECDSA input, so ask for a `feeRate` above the original's rather than
    /// relying on the increment alone. Fails with ``BitcoinPayoutError/Kind/notReplaceable``
    /// when no input signals BIP125, ``BitcoinPayoutError/Kind/noChange`` without a change output,
    /// ``BitcoinPayoutError/Kind/changeBelowDust`` when the change would drop below `dustThreshold`,
    /// ``BitcoinPayoutError/Kind/feeAboveMaximum`` when the fee would exceed `maximumFee`.
    public static func replacement(
        of original: PSBT, changeOutputIndex: Int?, feeRate: BitcoinFeeRate,
        incrementalRelayFeeRate: BitcoinFeeRate = defaultIncrementalRelayFeeRate, dustThreshold: UInt64, maximumFee: UInt64
    ) throws(BitcoinPayoutError) -> Built {
        var transaction = original.unsignedTransaction
        guard transaction.inputs.contains(where: { $0.sequence < 0xFFFF_FFFE }) else {
            throw BitcoinPayoutError(.notReplaceable, "no input of \(transaction.txid) signals BIP125 replaceability (a sequence below 0xfffffffe)")
        }
        guard let changeIndex = changeOutputIndex else {
            throw BitcoinPayoutError(.noChange, "\(transaction.txid) has no change output to pay a higher fee from")
        }
        guard transaction.outputs.indices.contains(changeIndex) else {
            throw BitcoinPayoutError(.noChange, "\(transaction.txid) has no output \(changeIndex); it has \(transaction.outputs.count)")
        }
        let oldFee: UInt128
        var schemes: [BitcoinScheme] = []
        do throws(PSBTError) {
            oldFee = try original.fee()
            for index in original.inputs.indices { schemes.append(try spendScheme(of: original, input: index)) }
        } catch {
            throw BitcoinPayoutError(.unsupportedInput, "cannot replace \(transaction.txid): \(error.description)")
        }
        let virtualSize = BitcoinSizeEstimate.virtualSize(inputs: schemes, outputScripts: transaction.outputs.map(\.scriptPubKey))
        let newFee = max(feeRate.fee(virtualSize: virtualSize), oldFee + incrementalRelayFeeRate.fee(virtualSize: virtualSize))
        guard newFee <= UInt128(maximumFee) else {
            throw BitcoinPayoutError(
                .feeAboveMaximum, "the replacement of \(transaction.txid) would pay \(newFee) (\(virtualSize) vbytes at \(feeRate), and at least \(oldFee) + \(incrementalRelayFeeRate)), above the maximum fee \(maximumFee)")
        }
        let change = transaction.outputs[changeIndex].value
        let increase = newFee - oldFee
        guard UInt128(change) >= increase + UInt128(dustThreshold) else {
            throw BitcoinPayoutError(
                .changeBelowDust, "the fee increase \(increase) would leave the change of \(transaction.txid) (\(change)) below the dust threshold \(dustThreshold)")
        }
        transaction.outputs[changeIndex].value = change - UInt64(increase)

        var psbt: PSBT
        do { psbt = try PSBT(unsignedTransaction: transaction) } catch { throw BitcoinPayoutError(.invalidRequest, error.description) }
        psbt.entries += original.entries.filter { $0.keyType != PSBT.KeyType.unsignedTransaction }
        for index in original.inputs.indices {
            psbt.inputs[index].entries = original.inputs[index].entries.filter { !signatureFields.contains($0.keyType) }
        }
        for index in original.outputs.indices { psbt.outputs[index].entries = original.outputs[index].entries }
        return Built(
            psbt: psbt, paymentOutputIndices: transaction.outputs.indices.filter { $0 != changeIndex }, changeOutputIndex: changeIndex,
            fee: UInt64(newFee), virtualSize: virtualSize)
    }

    /// Input fields that belong to one transaction's signatures, not to the coin.
    static let signatureFields: Set<UInt64> = [
        PSBTInput.KeyType.partialSignature, PSBTInput.KeyType.tapKeySignature, PSBTInput.KeyType.tapScriptSignature,
    ]

    /// How input `index` of `psbt` is spent, from its UTXO (and redeem script): p2wpkh,
    /// p2sh-p2wpkh or p2tr key path, the kinds this builder makes.
    static func spendScheme(of psbt: PSBT, input index: Int) throws(PSBTError) -> BitcoinScheme {
        guard !psbt.inputs[index].isFinalized else {
            throw PSBTError("input \(index) is finalised, so its key records are gone; replace the PSBT as built")
        }
        guard let spent = try psbt.spentOutput(of: index) else { throw PSBTError("input \(index) carries no UTXO") }
        switch BitcoinScript.template(of: spent.scriptPubKey) {
        case .p2wpkh: return .p2wpkh
        case .p2tr: return .p2tr
        case .p2sh:
            guard let redeemScript = psbt.inputs[index].redeemScript, case .p2wpkh = BitcoinScript.template(of: redeemScript) else {
                throw PSBTError("input \(index) is p2sh but not p2sh-p2wpkh")
            }
            return .p2shP2wpkh
        case .other:
            throw PSBTError("input \(index) spends a script that is not p2wpkh, p2sh-p2wpkh or p2tr")
        }
    }
}
