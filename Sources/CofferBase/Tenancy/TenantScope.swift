/// The one rule that keeps tenants apart: everything a tenant names (ledger accounts and
/// transfers, asset codes, wallet names, signing request ids, audit subjects) is stored as
/// `<tenant>/<name>`. The tenant part is 1-32 characters from `a-z0-9` and no name a tenant writes
/// may contain `/`, so two tenants' names never collide and a stored name tells whose it is.
/// The operator (the CLI without `--tenant`) works on stored names directly.
public struct TenantScope: Sendable, Hashable {
    public let tenantID: String
    /// `<tenant>/`: what every stored name of this tenant starts with.
    public let prefix: String

    /// Accepts 1-32 characters from `a-z0-9` (tenant ids are 20 characters from `a-z2-7`).
    public init(_ tenantID: String) throws(ScopeError) {
        guard Self.isValid(Substring(tenantID)) else {
            throw ScopeError("tenant \"\(tenantID.prefix(40))\" is not a valid tenant id: use 1-32 characters from a-z0-9")
        }
        self.tenantID = tenantID
        prefix = tenantID + "/"
    }

    public static func isValid(_ text: Substring) -> Bool {
        ASCIIText.all(text, count: 1...32, allowed: tenantBytes)
    }

    private static let tenantBytes = ASCIIText.table("abcdefghijklmnopqrstuvwxyz0123456789")

    /// The stored form of one of this tenant's names.
    public func scoped(_ name: some StringProtocol) -> String { prefix + name }

    /// `stored` without this tenant's prefix, or nil if it is not this tenant's.
    public func local(_ stored: String) -> String? {
        // Compared as bytes: `hasPrefix` and `dropFirst` work in Characters.
        let prefixBytes = prefix.utf8
        guard stored.utf8.starts(with: prefixBytes) else { return nil }
        return String(stored[stored.utf8.index(stored.utf8.startIndex, offsetBy: prefixBytes.count)...])
    }

    /// Whether `stored` is one of this tenant's names.
    public func owns(_ stored: String) -> Bool { stored.utf8.starts(with: prefix.utf8) }
}

/// A tenant id that cannot scope names.
public struct ScopeError: CofferError, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
    public var code: String { "invalid-request" }
    public var category: ErrorCategory { .invalidInput }
}
