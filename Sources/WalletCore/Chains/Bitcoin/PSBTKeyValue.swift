/// One key-value pair of a PSBT map (BIP174): `<keylen><keytype><keydata> <valuelen><value>`.
///
/// PSBT maps are stored as their ordered pairs, so that a PSBT parses and serialises back byte
/// for byte, whatever the order its creator chose and whatever key types it holds; typed
/// accessors on ``PSBTInput``, ``PSBTOutput`` and ``PSBT`` read and write these pairs.
public struct PSBTKeyValue: Sendable, Equatable {
    /// The CompactSize key type (PSBT_IN_WITNESS_UTXO = 0x01...).
    public let keyType: UInt64
    public let keyData: [UInt8]
    public let value: [UInt8]

    public init(keyType: UInt64, keyData: [UInt8] = [], value: [UInt8]) {
        self.keyType = keyType
        self.keyData = keyData
        self.value = value
    }

    /// The full key: CompactSize key type then key data. Two pairs in a map may not share it.
    var key: [UInt8] {
        var key: [UInt8] = []
        key.appendCompactSize(keyType)
        return key + keyData
    }

    func serialize(into out: inout [UInt8]) {
        out.appendVarBytes(key)
        out.appendVarBytes(value)
    }

    /// Reads one map up to and including its 0x00 separator, refusing duplicate keys.
    static func readMap(_ reader: inout BitcoinByteReader, name: String) throws(PSBTError) -> [PSBTKeyValue] {
        var entries: [PSBTKeyValue] = []
        var keys = Set<[UInt8]>()
        while true {
            let key: [UInt8], keyType: UInt64, value: [UInt8]
            do {
                key = try reader.readVarBytes("\(name) key")
                if key.isEmpty { return entries }
                var keyReader = BitcoinByteReader(key, context: "\(name) key")
                keyType = try keyReader.readCompactSize("key type")
                value = try reader.readVarBytes("\(name) value")
            } catch {
                throw PSBTError("PSBT \(name): \(error.description)")
            }
            guard keys.insert(key).inserted else {
                throw PSBTError("PSBT \(name) has a duplicate key (type 0x\(String(keyType, radix: 16)))")
            }
            var typeBytes: [UInt8] = []
            typeBytes.appendCompactSize(keyType)
            entries.append(PSBTKeyValue(keyType: keyType, keyData: Array(key[typeBytes.count...]), value: value))
        }
    }
}

/// Reading and writing the pairs of one map.
protocol PSBTMap {
    var entries: [PSBTKeyValue] { get set }
}

extension PSBTMap {
    func first(_ keyType: UInt64) -> PSBTKeyValue? { entries.first { $0.keyType == keyType } }
    func all(_ keyType: UInt64) -> [PSBTKeyValue] { entries.filter { $0.keyType == keyType } }

    /// Replaces the pair with the same key in place, or appends it.
    mutating func set(_ entry: PSBTKeyValue) {
        if let index = entries.firstIndex(where: { $0.keyType == entry.keyType && $0.keyData == entry.keyData }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    mutating func remove(_ keyType: UInt64) { entries.removeAll { $0.keyType == keyType } }

    /// The BIP32 derivation records stored under `keyType` (key data: the public key).
    func keyDerivations(_ keyType: UInt64) -> [PSBTKeyDerivation] {
        all(keyType).compactMap { entry in
            (try? PSBTKeyOrigin(serialized: entry.value[...])).map { PSBTKeyDerivation(publicKey: entry.keyData, origin: $0) }
        }
    }

    /// The BIP371 taproot derivation records stored under `keyType` (key data: the x-only key).
    func tapKeyDerivations(_ keyType: UInt64) -> [PSBTTapKeyDerivation] {
        all(keyType).compactMap { try? PSBTTapKeyDerivation(keyData: $0.keyData, value: $0.value) }
    }

    /// Sets the key-data-less field `keyType` to `value`, or removes it for nil.
    mutating func setOrRemove(_ keyType: UInt64, _ value: [UInt8]?) {
        if let value { set(PSBTKeyValue(keyType: keyType, value: value)) } else { remove(keyType) }
    }
}

/// Field checks shared by the three map kinds.
enum PSBTFieldCheck {
    static func noKeyData(_ entry: PSBTKeyValue, _ name: String) throws(PSBTError) {
        guard entry.keyData.isEmpty else { throw PSBTError("\(name) key must have no key data, found \(entry.keyData.count) bytes") }
    }

    /// A field with no key data and a value of exactly `count` bytes.
    static func fixedValue(_ entry: PSBTKeyValue, _ count: Int, _ name: String) throws(PSBTError) {
        try noKeyData(entry, name)
        try length(entry.value, count, name)
    }

    /// Key types BIP370 defines for PSBT version 2 only.
    static func version2Only(_ entry: PSBTKeyValue, map: String) throws(PSBTError) -> Never {
        throw PSBTError("\(map) key type 0x\(String(entry.keyType, radix: 16)) belongs to PSBT version 2 and is not allowed in version 0")
    }

    static func length(_ bytes: [UInt8], _ expected: Int, _ name: String) throws(PSBTError) {
        guard bytes.count == expected else { throw PSBTError("\(name) must be \(expected) bytes, got \(bytes.count)") }
    }

    /// A 33- or 65-byte SEC1 key that is a point on the curve.
    static func publicKey(_ bytes: [UInt8], _ name: String) throws(PSBTError) {
        guard bytes.count == 33 || bytes.count == 65 else {
            throw PSBTError("\(name) public key must be 33 or 65 bytes, got \(bytes.count)")
        }
        guard (try? Secp256k1.PublicKey(bytes)) != nil else { throw PSBTError("\(name) public key is not a valid secp256k1 point") }
    }

    static func schnorrSignature(_ bytes: [UInt8], _ name: String) throws(PSBTError) {
        guard bytes.count == 64 || bytes.count == 65 else {
            throw PSBTError("\(name) must be a 64- or 65-byte Schnorr signature, got \(bytes.count) bytes")
        }
    }

    static func keyOrigin(_ value: [UInt8], _ name: String) throws(PSBTError) {
        guard value.count >= 4, value.count % 4 == 0 else {
            throw PSBTError("\(name) must be a 4-byte fingerprint and 4 bytes per path step, got \(value.count) bytes")
        }
    }

    static func tapKeyOrigin(_ value: [UInt8], _ name: String) throws(PSBTError) {
        var reader = BitcoinByteReader(value, context: name)
        do {
            let count = try reader.readLength("leaf hash count", minimumElementSize: 32)
            _ = try reader.readBytes(32 * count, "leaf hashes")
        } catch {
            throw PSBTError("\(error.description)")
        }
        try keyOrigin(Array(value[reader.offset...]), name)
    }

    static func witnessStack(_ value: [UInt8], _ name: String) throws(PSBTError) {
        var reader = BitcoinByteReader(value, context: name)
        do {
            _ = try BitcoinTransaction.readWitness(&reader)
        } catch {
            throw PSBTError(error.description)
        }
        guard reader.isAtEnd else { throw PSBTError("\(name) has \(reader.remaining) unexpected trailing bytes") }
    }
}
