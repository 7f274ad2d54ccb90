import CofferServer
import CofferStorage
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import Vault
import WalletCore

/// A server over a fresh SQLite database in a temporary directory with a real vault (cheap
/// Argon2id parameters), two tenants and their keys; requests go through the whole router.
struct ServerHarness {
    let directory: URL
    let database: CofferDatabase
    let vault: VaultServices
    let services: CofferServices
    let settings: ServerSettings
    /// Tenant A: every scope; read only; write only. Tenant B: every scope.
    let adminA: String, readerA: String, writerA: String, adminB: String
    let tenantA: String, tenantB: String

    static let passphrase = "correct horse battery staple"
    static let migrations = VaultMigrations.all + SigningStore.migrations + LedgerMigrations.all + TenancyMigrations.sqlite + ServerVaultMigrations.sqlite

    init(unlocked: Bool = true) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-server-\(UUID().uuidString)")
        database = try CofferDatabase(directory: DataDirectory(explicit: directory.path), migrations: Self.migrations)
        let tenancy = SQLiteTenancyStore(database: database)
        let a = try await tenancy.createTenant(name: "A"), b = try await tenancy.createTenant(name: "B")
        (tenantA, tenantB) = (a.id, b.id)
        adminA = try await tenancy.createKey(tenantID: a.id, scopes: Set(APIScope.allCases), label: "", expiresAt: nil).text
        readerA = try await tenancy.createKey(tenantID: a.id, scopes: [.read], label: "", expiresAt: nil).text
        writerA = try await tenancy.createKey(tenantID: a.id, scopes: [.read, .write], label: "", expiresAt: nil).text
        adminB = try await tenancy.createKey(tenantID: b.id, scopes: Set(APIScope.allCases), label: "", expiresAt: nil).text
        var passphraseFile: String?
        if unlocked {
            let file = directory.appendingPathComponent("passphrase")
            try Data((Self.passphrase + "\n").utf8).write(to: file)
            passphraseFile = file.path
        }
        vault = try VaultServices.open(database: database, passphraseFile: passphraseFile, parameters: .insecureTesting,
                                       signers: [EthereumTransactionPayloadSigner()])
        var settings = ServerSettings()
        settings.rateLimit = 0
        self.settings = settings
        services = CofferServices(ledger: SQLiteLedgerStore(database: database), tenancy: tenancy, vault: vault, readiness: [vault.readiness])
    }

    /// Runs `body` against the router in process.
    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: CofferServer.router(settings: settings, services: services)).test(.router) { client in try await body(client) }
    }

    /// Counts rows of a table, to prove a refused request stored nothing.
    func count(_ table: String) throws -> Int {
        try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}

/// One response: status, raw text, and the body parsed as a JSON object (empty if it is not one).
struct VaultReply: Sendable {
    let status: Int
    let text: String
    let contentType: String
    var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]) ?? [:] }
    var data: [[String: Any]] { json["data"] as? [[String: Any]] ?? [] }
    var problemType: String? { json["type"] as? String }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, key: String?, body: String? = nil, headers extra: HTTPFields = [:]) async throws -> VaultReply {
        var headers = extra
        if let key { headers[.authorization] = "Bearer \(key)" }
        if body != nil { headers[.contentType] = "application/json" }
        let response: TestResponse = try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return VaultReply(status: Int(response.status.code), text: String(buffer: response.body), contentType: response.headers[.contentType] ?? "")
    }
}

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
