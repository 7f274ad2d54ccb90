/// Reads Solana's wire format (bincode with compact-u16 lengths) with a bounds check at every step.
struct SolanaWireReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func readByte(_ what: String) throws(SolanaTransactionError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated(what) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readBytes(_ count: Int, _ what: String) throws(SolanaTransactionError) -> [UInt8] {
        guard count <= remaining else { throw .truncated(what) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// `count` items of `size` bytes each; the total is checked before anything is allocated.
    mutating func readArray(_ count: Int, of size: Int, _ what: String) throws(SolanaTransactionError) -> [[UInt8]] {
        guard count * size <= remaining else { throw .truncated(what) }
        var items: [[UInt8]] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try readBytes(size, what)) }
        return items
    }

    /// compact-u16 ("short_vec"): 1 to 3 bytes, 7 bits each, least significant first. Like
    /// Solana, refuses values over 65535 and non-minimal encodings (a trailing zero byte).
    mutating func readCompactU16(_ what: String) throws(SolanaTransactionError) -> Int {
        var value = 0
        for index in 0..<3 {
            let byte = try readByte("the length of \(what)")
            if index > 0 && byte == 0 {
                throw SolanaTransactionError("the length of \(what) is not minimally encoded (compact-u16)")
            }
            if index == 2 && byte > 0x03 {
                throw SolanaTransactionError("the length of \(what) exceeds 65535 (compact-u16)")
            }
            value |= Int(byte & 0x7F) << (7 * index)
            if byte & 0x80 == 0 { return value }
        }
        throw SolanaTransactionError("the length of \(what) exceeds 65535 (compact-u16)")
    }

    /// The compact-u16 encoding of `value` (0...65535).
    static func compactU16(_ value: Int) -> [UInt8] {
        precondition((0...0xFFFF).contains(value), "compact-u16 holds 0...65535")
        var remaining = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(remaining & 0x7F)
            remaining >>= 7
            if remaining > 0 { byte |= 0x80 }
            out.append(byte)
        } while remaining > 0
        return out
    }
}
