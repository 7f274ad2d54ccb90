import CofferBase
import Foundation

/// The JSON Schema (2020-12) keywords the OpenAPI document uses, checked over `JSONValue` (numbers
/// stay their literal text, so integers of any size compare exactly and nothing goes through a
/// floating-point value). A keyword it does not know is an error, never silently ignored, so a
/// schema cannot pass for a reason the validator does not check.
///
/// `type` (one or a list), `enum`, `const`, `properties`, `required`, `additionalProperties`
/// (true, false or a schema), `maxProperties`, `items`, `minItems`, `maxItems`, `minLength`,
/// `maxLength` (in code points), `pattern` (unanchored, as JSON Schema says), `minimum`,
/// `maximum` (integers), `oneOf`, `anyOf`, `allOf`, and `$ref` to anywhere in the document
/// (`#/components/schemas/Name`). Annotations (`description`, `format`, `examples`,
/// `discriminator`, `title`) do not constrain.
struct JSONSchemaValidator: Sendable {
    /// The document `$ref`s point into.
    let root: JSONValue

    static let annotations: Set<String> = ["description", "format", "examples", "discriminator", "title", "default"]
    static let keywords: Set<String> = [
        "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "maxProperties", "items", "minItems",
        "maxItems", "minLength", "maxLength", "pattern", "minimum", "maximum", "oneOf", "anyOf", "allOf",
    ]

