import Wallets
import CofferBase
import CofferCore
import CofferStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Synchronization
import Tenancy
import Testing
import Vault

@testable import CofferServer

/// Where the API contract runs: SQLite (a temporary directory); PostgreSQL (a fresh database per
/// test) when COFFER_TEST_POSTGRES_URL names a server; and two servers on that one PostgreSQL
/// database, each with its own pool, caches and unlocked vault, requests alternating between them.
enum ServerBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres, postgresPair

    static let postgresURL = ProcessInfo.processInfo.environment["COFFER_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var all: [ServerBackend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres, .postgresPair] }
    var testDescription: String { rawValue }

    static let passphrase = "correct horse battery staple"

    /// Opens empty stores (one stack, or two over one database for `postgresPair`), unlocks the
    /// vault (creating it) unless `unlocked` is false, runs `body` with the services, then closes them.
    func withServices<T: Sendable>(
        unlocked: Bool = true, clock: (@Sendable () -> Date)? = nil, sources: @escaping ChainSourceFactory = ChainSources.make,
        _ body: ([CofferServices]) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passphraseFile = directory.appendingPathComponent("passphrase")
        try Data((Self.passphrase + "\n").utf8).write(to: passphraseFile)
        func services(_ stores: CofferStores) async throws -> CofferServices {
            let vault = unlocked
                ? try await VaultAccess.unlock(stores.vault, passphraseFile: passphraseFile.path, createWith: .insecureTesting)
                : VaultAccess.locked(stores.vault, reason: "the vault is locked: start coffer serve with --vault-passphrase-file")
            // Webhook receivers in these tests listen on loopback.
            return CofferServices(stores: stores, vault: vault, signers: CofferServices.payloadSigners, sources: sources,
                                  webhooks: WebhookOptions(allowPrivateURLs: true))
        }
        switch self {
        case .sqlite:
            let database = try CofferDatabase(directory: DataDirectory(explicit: directory.appendingPathComponent("data").path),
                                              migrations: CofferStores.sqliteMigrations)
            return try await body([try await services(CofferStores(embedded: database, tenancyClock: clock))])
        case .postgres, .postgresPair:
            let url = try await Self.freshPostgresDatabase()
            return try await PostgresPool.withPool(url: url, migrations: CofferStores.postgresMigrations, maximumConnections: 4) { first in
                let one = try await services(CofferStores(postgres: first, tenancyClock: clock))
                guard self == .postgresPair else { return try await body([one]) }
                return try await PostgresPool.withPool(url: url, migrations: CofferStores.postgresMigrations, maximumConnections: 4) { second in
                    try await body([one, try await services(CofferStores(postgres: second, tenancyClock: clock))])
                }
            }
        }
    }

    /// Creates an empty database on the test server and returns its URL (trust authentication).
    static func freshPostgresDatabase() async throws -> String {
        guard let url = postgresURL else { throw ServiceError.invalid("COFFER_TEST_POSTGRES_URL is not set") }
        let name = "coffer_api_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        return try await PostgresPool.withPool(url: url, migrations: [], maximumConnections: 1) { server in
            _ = try await server.rows(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), "creating a test database")
            let location = server.location
            return "postgres://\(location.user)@\(location.host):\(location.port)/\(name)"
        }
    }
}

/// Sends each request to the next of several servers in turn: two servers over one database must
/// answer as one.
struct AlternatingClient: TestClientProtocol {
    let clients: [any TestClientProtocol]
    let next = Counter()

    final class Counter: Sendable {
        private let value = Mutex(0)
        func take() -> Int {
            value.withLock { value in
                defer { value += 1 }
                return value
            }
        }
    }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        try await clients[next.take() % clients.count].executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    var port: Int? { nil }
}

/// One tenant and an API key of it.
struct TestTenant: Sendable {
    let id: String
    let key: String
    let keyID: String
}

/// Running routers over real stores, with helpers for JSON requests.
struct APIUnderTest: Sendable {
    let client: any TestClientProtocol
    /// The first server's services (the others share its database).
    let services: CofferServices
    var tenancy: any TenancyStore { services.stores.tenancy }

    /// A tenant with a key holding `scopes`, created as `coffer tenant create` and `coffer apikey create` do.
    func tenant(_ name: String, scopes: Set<APIScope> = [.read, .write, .admin]) async throws -> TestTenant {
        let tenant = try await tenancy.createTenant(name: name)
        let key = try await tenancy.createKey(tenantID: tenant.id, scopes: scopes, label: "test", expiresAt: nil)
        return TestTenant(id: tenant.id, key: key.text, keyID: key.id)
    }

