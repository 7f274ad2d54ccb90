import CofferServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import Vault

/// Without a passphrase the vault stays locked: vault routes answer 503 and /ready says why.
struct VaultLockTests {
    @Test func lockedVaultAnswers503AndIsNotReady() async throws {
        let server = try await ServerHarness(unlocked: false)
        try await server.run { client in
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/v1/wallets", nil), (.post, "/v1/wallets", #"{"name":"x"}"#), (.get, "/v1/addresses", nil),
                (.get, "/v1/audit", nil), (.get, "/v1/audit/verify", nil), (.get, "/v1/signing-requests/x", nil),
            ]
            for (method, uri, body) in requests {
                let reply = try await client.call(method, uri, key: server.adminA, body: body)
                #expect(reply.status == 503, "\(uri)")
                #expect(reply.problemType == "urn:coffer:problem:vault-locked")
            }
            let ready = try await client.call(.get, "/ready", key: nil)
            #expect(ready.status == 503)
            #expect((ready.json["detail"] as? String)?.contains("vault is locked") == true)
        }
        #expect(try server.count("vault_meta") == 0 && server.count("server_wallets") == 0)
    }

    @Test func unlockedVaultIsReadyAndAWrongPassphraseStopsTheStart() async throws {
        let server = try await ServerHarness()
        try await server.run { client in
            let ready = try await client.call(.get, "/ready", key: nil)
            #expect(ready.status == 200)
        }
        let wrong = server.directory.appendingPathComponent("wrong")
        try Data("not the passphrase".utf8).write(to: wrong)
        #expect(throws: ServerError.self) {
            try VaultServices.open(database: server.database, passphraseFile: wrong.path, parameters: .insecureTesting, signers: [])
        }
        #expect(throws: ServerError.self) {
            try VaultServices.open(database: server.database, passphraseFile: server.directory.appendingPathComponent("missing").path,
                                   parameters: .insecureTesting, signers: [])
        }
        // The same passphrase opens the vault created at the first start.
        #expect(try VaultServices.open(database: server.database, passphraseFile: server.directory.appendingPathComponent("passphrase").path,
                                       parameters: .insecureTesting, signers: []).isUnlocked)
    }
}
