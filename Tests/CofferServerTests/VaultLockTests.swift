import CofferStorage
import Wallets
import Tenancy
import CofferBase
import CofferCore
import CofferServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import Vault

/// Without a passphrase the vault stays locked: operations that need a key answer 503 `vault-locked`,
/// reads of public facts still answer, and /ready says why.
struct VaultLockTests {
    @Test(arguments: ServerBackend.all)
    func lockedVaultAnswers503AndIsNotReady(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend, unlocked: false) { server in
            let client = server.api
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/v1/wallets", #"{"name":"x"}"#), (.post, "/v1/wallets/x/addresses", #"{"chain":"ethereum","count":1}"#),
                (.post, "/v1/wallets/x/backup", #"{"format":"slip39","passphrase":"share passphrase","threshold":2,"shares":3}"#),
            ]
            for (method, uri, body) in requests {
                let reply = try await client.call(method, uri, key: server.adminA, body: body)
                #expect(reply.status == 503, "\(uri)")
                #expect(reply.problemType == "urn:coffer:problem:vault-locked")
            }
            for uri in ["/v1/wallets", "/v1/addresses", "/v1/audit", "/v1/audit/verify"] {
                #expect(try await client.call(.get, uri, key: server.adminA).status == 200, "\(uri)")
            }
            let ready = try await client.call(.get, "/ready", key: nil)
            #expect(ready.status == 503)
            #expect((ready.json["detail"] as? String)?.contains("vault is locked") == true)
            #expect(try await server.count("vault_meta") == 0)
            #expect(try await server.count("server_wallets") == 0)
        }
    }

    @Test(arguments: ServerBackend.all)
    func unlockedVaultIsReadyAndAWrongPassphraseStopsTheStart(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            #expect(try await server.api.call(.get, "/ready", key: nil).status == 200)
            let store = server.api.services.stores.vault
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-lock-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let wrong = directory.appendingPathComponent("wrong"), right = directory.appendingPathComponent("right")
            try Data("not the passphrase".utf8).write(to: wrong)
            try Data((ServerBackend.passphrase + "\n").utf8).write(to: right)
            await #expect(throws: ServiceError.self) { try await VaultAccess.unlock(store, passphraseFile: wrong.path) }
            await #expect(throws: ServiceError.self) { try await VaultAccess.unlock(store, passphraseFile: directory.appendingPathComponent("missing").path) }
            // The same passphrase opens the vault created at the first start.
            #expect(try await VaultAccess.unlock(store, passphraseFile: right.path).isUnlocked)
        }
    }
}
