public import CofferBase
import Foundation
public import Tenancy

/// Who asks a service to act: a tenant (through an API key, or the CLI with `--tenant`) or the
/// operator (the CLI without it). A tenant sees and names only its own things (`TenantScope`);
/// the operator works on stored names directly. Every audit record names the caller's `actor`.
public struct Caller: Sendable {
    /// The tenant's scope; nil for the operator.
    public let tenant: TenantScope?
    public let scopes: Set<APIScope>
    /// How audit records name this caller: `api:<tenant>/<key id>` or `cli:<user>`.
    public let actor: String
    /// The operator at the command line (also when acting as a tenant with `--tenant`), who may
    /// name files of the machine; never an API key.
    public let isOperator: Bool

    public init(tenant: TenantScope?, scopes: Set<APIScope>, actor: String, isOperator: Bool = false) {
        self.tenant = tenant
        self.scopes = scopes
        self.actor = actor
        self.isOperator = isOperator
    }

    /// A tenant calling with an API key.
    public static func apiKey(tenantID: String, keyID: String, scopes: Set<APIScope>) throws -> Caller {
        Caller(tenant: try TenantScope(tenantID), scopes: scopes, actor: "api:\(tenantID)/\(keyID)")
    }

    /// The operator at the command line, acting as `tenantID` when given (with every scope).
    public static func commandLine(tenantID: String? = nil) throws -> Caller {
        Caller(tenant: try tenantID.map { id throws(ScopeError) in try TenantScope(id) }, scopes: Set(APIScope.allCases), actor: "cli:\(NSUserName())",
               isOperator: true)
    }

    /// Throws `insufficient-scope` unless the caller holds `scope` (or admin).
    public func require(_ scope: APIScope) throws(ServiceError) {
        guard scopes.contains(scope) || scopes.contains(.admin) else {
            throw ServiceError(.forbidden, "insufficient-scope", "this request needs an API key with the \(scope.rawValue) scope")
        }
    }

    /// The tenant this request must be made as: throws for the operator where an operation
    /// exists only within a tenant (deposit addresses, a tenant's keys).
    public func requireTenant(_ what: String) throws(ServiceError) -> TenantScope {
        guard let tenant else { throw ServiceError.invalid("\(what) belongs to a tenant: give --tenant ID") }
        return tenant
    }

    /// The stored form of a name this caller wrote.
    public func stored(_ name: String) -> String { tenant?.scoped(name) ?? name }

    /// A stored name as this caller writes it; nil when it is not the caller's.
    public func local(_ stored: String) -> String? {
        guard let tenant else { return stored }
        return tenant.local(stored)
    }
}
