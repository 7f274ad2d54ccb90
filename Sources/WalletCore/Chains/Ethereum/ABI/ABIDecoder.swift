/// Strict decoding of the standard ABI encoding. Refused, with what and where (the value's path
/// and the byte position): offsets that point into the head, back over the value before, or
/// beyond the data; lengths beyond the data; non-zero padding after `bytesN`, `bytes` and
/// `string`; high bits set above a `uintN` or an address; an `intN` that is not sign-extended; a
/// bool that is neither 0 nor 1; a `string` that is not UTF-8. Bytes after the last value are
/// ignored, as the EVM ignores them in call data.
///
/// Values never overlap, so the decoded values are never larger than the data.
public enum ABIDecoder {
    /// Decodes `data` as the tuple of `types` (call arguments after the selector, return values,
    /// event data).
    public static func decode(_ types: [ABIType], from data: [UInt8]) throws(ABIError) -> [ABIValue] {
        try decode(types, from: data, names: [], origin: 0)
    }

    /// `names` (one per type, or none) label the values in messages; `origin` is added to byte
    /// positions in messages (4 for arguments after a selector).
    static func decode(_ types: [ABIType], from data: [UInt8], names: [String], origin: Int) throws(ABIError) -> [ABIValue] {
        let reader = ABIReader(data: data, origin: origin)
        let headSize = types.reduce(0) { ABIType.saturating($0.addingReportingOverflow($1.headSize)) }
        return try reader.sequence(types, headSize: headSize, at: 0, what: "(\(types.map(\.description).joined(separator: ",")))") {
            ABIPath.top($0, name: names.indices.contains($0) ? names[$0] : "")
        }.values
    }

    /// Decodes one 32-byte word (an event topic) as the elementary `type`, with the same checks.
    static func decodeWord(_ word: [UInt8], as type: ABIType, at path: ABIPath) throws(ABIError) -> ABIValue {
        guard word.count == 32 else { throw .invalidData("\(path): a topic is 32 bytes, got \(word.count)") }
        return try ABIReader(data: word, origin: 0).value(type, at: 0, path: path).value
    }
}

/// Reads values out of one encoding; `origin` shifts the byte positions shown in messages.
private struct ABIReader {
    let data: [UInt8]
    let origin: Int

    private func position(_ index: Int) -> String { "byte \(origin + index)" }

    private func failure(_ path: ABIPath, _ message: String) -> ABIError { .invalidData("\(path): \(message)") }

    /// Heads, then the dynamic values the heads point to: a tuple, a fixed array, or the elements
    /// of a dynamic array (`what` names it in messages). Returns the values and where the last
    /// of them ends.
    func sequence<Types: Collection<ABIType>>(
        _ types: Types, headSize: Int, at start: Int, what: @autoclosure () -> String, path: (Int) -> ABIPath
    ) throws(ABIError) -> (values: [ABIValue], end: Int) {
        guard headSize <= data.count - start else {
            throw .invalidData("\(what()) needs \(headSize) bytes at \(position(start)), but the data ends at \(position(data.count))")
        }
        var values: [ABIValue] = []
        values.reserveCapacity(types.count)
        var head = start
        var tailEnd = start + headSize
        for (index, type) in types.enumerated() {
            let path = path(index)
            if type.isDynamic {
                guard let offset = size(at: head), offset <= data.count - start - 32 else {
                    throw failure(path, "offset \(wordText(at: head)) at \(position(head)) points beyond the data (\(data.count + origin) bytes)")
                }
                guard offset >= headSize else {
                    throw failure(path, "offset \(offset) at \(position(head)) points into the head, which ends at \(position(start + headSize))")
                }
                guard start + offset >= tailEnd else {
                    throw failure(path, "offset \(offset) at \(position(head)) overlaps the value before it, which ends at \(position(tailEnd))")
                }
                let decoded = try value(type, at: start + offset, path: path)
                values.append(decoded.value)
                tailEnd = decoded.end
            } else {
                values.append(try value(type, at: head, path: path).value)
            }
            head += type.headSize
        }
        return (values, tailEnd)
    }

