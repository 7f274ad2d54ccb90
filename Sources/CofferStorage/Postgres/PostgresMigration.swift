import CofferBase
import Logging
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

    static func apply(_ migrations: [PostgresMigration], connection: PostgresConnection, logger: Logger) async throws(StorageError) {
        let ids = migrations.map(\.id)
        guard Set(ids).count == ids.count else { throw StorageError("duplicate migration ids in \(ids)") }
        do {
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS coffer_schema_migrations (
                        id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                var applied = Set<String>()
                for try await id in try await connection.query("SELECT id FROM coffer_schema_migrations", logger: logger).decode(String.self) {
                    applied.insert(id)
                }
                for migration in migrations where !applied.contains(migration.id) {
                    for statement in migration.sql { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                    try await connection.query("INSERT INTO coffer_schema_migrations (id) VALUES (\(migration.id))", logger: logger)
                }
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        } catch {
            throw StorageError(postgres: error, doing: "applying schema migrations")
        }
    }
}
