import CofferBase

extension ABIValue {
    /// Reads a value of `type` from JSON as requests and test fixtures write it: integers as
    /// JSON integers or decimal strings (`uint` also `0x` hex), addresses, `bytesN` and `bytes`
    /// as `0x` hex, bools, strings, and arrays and tuples as JSON arrays. `path` names the value
    /// in messages.
    public init(json: JSONValue, as type: ABIType, at path: String = "value") throws(ABIError) {
        if let problem = type.problem { throw .invalidABI("\(path): \(problem)") }
        switch type {
        case .uint:
            self = .uint(try Self.json(path) { () throws(JSONError) in try json.ethereumQuantity(field: path) })
        case .int:
            self = .int(try Self.json(path) { () throws(JSONError) in try json.ethereumSignedInteger(field: path) })
        case .address:
            self = .address(try Self.json(path) { () throws(JSONError) in try json.ethereumAddress(field: path) })
        case .bool:
            guard case .bool(let flag) = json else { throw .invalidValue("\(path) must be true or false, got \(json.kindName)") }
            self = .bool(flag)
        case .fixedBytes(let count):
            self = .fixedBytes(try Self.json(path) { () throws(JSONError) in try json.ethereumHexBytes(field: path, count: count) })
        case .bytes:
            self = .bytes(try Self.json(path) { () throws(JSONError) in try json.ethereumHexBytes(field: path) })
        case .string:
            guard case .string(let text) = json else { throw .invalidValue("\(path) must be a string, got \(json.kindName)") }
            self = .string(text)
        case .array(let element, _), .dynamicArray(let element):
            guard case .array(let items) = json else { throw .invalidValue("\(path) must be an array, got \(json.kindName)") }
            if case .array(_, let length) = type, items.count != length {
                throw .invalidValue("\(path) must have exactly \(length) elements, got \(items.count)")
            }
            var values: [ABIValue] = []
            for (index, item) in items.enumerated() { values.append(try ABIValue(json: item, as: element, at: "\(path)[\(index)]")) }
            self = .array(values)
        case .tuple(let components):
            guard case .array(let items) = json, items.count == components.count else {
                throw .invalidValue("\(path) must be an array of the \(components.count) components of \(type), got \(json.kindName)")
            }
            var values: [ABIValue] = []
            for (index, item) in items.enumerated() { values.append(try ABIValue(json: item, as: components[index], at: "\(path).\(index)")) }
            self = .tuple(values)
        }
    }

    /// The value as JSON, in the form ``init(json:as:at:)`` reads: integers as decimal strings,
    /// addresses and bytes as lower-case `0x` hex, arrays and tuples as arrays.
    public var json: JSONValue {
        switch self {
        case .uint(let number): .string(number.description)
        case .int(let number): .string(number.description)
        case .address(let bytes), .fixedBytes(let bytes), .bytes(let bytes): .string("0x" + Hex.encode(bytes))
        case .bool(let flag): .bool(flag)
        case .string(let text): .string(text)
        case .array(let items), .tuple(let items): .array(items.map(\.json))
        }
    }

    private static func json<T>(_ path: String, _ body: () throws(JSONError) -> T) throws(ABIError) -> T {
        do { return try body() } catch { throw .invalidValue(error.description) }
    }
}
