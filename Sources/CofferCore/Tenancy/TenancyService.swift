public import CofferBase
public import Foundation
public import Tenancy

/// A tenant as the operator lists it.
public struct TenantView: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let createdAt: String

    enum CodingKeys: String, CodingKey { case id, name, createdAt = "created_at" }
}

/// The calling tenant and what its key may do.
public struct CallerTenantView: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let createdAt: String
    public let scopes: [String]

    enum CodingKeys: String, CodingKey { case id, name, createdAt = "created_at", scopes }
}

/// `POST /v1/keys`, `coffer apikey create`.
public struct CreateKeyRequest: Codable, Sendable, Equatable {
    public var scopes: [String]
    public var label: String?
    public var expiresAt: String?

    public init(scopes: [String], label: String? = nil, expiresAt: String? = nil) {
        self.scopes = scopes
        self.label = label
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey { case scopes, label, expiresAt = "expires_at" }
}

/// A new API key: the only time `key` is shown.
public struct NewKeyView: Codable, Sendable, Equatable {
    public let id: String
    public let key: String
    public let scopes: [String]
}

/// An API key as listed: never the key, only its id, scopes and dates.
public struct KeyView: Codable, Sendable, Equatable {
    public let id: String
    public let scopes: [String]
    public let label: String
    public let createdAt: String
    public let expiresAt: String?
    public let revokedAt: String?

    enum CodingKeys: String, CodingKey { case id, scopes, label, createdAt = "created_at", expiresAt = "expires_at", revokedAt = "revoked_at" }
}

/// Tenants and their API keys: the operator creates tenants and their first keys; a tenant's
/// admin manages its own keys.
public struct TenancyService: Sendable {
    public let store: any TenancyStore

    public init(store: any TenancyStore) { self.store = store }

    /// Creates a tenant (the operator only).
    public func createTenant(name: String, by caller: Caller) async throws -> TenantView {
        try requireOperator(caller)
        return Self.view(try await store.createTenant(name: name))
    }

    /// Every tenant (the operator only).
    public func tenants(by caller: Caller) async throws -> [TenantView] {
        try requireOperator(caller)
        return try await store.tenants().map(Self.view)
    }

    /// The caller's tenant.
    public func tenant(by caller: Caller) async throws -> CallerTenantView {
        let scope = try caller.requireTenant("the tenant")
        guard let tenant = try await store.tenant(scope.tenantID) else { throw TenancyError.noTenant(scope.tenantID) }
        return CallerTenantView(id: tenant.id, name: tenant.name, createdAt: Self.format(tenant.createdAt), scopes: caller.scopes.sorted().map(\.rawValue))
    }

    /// Creates an API key of the caller's tenant.
    public func createKey(_ request: CreateKeyRequest, by caller: Caller, now: Date = Date()) async throws -> NewKeyView {
        try caller.require(.admin)
        let scope = try caller.requireTenant("an API key")
        let scopes = try APIScope.parse(names: request.scopes)
        let expires = try request.expiresAt.map { text throws(ServiceError) in
            guard let date = ISO8601DateFormatter().date(from: text), date > now else {
                throw ServiceError.invalid("expires_at must be a future RFC 3339 time like 2027-01-01T00:00:00Z")
            }
            return date
        }
        let key = try await store.createKey(tenantID: scope.tenantID, scopes: scopes, label: request.label ?? "", expiresAt: expires)
        return NewKeyView(id: key.id, key: key.text, scopes: scopes.sorted().map(\.rawValue))
    }

    /// The caller's tenant's keys.
    public func keys(by caller: Caller) async throws -> Page<KeyView> {
        try caller.require(.admin)
        let scope = try caller.requireTenant("API keys")
        return Page(items: try await store.keys(tenantID: scope.tenantID).map(Self.view), nextCursor: nil)
    }

    /// Revokes one of the caller's tenant's keys (idempotent): requests with it fail within a second.
    public func revokeKey(_ id: String, by caller: Caller) async throws -> KeyView {
        try caller.require(.admin)
        let scope = try caller.requireTenant("an API key")
        guard try await store.revokeKey(id, tenantID: scope.tenantID), let record = try await store.key(id) else {
            throw ServiceError.notFound("no API key \"\(id.prefix(40))\"")
        }
        return Self.view(record)
    }

    /// The caller a presented API key stands for, or nil when it is unknown, revoked or expired.
    public func authenticate(_ key: APIKey, record: APIKeyRecord?, now: Date = Date()) throws -> Caller? {
        guard let record, key.matches(record), record.isUsable(at: now) else { return nil }
        return try Caller.apiKey(tenantID: record.tenantID, keyID: record.id, scopes: record.scopes)
    }

    func requireOperator(_ caller: Caller) throws(ServiceError) {
        guard caller.tenant == nil, caller.scopes.contains(.admin) else {
            throw ServiceError(.forbidden, "operator-only", "only the operator manages tenants (coffer tenant ...)")
        }
    }

    static func view(_ tenant: Tenant) -> TenantView {
        TenantView(id: tenant.id, name: tenant.name, createdAt: format(tenant.createdAt))
    }

    static func view(_ record: APIKeyRecord) -> KeyView {
        KeyView(
            id: record.id, scopes: record.scopes.sorted().map(\.rawValue), label: record.label, createdAt: format(record.createdAt),
            expiresAt: record.expiresAt.map(format), revokedAt: record.revokedAt.map(format))
    }

    static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
