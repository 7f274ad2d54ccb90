import PostgresNIO

/// One numbered schema change of one domain, applied once per database in its own transaction
/// (PostgreSQL's DDL is transactional: a failed migration leaves nothing behind).
public struct PostgresMigration: Sendable {
    public let id: String
    public let sql: [String]

    /// `sql` runs statement by statement, in order. Ids read "domain-NNNN-name", like the SQLite migrations.
    public init(domain: String, number: Int, name: String, sql: [String]) {
        let digits = String(number)
        id = "\(domain)-\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits)-\(name)"
        self.sql = sql
    }
}

/// Applies migrations under a transaction-scoped advisory lock, so processes starting together
/// against a new database apply each migration exactly once.
enum PostgresMigrator {
    /// The advisory lock key that serialises schema changes ("coffer-m" as 8 bytes).
    static let lockKey: Int64 = 0x636f_6666_6572_2d6d

    static func apply(_ migrations: [PostgresMigration], client: PostgresClient) async throws {
        let ids = migrations.map(\.id)
        guard Set(ids).count == ids.count else { throw PostgresDatabaseError("duplicate migration ids in \(ids)") }
        do {
            try await client.withConnection { connection in
                try await connection.execute("BEGIN")
                do {
                    try await connection.execute("SELECT pg_advisory_xact_lock(\(lockKey))")
                    try await connection.execute("""
                        CREATE TABLE IF NOT EXISTS coffer_schema_migrations (
                            id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                        """)
                    var applied = Set<String>()
                    for row in try await connection.rows("SELECT id FROM coffer_schema_migrations") {
                        applied.insert(try row.decode(String.self))
                    }
                    for migration in migrations where !applied.contains(migration.id) {
                        for statement in migration.sql { try await connection.execute(PostgresQuery(unsafeSQL: statement)) }
                        try await connection.execute("INSERT INTO coffer_schema_migrations (id) VALUES (\(migration.id))")
                    }
                    try await connection.execute("COMMIT")
                } catch {
                    _ = try? await connection.execute("ROLLBACK")
                    throw error
                }
            }
        } catch let error as PostgresDatabaseError {
            throw error
        } catch {
            throw PostgresDatabaseError(error, doing: "applying schema migrations")
        }
    }
}
