/// Decodes `Decodable` values from JSON strictly, for every request body and input file: a member
/// the type does not read is refused (a misspelt optional field must not be silently ignored),
/// types are exact (a string is not a number), integers must be whole and in range, amounts
/// (`UInt128`/`Int128`) come only as decimal strings, floating point is refused, and every error
/// names the member by its path (`transfers[2].amount`).
public enum JSONDecoding {
    /// Decodes `type` from JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(JSONError) -> T {
        try decode(type, from: try JSONValue(parsing: bytes))
    }

    /// Decodes `type` from a parsed JSON value.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(JSONError) -> T {
        let usage = MemberUsage()
        do {
            let decoded = try StrictJSONDecoder(value, path: "", usage: usage).decodeValue(type)
            try usage.refuseUnread()
            return decoded
        } catch let error as JSONError {
            throw error
        } catch let error as DecodingError {
            throw JSONError(StrictJSONDecoder.describe(error))
        } catch {
            throw JSONError("\(error)")
        }
    }
}

/// The members of every object read so far and which of them the types asked for.
final class MemberUsage {
    /// Per object read, its path, its members and which of them the type asked for (tests compare
    /// the keys asked for with the OpenAPI document's properties).
    private(set) var objects: [(path: String, keys: [String], read: Set<String>)] = []
    private var byPath: [String: Int] = [:]

    /// The object at `path`; a type that reads one object through two containers (its own
    /// members and a flattened part's) shares one record of what was read.
    func register(path: String, keys: [String]) -> Int {
        if let known = byPath[path] { return known }
        objects.append((path, keys, []))
        byPath[path] = objects.count - 1
        return objects.count - 1
    }

    func read(_ key: String, in object: Int) { objects[object].read.insert(key) }
    func readAll(in object: Int) { objects[object].read.formUnion(objects[object].keys) }

    func refuseUnread() throws(JSONError) {
        for object in objects {
            if let unknown = object.keys.first(where: { !object.read.contains($0) }) {
                let allowed = object.read.sorted().joined(separator: ", ")
                throw JSONError("unknown field \"\(StrictJSONDecoder.join(object.path, unknown.prefix(40)))\"\(allowed.isEmpty ? "" : "; fields are \(allowed)")")
            }
        }
    }
}

struct StrictJSONDecoder: Decoder {
    let value: JSONValue
    /// Where `value` sits, e.g. `transfers[2]`; empty at the top.
    let path: String
    let usage: MemberUsage

    init(_ value: JSONValue, path: String, usage: MemberUsage) {
        self.value = value
        self.path = path
        self.usage = usage
    }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func join(_ path: String, _ key: some StringProtocol) -> String { path.isEmpty ? String(key) : "\(path).\(key)" }

    /// The name of this value in messages.
    var name: String { path.isEmpty ? "the document" : path }

    func mismatch(_ expected: String) -> JSONError {
        JSONError("\(name) must be \(expected), not \(value.kindName)")
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch("an object") }
        let index = usage.register(path: path, keys: members.map(\.key))
        return KeyedDecodingContainer(StrictKeyedContainer<Key>(decoder: self, members: members, object: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch("an array") }
        return StrictUnkeyedContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { StrictSingleContainer(decoder: self) }

    /// The value as `T`, with Coffer's rules for the types that have them.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self {
            guard case .string(let text) = value else { throw mismatch("a string") }
            // PostgreSQL cannot store U+0000 in text; refusing it everywhere keeps both databases alike.
            guard !text.utf8.contains(0) else { throw JSONError("\(name) contains a NUL character (U+0000)") }
            return text as! T
        }
        if T.self == Bool.self {
            guard case .bool(let flag) = value else { throw mismatch("true or false") }
            return flag as! T
        }
        if T.self == JSONValue.self { return value as! T }
        if T.self == UInt128.self { return try amount(UInt128.self) as! T }
        if T.self == Int128.self { return try amount(Int128.self) as! T }
        if T.self == Double.self || T.self == Float.self {
            throw JSONError("\(name) cannot be a floating-point number; Coffer takes whole numbers and decimal strings")
        }
        if let integer = T.self as? any FixedWidthInteger.Type { return try self.integer(integer) as! T }
        return try T(from: self)
    }

    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws(JSONError) -> I {
        guard case .number(let literal) = value else { throw mismatch("a whole number") }
        guard literal.utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-") }) else {
            throw JSONError("\(name) must be a whole number, not \(literal.prefix(40))")
        }
        guard let number = I(literal) else { throw JSONError("\(name) \(literal.prefix(40)) is out of range (\(I.min)...\(I.max))") }
        return number
    }

    private func amount<A: FixedWidthInteger>(_ type: A.Type) throws(JSONError) -> A {
        guard case .string(let text) = value else {
            throw JSONError("\(name) must be a decimal string of smallest units (e.g. \"1500000\"), not \(value.kindName): amounts are never JSON numbers")
        }
        do {
            if A.self == UInt128.self { return A(try AmountText.parse(text, field: name)) }
            return A(try AmountText.parseSigned(text, field: name))
        } catch {
            throw JSONError(error.description)
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            context.debugDescription
        @unknown default:
            "the JSON does not have the expected shape"
        }
    }
}