    func key(for tenant: TestTenant, scopes: Set<APIScope>) async throws -> TestTenant {
        let key = try await tenancy.createKey(tenantID: tenant.id, scopes: scopes, label: "test", expiresAt: nil)
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

    /// Counts rows of a table, to prove a refused request stored nothing.
    func count(_ table: String) async throws -> Int {
        try await services.stores.database.read { connection in
            try connection.queryOne("SELECT COUNT(*) FROM \(raw: table)") { Int(try $0.int64(0)) } ?? 0
        }
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

    var object: [String: Any] { json ?? [:] }
    var data: [[String: Any]] { json?["data"] as? [[String: Any]] ?? [] }
    var contentType: String { headers[.contentType] ?? "" }

    func string(_ field: String) -> String? { json?[field] as? String }

    /// The problem `type`'s slug, when this is a problem document.
    var problemSlug: String? { string("type").map { String($0.dropFirst("urn:coffer:problem:".count)) } }
    var problemType: String? { string("type") }

    /// True when this is an RFC 9457 problem document with a 4xx status matching the response's.
    var isClientProblem: Bool {
        guard (400..<500).contains(status), headers[.contentType] == "application/problem+json", let json,
              let type = json["type"] as? String, type.hasPrefix("urn:coffer:problem:"), json["title"] is String, json["detail"] is String,
              (json["status"] as? Int) == status, json["code"] as? String == String(type.dropFirst("urn:coffer:problem:".count)) else { return false }
        return true
    }
}

/// Runs `body` against fresh routers on `backend` (requests alternate between the servers of
/// `postgresPair`), with `settings` (defaults: generous limits) and the chains' node readers
/// made by `sources` (default: the real ones, which connect to nothing until a chain syncs).
func withAPI(
    _ backend: ServerBackend, settings: ServerSettings = ServerSettings(), unlocked: Bool = true, clock: (@Sendable () -> Date)? = nil,
    sources: @escaping ChainSourceFactory = ChainSources.make, _ body: @escaping @Sendable (APIUnderTest) async throws -> Void
) async throws {
    try await backend.withServices(unlocked: unlocked, clock: clock, sources: sources) { stacks in
        let readiness: [@Sendable () async -> String?] = [{ stacks[0].vault.lockedReason }]
        let apps = stacks.map { Application(router: CofferServer.router(settings: settings, services: $0, readiness: readiness)) }
        try await apps[0].test(.router) { first in
            guard apps.count > 1 else { return try await body(APIUnderTest(client: first, services: stacks[0])) }
            try await apps[1].test(.router) { second in
                try await body(APIUnderTest(client: AlternatingClient(clients: [first, second]), services: stacks[0]))
            }
        }
    }
}

/// Two tenants and their keys on a server with an unlocked vault: tenant A with every scope, read
/// only and write only keys; tenant B with every scope.
struct VaultFixture: Sendable {
    let api: APIUnderTest
    let adminA: TestTenant, readerA: TestTenant, writerA: TestTenant, adminB: TestTenant
    var tenantA: String { adminA.id }
    var tenantB: String { adminB.id }

    static func run(
        _ backend: ServerBackend, unlocked: Bool = true, sources: @escaping ChainSourceFactory = ChainSources.make,
        _ body: @escaping @Sendable (VaultFixture) async throws -> Void
    ) async throws {
        var settings = ServerSettings()
        settings.rateLimit = 0
        try await withAPI(backend, settings: settings, unlocked: unlocked, sources: sources) { api in
            let adminA = try await api.tenant("A", scopes: Set(APIScope.allCases))
            let readerA = try await api.key(for: adminA, scopes: [.read])
            let writerA = try await api.key(for: adminA, scopes: [.read, .write])
            let adminB = try await api.tenant("B", scopes: Set(APIScope.allCases))
            try await body(VaultFixture(api: api, adminA: adminA, readerA: readerA, writerA: writerA, adminB: adminB))
        }
    }
}

/// A JSON string literal for `text` (for building request bodies).
func quoted(_ text: String) -> String { JSONValue.string(text).text }

enum Known {
    /// BIP84's test vector mnemonic and its first two receiving addresses (m/84'/0'/0'/0/0 and /1).
    static let mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
    static let bip84 = ["bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g"]
    static let privateKey = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
    static let privateKeyAddress = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"

    static func importMnemonic(_ name: String) -> String {
        #"{"name":"\#(name)","source":"mnemonic","mnemonic":"\#(mnemonic)"}"#
    }
}

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

/// One response of the vault routes' tests: status, raw text, and the body parsed as a JSON object
/// (empty if it is not one).
struct VaultReply: Sendable {
    let status: Int
    let text: String
    let contentType: String
    var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]) ?? [:] }
    var data: [[String: Any]] { json["data"] as? [[String: Any]] ?? [] }
    var problemType: String? { json["type"] as? String }
}

extension APIUnderTest {
    /// A request with `key`'s API key (none when nil).
    func call(_ method: HTTPRequest.Method, _ uri: String, key: TestTenant?, body: String? = nil, headers extra: HTTPFields = [:]) async throws -> VaultReply {
        let reply = try await call(method, uri, as: key, body: body, headers: extra)
        return VaultReply(status: reply.status, text: reply.text, contentType: reply.contentType)
    }
}

extension VaultFixture {
    func count(_ table: String) async throws -> Int { try await api.count(table) }

    /// Sends each request (method, URI, body) with `key` (tenant A's admin key by default) and
    /// expects a 4xx problem document with the status and code given and `message` in its detail,
    /// never echoing `secret`.
    func expectRefusals(_ cases: [(HTTPRequest.Method, String, String?, Int, String, String)], as key: TestTenant? = nil, neverEchoing secret: String? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for (method, uri, body, status, code, message) in cases {
            let reply = try await api.call(method, uri, as: key ?? adminA, body: body)
            let label = "\(method) \(uri) \(body ?? "")"
            #expect(reply.status == status && reply.isClientProblem && reply.problemSlug == code, "\(label): \(reply.status) \(reply.text)",
                    sourceLocation: sourceLocation)
            #expect(reply.string("detail")?.contains(message) == true, "\(label): \(reply.text)", sourceLocation: sourceLocation)
            if let secret { #expect(!reply.text.contains(secret), "\(label): a credential is never echoed", sourceLocation: sourceLocation) }
        }
    }

    /// Imports the vector mnemonic as tenant A's wallet `name` and returns the wallet's id.
    func importKnownWallet(_ name: String = "cold") async throws -> String {
        let wallet = try await api.call(.post, "/v1/wallets", key: adminA, body: Known.importMnemonic(name))
        return try #require(wallet.json["id"] as? String, "\(wallet.text)")
    }
    var vault: VaultAccess { api.services.vault }
}
