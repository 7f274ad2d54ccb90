import CofferBase
/// A client-chosen identifier of an account or transfer: 1-64 characters from `A-Za-z0-9._:-`,
/// optionally inside a tenant's scope as `<tenant>/<id>` (see `TenantScope`: `/` cannot occur in
/// an id, so tenants never collide).
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

    /// The id `local` inside a tenant's `scope`.
    public init(scope: TenantScope, local: LedgerID) {
        value = scope.scoped(local.value)
    }

    /// A well-formed id, optionally namespaced.
    public static func isValid(_ text: String) -> Bool {
        guard let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")) else { return isValidLocal(text) }
        return TenantScope.isValid(Substring(text[..<slash])) && isValidLocal(Substring(text[text.utf8.index(after: slash)...]))
    }

    /// A well-formed id without a namespace: what a tenant may write.
    public static func isValidLocal(_ text: some StringProtocol) -> Bool {
        ASCIIText.all(text, count: 1...64, allowed: idBytes)
    }

    /// `A-Za-z0-9._:-`, indexed by byte.
    private static let idBytes = ASCIIText.table("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-")

    /// The tenant part of a scoped id, if any.
    public var namespace: Substring? {
        value.utf8.firstIndex(of: UInt8(ascii: "/")).map { value[..<$0] }
    }

    /// The id without its namespace.
    public var local: Substring {
        value.utf8.firstIndex(of: UInt8(ascii: "/")).map { value[value.utf8.index(after: $0)...] } ?? Substring(value)
    }

    public var description: String { value }
    public static func < (lhs: LedgerID, rhs: LedgerID) -> Bool { lhs.value < rhs.value }
}
