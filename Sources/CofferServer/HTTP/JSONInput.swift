import Foundation

/// A request body's JSON object, read strictly: unknown fields, wrong types, fractional or
/// out-of-range numbers are refused with the field's name. Money never arrives as a number.
public struct JSONInput: Sendable {
    enum Value: Decodable, Sendable {
        case string(String), integer(Int64), bool(Bool), null, array([Value]), object([String: Value]), otherNumber

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null; return }
            if let flag = try? container.decode(Bool.self) { self = .bool(flag); return }
            if let number = try? container.decode(Int64.self) { self = .integer(number); return }
            if let text = try? container.decode(String.self) { self = .string(text); return }
            if let items = try? container.decode([Value].self) { self = .array(items); return }
            if let fields = try? container.decode([String: Value].self) { self = .object(fields); return }
            self = .otherNumber
        }

        var typeName: String {
            switch self {
            case .string: "a string"
            case .integer, .otherNumber: "a number"
            case .bool: "a boolean"
            case .null: "null"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    let fields: [String: Value]

    /// Parses `body` as one JSON object whose keys are all in `allowed`.
    public init(_ body: [UInt8], allowed: Set<String>) throws(Problem) {
        guard !body.isEmpty else { throw Problem.badRequest("the request body is empty; send a JSON object") }
        let value: Value
        do {
            value = try JSONDecoder().decode(Value.self, from: Data(body))
        } catch {
            throw Problem.badRequest("the request body is not valid JSON")
        }
        guard case .object(let fields) = value else { throw Problem.badRequest("the request body must be a JSON object, not \(value.typeName)") }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw Problem.badRequest("unknown field \"\(unknown.prefix(40))\"; fields are \(allowed.sorted().joined(separator: ", "))")
        }
        self.fields = fields
    }

    public func string(_ name: String) throws(Problem) -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let text)?:
            // PostgreSQL cannot store U+0000 in text; refusing it everywhere keeps both stores alike.
            guard !text.utf8.contains(0) else { throw Problem.badRequest("\(name) contains a NUL character (U+0000)") }
            return text
        case let other?: throw Problem.badRequest("\(name) must be a string, not \(other.typeName)")
        }
    }

    public func requiredString(_ name: String) throws(Problem) -> String {
        guard let text = try string(name) else { throw Problem.badRequest("\(name) is missing") }
        return text
    }

    public func integer<T: FixedWidthInteger>(_ name: String, as type: T.Type) throws(Problem) -> T? {
        switch fields[name] {
        case nil, .null?: return nil
        case .integer(let number)?:
            guard let value = T(exactly: number) else { throw Problem.badRequest("\(name) \(number) is out of range (\(T.min)...\(T.max))") }
            return value
        case let other?: throw Problem.badRequest("\(name) must be a whole number, not \(other.typeName == "a number" ? "a fraction or a number that large" : other.typeName)")
        }
    }

    public func strings(_ name: String) throws(Problem) -> [String]? {
        switch fields[name] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map { item throws(Problem) in
                guard case .string(let text) = item, !text.utf8.contains(0) else { throw Problem.badRequest("\(name) must be an array of strings without NUL characters") }
                return text
            }
        case let other?: throw Problem.badRequest("\(name) must be an array of strings, not \(other.typeName)")
        }
    }

    /// The raw JSON of an array field's items (for batches whose items have their own decoder).
    public func has(_ name: String) -> Bool { fields[name] != nil }
}
