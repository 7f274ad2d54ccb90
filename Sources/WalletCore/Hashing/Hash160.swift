import Crypto

/// Bitcoin's HASH160, `RIPEMD160(SHA256(x))`: the 20-byte key and script hash in addresses.
public enum Hash160 {
    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        if let array = data as? [UInt8] { return hash(array) }
        return hash(Array(data))
    }

    public static func hash(_ data: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 20) { out, count in
            data.withUnsafeBytes { hash($0, into: UnsafeMutableRawBufferPointer(out)) }
            count = 20
        }
    }

    /// Allocation-light form for hot loops; `out` must hold 20 bytes.
    public static func hash(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        let sha = SHA256.hash(data: data)
        sha.withUnsafeBytes { RIPEMD160.hash($0, into: out) }
    }
}
