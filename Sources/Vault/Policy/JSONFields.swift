import CofferBase
import WalletCore

/// Strict reading of one JSON object of a signing request or policy, over WalletCore's
/// ``JSONValue`` (numbers kept as written, duplicate keys refused by the parser): unknown members
/// are refused, and every error names the object and the member (`intent: "fee" is required`,
/// `payload: "chain_id" must be a whole number in 1...9007199254740992, got a string`).
struct JSONFields {
    /// Where the object sits, for messages: "intent", "payload", "policy rule 2".
    let context: String
    let members: [(key: String, value: JSONValue)]

    init(_ value: JSONValue, context: String) throws(PolicyError) {
        guard case .object(let members) = value else { throw PolicyError("\(context) must be a JSON object, got \(value.kindName)") }
        self.context = context
        self.members = members
    }

    /// Parses UTF-8 text that must hold one JSON object; `what` names it ("policy").
    static func parse(_ bytes: [UInt8], what: String) throws(PolicyError) -> JSONValue {
        let value: JSONValue
        do { value = try JSONValue(parsing: bytes) } catch { throw PolicyError("\(what) is not valid JSON: \(error)") }
        guard case .object = value else { throw PolicyError("\(what) must be a JSON object, got \(value.kindName)") }
        return value
    }

    func allowOnly(_ keys: Set<String>) throws(PolicyError) {
        if let unknown = members.first(where: { !keys.contains($0.key) }) {
            throw PolicyError("\(context): unknown field \"\(unknown.key.prefix(60))\"; allowed: \(keys.sorted().joined(separator: ", "))")
        }
    }

    /// The member's value; nil when absent or JSON null.
    func value(_ key: String) -> JSONValue? {
        guard let value = members.first(where: { $0.key == key })?.value, value != .null else { return nil }
        return value
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func required(_ key: String) throws(PolicyError) -> JSONValue {
        guard let value = value(key) else { throw PolicyError("\(context): \"\(key)\" is required") }
        return value
    }

    func string(_ key: String) throws(PolicyError) -> String {
        guard let value = try optionalString(key) else { throw PolicyError("\(context): \"\(key)\" is required") }
        return value
    }

    func optionalString(_ key: String) throws(PolicyError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw PolicyError("\(context): \"\(key)\" must be a string, got \(value.kindName)") }
        return text
    }

    func optionalStrings(_ key: String) throws(PolicyError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let elements) = value else {
            throw PolicyError("\(context): \"\(key)\" must be an array of strings, got \(value.kindName)")
        }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else {
                throw PolicyError("\(context): \"\(key)\" must be an array of strings, but holds \(element.kindName)")
            }
            strings.append(text)
        }
        return strings
    }

    /// A whole number in `range`, in any JSON spelling of an integer (`7`, `7.0`, `7e0`).
    func integer(_ key: String, range: ClosedRange<Int64>) throws(PolicyError) -> Int64 {
        try Self.integer(try required(key), name: "\"\(key)\"", context: context, range: range)
    }

    func integers(_ key: String, range: ClosedRange<Int64>) throws(PolicyError) -> [Int64] {
        let value = try required(key)
        guard case .array(let elements) = value else {
            throw PolicyError("\(context): \"\(key)\" must be an array of numbers, got \(value.kindName)")
        }
        var numbers: [Int64] = []
        for element in elements { numbers.append(try Self.integer(element, name: "\"\(key)\"", context: context, range: range)) }
        return numbers
    }

    static func integer(_ value: JSONValue, name: String, context: String, range: ClosedRange<Int64>) throws(PolicyError) -> Int64 {
        guard case .number(let literal) = value, let number = CanonicalJSON.integer(literal), range.contains(number) else {
            let got = if case .number(let literal) = value { String(literal.prefix(40)) } else { value.kindName }
            throw PolicyError("\(context): \(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), got \(got)")
        }
        return number
    }

    /// A member that must itself be an object, read with the same strictness.
    func object(_ key: String, context nested: String) throws(PolicyError) -> JSONFields {
        let value = try required(key)
        guard case .object = value else { throw PolicyError("\(context): \"\(key)\" must be an object, got \(value.kindName)") }
        return try JSONFields(value, context: nested)
    }
}
