public import CofferStorage
import Foundation
import GRDB
import PostgresNIO

/// A database of its own for one test, on either engine: a new SQLite file in a temporary
/// directory, or a new database on the PostgreSQL test server, migrated with the given
/// migrations. On PostgreSQL the pool runs (`PostgresPool.run`) until this object is released,
/// so a test keeps it alive for as long as it uses the stores built over `database`.
///
/// Several `TestDatabase` values opened on one location (`reopened`) stand for several
/// processes: each has its own SQLite connection pool on the file, or its own PostgreSQL pool.
public final class TestDatabase: Sendable {
    public let engine: TestEngine
    /// The embedded database (nil on PostgreSQL).
    public let sqlite: CofferDatabase?
    /// The running pool (nil on SQLite).
    public let postgres: PostgresPool?
    /// The SQLite file's path or the PostgreSQL database's URL.
    public let location: String
    private let sqliteMigrations: [SchemaMigration]
    private let postgresMigrations: [PostgresMigration]
    private let running: Task<Void, Never>?

    /// The database as the stores see it.
    public var database: any SQLDatabase {
        if let sqlite { return sqlite }
        return postgres!
    }

    private init(
        engine: TestEngine, sqlite: CofferDatabase?, postgres: PostgresPool?, location: String,
        sqliteMigrations: [SchemaMigration], postgresMigrations: [PostgresMigration], running: Task<Void, Never>?
    ) {
        self.engine = engine
        self.sqlite = sqlite
        self.postgres = postgres
        self.location = location
        self.sqliteMigrations = sqliteMigrations
        self.postgresMigrations = postgresMigrations
        self.running = running
    }

    deinit { running?.cancel() }

    /// Stops the PostgreSQL pool now (it stops anyway when this object is released); the stores
    /// over it fail from then on. Nothing to do on SQLite.
    public func close() { running?.cancel() }

    /// A new, migrated database on `engine`. A PostgreSQL pool gets at most `maximumConnections`
    /// connections: the suites run their tests at once against one server (scripts/with-postgres
    /// allows 200 connections), and two pools of four still put eight transactions in contention.
    public static func make(
        _ engine: TestEngine, sqlite sqliteMigrations: [SchemaMigration], postgres postgresMigrations: [PostgresMigration],
        maximumConnections: Int = 4
    ) async throws -> TestDatabase {
        switch engine {
        case .sqlite:
            let directory = TemporaryPaths.make("coffer-test")
            let database = try CofferDatabase(directory: DataDirectory(explicit: directory.path), migrations: sqliteMigrations)
            return TestDatabase(
                engine: .sqlite, sqlite: database, postgres: nil, location: database.path,
                sqliteMigrations: sqliteMigrations, postgresMigrations: postgresMigrations, running: nil)
        case .postgres:
            return try await open(
                postgresURL: try await freshPostgresDatabase(), sqlite: sqliteMigrations, postgres: postgresMigrations,
                maximumConnections: maximumConnections)
        }
    }

    /// The same database opened again, as another process would open it (migrations already
    /// applied are skipped, as at any start); given migrations, as a newer version would open it
    /// (those not applied yet run now).
    public func reopened(sqlite: [SchemaMigration]? = nil, postgres: [PostgresMigration]? = nil, maximumConnections: Int = 4) async throws -> TestDatabase {
        let sqliteMigrations = sqlite ?? self.sqliteMigrations, postgresMigrations = postgres ?? self.postgresMigrations
        switch engine {
        case .sqlite:
            let database = try CofferDatabase(path: location, migrations: sqliteMigrations)
            return TestDatabase(
                engine: .sqlite, sqlite: database, postgres: nil, location: location,
                sqliteMigrations: sqliteMigrations, postgresMigrations: postgresMigrations, running: nil)
        case .postgres:
            return try await Self.open(
                postgresURL: location, sqlite: sqliteMigrations, postgres: postgresMigrations, maximumConnections: maximumConnections)
        }
    }

    private static func open(
        postgresURL url: String, sqlite: [SchemaMigration], postgres migrations: [PostgresMigration], maximumConnections: Int
    ) async throws -> TestDatabase {
        let pool = try PostgresPool(url: url, maximumConnections: maximumConnections)
        try await pool.prepare(migrations: migrations)
        let running = Task { _ = try? await pool.run() }
        return TestDatabase(
            engine: .postgres, sqlite: nil, postgres: pool, location: url, sqliteMigrations: sqlite,
            postgresMigrations: migrations, running: running)
    }

    /// Creates an empty database on the test server and returns its URL.
    public static func freshPostgresDatabase() async throws -> String {
        guard let url = TestEngine.postgresURL else { throw StorageError("COFFER_TEST_POSTGRES_URL is not set", kind: .configuration) }
        let name = "coffer_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let location = try await PostgresPool.withPool(url: url, migrations: [], maximumConnections: 1) { server in
            _ = try await server.rows(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), "creating a test database")
            return server.location
        }
        // The test servers trust local connections: no password.
        return "postgres://\(location.user)@\(location.host):\(location.port)/\(name)"
    }

    // MARK: Raw access, bypassing the stores (tamper tests, counts)

    /// Runs one statement as it is (on SQLite, several separated by semicolons).
    public func execute(_ sql: String) async throws {
        if let postgres {
            _ = try await postgres.rows(PostgresQuery(unsafeSQL: sql), "a test statement")
        } else {
            try await sqlite!.pool.write { db in try db.execute(sql: sql) }
        }
    }

    /// The number of rows in `table`.
    public func count(_ table: String) async throws -> Int {
        try await database.read { connection in
            Int(try connection.queryOne("SELECT COUNT(*) FROM \(raw: table)") { try $0.int64(0) } ?? 0)
        }
    }
}
