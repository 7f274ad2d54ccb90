/// A Bitcoin transaction as it travels on the wire, with or without segwit data (BIP144).
///
/// Amounts are satoshis in `UInt64`; txids are kept in internal byte order (the order hashed),
/// and shown reversed, as block explorers and RPCs do, by ``txid`` and ``wtxid``.
public struct BitcoinTransaction: Sendable, Equatable {
    /// A reference to an output of an earlier transaction.
    public struct OutPoint: Sendable, Hashable {
        /// 32 bytes, internal byte order (reverse of the hex users see).
        public var transactionHash: [UInt8]
        public var index: UInt32

        public init(transactionHash: [UInt8], index: UInt32) {
            self.transactionHash = transactionHash
            self.index = index
        }

        /// The txid as users see it (byte-reversed hex).
        public var txid: String { Hex.encode(transactionHash.reversed()) }

        var serialized: [UInt8] {
            var out = transactionHash
            out.appendLittleEndian(index)
            return out
        }
    }

    public struct Input: Sendable, Equatable {
        public var previousOutput: OutPoint
        public var scriptSig: [UInt8]
        public var sequence: UInt32
        /// The witness stack; empty for a non-segwit input.
        public var witness: [[UInt8]]

        public init(previousOutput: OutPoint, scriptSig: [UInt8] = [], sequence: UInt32 = 0xFFFF_FFFF, witness: [[UInt8]] = []) {
            self.previousOutput = previousOutput
            self.scriptSig = scriptSig
            self.sequence = sequence
            self.witness = witness
        }
    }

    public struct Output: Sendable, Equatable {
        /// Satoshis.
        public var value: UInt64
        public var scriptPubKey: [UInt8]

        public init(value: UInt64, scriptPubKey: [UInt8]) {
            self.value = value
            self.scriptPubKey = scriptPubKey
        }

        /// value (8 bytes LE) || CompactSize script length || script, as in transactions and sighashes.
        public var serialized: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(9 + scriptPubKey.count)
            out.appendLittleEndian(value)
            out.appendVarBytes(scriptPubKey)
            return out
        }

        /// Parses exactly one serialised output (PSBT_IN_WITNESS_UTXO's value).
        public init(serialized bytes: [UInt8]) throws(BitcoinEncodingError) {
            var reader = BitcoinByteReader(bytes, context: "transaction output")
            self = try Output(from: &reader)
            guard reader.isAtEnd else {
                throw BitcoinEncodingError("transaction output has \(reader.remaining) unexpected trailing bytes")
            }
        }

        init(from reader: inout BitcoinByteReader) throws(BitcoinEncodingError) {
            value = try reader.readUInt64("output value")
            scriptPubKey = try reader.readVarBytes("output script")
        }
    }

    public var version: UInt32
    public var inputs: [Input]
    public var outputs: [Output]
    public var lockTime: UInt32

    public init(version: UInt32 = 2, inputs: [Input], outputs: [Output], lockTime: UInt32 = 0) {
        self.version = version
        self.inputs = inputs
        self.outputs = outputs
        self.lockTime = lockTime
    }

    /// Parses a serialised transaction. With `allowWitness` (the default) the BIP144 marker and
    /// flag select the segwit form; without it the bytes are read as the legacy form only, as
    /// PSBT's unsigned transaction requires. Every byte must be used.
    public init(serialized bytes: [UInt8], allowWitness: Bool = true) throws(BitcoinEncodingError) {
        var reader = BitcoinByteReader(bytes, context: "transaction")
        version = try reader.readUInt32("version")
        var hasWitness = false
        if allowWitness, reader.remaining >= 2, reader.bytes[reader.offset] == 0x00 {
            _ = try reader.readByte("segwit marker")
            let flag = try reader.readByte("segwit flag")
            guard flag == 0x01 else {
                throw BitcoinEncodingError("transaction has segwit marker 0x00 but flag 0x\(Hex.encode([flag])); only 0x01 is defined")
            }
            hasWitness = true
        }
        let inputCount = try reader.readLength("input count", minimumElementSize: 41)
        var inputs: [Input] = []
        inputs.reserveCapacity(inputCount)
        for _ in 0..<inputCount {
            let hash = try reader.readBytes(32, "previous txid")
            let index = try reader.readUInt32("previous output index")
            let scriptSig = try reader.readVarBytes("scriptSig")
            let sequence = try reader.readUInt32("sequence")
            inputs.append(Input(previousOutput: OutPoint(transactionHash: hash, index: index), scriptSig: scriptSig, sequence: sequence))
        }
        let outputCount = try reader.readLength("output count", minimumElementSize: 9)
        var outputs: [Output] = []
        outputs.reserveCapacity(outputCount)
        for _ in 0..<outputCount { outputs.append(try Output(from: &reader)) }
        if hasWitness {
            for index in inputs.indices {
                inputs[index].witness = try Self.readWitness(&reader)
            }
            guard inputs.contains(where: { !$0.witness.isEmpty }) else {
                throw BitcoinEncodingError("transaction uses the segwit serialisation but every witness is empty")
            }
        }
        lockTime = try reader.readUInt32("lock time")
        guard reader.isAtEnd else {
            throw BitcoinEncodingError("transaction has \(reader.remaining) unexpected trailing bytes")
        }
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Parses a hex-encoded transaction.
    public init(hex: String) throws(BitcoinEncodingError) {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(hex) } catch { throw BitcoinEncodingError("transaction: \(error)") }
        try self.init(serialized: bytes)
    }

    static func readWitness(_ reader: inout BitcoinByteReader) throws(BitcoinEncodingError) -> [[UInt8]] {
        let count = try reader.readLength("witness item count")
        var stack: [[UInt8]] = []
        stack.reserveCapacity(count)
        for _ in 0..<count { stack.append(try reader.readVarBytes("witness item")) }
        return stack
    }

    static func serializeWitness(_ stack: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.appendCompactSize(stack.count)
        for item in stack { out.appendVarBytes(item) }
        return out
    }

    /// Whether any input carries witness data (and so is serialised in the BIP144 form).
    public var hasWitness: Bool { inputs.contains { !$0.witness.isEmpty } }

    /// The wire form: BIP144 with witnesses when `includingWitness` and some input has one,
    /// else the legacy form (which is what txid hashes).
    public func serialized(includingWitness: Bool = true) -> [UInt8] {
        let witness = includingWitness && hasWitness
        var out: [UInt8] = []
        out.appendLittleEndian(version)
        if witness { out += [0x00, 0x01] }
        out.appendCompactSize(inputs.count)
        for input in inputs {
            out += input.previousOutput.serialized
            out.appendVarBytes(input.scriptSig)
            out.appendLittleEndian(input.sequence)
        }
        out.appendCompactSize(outputs.count)
        for output in outputs { out += output.serialized }
        if witness {
            for input in inputs { out += Self.serializeWitness(input.witness) }
        }
        out.appendLittleEndian(lockTime)
        return out
    }

    /// The transaction id in internal byte order: double SHA-256 of the legacy serialisation.
    public var transactionHash: [UInt8] { DoubleSHA256.hash(serialized(includingWitness: false)) }

    /// The txid as users see it.
    public var txid: String { Hex.encode(transactionHash.reversed()) }

    /// The witness txid (BIP141) as users see it; equals ``txid`` when there is no witness.
    public var wtxid: String { Hex.encode(DoubleSHA256.hash(serialized()).reversed()) }
}
