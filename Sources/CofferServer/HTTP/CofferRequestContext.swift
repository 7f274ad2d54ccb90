import Hummingbird

/// Who is calling: the tenant and scopes of a valid API key.
public struct Principal: Sendable {
    public let tenantID: String
    public let keyID: String
    public let scopes: Set<APIScope>

    /// Throws 403 unless the key has `scope` (or admin).
    public func require(_ scope: APIScope) throws(Problem) {
        guard scopes.contains(scope) || scopes.contains(.admin) else { throw Problem.forbidden(scope) }
    }
}

/// Per-request state: Hummingbird's core context plus the authenticated caller.
public struct CofferRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    var bodyLimit: Int = 1 << 20

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { bodyLimit }

    /// The caller, or 401.
    public func caller() throws(Problem) -> Principal {
        guard let principal else { throw Problem.unauthorized }
        return principal
    }
}
