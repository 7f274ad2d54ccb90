import CofferBase

/// Reads the members of one JSON object for a strict request format: every member must be
/// known, and every error names the member by its path (`access_list[0].address`).
struct JSONObjectReader {
    /// Where this object sits in the document, e.g. `transaction` or `access_list[2]`.
    let path: String
    private let members: [(key: String, value: JSONValue)]

    init(_ value: JSONValue, path: String) throws(JSONError) {
        guard case .object(let members) = value else {
            throw JSONError("\(path) must be a JSON object, got \(value.kindName)")
        }
        self.path = path
        self.members = members
    }

    /// The path of member `key`, for messages.
    func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Member names in document order.
    var keys: [String] { members.map(\.key) }

    /// Fails on the first member not in `allowed`.
    func rejectUnknown(allowed: Set<String>) throws(JSONError) {
        if let unknown = members.first(where: { !allowed.contains($0.key) }) {
            throw JSONError("unknown field \(path(of: unknown.key)); allowed: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// The member's value; nil when absent (a JSON null is returned as `.null`).
    func optional(_ key: String) -> JSONValue? {
        members.first(where: { $0.key == key })?.value
    }

    func required(_ key: String) throws(JSONError) -> JSONValue {
        guard let value = optional(key) else { throw JSONError("missing required field \(path(of: key))") }
        return value
    }

    func string(_ key: String) throws(JSONError) -> String {
        let value = try required(key)
        guard case .string(let text) = value else {
            throw JSONError("\(path(of: key)) must be a string, got \(value.kindName)")
        }
        return text
    }

    func array(_ key: String) throws(JSONError) -> [JSONValue] {
        let value = try required(key)
        guard case .array(let elements) = value else {
            throw JSONError("\(path(of: key)) must be an array, got \(value.kindName)")
        }
        return elements
    }
}
