import CofferBase
import Foundation

@testable import CofferServer

/// The served OpenAPI document, read as `JSONValue`: its operations, the schema of each request
/// body and of each response by status, and a validator whose `$ref`s resolve in it.
struct OpenAPISpec: Sendable {
    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    let root: JSONValue
    let validator: JSONSchemaValidator

    init() throws {
        root = try JSONValue(parsing: OpenAPIDocument.bytes)
        validator = JSONSchemaValidator(root: root)
    }

    /// One operation: "POST /v1/accounts" and its object.
    struct Operation: Sendable, Hashable {
        let method: String
        let path: String
        var name: String { "\(method.uppercased()) \(path)" }
    }

    var operations: [Operation] {
        guard case .object(let paths)? = root["paths"] else { return [] }
        return paths.flatMap { path, item -> [Operation] in
            guard case .object(let members) = item else { return [] }
            return members.map(\.key).filter(Self.methods.contains).map { Operation(method: $0, path: path) }
        }
    }

    func operation(_ operation: Operation) -> JSONValue? { root["paths"]?[operation.path]?[operation.method] }

    /// A component schema by name.
    func schema(_ name: String) -> JSONValue? { root["components"]?["schemas"]?[name] }

    var schemaNames: [String] {
        guard case .object(let members)? = root["components"]?["schemas"] else { return [] }
        return members.map(\.key)
    }

    /// The JSON schema of the operation's request body.
    func requestSchema(_ operation: Operation) -> JSONValue? {
        self.operation(operation)?["requestBody"]?["content"]?["application/json"]?["schema"]
    }

    /// The documented statuses of an operation's responses.
    func statuses(_ operation: Operation) -> [String] {
        guard case .object(let responses)? = self.operation(operation)?["responses"] else { return [] }
        return responses.map(\.key)
    }

    /// The content type and schema documented for `status`, following a response `$ref`.
    func responseSchema(_ operation: Operation, status: Int) -> (contentType: String, schema: JSONValue)? {
        guard var response = self.operation(operation)?["responses"]?[String(status)] else { return nil }
        if case .string(let reference)? = response["$ref"], let target = validator.resolve(reference) { response = target }
        guard case .object(let content)? = response["content"], let (type, media) = content.first.map({ ($0.key, $0.value) }),
              let schema = media["schema"] else { return nil }
        return (type, schema)
    }

    /// The name of the component schema a `$ref` names.
    static func name(_ reference: JSONValue?) -> String? {
        guard case .string(let text)? = reference?["$ref"] else { return nil }
        return text.split(separator: "/").last.map(String.init)
    }
}

/// Instances made from a schema, for reading back with the type the schema claims to describe.
/// Every property present (the "maximal" instance); strings from `examples`, `const`, `enum` or
/// `pattern` (a small generator for the patterns the document uses), else "x"; integers at their
/// minimum (and, as a second variant, their maximum); arrays with one item (none when
/// `maxItems` is 0); each branch of a `oneOf`/`anyOf` in at least one instance.
struct SchemaInstances {
    let validator: JSONSchemaValidator
    /// Integers only at their minimum: for readers whose rules relate two numbers (approvals
    /// required <= approvers listed), where a maximum is valid alone but not with the rest.
    var lowOnly = false

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// At least one instance; several when a member has alternatives, each alternative appearing once.
    func variants(_ schema: JSONValue, at path: String = "$") throws -> [JSONValue] {
        let schema = validator.resolved(schema)
        if case .array(let examples)? = schema["examples"], let first = examples.first { return [first] }
        if let constant = schema["const"] { return [constant] }
        if case .array(let values)? = schema["enum"] {
            let present = values.filter { $0 != .null }
            guard !present.isEmpty else { return [.null] }
            return lowOnly ? [present[0]] : present
        }
        for combinator in ["oneOf", "anyOf"] {
            guard case .array(let branches)? = schema[combinator] else { continue }
            let concrete = branches.filter { validator.resolved($0)["type"] != .string("null") }
            guard !concrete.isEmpty else { return [.null] }
            return try concrete.flatMap { try variants($0, at: path) }
        }
        guard schema["allOf"] == nil else { throw Failure(description: "\(path): allOf is not generated") }
        let types: [String] = switch schema["type"] {
        case .string(let name)?: [name]
        case .array(let names)?: names.compactMap { if case .string(let name) = $0 { name } else { nil } }
        default: []
        }
        guard let type = types.first(where: { $0 != "null" }) ?? types.first else { throw Failure(description: "\(path): no type to generate") }
        switch type {
        case "null": return [.null]
        case "boolean": return [.bool(true)]
        case "number": return [.number("1")]
        case "integer":
            let low: String = if case .number(let minimum)? = schema["minimum"] { minimum } else { "1" }
            guard !lowOnly, case .number(let maximum)? = schema["maximum"], maximum != low else { return [.number(low)] }
            return [.number(low), .number(maximum)]
        case "string": return [.string(try string(schema, at: path))]
        case "array":
            let count: Int
            if case .number(let limit)? = schema["maxItems"], limit == "0" {
                count = 0
            } else if case .number(let limit)? = schema["minItems"], let minimum = Int(limit) {
                count = max(1, minimum)
            } else {
                count = 1
            }
            guard count > 0 else { return [.array([])] }
            guard let items = schema["items"] else { throw Failure(description: "\(path): an array without items") }
            return try variants(items, at: "\(path)[0]").map { .array(Array(repeating: $0, count: count)) }
        case "object":
            guard case .object(let properties)? = schema["properties"] else { return [.object([])] }
            var choices: [(key: String, values: [JSONValue])] = []
            for (key, property) in properties { choices.append((key, try variants(property, at: "\(path).\(key)"))) }
            let base = choices.map { ($0.key, $0.values[0]) }
            var instances: [JSONValue] = [.object(base)]
            for (index, choice) in choices.enumerated() {
                for value in choice.values.dropFirst() {
                    var members = base
                    members[index].1 = value
                    instances.append(.object(members))
                }
            }
            return instances
        default:
            throw Failure(description: "\(path): type \(type) is not generated")
        }
    }