private struct StrictKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: StrictJSONDecoder
    let members: [(key: String, value: JSONValue)]
    let object: Int

    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] {
        decoder.usage.readAll(in: object)
        return members.compactMap { Key(stringValue: $0.key) }
    }

    private func member(_ key: Key) -> JSONValue? {
        decoder.usage.read(key.stringValue, in: object)
        return members.first(where: { $0.key == key.stringValue })?.value
    }

    private func child(_ key: Key) throws -> StrictJSONDecoder {
        guard let value = member(key) else { throw JSONError("\(StrictJSONDecoder.join(decoder.path, key.stringValue)) is missing") }
        return StrictJSONDecoder(value, path: StrictJSONDecoder.join(decoder.path, key.stringValue), usage: decoder.usage)
    }

    func contains(_ key: Key) -> Bool { member(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = member(key) else { return true }
        return value == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let child = try child(key)
        if child.value == .null, T.self != JSONValue.self, !(T.self is any OptionalValue.Type) {
            throw JSONError("\(child.path) must not be null")
        }
        return try child.decodeValue(type)
    }

    // The standard library's defaults for 128-bit integers throw "not implemented".
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { try decode(AmountValue<UInt128>.self, forKey: key).value }
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { try decode(AmountValue<Int128>.self, forKey: key).value }
    func decodeIfPresent(_ type: UInt128.Type, forKey key: Key) throws -> UInt128? { try decodeIfPresent(AmountValue<UInt128>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Int128.Type, forKey key: Key) throws -> Int128? { try decodeIfPresent(AmountValue<Int128>.self, forKey: key)?.value }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = member(key), value != .null else { return nil }
        return try StrictJSONDecoder(value, path: StrictJSONDecoder.join(decoder.path, key.stringValue), usage: decoder.usage).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

private struct StrictUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: StrictJSONDecoder
    let items: [JSONValue]
    var currentIndex = 0

    init(decoder: StrictJSONDecoder, items: [JSONValue]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { [] }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> StrictJSONDecoder {
        guard !isAtEnd else { throw JSONError("\(decoder.name) has too few elements") }
        defer { currentIndex += 1 }
        return StrictJSONDecoder(items[currentIndex], path: "\(decoder.path)[\(currentIndex)]", usage: decoder.usage)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let element = try next()
        if element.value == .null, T.self != JSONValue.self, !(T.self is any OptionalValue.Type) {
            throw JSONError("\(element.path) must not be null")
        }
        return try element.decodeValue(type)
    }

    mutating func decode(_ type: UInt128.Type) throws -> UInt128 { try decode(AmountValue<UInt128>.self).value }
    mutating func decode(_ type: Int128.Type) throws -> Int128 { try decode(AmountValue<Int128>.self).value }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct StrictSingleContainer: SingleValueDecodingContainer {
    let decoder: StrictJSONDecoder
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { decoder.value == .null }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
    func decode(_ type: UInt128.Type) throws -> UInt128 { try decoder.decodeValue(type) }
    func decode(_ type: Int128.Type) throws -> Int128 { try decoder.decodeValue(type) }
}

/// A 128-bit integer read through the decoder's generic path (its rules: decimal strings only).
private struct AmountValue<A: FixedWidthInteger & Decodable>: Decodable {
    let value: A
    init(from decoder: any Decoder) throws {
        guard let strict = decoder as? StrictJSONDecoder else { value = try A(from: decoder); return }
        value = try strict.decodeValue(A.self)
    }
}

/// Optionals, whose null is a value: an array of optionals (`[UInt128?]`) holds the nulls the
/// encoder writes for its absent elements, so the decoder reads them as nil instead of refusing them.
private protocol OptionalValue {}
extension Optional: OptionalValue {}
