/// A cursor over Bitcoin's wire encodings (little-endian integers, CompactSize, length-prefixed
/// byte strings) that throws instead of trapping on truncated or hostile input.
struct BitcoinByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    /// What is being read, for error messages ("transaction", "PSBT").
    let context: String

    init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.offset = 0
        self.context = context
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset == bytes.count }

    mutating func readBytes(_ count: Int, _ what: String) throws(BitcoinEncodingError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw BitcoinEncodingError("\(context) is truncated: \(what) needs \(count) bytes, only \(remaining) left at offset \(offset)")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func readByte(_ what: String) throws(BitcoinEncodingError) -> UInt8 {
        try readBytes(1, what)[0]
    }

    mutating func readUInt32(_ what: String) throws(BitcoinEncodingError) -> UInt32 {
        try inPlace { (reader) throws(BitcoinEncodingError) in try reader.uint32(what) }
    }

    mutating func readUInt64(_ what: String) throws(BitcoinEncodingError) -> UInt64 {
        try inPlace { (reader) throws(BitcoinEncodingError) in try reader.uint64(what) }
    }

    /// A CompactSize integer; non-canonical encodings are refused as Bitcoin Core does.
    mutating func readCompactSize(_ what: String) throws(BitcoinEncodingError) -> UInt64 {
        try inPlace { (reader) throws(BitcoinEncodingError) in try reader.compactSize(what) }
    }

    /// A count or length that must fit in what is left (so a forged huge count cannot allocate).
    mutating func readLength(_ what: String, minimumElementSize: Int = 1) throws(BitcoinEncodingError) -> Int {
        try inPlace { (reader) throws(BitcoinEncodingError) in try reader.length(what, minimumElementSize: max(minimumElementSize, 1)) }
    }

    /// Runs `read` with block decoding's in-place reader at this offset, and moves past what it read.
    private mutating func inPlace<T>(_ read: (inout BlockReader) throws(BitcoinEncodingError) -> T) throws(BitcoinEncodingError) -> T {
        let (offset, context) = (self.offset, self.context)
        let (value, end) = try bytes.withUnsafeBytes { buffer in
            Result { () throws(BitcoinEncodingError) -> (T, Int) in
                var reader = BlockReader(buffer, context: context)
                reader.offset = offset
                return (try read(&reader), reader.offset)
            }
        }.get()
        self.offset = end
        return value
    }

    /// A CompactSize length followed by that many bytes.
    mutating func readVarBytes(_ what: String) throws(BitcoinEncodingError) -> [UInt8] {
        try readBytes(try readLength(what), what)
    }
}

/// Appending Bitcoin's wire encodings.
extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendLittleEndian(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func appendCompactSize(_ value: UInt64) {
        switch value {
        case ..<0xFD:
            append(UInt8(value))
        case ...0xFFFF:
            append(0xFD)
            append(UInt8(truncatingIfNeeded: value))
            append(UInt8(truncatingIfNeeded: value >> 8))
        case ...0xFFFF_FFFF:
            append(0xFE)
            appendLittleEndian(UInt32(value))
        default:
            append(0xFF)
            appendLittleEndian(value)
        }
    }

    mutating func appendCompactSize(_ value: Int) { appendCompactSize(UInt64(value)) }

    /// CompactSize length then the bytes.
    mutating func appendVarBytes(_ bytes: [UInt8]) {
        appendCompactSize(bytes.count)
        append(contentsOf: bytes)
    }
}

/// Why bytes could not be read as a Bitcoin transaction or PSBT field.
public struct BitcoinEncodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
