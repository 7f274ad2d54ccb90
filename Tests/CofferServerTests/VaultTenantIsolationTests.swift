import CofferStorage
import Wallets
import Tenancy
import CofferCore
import CofferBase
import CofferServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import Vault

/// Tenant B sees and changes nothing of tenant A's: every route answers as if A's things did not exist.
struct VaultTenantIsolationTests {
    @Test(arguments: ServerBackend.all)
    func anotherTenantGetsNotFoundOnEverything(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            let id = try await server.importKnownWallet()
            _ = try await client.call(.post, "/v1/wallets/\(id)/addresses", key: server.adminA, body: #"{"chain":"bitcoin","count":2}"#)
            let policy = #"{"rules":[{"type":"max_per_transaction","asset":"ETH","amount":"1"}]}"#
            #expect(try await client.call(.put, "/v1/policies/\(id)", key: server.adminA, body: policy).status == 200)

            let b = server.adminB
            #expect(try await client.call(.get, "/v1/wallets", key: b).data.isEmpty)
            for uri in ["/v1/wallets/\(id)", "/v1/wallets/cold", "/v1/addresses/\(Known.bip84[0])", "/v1/addresses?wallet=\(id)", "/v1/policies/\(id)"] {
                let reply = try await client.call(.get, uri, key: b)
                #expect(reply.status == 404, "\(uri): \(reply.text)")
                #expect(!reply.text.contains("abandon"))
            }
            #expect(try await client.call(.get, "/v1/addresses", key: b).data.isEmpty)
            #expect(try await client.call(.post, "/v1/wallets/\(id)/addresses", key: b, body: #"{"chain":"bitcoin","count":1}"#).status == 404)
            #expect(try await client.call(.post, "/v1/wallets/\(id)/backup", key: b, body: #"{"format":"slip39","passphrase":"share passphrase","threshold":2,"shares":3}"#).status == 404)
            #expect(try await client.call(.put, "/v1/policies/\(id)", key: b, body: #"{"rules":[]}"#).status == 404)
            let request = SigningRoutesTests.request(id: "r1", wallet: id, value: "1")
            #expect(try await client.call(.post, "/v1/signing-requests", key: b, body: request).status == 422)
            let audit = try await client.call(.get, "/v1/audit", key: b)
            #expect(audit.status == 200 && audit.data.isEmpty)

            // The same name is free for B, and B's wallet is a different one.
            let theirs = try await client.call(.post, "/v1/wallets", key: b, body: Known.importMnemonic("cold"))
            #expect(theirs.status == 201 && theirs.json["id"] as? String != id)
            // B's first address of the same mnemonic is index 0 again: counters are per wallet.
            let bAddress = try await client.call(.post, "/v1/wallets/cold/addresses", key: b, body: #"{"chain":"bitcoin","count":1}"#)
            #expect(bAddress.data.first?["address"] as? String == Known.bip84[0])
            #expect(try await client.call(.get, "/v1/addresses/\(Known.bip84[0])", key: b).json["wallet"] as? String == theirs.json["id"] as? String)
            #expect(try await client.call(.get, "/v1/addresses/\(Known.bip84[0])", key: server.adminA).json["wallet"] as? String == id)
            let cold = try #require(try await server.api.services.stores.wallets.wallet(tenantID: server.tenantA, reference: "cold"))
            #expect(try await server.api.services.stores.signing.walletPolicy(walletID: cold.walletID)?.version == 1)
        }
    }
}
