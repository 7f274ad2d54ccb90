import Logging
public import PostgresNIO

/// A PostgreSQL database shared by several Coffer processes: a connection pool opened from a
/// `postgres://` URL, with every domain's numbered migrations applied before first use.
///
/// The pool runs in a task of its own for the database's lifetime; `close()` ends it (a CLI
/// process that simply exits needs no close: the server sees the connections drop).
public final class PostgresPool: Sendable {
    public let location: PostgresLocation
    public let client: PostgresClient
    private let runner: Task<Void, Never>
    static let logger = Logger(label: "coffer.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Connects to `url` and applies `migrations` not yet recorded in `coffer_schema_migrations`.
    /// Fails with a readable error (never containing the password) when the server is unreachable,
    /// refuses the credentials or a migration fails.
    public init(url: String, migrations: [PostgresMigration], maximumConnections: Int = 8) async throws(PostgresDatabaseError) {
        location = try PostgresLocation(url: url)
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: location.tls())
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(10)
        if location.sslMode == "disable" { try await Self.probe(location) }
        let client = PostgresClient(configuration: configuration, backgroundLogger: Self.logger)
        self.client = client
        runner = Task { await client.run() }
        do {
            try await client.query("SELECT 1")
            try await PostgresMigrator.apply(migrations, client: client)
        } catch let error as PostgresDatabaseError {
            runner.cancel()
            throw error
        } catch {
            runner.cancel()
            throw PostgresDatabaseError(error, doing: "connecting to \(location)")
        }
    }

    deinit { runner.cancel() }

    /// Opens and closes one connection, so an unreachable server, a missing database or refused
    /// credentials fail at once with the server's own reason (the pool would only report that its
    /// connection attempts keep failing).
    private static func probe(_ location: PostgresLocation) async throws(PostgresDatabaseError) {
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try? await connection.close()
        } catch {
            throw PostgresDatabaseError(error, doing: "connecting to \(location)")
        }
    }

    /// Stops the pool; queries after this fail.
    public func close() { runner.cancel() }

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
            throw PostgresDatabaseError(error, doing: what)
        }
    }

    /// Runs one statement and collects its rows.
    public func rows(_ query: PostgresQuery, _ what: String) async throws -> [PostgresRow] {
        do {
            return try await client.withConnection { connection in try await connection.rows(query) }
        } catch let error as PSQLError {
            throw PostgresDatabaseError(error, doing: what)
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

/// Where a PostgreSQL database is: parsed from `postgres://user[:password]@host[:port]/database[?sslmode=...]`.
/// Its description never shows the password.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public let user: String
    public let password: String?
    public let host: String
    public let port: Int
    public let database: String
    /// `disable` (the default), `prefer` or `require`.
    public let sslMode: String

    public init(url: String) throws(PostgresDatabaseError) {
        let scheme = ["postgres://", "postgresql://"].first { url.hasPrefix($0) }
        guard let scheme else {
            throw PostgresDatabaseError("the database URL must start with postgres:// (e.g. postgres://coffer@127.0.0.1:5432/coffer)")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let at = rest.lastIndex(of: "@") else {
            throw PostgresDatabaseError("the database URL names no user: write postgres://USER@HOST:PORT/DATABASE")
        }
        let credentials = rest[..<at]
        let address = rest[rest.index(after: at)...]
        let userPart = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        user = Self.percentDecoded(userPart[0])
        password = userPart.count > 1 ? Self.percentDecoded(userPart[1]) : nil
        guard !user.isEmpty else { throw PostgresDatabaseError("the database URL names an empty user") }
        guard let slash = address.firstIndex(of: "/") else {
            throw PostgresDatabaseError("the database URL names no database: write postgres://USER@HOST:PORT/DATABASE")
        }
        database = Self.percentDecoded(address[address.index(after: slash)...])
        guard !database.isEmpty else { throw PostgresDatabaseError("the database URL names an empty database") }
        let hostPort = address[..<slash]
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            let portText = hostPort[hostPort.index(after: colon)...]
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw PostgresDatabaseError("the database URL's port \"\(portText.prefix(10))\" is not a number from 1 to 65535")
            }
            self.port = port
            host = String(hostPort[..<colon]).trimmingBrackets
        } else {
            port = 5432
            host = String(hostPort).trimmingBrackets
        }
        guard !host.isEmpty else { throw PostgresDatabaseError("the database URL names no host") }
        var sslMode = "disable"
        for parameter in query.split(separator: "&") {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0] == "sslmode" else {
                throw PostgresDatabaseError("unknown database URL parameter \"\(parameter.prefix(40))\"; only sslmode=disable|prefer|require is supported")
            }
            guard ["disable", "prefer", "require"].contains(pair[1]) else {
                throw PostgresDatabaseError("sslmode must be disable, prefer or require, not \"\(pair[1].prefix(20))\"")
            }
            sslMode = String(pair[1])
        }
        self.sslMode = sslMode
    }

    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    func tls() -> PostgresClient.Configuration.TLS {
        switch sslMode {
        case "disable": return .disable
        case "require": return .require(.makeClientConfiguration())
        default: return .prefer(.makeClientConfiguration())
        }
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let first = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex), first != utf8.endIndex,
               let second = utf8.index(first, offsetBy: 1, limitedBy: utf8.endIndex), second != utf8.endIndex,
               let value = UInt8(String(decoding: [utf8[first], utf8[second]], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index = utf8.index(after: second)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingBrackets: String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
