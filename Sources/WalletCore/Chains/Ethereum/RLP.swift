/// Recursive Length Prefix, Ethereum's serialisation of nested byte strings (Yellow Paper,
/// appendix B): the encoding behind every transaction, its signing payload and its hash.
///
/// Decoding is strict: exactly one canonical encoding is accepted for each item (a single byte
/// below 0x80 is never length-prefixed, lengths use the short form when they can and have no
/// leading zero bytes, and nothing may follow the item), so one transaction has one encoding.
public enum RLP {
    /// An RLP item: a byte string or a list of items.
    public indirect enum Item: Sendable, Equatable {
        case bytes([UInt8])
        case list([Item])

        /// A quantity as its minimal big-endian bytes (zero is the empty string).
        public static func quantity(_ value: EthereumQuantity) -> Item { .bytes(value.minimalBytes) }
    }

    /// Items may nest at most this deep when decoding, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 64

    /// The RLP encoding of `item`.
    public static func encode(_ item: Item) -> [UInt8] {
        var out: [UInt8] = []
        append(item, to: &out)
        return out
    }

    private static func append(_ item: Item, to out: inout [UInt8]) {
        switch item {
        case .bytes(let bytes):
            if bytes.count == 1 && bytes[0] < 0x80 {
                out.append(bytes[0])
            } else {
                appendHeader(length: bytes.count, shortBase: 0x80, to: &out)
                out += bytes
            }
        case .list(let items):
            var payload: [UInt8] = []
            for element in items { append(element, to: &payload) }
            appendHeader(length: payload.count, shortBase: 0xC0, to: &out)
            out += payload
        }
    }

    /// Short form `base + length` up to 55 bytes, else `base + 55 + n` and the n-byte length.
    private static func appendHeader(length: Int, shortBase: UInt8, to out: inout [UInt8]) {
        if length <= 55 {
            out.append(shortBase + UInt8(length))
        } else {
            let lengthBytes = EthereumQuantity(UInt64(length)).minimalBytes
            out.append(shortBase + 55 + UInt8(lengthBytes.count))
            out += lengthBytes
        }
    }

    /// Decodes exactly one item that spans all of `bytes`.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) throws(RLPError) -> Item where Bytes.Element == UInt8 {
        let input = Array(bytes)
        guard !input.isEmpty else { throw RLPError("empty input; an RLP item is at least one byte") }
        var offset = 0
        let item = try decodeItem(input, at: &offset, end: input.count, depth: 0)
        guard offset == input.count else {
            throw RLPError("\(input.count - offset) unexpected bytes after the item at offset \(offset)")
        }
        return item
    }

    private static func decodeItem(_ input: [UInt8], at offset: inout Int, end: Int, depth: Int) throws(RLPError) -> Item {
        guard depth <= maximumDepth else { throw RLPError("lists nested more than \(maximumDepth) deep") }
        let start = offset
        let prefix = input[offset]
        offset += 1
        switch prefix {
        case 0x00...0x7F:
            return .bytes([prefix])
        case 0x80...0xBF:
            let length = try payloadLength(input, prefix: prefix, shortBase: 0x80, at: &offset, end: end)
            if length == 1 && input[offset] < 0x80 {
                throw RLPError("non-canonical string at offset \(start): a single byte below 0x80 must be encoded as itself")
            }
            defer { offset += length }
            return .bytes(Array(input[offset..<offset + length]))
        default:
            let length = try payloadLength(input, prefix: prefix, shortBase: 0xC0, at: &offset, end: end)
            let listEnd = offset + length
            var items: [Item] = []
            while offset < listEnd {
                items.append(try decodeItem(input, at: &offset, end: listEnd, depth: depth + 1))
            }
            return .list(items)
        }
    }

    /// Reads the length that follows `prefix` and checks the payload fits before `end`.
    private static func payloadLength(
        _ input: [UInt8], prefix: UInt8, shortBase: UInt8, at offset: inout Int, end: Int
    ) throws(RLPError) -> Int {
        let what = shortBase == 0x80 ? "string" : "list"
        let headerStart = offset - 1
        let length: Int
        if prefix <= shortBase + 55 {
            length = Int(prefix - shortBase)
        } else {
            let lengthOfLength = Int(prefix - shortBase - 55)
            guard end - offset >= lengthOfLength else {
                throw RLPError("truncated \(what) length at offset \(headerStart)")
            }
            guard input[offset] != 0 else {
                throw RLPError("non-canonical \(what) length at offset \(headerStart): leading zero byte")
            }
            guard lengthOfLength <= 4 else {
                throw RLPError("\(what) at offset \(headerStart) declares a length of \(lengthOfLength) bytes; the input cannot be that long")
            }
            var value = 0
            for byte in input[offset..<offset + lengthOfLength] { value = value << 8 | Int(byte) }
            offset += lengthOfLength
            guard value > 55 else {
                throw RLPError("non-canonical \(what) length at offset \(headerStart): \(value) bytes must use the short form")
            }
            length = value
        }
        guard end - offset >= length else {
            throw RLPError("\(what) at offset \(headerStart) declares \(length) bytes but only \(end - offset) remain")
        }
        return length
    }
}

extension RLP.Item {
    /// The byte string, or an error naming `field` when this is a list.
    public func bytes(_ field: String) throws(RLPError) -> [UInt8] {
        guard case .bytes(let bytes) = self else { throw RLPError("\(field) must be a byte string, got a list") }
        return bytes
    }

    /// The list's items, or an error naming `field` when this is a byte string.
    public func list(_ field: String) throws(RLPError) -> [RLP.Item] {
        guard case .list(let items) = self else { throw RLPError("\(field) must be a list, got a byte string") }
        return items
    }

    /// A canonical integer: at most 32 bytes and no leading zero byte (zero is the empty string).
    public func quantity(_ field: String) throws(RLPError) -> EthereumQuantity {
        let bytes = try bytes(field)
        guard bytes.first != 0 else { throw RLPError("\(field) is not a canonical integer: it has a leading zero byte") }
        do {
            return try EthereumQuantity(bigEndian: bytes)
        } catch {
            throw RLPError("\(field): \(error)")
        }
    }
}

/// Why bytes are not a valid (canonical) RLP encoding.
public struct RLPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
