/// A client-chosen identifier of an account or transfer: 1-64 characters from `A-Za-z0-9._:-`,
/// optionally inside a namespace as `<namespace>/<id>` (the namespace is 1-32 characters from
/// `a-z0-9`: a tenant of the HTTP API; `/` cannot occur in an id, so namespaces never collide).
/// Validated once, so every id the engine and stores see is well formed.
public struct LedgerID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    /// Accepts a well-formed id, else throws naming `field`.
    public init(validating text: String, field: String = "id") throws(LedgerError) {
        guard Self.isValid(text) else {
            throw LedgerError("\(field) \"\(text.prefix(70))\" is not an id: use 1-64 characters from A-Za-z0-9._:-")
        }
        value = text
    }

    /// Returns nil for a malformed id.
    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        value = text
    }

    /// An id already known to be well formed (from a stored, validated one).
    init(unchecked value: String) { self.value = value }

    /// The id `local` inside `namespace`.
    public init(namespace: LedgerNamespace, local: LedgerID) {
        value = namespace.prefix + local.value
    }

    /// A well-formed id, optionally namespaced.
    public static func isValid(_ text: String) -> Bool {
        guard let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")) else { return isValidLocal(text) }
        return LedgerNamespace.isValid(Substring(text[..<slash])) && isValidLocal(Substring(text[text.index(after: slash)...]))
    }

    /// A well-formed id without a namespace: what a tenant may write.
    public static func isValidLocal(_ text: some StringProtocol) -> Bool {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
        }
    }

    /// The namespace, if any.
    public var namespace: Substring? {
        value.firstIndex(of: "/").map { value[..<$0] }
    }

    /// The id without its namespace.
    public var local: Substring {
        value.firstIndex(of: "/").map { value[value.index(after: $0)...] } ?? Substring(value)
    }

    public var description: String { value }
    public static func < (lhs: LedgerID, rhs: LedgerID) -> Bool { lhs.value < rhs.value }
}
