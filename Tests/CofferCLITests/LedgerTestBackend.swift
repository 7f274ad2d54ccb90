import Foundation
import Testing

/// Where a CLI test's ledger lives, and the storage arguments that tell every `coffer ledger`
/// command so: a fresh SQLite data directory, or a fresh database on the test PostgreSQL server.
enum LedgerTestBackend: Sendable {
    case sqlite(dataDir: String)
    case postgres(url: String)

    enum Kind: String, Sendable {
        case sqlite, postgres
    }

    /// PostgreSQL tests run when a server is named (scripts/test always starts one, so CI runs them).
    static var postgresConfigured: Bool { PostgresTestDatabase.serverURL != nil }

    /// The trait of every PostgreSQL test.
    static let postgresEnabled = ConditionTrait.enabled(
        if: postgresConfigured, "needs \(PostgresTestDatabase.serverVariable): run through scripts/with-postgres (scripts/test does)")

    /// An empty ledger of `kind`; `remove()` deletes it.
    static func fresh(_ kind: Kind) throws -> LedgerTestBackend {
        switch kind {
        case .sqlite:
            .sqlite(dataDir: FileManager.default.temporaryDirectory.appendingPathComponent("coffer-ledger-\(UUID().uuidString)").path)
        case .postgres:
            .postgres(url: try PostgresTestDatabase.create())
        }
    }

    var kind: Kind {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// `--data-dir D` or `--database URL`.
    var storageArguments: [String] {
        switch self {
        case .sqlite(let dataDir): ["--data-dir", dataDir]
        case .postgres(let url): ["--database", url]
        }
    }

    /// The whole argument list of `coffer ledger ARGUMENTS` on this ledger.
    func ledgerArguments(_ arguments: [String]) -> [String] {
        ["ledger"] + arguments + storageArguments
    }

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil) throws -> CofferProcess.Result {
        try CofferProcess.run(ledgerArguments(arguments), stdin: stdin)
    }

    /// Deletes the data directory or drops the database.
    func remove() throws {
        switch self {
        case .sqlite(let dataDir):
            if FileManager.default.fileExists(atPath: dataDir) { try FileManager.default.removeItem(atPath: dataDir) }
        case .postgres(let url):
            try PostgresTestDatabase.drop(url)
        }
    }
}
