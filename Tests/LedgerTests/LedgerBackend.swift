import CofferPostgres
import Foundation
import PostgresNIO
import Testing

/// The stores the contract tests run against. PostgreSQL joins when COFFER_TEST_POSTGRES_URL
/// names a server (scripts/test always starts one); each test then gets a database of its own.
enum LedgerBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static let postgresURL = ProcessInfo.processInfo.environment["COFFER_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    static var all: [LedgerBackend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// Creates an empty database on the test server and returns its URL.
    static func freshPostgresDatabase() async throws -> String {
        guard let url = postgresURL else { throw PostgresDatabaseError("COFFER_TEST_POSTGRES_URL is not set") }
        let server = try await PostgresPool(url: url, migrations: [], maximumConnections: 1)
        defer { server.close() }
        let name = "coffer_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        _ = try await server.rows(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), "creating a test database")
        let location = server.location
        return "postgres://\(location.user)@\(location.host):\(location.port)/\(name)"
    }
}

extension PostgresLocation {
    /// This database's URL (test servers use trust authentication, so no password).
    var urlForTests: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
