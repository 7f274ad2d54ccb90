public import CofferStorage
import Foundation
import PostgresNIO

/// Tenants, keys and idempotency records in PostgreSQL, shared by every API node.
public final class PostgresTenancyStore: TenancyStore {
    let database: PostgresPool

    let clock: @Sendable () -> Date

    /// `clock` is injectable so tests can age idempotency claims.
    public init(database: PostgresPool, clock: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.clock = clock
    }

    public func createTenant(name: String) async throws -> Tenant {
        let name = try TenancyValidation.tenantName(name)
        let tenant = Tenant(id: Tenant.newID(), name: name, createdAt: Date())
        _ = try await database.rows("INSERT INTO tenants (id, name, created_at) VALUES (\(tenant.id), \(tenant.name), \(TenancyValidation.milliseconds(tenant.createdAt)))",
                                    "creating a tenant")
        return tenant
    }

    public func tenant(_ id: String) async throws -> Tenant? {
        try await database.rows("SELECT id, name, created_at FROM tenants WHERE id = \(id)", "reading a tenant").first.map(Self.tenant)
    }

    public func tenants() async throws -> [Tenant] {
        try await database.rows("SELECT id, name, created_at FROM tenants ORDER BY created_at, id", "listing tenants").map(Self.tenant)
    }

    static func tenant(_ row: PostgresRow) throws -> Tenant {
        let (id, name, created) = try row.decode((String, String, Int64).self)
        return Tenant(id: id, name: name, createdAt: TenancyValidation.date(milliseconds: created))
    }

    public func createKey(tenantID: String, scopes: Set<APIScope>, label: String, expiresAt: Date?) async throws -> APIKey {
        let key = APIKey.generate()
        let label = try TenancyValidation.label(label)
        guard try await tenant(tenantID) != nil else { throw TenancyError.noTenant(tenantID) }
        let scopeText = scopes.sorted().map(\.rawValue).joined(separator: ",")
        _ = try await database.rows("""
            INSERT INTO api_keys (id, tenant_id, secret_hash, scopes, label, created_at, expires_at)
            VALUES (\(key.id), \(tenantID), \(Data(key.secretHash)), \(scopeText), \(label), \(TenancyValidation.milliseconds(Date())),
                    \(expiresAt.map(TenancyValidation.milliseconds)))
            """, "creating an API key")
        return key
    }

    public func key(_ id: String) async throws -> APIKeyRecord? {
        try await database.rows("SELECT id, tenant_id, secret_hash, scopes, label, created_at, expires_at, revoked_at FROM api_keys WHERE id = \(id)",
                                "reading an API key").first.map(Self.key)
    }

    public func keys(tenantID: String) async throws -> [APIKeyRecord] {
        try await database.rows("""
            SELECT id, tenant_id, secret_hash, scopes, label, created_at, expires_at, revoked_at FROM api_keys
            WHERE tenant_id = \(tenantID) ORDER BY created_at, id
            """, "listing API keys").map(Self.key)
    }

    static func key(_ row: PostgresRow) throws -> APIKeyRecord {
        let (id, tenantID, hash, scopes, label, created, expires, revoked) = try row.decode((String, String, Data, String, String, Int64, Int64?, Int64?).self)
        return APIKeyRecord(
            id: id, tenantID: tenantID, secretHash: Array(hash), scopes: try APIScope.parse(scopes), label: label,
            createdAt: TenancyValidation.date(milliseconds: created), expiresAt: expires.map(TenancyValidation.date(milliseconds:)),
            revokedAt: revoked.map(TenancyValidation.date(milliseconds:)))
    }

    public func revokeKey(_ id: String, tenantID: String) async throws -> Bool {
        !(try await database.rows("""
            UPDATE api_keys SET revoked_at = COALESCE(revoked_at, \(TenancyValidation.milliseconds(Date())))
            WHERE id = \(id) AND tenant_id = \(tenantID) RETURNING id
            """, "revoking an API key")).isEmpty
    }

    public func beginIdempotent(tenantID: String, key: String, requestHash: [UInt8]) async throws -> IdempotencyStart {
        let now = TenancyValidation.milliseconds(clock())
        // Inserts a claim, or takes over an identical request's claim that outlived its lifetime.
        let inserted = try await database.rows("""
            INSERT INTO idempotency_records (tenant_id, key, request_hash, created_at)
            VALUES (\(tenantID), \(key), \(Data(requestHash)), \(now))
            ON CONFLICT (tenant_id, key) DO UPDATE SET created_at = EXCLUDED.created_at
            WHERE idempotency_records.status IS NULL AND idempotency_records.request_hash = EXCLUDED.request_hash
              AND idempotency_records.created_at < \(now - idempotencyClaimLifetimeMilliseconds)
            RETURNING key
            """, "claiming an idempotency key")
        if !inserted.isEmpty { return .proceed }
        guard let row = try await database.rows("""
            SELECT request_hash, status, content_type, body FROM idempotency_records WHERE tenant_id = \(tenantID) AND key = \(key)
            """, "reading an idempotency key").first else { return .inProgress }
        let (hash, status, contentType, body) = try row.decode((Data, Int32?, String?, Data?).self)
        guard Array(hash) == requestHash else { return .mismatch }
        guard let status else { return .inProgress }
        return .replay(StoredResponse(status: Int(status), contentType: contentType ?? "application/json", body: Array(body ?? Data())))
    }

    public func completeIdempotent(tenantID: String, key: String, response: StoredResponse) async throws {
        _ = try await database.rows("""
            UPDATE idempotency_records SET status = \(Int32(response.status)), content_type = \(response.contentType), body = \(Data(response.body))
            WHERE tenant_id = \(tenantID) AND key = \(key)
            """, "storing an idempotent response")
    }

    public func abandonIdempotent(tenantID: String, key: String) async throws {
        _ = try await database.rows("DELETE FROM idempotency_records WHERE tenant_id = \(tenantID) AND key = \(key) AND status IS NULL",
                                    "releasing an idempotency key")
    }

    /// Completes the claimed record inside another transaction on this database (the ledger's
    /// commit of the transfers the request made), one commit per request instead of two.
    public func responseRecorder(tenantID: String, key: String) -> IdempotentResponseRecorder? {
        IdempotentResponseRecorder(database: database, write: { response, connection in
            try connection.execute("""
                UPDATE idempotency_records SET status = \(response.status), content_type = \(response.contentType), body = \(response.body)
                WHERE tenant_id = \(tenantID) AND key = \(key)
                """)
        }, release: {})
    }

    public func purgeIdempotent(before cutoff: Date) async throws -> Int {
        try await database.rows("DELETE FROM idempotency_records WHERE created_at < \(TenancyValidation.milliseconds(cutoff)) RETURNING key",
                                "purging idempotency keys").count
    }
}
