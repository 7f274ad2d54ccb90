import Foundation
import Testing

/// The database engines a contract suite runs on: the embedded SQLite database always, and
/// PostgreSQL when `COFFER_TEST_POSTGRES_URL` names a server (scripts/with-postgres starts a
/// throwaway one and sets it). Pass `TestEngine.all` as a parameterized test's arguments so the
/// same assertions run against both, each case named after its engine.
public enum TestEngine: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    /// The test server's URL; nil when PostgreSQL tests are not configured.
    public static let postgresURL: String? =
        ProcessInfo.processInfo.environment["COFFER_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// SQLite, and PostgreSQL when a test server is configured.
    public static var all: [TestEngine] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    public var testDescription: String { rawValue }
}
