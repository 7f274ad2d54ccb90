import Crypto

extension BitcoinTransaction {
    /// BIP143 signature hash for spending a segwit v0 output (p2wpkh, p2wsh, or either nested in
    /// p2sh) at `inputIndex`: the double SHA-256 of ``segwitV0SignatureMessage(inputIndex:scriptCode:amount:sighashType:)``.
    public func segwitV0SignatureHash(
        inputIndex: Int, scriptCode: [UInt8], amount: UInt64, sighashType: SighashType
    ) throws(SighashError) -> [UInt8] {
        try segwitV0SignatureHash(inputIndex: inputIndex, scriptCode: scriptCode, amount: amount, sighashType: sighashType, shared: nil)
    }

    /// The same, with the hashes every input shares computed once for the transaction (`shared`,
    /// of this very transaction; nil computes them here): signing every input of a transaction
    /// then hashes its outputs once, not once per input.
    func segwitV0SignatureHash(
        inputIndex: Int, scriptCode: [UInt8], amount: UInt64, sighashType: SighashType, shared: SegwitV0SharedHashes?
    ) throws(SighashError) -> [UInt8] {
        DoubleSHA256.hash(try segwitV0SignatureMessage(inputIndex: inputIndex, scriptCode: scriptCode, amount: amount, sighashType: sighashType, shared: shared))
    }

    /// The BIP143 preimage. `scriptCode` is the bare script (p2pkh of the key hash for p2wpkh,
    /// the witness script for p2wsh); its length prefix is added here. SINGLE without a matching
    /// output hashes zeros for the outputs, as BIP143 specifies.
    public func segwitV0SignatureMessage(
        inputIndex: Int, scriptCode: [UInt8], amount: UInt64, sighashType: SighashType
    ) throws(SighashError) -> [UInt8] {
        try segwitV0SignatureMessage(inputIndex: inputIndex, scriptCode: scriptCode, amount: amount, sighashType: sighashType, shared: nil)
    }

    func segwitV0SignatureMessage(
        inputIndex: Int, scriptCode: [UInt8], amount: UInt64, sighashType: SighashType, shared: SegwitV0SharedHashes?
    ) throws(SighashError) -> [UInt8] {
        guard inputs.indices.contains(inputIndex) else { throw .inputOutOfRange(inputIndex, count: inputs.count) }
        let zero = [UInt8](repeating: 0, count: 32)
        let shared = shared ?? SegwitV0SharedHashes(self)
        let hashPrevouts = sighashType.anyoneCanPay ? zero : shared.prevouts
        let hashSequence = sighashType.anyoneCanPay || sighashType.isSingle || sighashType.isNone ? zero : shared.sequences
        let hashOutputs: [UInt8]
        if !sighashType.isSingle && !sighashType.isNone {
            hashOutputs = shared.outputs
        } else if sighashType.isSingle && inputIndex < outputs.count {
            hashOutputs = DoubleSHA256.hash(outputs[inputIndex].serialized)
        } else {
            hashOutputs = zero
        }
        let input = inputs[inputIndex]
        var message: [UInt8] = []
        message.reserveCapacity(160 + scriptCode.count)
        message.appendLittleEndian(version)
        message += hashPrevouts + hashSequence
        message += input.previousOutput.serialized
        message.appendVarBytes(scriptCode)
        message.appendLittleEndian(amount)
        message.appendLittleEndian(input.sequence)
        message += hashOutputs
        message.appendLittleEndian(lockTime)
        message.appendLittleEndian(sighashType.rawValue)
        return message
    }
}

/// BIP143's hashPrevouts, hashSequence and hashOutputs for SIGHASH_ALL: the same for every input
/// of a transaction, so a signer computes them once (BIP143 intends it: hashing is then linear in
/// the transaction's size, not quadratic).
struct SegwitV0SharedHashes: Sendable {
    let prevouts: [UInt8]
    let sequences: [UInt8]
    let outputs: [UInt8]

    init(_ transaction: BitcoinTransaction) {
        var prevouts: [UInt8] = [], sequences: [UInt8] = [], allOutputs: [UInt8] = []
        for input in transaction.inputs {
            prevouts += input.previousOutput.serialized
            sequences.appendLittleEndian(input.sequence)
        }
        for output in transaction.outputs { allOutputs += output.serialized }
        self.prevouts = DoubleSHA256.hash(prevouts)
        self.sequences = DoubleSHA256.hash(sequences)
        outputs = DoubleSHA256.hash(allOutputs)
    }
}

/// Why a signature hash cannot be computed.
public struct SighashError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }

    static func inputOutOfRange(_ index: Int, count: Int) -> SighashError {
        SighashError("input \(index) does not exist: the transaction has \(count) input(s)")
    }
}
