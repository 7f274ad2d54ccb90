/// The standard (non-packed) ABI encoding: a list of values is encoded as a tuple, each static
/// value in place in the head and each dynamic value in the tail, found by an offset in the head.
public enum ABIEncoder {
    /// Encodes `values` as the tuple of `types`: call arguments (after the selector), return
    /// values, event data. Throws when a value does not fit its type, naming which value.
    public static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        try encode(values, as: types, names: [])
    }

    /// The encoding of `values` as the tuple of `types`; `names` (one per value or none) label
    /// the values in messages.
    static func encode(_ values: [ABIValue], as types: [ABIType], names: [String]) throws(ABIError) -> [UInt8] {
        guard values.count == types.count else {
            throw .invalidValue("expected \(types.count) values (\(types.map(\.description).joined(separator: ","))), got \(values.count)")
        }
        let paths = types.indices.map { ABIPath.top($0, name: names.indices.contains($0) ? names[$0] : "") }
        return try encodeSequence(values, types, paths: paths)
    }

    /// Heads then tails: the encoding of a tuple, a fixed array or a dynamic array's elements.
    private static func encodeSequence(_ values: [ABIValue], _ types: [ABIType], paths: [ABIPath]) throws(ABIError) -> [UInt8] {
        // Saturates for absurd hand-built types; their values then fail the length checks first.
        let headSize = types.reduce(0) { ABIType.saturating($0.addingReportingOverflow($1.headSize)) }
        var head: [UInt8] = []
        var tail: [UInt8] = []
        for index in values.indices {
            let encoded = try encodeValue(values[index], as: types[index], at: paths[index])
            if types[index].isDynamic {
                head += word(UInt64(headSize + tail.count))
                tail += encoded
            } else {
                head += encoded
            }
        }
        return head + tail
    }

    /// The encoding of one value: a word for elementary types, the sequence encoding for arrays
    /// and tuples, length-prefixed and zero-padded for `bytes` and `string`.
    private static func encodeValue(_ value: ABIValue, as type: ABIType, at path: ABIPath) throws(ABIError) -> [UInt8] {
        if let problem = type.problem { throw .invalidValue("\(path): \(problem)") }
        switch (type, value) {
        case (.uint(let bits), .uint(let number)):
            guard number.bitWidth <= bits else { throw .invalidValue("\(path): \(number) does not fit in uint\(bits)") }
            return number.word
        case (.int(let bits), .int(let number)):
            guard number.fits(bits: bits) else { throw .invalidValue("\(path): \(number) does not fit in int\(bits)") }
            return number.bitPattern.word
        case (.address, .address(let bytes)):
            guard bytes.count == 20 else { throw .invalidValue("\(path): an address is 20 bytes, got \(bytes.count)") }
            return [UInt8](repeating: 0, count: 12) + bytes
        case (.bool, .bool(let flag)):
            return word(flag ? 1 : 0)
        case (.fixedBytes(let count), .fixedBytes(let bytes)):
            guard bytes.count == count else { throw .invalidValue("\(path): bytes\(count) needs exactly \(count) bytes, got \(bytes.count)") }
            return padded(bytes)
        case (.bytes, .bytes(let bytes)):
            return word(UInt64(bytes.count)) + padded(bytes)
        case (.string, .string(let text)):
            let bytes = Array(text.utf8)
            return word(UInt64(bytes.count)) + padded(bytes)
        case (.array(let element, let length), .array(let items)):
            guard items.count == length else { throw .invalidValue("\(path): \(type) needs exactly \(length) elements, got \(items.count)") }
            return try encodeSequence(items, Array(repeating: element, count: length), paths: items.indices.map { path.element($0) })
        case (.dynamicArray(let element), .array(let items)):
            let elements = try encodeSequence(items, Array(repeating: element, count: items.count), paths: items.indices.map { path.element($0) })
            return word(UInt64(items.count)) + elements
        case (.tuple(let components), .tuple(let items)):
            guard items.count == components.count else { throw .invalidValue("\(path): \(type) has \(components.count) components, got \(items.count)") }
            return try encodeSequence(items, components, paths: items.indices.map { path.component($0) })
        default:
            throw .invalidValue("\(path): expected a value of type \(type), got \(value.kindName)")
        }
    }

    /// What an indexed event parameter's topic holds (Solidity's "encoding of indexed event
    /// parameters"): the word itself for a word-sized type; otherwise Keccak-256 of the value's
    /// in-place encoding, where `bytes` and `string` are their bare contents at the top level and
    /// zero-padded to a multiple of 32 inside arrays and tuples, and arrays and tuples are the
    /// concatenation of their elements without a length.
    static func topic(for value: ABIValue, as type: ABIType, at path: ABIPath) throws(ABIError) -> [UInt8] {
        if type.isWord { return try encodeValue(value, as: type, at: path) }
        return Keccak256.hash(try inPlace(value, as: type, at: path, padded: false))
    }

    private static func inPlace(_ value: ABIValue, as type: ABIType, at path: ABIPath, padded: Bool) throws(ABIError) -> [UInt8] {
        if let problem = type.problem { throw .invalidValue("\(path): \(problem)") }
        switch (type, value) {
        case (.bytes, .bytes(let bytes)):
            return padded ? Self.padded(bytes) : bytes
        case (.string, .string(let text)):
            return padded ? Self.padded(Array(text.utf8)) : Array(text.utf8)
        case (.array(let element, let length), .array(let items)):
            guard items.count == length else { throw .invalidValue("\(path): \(type) needs exactly \(length) elements, got \(items.count)") }
            return try inPlaceSequence(items, Array(repeating: element, count: length), paths: items.indices.map { path.element($0) })
        case (.dynamicArray(let element), .array(let items)):
            return try inPlaceSequence(items, Array(repeating: element, count: items.count), paths: items.indices.map { path.element($0) })
        case (.tuple(let components), .tuple(let items)):
            guard items.count == components.count else { throw .invalidValue("\(path): \(type) has \(components.count) components, got \(items.count)") }
            return try inPlaceSequence(items, components, paths: items.indices.map { path.component($0) })
        default:
            return try encodeValue(value, as: type, at: path)
        }
    }

    private static func inPlaceSequence(_ values: [ABIValue], _ types: [ABIType], paths: [ABIPath]) throws(ABIError) -> [UInt8] {
        var out: [UInt8] = []
        for index in values.indices { out += try inPlace(values[index], as: types[index], at: paths[index], padded: true) }
        return out
    }

    /// A 32-byte big-endian word holding `value`.
    static func word(_ value: UInt64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        for index in 0..<8 { out[31 - index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        return out
    }

    /// `bytes` followed by zeros up to a multiple of 32.
    static func padded(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: (32 - bytes.count % 32) % 32)
    }
}
