/// Where a key in a PSBT comes from: the master key's fingerprint and the BIP32 path from it
/// (PSBT_IN_BIP32_DERIVATION, PSBT_OUT_BIP32_DERIVATION, PSBT_GLOBAL_XPUB values).
public struct PSBTKeyOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The first four bytes of HASH160 of the master public key, read big-endian (as
    /// ``Secp256k1/PublicKey/fingerprint``).
    public var masterFingerprint: UInt32
    public var path: DerivationPath

    public init(masterFingerprint: UInt32, path: DerivationPath) {
        self.masterFingerprint = masterFingerprint
        self.path = path
    }

    /// `fingerprint (4 bytes) || path indices (4 bytes little-endian each)`.
    init(serialized value: ArraySlice<UInt8>) throws(PSBTError) {
        guard value.count >= 4, value.count % 4 == 0 else {
            throw PSBTError("a key origin must be a 4-byte fingerprint and 4 bytes per path step, got \(value.count) bytes")
        }
        let bytes = Array(value)
        masterFingerprint = bytes.readBigEndianUInt32(at: 0)
        path = DerivationPath(stride(from: 4, to: bytes.count, by: 4).map { offset in
            ChildIndex(rawValue: bytes[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) })
        })
    }

    var serialized: [UInt8] {
        var out: [UInt8] = []
        out.appendBigEndian(masterFingerprint)
        for component in path.components { out.appendLittleEndian(component.rawValue) }
        return out
    }

    public var description: String {
        let hex = String(masterFingerprint, radix: 16)
        return "[" + String(repeating: "0", count: 8 - hex.count) + hex + path.description.dropFirst() + "]"
    }
}

/// A public key's BIP32 derivation record (PSBT_IN_BIP32_DERIVATION).
public struct PSBTKeyDerivation: Sendable, Hashable {
    /// 33-byte compressed (or 65-byte uncompressed) SEC1 key.
    public var publicKey: [UInt8]
    public var origin: PSBTKeyOrigin

    public init(publicKey: [UInt8], origin: PSBTKeyOrigin) {
        self.publicKey = publicKey
        self.origin = origin
    }
}

/// A taproot key's derivation record (BIP371 PSBT_IN_TAP_BIP32_DERIVATION): the x-only key,
/// the script leaves it appears in (none for the internal key) and its origin.
public struct PSBTTapKeyDerivation: Sendable, Hashable {
    public var xOnlyPublicKey: [UInt8]
    public var leafHashes: [[UInt8]]
    public var origin: PSBTKeyOrigin

    public init(xOnlyPublicKey: [UInt8], leafHashes: [[UInt8]] = [], origin: PSBTKeyOrigin) {
        self.xOnlyPublicKey = xOnlyPublicKey
        self.leafHashes = leafHashes
        self.origin = origin
    }

    init(keyData: [UInt8], value: [UInt8]) throws(PSBTError) {
        var reader = BitcoinByteReader(value, context: "taproot key origin")
        var hashes: [[UInt8]] = []
        do {
            let count = try reader.readLength("leaf hash count", minimumElementSize: 32)
            for _ in 0..<count { hashes.append(try reader.readBytes(32, "leaf hash")) }
        } catch {
            throw PSBTError(error.description)
        }
        self.init(xOnlyPublicKey: keyData, leafHashes: hashes, origin: try PSBTKeyOrigin(serialized: value[reader.offset...]))
    }

    var serializedValue: [UInt8] {
        var out: [UInt8] = []
        out.appendCompactSize(leafHashes.count)
        for hash in leafHashes { out += hash }
        return out + origin.serialized
    }
}
