import CofferBase

/// One step into a JSON value: a member or an element.
enum JSONStep: Hashable, CustomStringConvertible {
    case key(String)
    case index(Int)

    var description: String {
        switch self {
        case .key(let key): ".\(key)"
        case .index(let index): "[\(index)]"
        }
    }

    /// `transfers[0].amount` (a `MemberUsage` path) as steps.
    static func parse(_ path: String) -> [JSONStep] {
        var steps: [JSONStep] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: true) {
            var rest = Substring(part)
            if let bracket = rest.firstIndex(of: "[") {
                if bracket > rest.startIndex { steps.append(.key(String(rest[..<bracket]))) }
                rest = rest[bracket...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]) {
                    steps.append(.index(index))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                steps.append(.key(String(rest)))
            }
        }
        return steps
    }
}

extension Array where Element == JSONStep {
    var text: String { "$" + map(\.description).joined() }
}

extension JSONValue {
    /// The value at `steps`, or nil.
    func at(_ steps: [JSONStep]) -> JSONValue? {
        var current = self
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object):
                guard let next = current[key] else { return nil }
                current = next
            case (.index(let index), .array(let items)) where items.indices.contains(index):
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// This value with the value at `steps` changed by `change` (nil removes a member).
    func replacing(_ steps: [JSONStep], with change: (JSONValue?) -> JSONValue?) -> JSONValue {
        guard let step = steps.first else { return change(self) ?? .null }
        let rest = Array(steps.dropFirst())
        switch (step, self) {
        case (.key(let key), .object(var members)):
            if let index = members.firstIndex(where: { $0.key == key }) {
                if rest.isEmpty {
                    if let value = change(members[index].value) { members[index].value = value } else { members.remove(at: index) }
                } else {
                    members[index].value = members[index].value.replacing(rest, with: change)
                }
            } else if rest.isEmpty, let value = change(nil) {
                members.append((key, value))
            }
            return .object(members)
        case (.index(let index), .array(var items)) where items.indices.contains(index):
            items[index] = items[index].replacing(rest, with: change)
            return .array(items)
        default:
            return self
        }
    }

    /// The paths of every object in this value, itself first.
    var objectPaths: [[JSONStep]] {
        var found: [[JSONStep]] = []
        func walk(_ value: JSONValue, _ steps: [JSONStep]) {
            switch value {
            case .object(let members):
                found.append(steps)
                for (key, member) in members { walk(member, steps + [.key(key)]) }
            case .array(let items):
                for (index, item) in items.enumerated() { walk(item, steps + [.index(index)]) }
            default:
                break
            }
        }
        walk(self, [])
        return found
    }
}

extension JSONSchemaValidator {
    /// The object schema `value` matches: `$ref`s followed, and of a `oneOf`/`anyOf` the first
    /// branch `value` is valid against.
    func concrete(_ schema: JSONValue, for value: JSONValue) -> JSONValue {
        let schema = resolved(schema)
        for combinator in ["oneOf", "anyOf"] {
            guard case .array(let branches)? = schema[combinator] else { continue }
            if let branch = branches.first(where: { isValid(value, $0) }) { return concrete(branch, for: value) }
        }
        return schema
    }

    /// The concrete schema of the value at `steps` in `instance`, which `schema` describes.
    func schema(at steps: [JSONStep], in instance: JSONValue, _ schema: JSONValue) -> JSONValue? {
        var current = concrete(schema, for: instance)
        var value = instance
        for step in steps {
            switch step {
            case .key(let key):
                guard let property = current["properties"]?[key], let next = value[key] else { return nil }
                current = property
                value = next
            case .index(let index):
                guard let items = current["items"], case .array(let elements) = value, elements.indices.contains(index) else { return nil }
                current = items
                value = elements[index]
            }
            current = concrete(current, for: value)
        }
        return current
    }

    /// The property names of an object schema.
    static func propertyNames(_ schema: JSONValue) -> Set<String> {
        guard case .object(let members)? = schema["properties"] else { return [] }
        return Set(members.map(\.key))
    }

    static func requiredNames(_ schema: JSONValue) -> Set<String> {
        guard case .array(let names)? = schema["required"] else { return [] }
        return Set(names.compactMap { if case .string(let name) = $0 { name } else { nil } })
    }
}
