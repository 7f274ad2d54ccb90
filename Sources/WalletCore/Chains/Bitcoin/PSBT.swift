import Foundation

/// A Partially Signed Bitcoin Transaction, version 0 (BIP174, with BIP371 taproot fields).
///
/// Parsing is strict (magic, duplicate keys, field lengths, truncation, trailing bytes, the
/// unsigned transaction's form) and lossless: every map keeps its pairs in order, so
/// ``serialized`` reproduces the input byte for byte until a signer or finaliser changes it.
public struct PSBT: Sendable, Equatable, PSBTMap {
    /// "psbt" followed by 0xFF.
    public static let magic: [UInt8] = [0x70, 0x73, 0x62, 0x74, 0xFF]

    /// BIP174 global key types.
    public enum KeyType {
        public static let unsignedTransaction: UInt64 = 0x00
        public static let xpub: UInt64 = 0x01
        /// 0x02...0x06 are PSBT version 2 fields (BIP370).
        static let version2Only: ClosedRange<UInt64> = 0x02...0x06
        public static let version: UInt64 = 0xFB
        public static let proprietary: UInt64 = 0xFC
    }

    /// The global map's pairs, in order.
    public internal(set) var entries: [PSBTKeyValue]
    /// PSBT_GLOBAL_UNSIGNED_TX: the transaction being signed, with empty scriptSigs and witnesses.
    public let unsignedTransaction: BitcoinTransaction
    public internal(set) var inputs: [PSBTInput]
    public internal(set) var outputs: [PSBTOutput]

    /// The creator role: a PSBT for `transaction` with empty input and output maps. The
    /// transaction must carry no scriptSigs and no witnesses.
    public init(unsignedTransaction transaction: BitcoinTransaction) throws(PSBTError) {
        guard !transaction.inputs.contains(where: { !$0.scriptSig.isEmpty || !$0.witness.isEmpty }) else {
            throw PSBTError("a PSBT's unsigned transaction must have empty scriptSigs and witnesses")
        }
        entries = [PSBTKeyValue(keyType: KeyType.unsignedTransaction, value: transaction.serialized(includingWitness: false))]
        unsignedTransaction = transaction
        inputs = transaction.inputs.map { _ in PSBTInput(entries: []) }
        outputs = transaction.outputs.map { _ in PSBTOutput(entries: []) }
    }

    /// The updater role: changes input map `index` (add UTXOs, derivation records, sighash type...).
    public mutating func updateInput(_ index: Int, _ body: (inout PSBTInput) -> Void) throws(PSBTError) {
        guard inputs.indices.contains(index) else { throw PSBTError("PSBT has no input \(index); it has \(inputs.count)") }
        body(&inputs[index])
    }

    /// The updater role for output map `index`.
    public mutating func updateOutput(_ index: Int, _ body: (inout PSBTOutput) -> Void) throws(PSBTError) {
        guard outputs.indices.contains(index) else { throw PSBTError("PSBT has no output \(index); it has \(outputs.count)") }
        body(&outputs[index])
    }

    /// Parses binary PSBT data.
    public init(serialized bytes: [UInt8]) throws(PSBTError) {
        guard bytes.count >= Self.magic.count, Array(bytes[0..<Self.magic.count]) == Self.magic else {
            throw PSBTError("not a PSBT: data must start with the magic bytes 70736274ff (\"psbt\" 0xff)")
        }
        var reader = BitcoinByteReader(bytes, context: "PSBT")
        _ = try? reader.readBytes(Self.magic.count, "magic")
        entries = try PSBTKeyValue.readMap(&reader, name: "global map")
        var transaction: BitcoinTransaction?
        for entry in entries {
            try Self.validate(entry)
            if entry.keyType == KeyType.unsignedTransaction { transaction = try Self.parseUnsignedTransaction(entry.value) }
        }
        guard let transaction else { throw PSBTError("PSBT has no unsigned transaction (PSBT_GLOBAL_UNSIGNED_TX)") }
        unsignedTransaction = transaction

        inputs = try Self.readMaps(&reader, count: transaction.inputs.count, kind: "input", validate: PSBTInput.validate)
            .map(PSBTInput.init(entries:))
        for (index, input) in inputs.enumerated() {
            if let previous = input.nonWitnessUTXO,
               previous.transactionHash != transaction.inputs[index].previousOutput.transactionHash {
                throw PSBTError("PSBT input \(index): PSBT_IN_NON_WITNESS_UTXO is transaction \(previous.txid), but the input spends \(transaction.inputs[index].previousOutput.txid)")
            }
        }
        outputs = try Self.readMaps(&reader, count: transaction.outputs.count, kind: "output", validate: PSBTOutput.validate)
            .map(PSBTOutput.init(entries:))
        guard reader.isAtEnd else { throw PSBTError("PSBT has \(reader.remaining) unexpected bytes after its last output map") }
    }

