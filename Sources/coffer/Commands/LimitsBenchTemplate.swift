import CofferCore
import CofferStorage
import Foundation
import PostgresNIO

/// The limits benchmark's set-up database and its fresh copies, one per measured phase: a SQLite
/// snapshot copied into a new data directory, or a PostgreSQL template database that each phase's
/// database is made from (`CREATE DATABASE … TEMPLATE`, a file-level copy on the server).
enum LimitsBenchTemplate: Sendable {
    case sqlite(snapshot: String, scratch: URL)
    case postgres(server: String, template: String)

    /// Makes the PostgreSQL template on the server at `server`: migrated and set up like the
    /// SQLite one (`BenchCommand.LimitsBench.prepare`).
    static func postgres(server: String, customers: Int) async throws -> LimitsBenchTemplate {
        let template = "coffer_bench_limits_\(getpid())"
        try await Self.onServer(server, "DROP DATABASE IF EXISTS \(template)", "CREATE DATABASE \(template)")
        do {
            try await PostgresPool.withPool(url: try Self.url(server, database: template), migrations: CofferStores.postgresMigrations) { pool in
                let stores = CofferStores(postgres: pool)
                let services = CofferServices(stores: stores, vault: .locked(stores.vault, reason: "the benchmark needs no keys"), signers: [])
                try await BenchCommand.LimitsBench.prepare(services, customers: customers, by: try Caller.commandLine())
            }
        } catch {
            try? await Self.onServer(server, "DROP DATABASE IF EXISTS \(template) WITH (FORCE)")
            throw error
        }
        return .postgres(server: server, template: template)
    }

    var name: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres(let server, _): "PostgreSQL \((try? PostgresLocation(url: server).description) ?? "server")"
        }
    }

    /// Runs `body` on the stores of a fresh copy named `name`, removed afterwards.
    func withCopy<T: Sendable>(named name: String, _ body: (CofferStores) async throws -> T) async throws -> T {
        switch self {
        case .sqlite(let snapshot, let scratch):
            let directory = scratch.appendingPathComponent(name)
            defer { try? FileManager.default.removeItem(at: directory) }
            let data = try BenchSnapshot.copy(URL(fileURLWithPath: snapshot), into: directory)
            return try await body(CofferStores(embedded: try CofferDatabase(directory: data, migrations: CofferStores.sqliteMigrations)))
        case .postgres(let server, let template):
            let copy = template + "_" + name.replacingOccurrences(of: "-", with: "_")
            try await Self.copyTemplate(template, to: copy, on: server)
            do {
                let result = try await PostgresPool.withPool(url: try Self.url(server, database: copy), migrations: CofferStores.postgresMigrations) { pool in
                    try await body(CofferStores(postgres: pool))
                }
                try await Self.onServer(server, "DROP DATABASE IF EXISTS \(copy) WITH (FORCE)")
                return result
            } catch {
                try? await Self.onServer(server, "DROP DATABASE IF EXISTS \(copy) WITH (FORCE)")
                throw error
            }
        }
    }

    /// Drops the PostgreSQL template (a SQLite snapshot goes with the scratch directory).
    func remove() async {
        if case .postgres(let server, let template) = self { try? await Self.onServer(server, "DROP DATABASE IF EXISTS \(template) WITH (FORCE)") }
    }

    /// `CREATE DATABASE copy TEMPLATE template`, retried for a few seconds: the server refuses
    /// while a session is still connected to the template, and the set-up pool's connections
    /// close a moment after it is done.
    static func copyTemplate(_ template: String, to copy: String, on server: String) async throws {
        var attempt = 0
        while true {
            do {
                return try await onServer(server, "CREATE DATABASE \(copy) TEMPLATE \(template)")
            } catch {
                attempt += 1
                guard attempt < 50 else { throw error }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Runs statements on the server's database from `server` (its URL), one connection.
    static func onServer(_ server: String, _ statements: String...) async throws {
        try await PostgresPool.withPool(url: server, migrations: [], maximumConnections: 1) { pool in
            for statement in statements { _ = try await pool.rows(PostgresQuery(unsafeSQL: statement), "running \(statement.prefix(40))") }
        }
    }

    /// The URL of `database` on the server at `server`.
    static func url(_ server: String, database: String) throws -> String {
        try PostgresLocation(url: server).url(database: database)
    }
}

extension PostgresLocation {
    /// This server's URL for another of its databases, with the same user and password.
    func url(database: String) -> String {
        var url = "postgres://\(user)"
        if let password { url += ":" + (password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password) }
        return url + "@\(host):\(port)/\(database)"
    }
}
