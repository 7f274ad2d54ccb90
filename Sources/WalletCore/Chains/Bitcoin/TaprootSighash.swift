import Crypto

extension BitcoinTransaction {
    /// BIP341 key-path signature hash (no annex, epoch 0): `TaggedHash("TapSighash", 0x00 || SigMsg)`.
    /// `spentOutputs` are the outputs every input spends, in input order.
    public func taprootSignatureHash(
        inputIndex: Int, spentOutputs: [Output], sighashType: SighashType
    ) throws(SighashError) -> [UInt8] {
        try taprootSignatureHash(inputIndex: inputIndex, spentOutputs: spentOutputs.map { Optional($0) }, sighashType: sighashType)
    }

    /// BIP341 SigMsg for a key-path spend without annex (`spend_type` 0).
    public func taprootSignatureMessage(
        inputIndex: Int, spentOutputs: [Output], sighashType: SighashType
    ) throws(SighashError) -> [UInt8] {
        try taprootSignatureMessage(inputIndex: inputIndex, spentOutputs: spentOutputs.map { Optional($0) }, sighashType: sighashType)
    }

    /// As above, where only the spent output of `inputIndex` is required under ANYONECANPAY.
    func taprootSignatureHash(inputIndex: Int, spentOutputs: [Output?], sighashType: SighashType) throws(SighashError) -> [UInt8] {
        TaggedHash.sha256(tag: "TapSighash", [0x00] + (try taprootSignatureMessage(inputIndex: inputIndex, spentOutputs: spentOutputs, sighashType: sighashType)))
    }

    func taprootSignatureMessage(inputIndex: Int, spentOutputs: [Output?], sighashType: SighashType) throws(SighashError) -> [UInt8] {
        guard inputs.indices.contains(inputIndex) else { throw .inputOutOfRange(inputIndex, count: inputs.count) }
        guard SighashType.validTaproot.contains(sighashType) else {
            throw SighashError("sighash type \(sighashType) is not valid for taproot (0x00-0x03, 0x81-0x83)")
        }
        guard spentOutputs.count == inputs.count else {
            throw SighashError("taproot signing needs the spent output of every input: got \(spentOutputs.count) for \(inputs.count) inputs")
        }
        guard let ownSpent = spentOutputs[inputIndex] else {
            throw SighashError("taproot signing needs the spent output of input \(inputIndex)")
        }
        var message: [UInt8] = [UInt8(truncatingIfNeeded: sighashType.rawValue)]
        message.appendLittleEndian(version)
        message.appendLittleEndian(lockTime)
        if !sighashType.anyoneCanPay {
            var prevouts: [UInt8] = [], amounts: [UInt8] = [], scripts: [UInt8] = [], sequences: [UInt8] = []
            for (index, input) in inputs.enumerated() {
                guard let spent = spentOutputs[index] else {
                    throw SighashError("taproot signing needs the spent output of every input; input \(index) has none")
                }
                prevouts += input.previousOutput.serialized
                amounts.appendLittleEndian(spent.value)
                scripts.appendVarBytes(spent.scriptPubKey)
                sequences.appendLittleEndian(input.sequence)
            }
            message += Self.sha256(prevouts) + Self.sha256(amounts) + Self.sha256(scripts) + Self.sha256(sequences)
        }
        if !sighashType.isNone && !sighashType.isSingle {
            message += Self.sha256(outputs.flatMap(\.serialized))
        }
        message.append(0x00)  // spend_type: key path (ext_flag 0), no annex
        let input = inputs[inputIndex]
        if sighashType.anyoneCanPay {
            message += input.previousOutput.serialized + ownSpent.serialized
            message.appendLittleEndian(input.sequence)
        } else {
            message.appendLittleEndian(UInt32(inputIndex))
        }
        if sighashType.isSingle {
            guard inputIndex < outputs.count else {
                throw SighashError("SIGHASH_SINGLE on input \(inputIndex) needs output \(inputIndex), but the transaction has \(outputs.count) output(s)")
            }
            message += Self.sha256(outputs[inputIndex].serialized)
        }
        return message
    }

    private static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
}