    /// Parses the base64 text form (surrounding whitespace is ignored).
    public init(base64: String) throws(PSBTError) {
        let text = base64.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: text) else {
            throw PSBTError("PSBT is not valid base64")
        }
        try self.init(serialized: [UInt8](data))
    }

    /// Parses either form: binary data starting with the magic, else base64 text.
    public init(binaryOrBase64 bytes: [UInt8]) throws(PSBTError) {
        if bytes.starts(with: Self.magic) {
            try self.init(serialized: bytes)
        } else {
            guard let text = String(bytes: bytes, encoding: .utf8) else { throw PSBTError("PSBT is neither binary PSBT data nor base64 text") }
            try self.init(base64: text)
        }
    }

    /// The binary form.
    public var serialized: [UInt8] {
        var out = Self.magic
        for entry in entries { entry.serialize(into: &out) }
        out.append(0x00)
        for input in inputs {
            for entry in input.entries { entry.serialize(into: &out) }
            out.append(0x00)
        }
        for output in outputs {
            for entry in output.entries { entry.serialize(into: &out) }
            out.append(0x00)
        }
        return out
    }

    /// The base64 text form, as wallets exchange PSBTs.
    public var base64: String { Data(serialized).base64EncodedString() }

    /// PSBT_GLOBAL_XPUB records: the 78-byte serialised extended public key and its origin.
    public var globalXpubs: [(extendedPublicKey: [UInt8], origin: PSBTKeyOrigin)] {
        all(KeyType.xpub).compactMap { entry in (try? PSBTKeyOrigin(serialized: entry.value[...])).map { (entry.keyData, $0) } }
    }

    static func validate(_ entry: PSBTKeyValue) throws(PSBTError) {
        switch entry.keyType {
        case KeyType.unsignedTransaction:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_GLOBAL_UNSIGNED_TX")
        case KeyType.xpub:
            try PSBTFieldCheck.length(entry.keyData, 78, "PSBT_GLOBAL_XPUB extended key")
            try PSBTFieldCheck.keyOrigin(entry.value, "PSBT_GLOBAL_XPUB")
        case KeyType.version2Only:
            try PSBTFieldCheck.version2Only(entry, map: "global")
        case KeyType.version:
            try PSBTFieldCheck.fixedValue(entry, 4, "PSBT_GLOBAL_VERSION")
            guard entry.value == [0, 0, 0, 0] else {
                let version = entry.value.reversed().reduce(0) { $0 << 8 | UInt32($1) }
                throw PSBTError("PSBT version \(version) is not supported; only version 0 (BIP174) is")
            }
        default:
            break
        }
    }

    /// Reads the `count` input or output maps, checking every pair with `validate`.
    private static func readMaps(
        _ reader: inout BitcoinByteReader, count: Int, kind: String, validate: (PSBTKeyValue) throws(PSBTError) -> Void
    ) throws(PSBTError) -> [[PSBTKeyValue]] {
        var maps: [[PSBTKeyValue]] = []
        for index in 0..<count {
            guard !reader.isAtEnd else {
                throw PSBTError("PSBT is truncated: the transaction has \(count) \(kind)(s) but only \(index) \(kind) map(s) follow")
            }
            let entries = try PSBTKeyValue.readMap(&reader, name: "\(kind) \(index)")
            for entry in entries {
                do { try validate(entry) } catch { throw PSBTError("PSBT \(kind) \(index): \(error.description)") }
            }
            maps.append(entries)
        }
        return maps
    }

    private static func parseUnsignedTransaction(_ bytes: [UInt8]) throws(PSBTError) -> BitcoinTransaction {
        let transaction: BitcoinTransaction
        do {
            transaction = try BitcoinTransaction(serialized: bytes, allowWitness: false)
        } catch {
            if (try? BitcoinTransaction(serialized: bytes, allowWitness: true)) != nil {
                throw PSBTError("PSBT_GLOBAL_UNSIGNED_TX must use the legacy serialisation, not the segwit one")
            }
            throw PSBTError("PSBT_GLOBAL_UNSIGNED_TX: \(error.description)")
        }
        if let index = transaction.inputs.firstIndex(where: { !$0.scriptSig.isEmpty }) {
            throw PSBTError("PSBT_GLOBAL_UNSIGNED_TX input \(index) has a scriptSig; an unsigned transaction must have none")
        }
        return transaction
    }
}