    private func string(_ schema: JSONValue, at path: String) throws -> String {
        var text = "x"
        if case .string(let pattern)? = schema["pattern"] {
            guard let generated = PatternText.generate(pattern) else {
                throw Failure(description: "\(path): cannot generate a string for \(pattern); give the schema an example")
            }
            text = generated
        }
        if case .number(let limit)? = schema["minLength"], let minimum = Int(limit), text.unicodeScalars.count < minimum {
            text += String(repeating: "x", count: minimum - text.unicodeScalars.count)
        }
        return text
    }
}

/// The shortest string a simple regular expression matches: literals, escapes, `.`, character
/// classes (their first character), groups with alternatives (the first), and the quantifiers
/// `? * + {n} {n,} {n,m}` (their minimum). Nil for anything else.
enum PatternText {
    static func generate(_ pattern: String) -> String? {
        var characters = Array(pattern)
        if characters.first == "^" { characters.removeFirst() }
        if characters.last == "$", characters.dropLast().last != "\\" { characters.removeLast() }
        var index = 0
        guard let text = sequence(characters, &index), index == characters.count else { return nil }
        return text
    }

    /// Alternatives up to `)` or the end; the first one is generated.
    private static func sequence(_ characters: [Character], _ index: inout Int) -> String? {
        var result = ""
        var first: String?
        while index < characters.count, characters[index] != ")" {
            if characters[index] == "|" {
                if first == nil { first = result }
                result = ""
                index += 1
                continue
            }
            guard let atom = atom(characters, &index), let count = quantifier(characters, &index) else { return nil }
            result += String(repeating: atom, count: count)
        }
        return first ?? result
    }

    private static func atom(_ characters: [Character], _ index: inout Int) -> String? {
        let character = characters[index]
        index += 1
        switch character {
        case "\\":
            guard index < characters.count else { return nil }
            defer { index += 1 }
            return "dwsDWSbB".contains(characters[index]) ? nil : String(characters[index])
        case ".": return "a"
        case "[":
            guard index < characters.count, characters[index] != "^" else { return nil }
            var first: Character?
            while index < characters.count, characters[index] != "]" || first == nil {
                var member = characters[index]
                if member == "\\" {
                    index += 1
                    guard index < characters.count else { return nil }
                    member = characters[index]
                }
                if first == nil { first = member }
                index += 1
            }
            guard index < characters.count else { return nil }
            index += 1
            return first.map(String.init)
        case "(":
            if index + 1 < characters.count, characters[index] == "?", characters[index + 1] == ":" { index += 2 }
            guard let inner = sequence(characters, &index), index < characters.count, characters[index] == ")" else { return nil }
            index += 1
            return inner
        case "*", "+", "?", "{", ")", "|", "^", "$": return nil
        default: return String(character)
        }
    }

    /// How many times the atom before it repeats: the quantifier's minimum (1 without one).
    private static func quantifier(_ characters: [Character], _ index: inout Int) -> Int? {
        guard index < characters.count else { return 1 }
        switch characters[index] {
        case "?", "*":
            index += 1
            return 0
        case "+":
            index += 1
            return 1
        case "{":
            guard let close = characters[index...].firstIndex(of: "}") else { return nil }
            let body = String(characters[(index + 1)..<close])
            index = close + 1
            return Int(body.split(separator: ",", omittingEmptySubsequences: false).first ?? "")
        default:
            return 1
        }
    }
}
