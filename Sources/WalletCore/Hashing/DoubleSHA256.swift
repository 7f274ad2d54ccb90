import Crypto

/// Bitcoin's double SHA-256: Base58Check checksums, transaction ids, BIP143 sighashes.
public enum DoubleSHA256 {
    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        let bytes = data as? [UInt8] ?? Array(data)
        return bytes.withUnsafeBytes { Array(digest($0)) }
    }

    /// Allocation-free form for hot paths.
    static func digest(_ data: UnsafeRawBufferPointer) -> SHA256.Digest {
        let inner = SHA256.hash(data: data)
        return inner.withUnsafeBytes { SHA256.hash(data: $0) }
    }
}
