/// Encodes `Encodable` values as compact JSON bytes, for every response and output line Coffer
/// writes: members in the order the value encodes them (declaration order for synthesized
/// conformances), absent optionals as `null` (so every documented member is always present),
/// `UInt128`/`Int128` as decimal strings (amounts never travel as JSON numbers a client could read
/// as a float), and floating point refused outright. Written straight into bytes, without
/// Foundation's `JSONEncoder` and its intermediate containers: responses are small and hot.
public enum JSONEncoding {
    /// The compact JSON of `value`.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try encode(value, into: &out)
        return out
    }

    /// Appends the compact JSON of `value` to `out`.
    public static func encode<T: Encodable>(_ value: T, into out: inout [UInt8]) throws {
        let encoder = ByteJSONEncoder()
        swap(&encoder.out, &out)
        defer { swap(&encoder.out, &out) }
        try encoder.encodeValue(value)
    }

    /// The compact JSON of `value` as text.
    public static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}

/// Why a value could not be written as JSON (a float, an unsupported coding feature).
public struct JSONEncodingError: CofferError, Equatable {
    public let description: String
    public var code: String { "internal" }
    public var category: ErrorCategory { .internal }
}

/// The streaming encoder. Containers are written as they are opened; a container ends when the
/// value that opened it finishes encoding (or when its parent writes its next member), so no
/// tree is built.
final class ByteJSONEncoder: Encoder {
    // One encoder serves one `encode` call on one thread, and no access to these overlaps
    // another: the runtime's exclusivity bookkeeping on every append was a fifth of the
    // encoder's time.
    @exclusivity(unchecked) var out: [UInt8] = []
    /// Open containers, innermost last.
    @exclusivity(unchecked) private var frames: [(isObject: Bool, depth: Int, count: Int)] = []
    /// How many `encodeValue` calls are in progress.
    private var depth = 0

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func encodeValue<T: Encodable>(_ value: T) throws {
        // Scalars by type identity (a metadata comparison) rather than a chain of dynamic casts:
        // this runs for every member of every response.
        if T.self == String.self { return JSONText.appendString(unsafeBitCast(value, to: String.self), to: &out) }
        if T.self == Bool.self { return out += (unsafeBitCast(value, to: Bool.self) ? "true" : "false").utf8 }
        if T.self == Int.self { return integer(unsafeBitCast(value, to: Int.self)) }
        if T.self == Int64.self { return integer(unsafeBitCast(value, to: Int64.self)) }
        if T.self == UInt64.self { return integer(unsafeBitCast(value, to: UInt64.self)) }
        if T.self == UInt32.self { return integer(unsafeBitCast(value, to: UInt32.self)) }
        if T.self == Int32.self { return integer(unsafeBitCast(value, to: Int32.self)) }
        if T.self == UInt16.self { return integer(unsafeBitCast(value, to: UInt16.self)) }
        if T.self == Int16.self { return integer(unsafeBitCast(value, to: Int16.self)) }
        if T.self == UInt8.self { return integer(unsafeBitCast(value, to: UInt8.self)) }
        if T.self == Int8.self { return integer(unsafeBitCast(value, to: Int8.self)) }
        if T.self == UInt.self { return integer(unsafeBitCast(value, to: UInt.self)) }
        if T.self == UInt128.self { return amount(unsafeBitCast(value, to: UInt128.self)) }
        if T.self == Int128.self { return quoted(String(unsafeBitCast(value, to: Int128.self))) }
        if T.self == JSONValue.self { return (value as! JSONValue).write(to: &out) }
        if T.self == Double.self || T.self == Float.self {
            throw JSONEncodingError(description: "a floating-point value cannot be written: Coffer's wire values are integers and decimal strings")
        }
        let mark = frames.count
        let start = out.count
        depth += 1
        defer { depth -= 1 }
        try value.encode(to: self)
        close(downTo: mark)
        if out.count == start { out += "null".utf8 }
    }

    func integer<I: FixedWidthInteger>(_ number: I) {
        if I.isSigned && number < 0 {
            out.append(UInt8(ascii: "-"))
            return AmountText.withDigits(of: UInt128(number.magnitude)) { out.append(contentsOf: $0) }
        }
        AmountText.withDigits(of: UInt128(number)) { out.append(contentsOf: $0) }
    }