    /// The value of `type` whose encoding starts at `start`, and where that encoding ends.
    func value(_ type: ABIType, at start: Int, path: ABIPath) throws(ABIError) -> (value: ABIValue, end: Int) {
        if let problem = type.problem { throw .invalidABI("\(path): \(problem)") }
        switch type {
        case .uint(let bits):
            let word = try self.word(at: start, path: path, type)
            guard word.prefix(32 - bits / 8).allSatisfy({ $0 == 0 }) else {
                throw failure(path, "uint\(bits) at \(position(start)) has bits set above its \(bits) bits: 0x\(Hex.encode(word))")
            }
            return (.uint(quantity(word)), start + 32)
        case .int(let bits):
            let word = try self.word(at: start, path: path, type)
            let fill: UInt8 = word[32 - bits / 8] & 0x80 == 0 ? 0x00 : 0xFF
            guard word.prefix(32 - bits / 8).allSatisfy({ $0 == fill }) else {
                throw failure(path, "int\(bits) at \(position(start)) is not sign-extended from its \(bits) bits: 0x\(Hex.encode(word))")
            }
            return (.int(Int256(bitPattern: quantity(word))), start + 32)
        case .address:
            let word = try self.word(at: start, path: path, type)
            guard word.prefix(12).allSatisfy({ $0 == 0 }) else {
                throw failure(path, "address at \(position(start)) has non-zero bytes before its 20 bytes: 0x\(Hex.encode(word))")
            }
            return (.address(Array(word.suffix(20))), start + 32)
        case .bool:
            let word = try self.word(at: start, path: path, type)
            guard word.prefix(31).allSatisfy({ $0 == 0 }), word[31] <= 1 else {
                throw failure(path, "bool at \(position(start)) is neither 0 nor 1: 0x\(Hex.encode(word))")
            }
            return (.bool(word[31] == 1), start + 32)
        case .fixedBytes(let count):
            let word = try self.word(at: start, path: path, type)
            guard word.suffix(32 - count).allSatisfy({ $0 == 0 }) else {
                throw failure(path, "bytes\(count) at \(position(start)) has non-zero padding after its \(count) bytes: 0x\(Hex.encode(word))")
            }
            return (.fixedBytes(Array(word.prefix(count))), start + 32)
        case .bytes, .string:
            let (bytes, end) = try byteString(type, at: start, path: path)
            guard case .string = type else { return (.bytes(bytes), end) }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw failure(path, "string at \(position(start)) is not valid UTF-8")
            }
            return (.string(text), end)
        case .array(let element, let length):
            let headSize = ABIType.saturating(element.headSize.multipliedReportingOverflow(by: length))
            let items = try sequence(repeatElement(element, count: length), headSize: headSize, at: start, what: "\(path): \(type)") {
                path.element($0)
            }
            return (.array(items.values), items.end)
        case .dynamicArray(let element):
            _ = try word(at: start, path: path, type)
            let available = data.count - start - 32
            guard let count = size(at: start), ABIType.saturating(count.multipliedReportingOverflow(by: element.headSize)) <= available else {
                throw failure(path, "\(type) at \(position(start)) has length \(wordText(at: start)), more elements than the \(available) bytes after it hold")
            }
            let items = try sequence(repeatElement(element, count: count), headSize: count * element.headSize, at: start + 32, what: "\(path): \(type)") {
                path.element($0)
            }
            return (.array(items.values), Swift.max(items.end, start + 32))
        case .tuple(let components):
            let headSize = components.reduce(0) { ABIType.saturating($0.addingReportingOverflow($1.headSize)) }
            let items = try sequence(components, headSize: headSize, at: start, what: "\(path): \(type)") { path.component($0) }
            return (.tuple(items.values), items.end)
        }
    }

    /// The length-prefixed, zero-padded contents of `bytes` or `string` at `start`.
    private func byteString(_ type: ABIType, at start: Int, path: ABIPath) throws(ABIError) -> (bytes: [UInt8], end: Int) {
        _ = try word(at: start, path: path, type)
        let available = data.count - start - 32
        guard let length = size(at: start), length <= available else {
            throw failure(path, "\(type) at \(position(start)) has length \(wordText(at: start)), beyond the \(available) bytes after it")
        }
        let paddedLength = (length + 31) / 32 * 32
        guard paddedLength <= available else {
            throw failure(path, "\(type) at \(position(start)) of length \(length) lacks its padding to \(paddedLength) bytes: the data ends at \(position(data.count))")
        }
        let contents = start + 32
        guard data[(contents + length)..<(contents + paddedLength)].allSatisfy({ $0 == 0 }) else {
            throw failure(path, "\(type) at \(position(start)) has non-zero padding after its \(length) bytes")
        }
        return (Array(data[contents..<(contents + length)]), contents + paddedLength)
    }

    /// The 32 bytes at `start`, or an error saying the data is too short for `type`.
    private func word(at start: Int, path: ABIPath, _ type: ABIType) throws(ABIError) -> [UInt8] {
        guard start >= 0, start <= data.count - 32 else {
            throw failure(path, "\(type) needs 32 bytes at \(position(start)), but the data ends at \(position(data.count))")
        }
        return Array(data[start..<(start + 32)])
    }

    /// The word at `start` (known to be in the data) as an offset or length; nil when larger than
    /// the data, which no valid offset or length can be.
    private func size(at start: Int) -> Int? {
        let word = data[start..<(start + 32)]
        guard word.prefix(24).allSatisfy({ $0 == 0 }) else { return nil }
        let value = word.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return value <= UInt64(data.count) ? Int(value) : nil
    }

    /// The word at `start` as a decimal number, for messages.
    private func wordText(at start: Int) -> String { quantity(data[start..<(start + 32)]).description }

    private func quantity(_ word: some Collection<UInt8>) -> EthereumQuantity {
        // 32 bytes always fit; the fallback is unreachable.
        (try? EthereumQuantity(bigEndian: word)) ?? .zero
    }
}
