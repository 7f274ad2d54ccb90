/// A parsed JSON document (RFC 8259) that keeps numbers exactly as written.
///
/// Foundation's `JSONSerialization` turns large integers into `Double`, silently losing wei;
/// signing requests need every digit, so numbers stay as their literal text and are converted
/// by the field that expects them (see ``EthereumQuantity``). Objects keep their key order and
/// reject duplicate keys, so "which value wins" never depends on the parser.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, e.g. `"21000"`, `"-1"`, `"1.5e3"`.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; keys are unique.
    case object([(key: String, value: JSONValue)])

    /// Parses UTF-8 JSON text: one value, optionally surrounded by whitespace.
    public init<Bytes: Collection>(parsing text: Bytes) throws(JSONError) where Bytes.Element == UInt8 {
        var parser = JSONParser(Array(text))
        self = try parser.parseDocument()
    }

    /// Parses JSON text.
    public init(parsing text: String) throws(JSONError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// The member named `key` of an object, or nil (also for non-objects).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// What kind of value this is, for error messages ("expected a string, got a number").
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }
}
