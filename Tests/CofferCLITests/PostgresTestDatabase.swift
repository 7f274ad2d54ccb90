import Foundation

/// Databases of their own for tests, on the server `scripts/with-postgres` started and named in
/// `$COFFER_TEST_POSTGRES_URL`: created under a unique name, dropped when the test ends.
enum PostgresTestDatabase {
    static let serverVariable = "COFFER_TEST_POSTGRES_URL"

    /// The server's URL, e.g. postgres://postgres@127.0.0.1:5433/postgres; nil when no server was started.
    static var serverURL: String? {
        ProcessInfo.processInfo.environment[serverVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Creates an empty, uniquely named database and returns its URL.
    static func create() throws -> String {
        guard let server = serverURL else {
            throw PostgresTestError("\(serverVariable) is not set; run the tests through scripts/with-postgres")
        }
        let name = "coffer_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try psql(server, "CREATE DATABASE \(name)")
        return try url(server, database: name)
    }

    /// Drops the database `url` names, closing any connection a killed process left behind.
    static func drop(_ url: String) throws {
        guard let server = serverURL else { throw PostgresTestError("\(serverVariable) is not set") }
        let name = try databaseName(url)
        try psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// `server` with its database replaced by `database`.
    static func url(_ server: String, database: String) throws -> String {
        guard var components = URLComponents(string: server), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw PostgresTestError("\(serverVariable) is not a postgres:// URL: \(server)")
        }
        components.path = "/" + database
        guard let url = components.string else { throw PostgresTestError("cannot build a URL from \(server)") }
        return url
    }

    /// The database a URL names: only the names `create()` makes, so it is safe inside SQL.
    static func databaseName(_ url: String) throws -> String {
        let name = URLComponents(string: url)?.path.dropFirst() ?? ""
        guard name.hasPrefix("coffer_test_"), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw PostgresTestError("not a test database: \(url)")
        }
        return String(name)
    }

    /// PostgreSQL 15's own psql (Debian's package), else the first on PATH.
    static let psqlPath: String = {
        let packaged = "/usr/lib/postgresql/15/bin/psql"
        if FileManager.default.isExecutableFile(atPath: packaged) { return packaged }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/psql"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return packaged
    }()

    /// Runs one SQL command; a failure throws with psql's own message.
    static func psql(_ url: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psqlPath)
        process.arguments = [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let message = PipeCollector(errors.fileHandleForReading).finish()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresTestError("psql \(sql) failed: \(String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}

struct PostgresTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
