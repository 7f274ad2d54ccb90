import Crypto

/// A 32-byte double-SHA-256 hash as Bitcoin names blocks and transactions with it: kept in
/// internal byte order (the order hashed and serialised), shown reversed (`hex`), as nodes and
/// explorers print txids and block hashes. Four words, no heap storage: a block of thousands of
/// transactions makes thousands of these.
public struct BitcoinHash: Sendable, Hashable, Comparable, CustomStringConvertible {
    // Internal byte order, little-endian words: bytes 0...7 are w0.
    private let w0, w1, w2, w3: UInt64

    /// The all-zero hash: the previous block of the genesis block, the txid of a coinbase input.
    public static let zero = BitcoinHash(w0: 0, w1: 0, w2: 0, w3: 0)

    private init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Reads 32 bytes in internal order at `offset` (the caller has checked the bounds).
    init(internalOrder buffer: UnsafeRawBufferPointer, at offset: Int) {
        w0 = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        w1 = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        w2 = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
        w3 = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
    }

    init(_ digest: SHA256.Digest) {
        self = digest.withUnsafeBytes { BitcoinHash(internalOrder: $0, at: 0) }
    }

    /// From 32 bytes in internal order; nil for any other length.
    public init?(internalBytes bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        self = Array(bytes).withUnsafeBytes { BitcoinHash(internalOrder: $0, at: 0) }
    }

    /// From 64 hex digits as nodes print them (reversed byte order); nil for anything else.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 64, !hex.hasPrefix("0x"), !hex.hasPrefix("0X"), let bytes = try? Hex.decode(hex) else { return nil }
        self.init(internalBytes: bytes.reversed())
    }

    /// The 32 bytes in internal order.
    public var internalBytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeMutableBytes { store(into: $0, at: 0) }
        return bytes
    }

    /// Writes the 32 bytes in internal order at `offset` (the caller has checked the bounds).
    func store(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        buffer.storeBytes(of: w0.littleEndian, toByteOffset: offset, as: UInt64.self)
        buffer.storeBytes(of: w1.littleEndian, toByteOffset: offset + 8, as: UInt64.self)
        buffer.storeBytes(of: w2.littleEndian, toByteOffset: offset + 16, as: UInt64.self)
        buffer.storeBytes(of: w3.littleEndian, toByteOffset: offset + 24, as: UInt64.self)
    }

    /// Lowercase hex of the reversed bytes: how Bitcoin Core prints txids and block hashes.
    public var hex: String {
        String(unsafeUninitializedCapacity: 64) { out in
            func write(_ word: UInt64, at position: Int) {
                // The word's most significant byte is the first shown.
                for index in 0..<8 {
                    let byte = UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * index))
                    out[position + 2 * index] = Hex.hexDigit(byte >> 4)
                    out[position + 2 * index + 1] = Hex.hexDigit(byte & 0x0F)
                }
            }
            write(w3, at: 0)
            write(w2, at: 16)
            write(w1, at: 32)
            write(w0, at: 48)
            return 64
        }
    }

    public var description: String { hex }

    /// Orders as the hex strings do (most significant displayed byte first).
    public static func < (lhs: BitcoinHash, rhs: BitcoinHash) -> Bool {
        (lhs.w3, lhs.w2, lhs.w1, lhs.w0) < (rhs.w3, rhs.w2, rhs.w1, rhs.w0)
    }
}
