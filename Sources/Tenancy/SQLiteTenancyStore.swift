import CofferBase
public import CofferStorage
import Foundation
import GRDB

/// Tenants, keys and idempotency records in the embedded database.
public final class SQLiteTenancyStore: TenancyStore {
    let database: CofferDatabase
    /// Completed idempotent responses are written on every keyed POST: merging those writes into
    /// shared transactions keeps each durable without an fsync per request.
    private let writer: GroupCommitWriter
    /// Keys held by requests running in this process: claims are not written to the database.
    let claims = IdempotencyClaims()

    let clock: @Sendable () -> Date

    /// `clock` is injectable so tests can age idempotency claims.
    public init(database: CofferDatabase, clock: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.clock = clock
        writer = GroupCommitWriter(database: database)
    }

    public func createTenant(name: String) async throws -> Tenant {
        let name = try TenancyValidation.tenantName(name)
        let tenant = Tenant(id: Tenant.newID(), name: name, createdAt: Date())
        try await database.pool.write { db in
            try db.execute(sql: "INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)",
                           arguments: [tenant.id, tenant.name, TenancyValidation.milliseconds(tenant.createdAt)])
        }
        return tenant
    }

    public func tenant(_ id: String) async throws -> Tenant? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, created_at FROM tenants WHERE id = ?", arguments: [id]).map(Self.tenant)
        }
    }

    public func tenants() async throws -> [Tenant] {
        try await database.pool.read { db in try Row.fetchAll(db, sql: "SELECT id, name, created_at FROM tenants ORDER BY created_at, id").map(Self.tenant) }
    }

    static func tenant(_ row: Row) -> Tenant {
        Tenant(id: row[0], name: row[1], createdAt: TenancyValidation.date(milliseconds: row[2]))
    }

    public func createKey(tenantID: String, scopes: Set<APIScope>, label: String, expiresAt: Date?) async throws -> APIKey {
        let key = APIKey.generate()
        let label = try TenancyValidation.label(label)
        try await database.pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tenants WHERE id = ?", arguments: [tenantID]) != nil else {
                throw TenancyError.noTenant(tenantID)
            }
            try db.execute(sql: """
                INSERT INTO api_keys (id, tenant_id, secret_hash, scopes, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key.id, tenantID, Data(key.secretHash), scopes.sorted().map(\.rawValue).joined(separator: ","), label,
                                 TenancyValidation.milliseconds(Date()), expiresAt.map(TenancyValidation.milliseconds)])
        }
        return key
    }

    static let keyColumns = "id, tenant_id, secret_hash, scopes, label, created_at, expires_at, revoked_at"

    public func key(_ id: String) async throws -> APIKeyRecord? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.keyColumns) FROM api_keys WHERE id = ?", arguments: [id]).map(Self.key)
        }
    }

    public func keys(tenantID: String) async throws -> [APIKeyRecord] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.keyColumns) FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id", arguments: [tenantID]).map(Self.key)
        }
    }

    static func key(_ row: Row) throws -> APIKeyRecord {
        let scopesText: String = row[3]
        return APIKeyRecord(
            id: row[0], tenantID: row[1], secretHash: Array(row[2] as Data), scopes: try APIScope.parse(scopesText), label: row[4],
            createdAt: TenancyValidation.date(milliseconds: row[5]), expiresAt: (row[6] as Int64?).map(TenancyValidation.date(milliseconds:)),
            revokedAt: (row[7] as Int64?).map(TenancyValidation.date(milliseconds:)))
    }

    public func revokeKey(_ id: String, tenantID: String) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(sql: "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND tenant_id = ?",
                           arguments: [TenancyValidation.milliseconds(Date()), id, tenantID])
            return db.changesCount > 0
        }
    }

    /// Claims the key in this process (no database write: see `IdempotencyClaims`), then looks
    /// up what an earlier request left in the database: a completed response to replay, a record
    /// of another request (mismatch), or an unfinished record that an older version of coffer
    /// committed as its claim (in progress until it is older than the claim lifetime).
    public func beginIdempotent(tenantID: String, key: String, requestHash: [UInt8]) async throws -> IdempotencyStart {
        let now = TenancyValidation.milliseconds(clock())
        switch claims.claim(tenantID: tenantID, key: key, requestHash: requestHash, now: now) {
        case .inProgress: return .inProgress
        case .mismatch: return .mismatch
        case .claimed: break
        }
        let start: IdempotencyStart
        do {
            start = try database.readNow { db in
                guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT request_hash, status, content_type, body, created_at FROM idempotency_records WHERE tenant_id = ? AND key = ?
                    """), arguments: [tenantID, key]) else { return .proceed }
                guard Array(row[0] as Data) == requestHash else { return .mismatch }
                guard let status: Int = row[1] else {
                    let claimed: Int64 = row[4]
                    return now - claimed > idempotencyClaimLifetimeMilliseconds ? .proceed : .inProgress
                }
                return .replay(StoredResponse(status: status, contentType: row[2] ?? "application/json", body: Array((row[3] as Data?) ?? Data())))
            }
        } catch {
            claims.release(tenantID: tenantID, key: key)
            throw error
        }
        guard start == .proceed else {
            claims.release(tenantID: tenantID, key: key)
            return start
        }
        return .proceed
    }

    /// Stores the response durably, in a group commit shared with other requests' responses,
    /// and only then frees the claim, so a repeat that finds the key free finds the response.
    public func completeIdempotent(tenantID: String, key: String, response: StoredResponse) async throws {
        defer { claims.release(tenantID: tenantID, key: key) }
        guard let claim = claims.claim(tenantID: tenantID, key: key) else {
            // Not claimed here (its claim was taken over, or a caller completes a stored claim):
            // complete whatever record the database holds, as the stored claims were completed.
            try await writer.write { db in
                try db.execute(sql: "UPDATE idempotency_records SET status = ?, content_type = ?, body = ? WHERE tenant_id = ? AND key = ?",
                               arguments: [response.status, response.contentType, Data(response.body), tenantID, key])
            }
            return
        }
        // One statement: it needs no savepoint of its own in the shared transaction.
        try await writer.write(savepoint: false) { db in try Self.store(response, claim: claim, tenantID: tenantID, key: key, on: SQLiteConnection(db)) }
    }

    public func responseRecorder(tenantID: String, key: String) -> IdempotentResponseRecorder? {
        guard let claim = claims.claim(tenantID: tenantID, key: key) else { return nil }
        let claims = self.claims
        return IdempotentResponseRecorder(
            database: database,
            write: { response, connection in try Self.store(response, claim: claim, tenantID: tenantID, key: key, on: connection) },
            release: { claims.release(tenantID: tenantID, key: key) })
    }

    /// The completed record for a claim this process held.
    static func store(_ response: StoredResponse, claim: IdempotencyClaims.Claim, tenantID: String, key: String, on connection: any SQLConnection) throws {
        try connection.execute("""
            INSERT INTO idempotency_records (tenant_id, key, request_hash, status, content_type, body, created_at)
            VALUES (\(tenantID), \(key), \(claim.requestHash), \(response.status), \(response.contentType), \(response.body), \(claim.claimedAt))
            ON CONFLICT (tenant_id, key) DO UPDATE SET request_hash = excluded.request_hash, status = excluded.status,
                content_type = excluded.content_type, body = excluded.body, created_at = excluded.created_at
            """)
    }

    /// Frees the claim. Nothing is in the database for it: a stored unfinished record (from an
    /// older version) was only taken over once stale, and it stays stale.
    public func abandonIdempotent(tenantID: String, key: String) async throws {
        claims.release(tenantID: tenantID, key: key)
    }

    public func purgeIdempotent(before cutoff: Date) async throws -> Int {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM idempotency_records WHERE created_at < ?", arguments: [TenancyValidation.milliseconds(cutoff)])
            return db.changesCount
        }
    }
}

/// Checks and conversions shared by the tenancy stores.
enum TenancyValidation {
    static func tenantName(_ name: String) throws(TenancyError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 100, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw TenancyError("a tenant name is 1-100 printable characters")
        }
        return trimmed
    }

    static func label(_ label: String) throws(TenancyError) -> String {
        guard label.count <= 100, !label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw TenancyError("a key label is at most 100 printable characters")
        }
        return label
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000) }
}
