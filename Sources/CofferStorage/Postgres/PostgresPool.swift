import CofferBase
import Logging
public import PostgresNIO
public import ServiceLifecycle

/// A PostgreSQL database shared by several Coffer processes: a connection pool for a
/// `postgres://` URL. The pool is a swift-service-lifecycle `Service`: `coffer serve` runs it in
/// its service group (started first, stopped last), and one-shot commands run it for the length of
/// their work with `withPool`. `prepare` checks the server and applies migrations over a
/// connection of its own before the pool serves anything.
public final class PostgresPool: Service, SQLDatabase {
    public let location: PostgresLocation
    public let client: PostgresClient
    static let logger = Logger(label: "coffer.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Configures the pool for `url`; nothing connects until `prepare` or `run`.
    public init(url: String, maximumConnections: Int = 8) throws(StorageError) {
        location = try PostgresLocation(url: url)
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: location.tls())
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(10)
        client = PostgresClient(configuration: configuration, backgroundLogger: Self.logger)
    }

    /// Runs the pool's connections until cancelled or shut down gracefully.
    public func run() async throws {
        await client.run()
    }

    /// Opens one connection of its own, so an unreachable server, a missing database or refused
    /// credentials fail at once with the server's own reason (the pool would only report that its
    /// attempts keep failing), and applies `migrations` not yet recorded.
    public func prepare(migrations: [PostgresMigration]) async throws(StorageError) {
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: location.connectionTLS())
        let connection = try await Self.connect(configuration, to: location)
        do {
            try await PostgresMigrator.apply(migrations, connection: connection, logger: Self.logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    /// Connects once, waiting out a server that is full (SQLSTATE 53300, "too many clients") or
    /// still starting (57P03) for up to about 20 s with growing pauses: a burst of one-shot
    /// commands against one server is a moment's congestion, not a reason to fail. Any other
    /// refusal (wrong password, missing database, nothing listening) fails at once.
    static func connect(
        _ configuration: PostgresConnection.Configuration, to location: PostgresLocation
    ) async throws(StorageError) -> PostgresConnection {
        var pause: Duration = .milliseconds(50)
        var waited: Duration = .zero
        while true {
            do {
                return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: Self.logger)
            } catch {
                let failure = StorageError(postgres: error, doing: "connecting to \(location)")
                guard ["53300", "57P03"].contains(failure.engineCode ?? ""), waited < .seconds(20) else { throw failure }
                try? await Task.sleep(for: pause)
                waited += pause
                pause = min(pause * 2, .seconds(2))
            }
        }
    }

    /// Prepares a pool for `url` and runs it while `body` uses it, for one-shot commands.
    public static func withPool<T: Sendable>(
        url: String, migrations: [PostgresMigration], maximumConnections: Int = 8, _ body: (PostgresPool) async throws -> T
    ) async throws -> T {
        let pool = try PostgresPool(url: url, maximumConnections: maximumConnections)
        try await pool.prepare(migrations: migrations)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await pool.client.run() }
            defer { group.cancelAll() }
            return try await body(pool)
        }
    }

    /// Runs `body` inside BEGIN ... COMMIT on one pooled connection; rolls back if it throws.
    /// `begin` may name the isolation level, e.g. "BEGIN ISOLATION LEVEL READ COMMITTED".
    public func transaction<Result: Sendable>(
        _ what: String, begin: String = "BEGIN", _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: begin), logger: Self.logger)
                do {
                    let result = try await body(connection)
                    try await connection.query("COMMIT", logger: Self.logger)
                    return result
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: Self.logger)
                    throw error
                }
            }
        } catch let error as PSQLError {
            throw StorageError(postgres: error, doing: what)
        }
    }

    /// Runs one statement and collects its rows.
    public func rows(_ query: PostgresQuery, _ what: String) async throws -> [PostgresRow] {
        do {
            return try await client.withConnection { connection in try await connection.rows(query) }
        } catch let error as PSQLError {
            throw StorageError(postgres: error, doing: what)
        }
    }

    // MARK: SQLDatabase

    public var dialect: SQLDialect { .postgres }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await blockingTransaction(begin: "BEGIN", body)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await blockingTransaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Lends a pooled connection to `body` on a Dispatch thread inside one transaction: the
    /// connection's calls wait for their results there (`PostgresBlockingConnection`), never on
    /// Swift concurrency's threads or the connection's event loop.
    private func blockingTransaction<T: Sendable>(begin: String, _ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await Blocking.run {
                    let blocking = PostgresBlockingConnection(connection: connection)
                    _ = try blocking.execute(SQL(begin))
                    do {
                        let result = try body(blocking)
                        _ = try blocking.execute("COMMIT")
                        return result
                    } catch {
                        _ = try? blocking.execute("ROLLBACK")
                        throw error
                    }
                }
            }
        } catch let error as PSQLError {
            throw StorageError(postgres: error, doing: "running a transaction")
        }
    }
}

extension PostgresConnection {
    /// Runs one statement on this connection and collects its rows.
    public func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await self.query(query, logger: PostgresPool.logger) { rows.append(row) }
        return rows
    }

    /// Runs one statement on this connection, ignoring any rows.
    public func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }
}

extension PostgresLocation {
    func tls() -> PostgresClient.Configuration.TLS {
        switch sslMode {
        case "disable": .disable
        case "require": .require(.makeClientConfiguration())
        default: .prefer(.makeClientConfiguration())
        }
    }

    func connectionTLS() -> PostgresConnection.Configuration.TLS {
        switch sslMode {
        case "disable": .disable
        case "require": (try? .require(.init(configuration: .makeClientConfiguration()))) ?? .disable
        default: (try? .prefer(.init(configuration: .makeClientConfiguration()))) ?? .disable
        }
    }
}