    func amount(_ value: UInt128) {
        out.append(UInt8(ascii: "\""))
        AmountText.withDigits(of: value) { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
    }

    func quoted(_ digits: String) {
        out.append(UInt8(ascii: "\""))
        out += digits.utf8
        out.append(UInt8(ascii: "\""))
    }

    /// Ends every container above `mark`.
    func close(downTo mark: Int) {
        while frames.count > mark {
            out.append(frames.removeLast().isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Opens a container for the value being encoded, or returns the one it already opened.
    private func open(object: Bool) -> Int {
        if let last = frames.last, last.depth == depth, last.isObject == object { return frames.count - 1 }
        frames.append((object, depth, 0))
        out.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        return frames.count - 1
    }

    /// Starts the next member or element of container `index`: ends containers nested in it, writes the separator.
    func next(in index: Int) {
        close(downTo: index + 1)
        if frames[index].count > 0 { out.append(UInt8(ascii: ",")) }
        frames[index].count += 1
    }

    func key(_ key: String, in index: Int) {
        next(in: index)
        JSONText.appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    /// A container nested directly in container `index` (after its key or separator was written).
    func nested(object: Bool) -> Int {
        frames.append((object, depth, 0))
        out.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        return frames.count - 1
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedByteContainer<Key>(encoder: self, index: open(object: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedByteContainer(encoder: self, index: open(object: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleByteContainer(encoder: self) }
}

private struct KeyedByteContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: ByteJSONEncoder
    let index: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {
        encoder.key(key.stringValue, in: index)
        encoder.out += "null".utf8
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        encoder.key(key.stringValue, in: index)
        try encoder.encodeValue(value)
    }

    // The scalar requirements, written directly (the synthesized conformances call these).
    mutating func encode(_ value: String, forKey key: Key) throws {
        encoder.key(key.stringValue, in: index)
        JSONText.appendString(value, to: &encoder.out)
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        encoder.key(key.stringValue, in: index)
        encoder.out += (value ? "true" : "false").utf8
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(value, key) }

    private mutating func integer<I: FixedWidthInteger>(_ value: I, _ key: Key) throws {
        encoder.key(key.stringValue, in: index)
        encoder.integer(value)
    }

    // The standard library's defaults for 128-bit integers throw "not implemented": amounts are
    // exactly what this encoder exists for.
    mutating func encode(_ value: UInt128, forKey key: Key) throws {
        encoder.key(key.stringValue, in: index)
        encoder.amount(value)
    }
    mutating func encode(_ value: Int128, forKey key: Key) throws {
        encoder.key(key.stringValue, in: index)
        encoder.quoted(String(value))
    }
    mutating func encodeIfPresent(_ value: UInt128?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Int128?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }

    // Absent optionals are written as null, not left out: every documented member is present.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encodeIfPresent(value as Bool?, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encodeIfPresent(value as Int?, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try encodeIfPresent(value as Int8?, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try encodeIfPresent(value as Int16?, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encodeIfPresent(value as Int32?, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encodeIfPresent(value as Int64?, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try encodeIfPresent(value as UInt?, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try encodeIfPresent(value as UInt8?, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try encodeIfPresent(value as UInt16?, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try encodeIfPresent(value as UInt32?, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try encodeIfPresent(value as UInt64?, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encodeIfPresent(value as Double?, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encodeIfPresent(value as Float?, key) }

    private mutating func encodeIfPresent<T: Encodable>(_ value: T?, _ key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.key(key.stringValue, in: index)
        return KeyedEncodingContainer(KeyedByteContainer<NestedKey>(encoder: encoder, index: encoder.nested(object: true)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.key(key.stringValue, in: index)
        return UnkeyedByteContainer(encoder: encoder, index: encoder.nested(object: false))
    }

    mutating func superEncoder() -> any Encoder {
        preconditionFailure("JSONEncoding does not support superEncoder(); encode the members directly")
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        preconditionFailure("JSONEncoding does not support superEncoder(forKey:); encode the members directly")
    }
}

private struct UnkeyedByteContainer: UnkeyedEncodingContainer {
    let encoder: ByteJSONEncoder
    let index: Int
    var codingPath: [any CodingKey] { [] }
    private(set) var count = 0

    init(encoder: ByteJSONEncoder, index: Int) {
        self.encoder = encoder
        self.index = index
    }

    mutating func encodeNil() throws {
        encoder.next(in: index)
        count += 1
        encoder.out += "null".utf8
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.next(in: index)
        count += 1
        try encoder.encodeValue(value)
    }

    mutating func encode(_ value: String) throws {
        encoder.next(in: index)
        count += 1
        JSONText.appendString(value, to: &encoder.out)
    }
    mutating func encode(_ value: UInt128) throws {
        encoder.next(in: index)
        count += 1
        encoder.amount(value)
    }
    mutating func encode(_ value: Int128) throws {
        encoder.next(in: index)
        count += 1
        encoder.quoted(String(value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder.next(in: index)
        count += 1
        return KeyedEncodingContainer(KeyedByteContainer<NestedKey>(encoder: encoder, index: encoder.nested(object: true)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.next(in: index)
        count += 1
        return UnkeyedByteContainer(encoder: encoder, index: encoder.nested(object: false))
    }

    mutating func superEncoder() -> any Encoder {
        preconditionFailure("JSONEncoding does not support superEncoder(); encode the elements directly")
    }
}

private struct SingleByteContainer: SingleValueEncodingContainer {
    let encoder: ByteJSONEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { encoder.out += "null".utf8 }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
    mutating func encode(_ value: UInt128) throws { encoder.amount(value) }
    mutating func encode(_ value: Int128) throws { encoder.quoted(String(value)) }
}