    /// Why `value` does not match `schema`, one line each; empty when it does.
    func errors(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        guard case .object(let members) = schema else {
            if case .bool(let allowed) = schema { return allowed ? [] : ["\(path): no value is allowed here"] }
            return ["\(path): the schema is not an object"]
        }
        var found: [String] = []
        for (key, _) in members where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            found.append("\(path): the validator does not support the keyword \"\(key)\"")
        }
        if case .string(let reference)? = schema["$ref"] {
            guard let target = resolve(reference) else { return found + ["\(path): unresolved $ref \(reference)"] }
            found += errors(value, target, at: path)
        }
        if let type = schema["type"] {
            let names: [String] = switch type {
            case .string(let name): [name]
            case .array(let items): items.compactMap { if case .string(let name) = $0 { name } else { nil } }
            default: []
            }
            if !names.contains(where: { Self.matches(value, type: $0) }) {
                found.append("\(path): expected \(names.joined(separator: " or ")), got \(value.kindName)")
                return found
            }
        }
        if case .array(let allowed)? = schema["enum"], !allowed.contains(where: { Self.equal($0, value) }) {
            found.append("\(path): \(Self.excerpt(value)) is not one of \(Self.excerpt(.array(allowed)))")
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            found.append("\(path): \(Self.excerpt(value)) is not \(Self.excerpt(constant))")
        }
        found += objectErrors(value, schema, at: path)
        found += arrayErrors(value, schema, at: path)
        found += stringErrors(value, schema, at: path)
        found += numberErrors(value, schema, at: path)
        found += combinationErrors(value, schema, at: path)
        return found
    }

    func isValid(_ value: JSONValue, _ schema: JSONValue) -> Bool { errors(value, schema).isEmpty }

    /// The value a `$ref` names: a JSON pointer into the document.
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var current = root
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }

    /// `schema` with its `$ref`s followed.
    func resolved(_ schema: JSONValue) -> JSONValue {
        var current = schema
        while case .string(let reference)? = current["$ref"], let target = resolve(reference) { current = target }
        return current
    }

    private func objectErrors(_ value: JSONValue, _ schema: JSONValue, at path: String) -> [String] {
        guard case .object(let members) = value else { return [] }
        var found: [String] = []
        let properties: [(key: String, value: JSONValue)] = if case .object(let properties)? = schema["properties"] { properties } else { [] }
        if case .array(let required)? = schema["required"] {
            for case .string(let name) in required where !members.contains(where: { $0.key == name }) {
                found.append("\(path): \"\(name)\" is required")
            }
        }
        if case .number(let limit)? = schema["maxProperties"], let maximum = Int(limit), members.count > maximum {
            found.append("\(path): \(members.count) members, at most \(maximum) allowed")
        }
        for (key, member) in members {
            let memberPath = "\(path).\(key)"
            if let property = properties.first(where: { $0.key == key })?.value {
                found += errors(member, property, at: memberPath)
                continue
            }
            switch schema["additionalProperties"] {
            case .bool(false)?: found.append("\(memberPath): not a documented member")
            case .object?: found += errors(member, schema["additionalProperties"]!, at: memberPath)
            default: break
            }
        }
        return found
    }

    private func arrayErrors(_ value: JSONValue, _ schema: JSONValue, at path: String) -> [String] {
        guard case .array(let items) = value else { return [] }
        var found: [String] = []
        if case .number(let limit)? = schema["minItems"], let minimum = Int(limit), items.count < minimum {
            found.append("\(path): \(items.count) items, at least \(minimum) required")
        }
        if case .number(let limit)? = schema["maxItems"], let maximum = Int(limit), items.count > maximum {
            found.append("\(path): \(items.count) items, at most \(maximum) allowed")
        }
        if let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() { found += errors(item, itemSchema, at: "\(path)[\(index)]") }
        }
        return found
    }

    private func stringErrors(_ value: JSONValue, _ schema: JSONValue, at path: String) -> [String] {
        guard case .string(let text) = value else { return [] }
        var found: [String] = []
        let length = text.unicodeScalars.count
        if case .number(let limit)? = schema["minLength"], let minimum = Int(limit), length < minimum {
            found.append("\(path): \(length) characters, at least \(minimum) required")
        }
        if case .number(let limit)? = schema["maxLength"], let maximum = Int(limit), length > maximum {
            found.append("\(path): \(length) characters, at most \(maximum) allowed")
        }
        if case .string(let pattern)? = schema["pattern"] {
            switch Self.search(pattern, in: text) {
            case nil: found.append("\(path): the pattern \(pattern) does not compile")
            case false?: found.append("\(path): \(Self.excerpt(value)) does not match \(pattern)")
            case true?: break
            }
        }
        return found
    }

    private func numberErrors(_ value: JSONValue, _ schema: JSONValue, at path: String) -> [String] {
        guard case .number(let literal) = value else { return [] }
        var found: [String] = []
        for (keyword, below) in [("minimum", true), ("maximum", false)] {
            guard case .number(let boundText)? = schema[keyword] else { continue }
            guard let number = Self.integer(literal), let bound = Self.integer(boundText) else {
                found.append("\(path): \(keyword) is checked for integers only (\(literal), \(boundText))")
                continue
            }
            let order = Self.compare(number, bound)
            if below ? order < 0 : order > 0 { found.append("\(path): \(literal) is \(below ? "below the minimum" : "above the maximum") \(boundText)") }
        }
        return found
    }

    private func combinationErrors(_ value: JSONValue, _ schema: JSONValue, at path: String) -> [String] {
        var found: [String] = []
        if case .array(let branches)? = schema["allOf"] {
            for branch in branches { found += errors(value, branch, at: path) }
        }
        if case .array(let branches)? = schema["anyOf"] {
            let results = branches.map { errors(value, $0, at: path) }
            if !results.contains(where: \.isEmpty) {
                found.append("\(path): matches none of anyOf: " + results.map { $0.first ?? "" }.joined(separator: " | "))
            }
        }
        if case .array(let branches)? = schema["oneOf"] {
            let results = branches.map { errors(value, $0, at: path) }
            let matching = results.filter(\.isEmpty).count
            if matching == 0 {
                found.append("\(path): matches none of oneOf: " + results.map { $0.first ?? "" }.joined(separator: " | "))
            } else if matching > 1 {
                found.append("\(path): matches \(matching) branches of oneOf, exactly one allowed")
            }
        }
        return found
    }

    // MARK: Values

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number): true
        case ("integer", .number(let literal)): integer(literal) != nil
        default: false
        }
    }

    /// JSON equality: numbers by value (integers), objects without regard to member order.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            if let x = integer(x), let y = integer(y) { return x == y }
            return x == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { member in y.contains { $0.key == member.key && equal($0.value, member.value) } }
        default: return a == b
        }
    }

    /// The integer a number literal denotes, as canonical decimal text ("-12", "0"); nil when it
    /// has a fractional part. `2.0`, `2e0` and `20e-1` are all "2", as JSON Schema counts them integers.
    static func integer(_ literal: String) -> String? {
        var text = Substring(literal)
        let negative = text.first == "-"
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(text[text.index(after: e)...].replacingOccurrences(of: "+", with: "")) else { return nil }
            exponent = value
            text = text[..<e]
        }
        var digits = String(text)
        if let dot = digits.firstIndex(of: ".") {
            exponent -= digits.distance(from: digits.index(after: dot), to: digits.endIndex)
            digits.remove(at: dot)
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        if exponent < 0 {
            guard digits.suffix(-exponent).allSatisfy({ $0 == "0" }), -exponent <= digits.count else {
                return digits.allSatisfy { $0 == "0" } ? "0" : nil
            }
            digits.removeLast(-exponent)
        } else {
            digits += String(repeating: "0", count: exponent)
        }
        let trimmed = digits.drop { $0 == "0" }
        if trimmed.isEmpty { return "0" }
        return (negative ? "-" : "") + trimmed
    }

    /// Compares two canonical integers: negative, zero or positive like `a - b`.
    static func compare(_ a: String, _ b: String) -> Int {
        let (aNegative, bNegative) = (a.hasPrefix("-"), b.hasPrefix("-"))
        if aNegative != bNegative { return aNegative ? -1 : 1 }
        let (x, y) = (a.drop { $0 == "-" }, b.drop { $0 == "-" })
        let magnitude = x.count != y.count ? (x.count < y.count ? -1 : 1) : (x == y ? 0 : (x < y ? -1 : 1))
        return aNegative ? -magnitude : magnitude
    }

    private static let expressions = Cache()

    /// Whether `pattern` matches somewhere in `text`; nil when it does not compile.
    static func search(_ pattern: String, in text: String) -> Bool? {
        guard let expression = expressions.expression(pattern) else { return nil }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var compiled: [String: NSRegularExpression] = [:]

        func expression(_ pattern: String) -> NSRegularExpression? {
            lock.lock()
            defer { lock.unlock() }
            if let known = compiled[pattern] { return known }
            guard let expression = try? NSRegularExpression(pattern: pattern) else { return nil }
            compiled[pattern] = expression
            return expression
        }
    }

    static func excerpt(_ value: JSONValue) -> String {
        let text = value.text
        return text.count <= 80 ? text : String(text.prefix(77)) + "..."
    }
}
