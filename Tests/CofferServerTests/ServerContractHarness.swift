import CofferPostgres
import CofferStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import PostgresNIO
import Testing

@testable import CofferServer

/// The stores the API contract runs on: always SQLite (a temporary directory), and PostgreSQL (a
/// fresh database per test) when COFFER_TEST_POSTGRES_URL names a server.
enum ServerBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static let postgresURL = ProcessInfo.processInfo.environment["COFFER_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var all: [ServerBackend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
    var testDescription: String { rawValue }

    /// Opens empty stores, runs `body` with them, then closes them.
    func withServices<T>(clock: @escaping @Sendable () -> Date = Date.init, _ body: (CofferServices) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-server-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let database = try CofferDatabase(directory: DataDirectory(explicit: directory.path), migrations: LedgerMigrations.all + TenancyMigrations.sqlite)
            return try await body(CofferServices(ledger: SQLiteLedgerStore(database: database), tenancy: SQLiteTenancyStore(database: database, clock: clock), readiness: []))
        case .postgres:
            let pool = try await PostgresPool(url: try await Self.freshPostgresDatabase(), migrations: PostgresLedgerMigrations.all + TenancyMigrations.allPostgres,
                                              maximumConnections: 4)
            defer { pool.close() }
            return try await body(CofferServices(ledger: PostgresLedgerStore(database: pool), tenancy: PostgresTenancyStore(database: pool, clock: clock), readiness: []))
        }
    }

    /// Creates an empty database on the test server and returns its URL (trust authentication).
    static func freshPostgresDatabase() async throws -> String {
        guard let url = postgresURL else { throw ServerError("COFFER_TEST_POSTGRES_URL is not set") }
        let server = try await PostgresPool(url: url, migrations: [], maximumConnections: 1)
        defer { server.close() }
        let name = "coffer_api_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        _ = try await server.rows(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), "creating a test database")
        let location = server.location
        return "postgres://\(location.user)@\(location.host):\(location.port)/\(name)"
    }
}

/// One tenant and an API key of it.
struct TestTenant: Sendable {
    let id: String
    let key: String
    let keyID: String
}

/// A running router over real stores, with helpers for JSON requests.
struct APIUnderTest: Sendable {
    let client: any TestClientProtocol
    let services: CofferServices

    /// A tenant with a key holding `scopes`, created as `coffer tenant create` and `coffer apikey create` do.
    func tenant(_ name: String, scopes: Set<APIScope> = [.read, .write, .admin]) async throws -> TestTenant {
        let tenant = try await services.tenancy.createTenant(name: name)
        let key = try await services.tenancy.createKey(tenantID: tenant.id, scopes: scopes, label: "test", expiresAt: nil)
        return TestTenant(id: tenant.id, key: key.text, keyID: key.id)
    }

    func key(for tenant: TestTenant, scopes: Set<APIScope>) async throws -> TestTenant {
        let key = try await services.tenancy.createKey(tenantID: tenant.id, scopes: scopes, label: "test", expiresAt: nil)
        return TestTenant(id: tenant.id, key: key.text, keyID: key.id)
    }

    /// Sends a request; `body` is sent as is (JSON text, or anything for the bad-input tests).
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, as caller: TestTenant? = nil, body: String? = nil,
              idempotencyKey: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let caller { headers[.authorization] = "Bearer \(caller.key)" }
        if body != nil { headers[.contentType] = "application/json" }
        if let idempotencyKey { headers[.idempotencyKey] = idempotencyKey }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Reply(status: response.status.code, headers: response.headers, text: String(buffer: response.body))
    }
}

/// A response, its body as text and parsed JSON.
struct Reply: Sendable {
    let status: Int
    let headers: HTTPFields
    let text: String

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    func string(_ field: String) -> String? { json?[field] as? String }

    /// The problem `type`'s slug, when this is a problem document.
    var problemSlug: String? { string("type").map { String($0.dropFirst("urn:coffer:problem:".count)) } }

    /// True when this is an RFC 9457 problem document with a 4xx status matching the response's.
    var isClientProblem: Bool {
        guard (400..<500).contains(status), headers[.contentType] == "application/problem+json", let json,
              let type = json["type"] as? String, type.hasPrefix("urn:coffer:problem:"), json["title"] is String, json["detail"] is String,
              (json["status"] as? Int) == status else { return false }
        return true
    }
}

/// Runs `body` against a fresh router on `backend`, with `settings` (defaults: generous limits).
func withAPI(_ backend: ServerBackend, settings: ServerSettings = ServerSettings(), _ body: @escaping @Sendable (APIUnderTest) async throws -> Void) async throws {
    try await backend.withServices { services in
        let app = Application(router: CofferServer.router(settings: settings, services: services))
        try await app.test(.router) { client in
            try await body(APIUnderTest(client: client, services: services))
        }
    }
}

/// A JSON string literal for `text` (for building request bodies).
func quoted(_ text: String) -> String { JSONValue.string(text).text }

/// Ledger fixtures one tenant's tests build on: an asset, two accounts and a posted transfer.
enum LedgerFixture {
    static func build(_ api: APIUnderTest, _ tenant: TestTenant, asset: String = "USD", decimals: Int = 2, owner: String, amount: String) async throws {
        try #require(try await api.call(.post, "/v1/assets", as: tenant, body: #"{"code":"\#(asset)","decimals":\#(decimals)}"#).status == 201)
        for id in ["acct-a", "acct-b"] {
            let reply = try await api.call(.post, "/v1/accounts", as: tenant, body: #"{"id":"\#(id)","asset":"\#(asset)","owner":\#(quoted(owner))}"#)
            try #require(reply.status == 201, "\(reply.text)")
        }
        let transfer = try await api.call(.post, "/v1/transfers", as: tenant,
                                          body: #"{"id":"t-1","debit":"acct-a","credit":"acct-b","amount":"\#(amount)","asset":"\#(asset)"}"#)
        try #require(transfer.status == 201, "\(transfer.text)")
    }

    /// Everything `tenant` can see, as text: a change anywhere shows up as a difference.
    static func snapshot(_ api: APIUnderTest, _ tenant: TestTenant, accounts: [String] = ["acct-a", "acct-b"], assets: [String] = ["USD"]) async throws -> [String] {
        var views: [String] = []
        for uri in ["/v1/totals", "/v1/transfers?limit=10000", "/v1/keys", "/v1/tenant"]
            + assets.map({ "/v1/assets/\($0)" }) + accounts.flatMap({ ["/v1/accounts/\($0)", "/v1/accounts/\($0)/history"] }) {
            let reply = try await api.call(.get, uri, as: tenant)
            views.append("\(uri) \(reply.status) \(reply.text)")
        }
        return views
    }
}
