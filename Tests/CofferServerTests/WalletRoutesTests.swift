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
import WalletCore

/// Create, import, list, show and back up wallets: secrets go in, never come out.
struct WalletRoutesTests {
    static let walletKeys: Set<String> = ["id", "name", "kind", "curve", "origin", "summary", "created_at"]

    @Test(arguments: ServerBackend.all)
    func createImportListShowNeverReturnASecret(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            let created = try await client.call(.post, "/v1/wallets", key: server.writerA, body: #"{"name":"treasury"}"#)
            #expect(created.status == 201)
            #expect(Set(created.json.keys) == Self.walletKeys)
            #expect(created.json["origin"] as? String == "generated-bip39")
            #expect(created.json["kind"] as? String == "seed")

            let imported = try await client.call(.post, "/v1/wallets", key: server.adminA, body: Known.importMnemonic("cold"))
            #expect(imported.status == 201)
            #expect(Set(imported.json.keys) == Self.walletKeys)
            #expect(!imported.text.contains("abandon"))
            // The fingerprint of the BIP32 master key of the BIP84 vector's seed.
            #expect(imported.json["summary"] as? String == "fingerprint:73c5da0a")

            let key = try await client.call(.post, "/v1/wallets", key: server.adminA,
                                            body: #"{"name":"hot","source":"private-key","curve":"secp256k1","private_key":"0x\#(Known.privateKey)"}"#)
            #expect(key.status == 201)
            #expect(key.json["summary"] as? String == "ethereum:\(Known.privateKeyAddress)")
            #expect(!key.text.contains(Known.privateKey))

            let keystoreJSON = String(decoding: try EthereumKeystoreV3.encrypt(
                privateKey: SecretBytes(try Hex.decode("1111111111111111111111111111111111111111111111111111111111111111")),
                password: "keystore password", kdf: .pbkdf2(iterations: 1_000)), as: UTF8.self)
            let fromKeystore = try await client.call(.post, "/v1/wallets", key: server.adminA,
                                                     body: #"{"name":"geth","source":"ethereum-keystore","keystore":\#(keystoreJSON),"password":"keystore password"}"#)
            #expect(fromKeystore.status == 201)
            #expect(fromKeystore.json["origin"] as? String == "ethereum-v3")

            let list = try await client.call(.get, "/v1/wallets", key: server.readerA)
            #expect(list.status == 200)
            #expect(list.data.map { $0["name"] as? String } == ["treasury", "cold", "hot", "geth"])
            #expect(list.data.allSatisfy { Set($0.keys) == Self.walletKeys })
            #expect(!list.text.contains("abandon") && !list.text.contains(Known.privateKey))

            let page = try await client.call(.get, "/v1/wallets?limit=3", key: server.readerA)
            let cursor = try #require(page.json["next_cursor"] as? String)
            let rest = try await client.call(.get, "/v1/wallets?limit=3&cursor=\(cursor)", key: server.readerA)
            #expect(rest.data.map { $0["name"] as? String } == ["geth"])
            #expect(rest.json["next_cursor"] is NSNull)

            let id = try #require(imported.json["id"] as? String)
            let byID = try await client.call(.get, "/v1/wallets/\(id)", key: server.readerA)
            #expect(byID.status == 200 && byID.json["name"] as? String == "cold")
            let byName = try await client.call(.get, "/v1/wallets/cold", key: server.readerA)
            #expect(byName.json["id"] as? String == id)
            // The vault's own name carries the tenant; the tenant's name is what the API shows.
            #expect(try await server.vault.vault.wallets().map(\.name).contains("\(server.tenantA)/cold"))
        }
    }

    @Test(arguments: ServerBackend.all)
    func badWalletRequestsAreProblemsAndStoreNothing(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            _ = try await client.call(.post, "/v1/wallets", key: server.adminA, body: Known.importMnemonic("cold"))
            let before = [try await server.count("vault_wallets"), try await server.count("server_wallets")]
            let typo = Known.mnemonic.replacingOccurrences(of: "about", with: "abuot")
            let cases: [(String, String, Int)] = [
                (#"{"name":"x","colour":"red"}"#, "unknown field", 400),
                (#"{"name":7}"#, "name must be a string", 400),
                (#"{"name":""}"#, "name must be", 400),
                (#"{"name":"x","source":"mnemonic","mnemonic":"\#(typo)"}"#, "word 12 is not in the english wordlist", 400),
                (#"{"name":"x","source":"mnemonic","mnemonic":"\#(Known.mnemonic.replacingOccurrences(of: "about", with: "abandon"))"}"#, "checksum", 400),
                (#"{"name":"x","source":"private-key","curve":"secp256k1","private_key":"zz\#(Known.privateKey.dropFirst(2))"}"#, "64 hex digits", 400),
                (#"{"name":"x","source":"private-key","curve":"secp256k1","private_key":"\#(String(repeating: "f", count: 64))"}"#, "not a valid secp256k1", 400),
                (#"{"name":"x","source":"private-key","private_key":"\#(Known.privateKey)"}"#, "curve is missing", 400),
                (#"{"name":"x","source":"mnemonic","private_key":"\#(Known.privateKey)"}"#, "does not apply to source mnemonic", 400),
                (#"{"name":"x","source":"ethereum-keystore","keystore":{"version":3},"password":"p"}"#, "keystore", 400),
                (#"{"name":"x","source":"paper"}"#, "source must be", 400),
                (#"{"name":"cold"}"#, "already exists", 409),
                ("not json", "invalid JSON", 400),
            ]
            for (body, expected, status) in cases {
                let reply = try await client.call(.post, "/v1/wallets", key: server.adminA, body: body)
                #expect(reply.status == status, "\(body)")
                #expect(reply.contentType == "application/problem+json")
                #expect((reply.json["detail"] as? String)?.contains(expected) == true, "\(reply.text)")
                #expect(!reply.text.contains("abuot") && !reply.text.contains(Known.privateKey.dropFirst(2)) && !reply.text.contains("abandon"))
            }
            #expect(try await [server.count("vault_wallets"), server.count("server_wallets")] == before)
            // Importing is admin only; reading keys cannot create.
            #expect(try await client.call(.post, "/v1/wallets", key: server.writerA, body: Known.importMnemonic("y")).status == 403)
            #expect(try await client.call(.post, "/v1/wallets", key: server.readerA, body: #"{"name":"z"}"#).status == 403)
            #expect(try await client.call(.get, "/v1/wallets/nope", key: server.readerA).status == 404)
            #expect(try await client.call(.get, "/v1/wallets?limit=0", key: server.readerA).status == 400)
            #expect(try await client.call(.get, "/v1/wallets?cursor=s12", key: server.readerA).status == 400)
            #expect(try await [server.count("vault_wallets"), server.count("server_wallets")] == before)
        }
    }

    @Test(arguments: ServerBackend.all)
    func backupsAreEncryptedExportsThatRestore(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            let hd = try await client.call(.post, "/v1/wallets", key: server.adminA, body: Known.importMnemonic("cold"))
            let key = try await client.call(.post, "/v1/wallets", key: server.adminA,
                                            body: #"{"name":"hot","source":"private-key","curve":"secp256k1","private_key":"\#(Known.privateKey)"}"#)
            let hdID = try #require(hd.json["id"] as? String), keyID = try #require(key.json["id"] as? String)

            let keystore = try await client.call(.post, "/v1/wallets/\(keyID)/backup", key: server.adminA,
                                                 body: #"{"format":"ethereum-keystore","password":"backup password","kdf":"pbkdf2"}"#)
            #expect(keystore.status == 200)
            #expect(!keystore.text.contains(Known.privateKey))
            let file = try JSONSerialization.data(withJSONObject: try #require(keystore.json["keystore"]))
            let restored = try EthereumKeystoreV3.decrypt(json: Array(file), password: "backup password")
            #expect(Hex.encode(restored.copyBytes()) == Known.privateKey)

            let shares = try await client.call(.post, "/v1/wallets/\(hdID)/backup", key: server.adminA,
                                               body: #"{"format":"slip39","passphrase":"share passphrase","threshold":2,"shares":3}"#)
            #expect(shares.status == 200)
            let mnemonics = try #require(shares.json["shares"] as? [String])
            #expect(mnemonics.count == 3)
            let seed = try SLIP39.recover(mnemonics: [mnemonics[0], mnemonics[2]], passphrase: "share passphrase")
            #expect(seed.copyBytes() == (try Mnemonic(phrase: Known.mnemonic)).seed())

            // Wrong format for the wallet, weak password, not admin: refused.
            #expect(try await client.call(.post, "/v1/wallets/\(keyID)/backup", key: server.adminA,
                                          body: #"{"format":"slip39","passphrase":"share passphrase","threshold":2,"shares":3}"#).status == 422)
            #expect(try await client.call(.post, "/v1/wallets/\(keyID)/backup", key: server.adminA,
                                          body: #"{"format":"ethereum-keystore","password":"short"}"#).status == 400)
            #expect(try await client.call(.post, "/v1/wallets/\(keyID)/backup", key: server.writerA,
                                          body: #"{"format":"ethereum-keystore","password":"backup password"}"#).status == 403)
            let exports = try await server.vault.vault.auditRecords().filter { $0.action == "wallet.export" }
            #expect(exports.count == 2)
            #expect(exports.allSatisfy { $0.actor.hasPrefix("api:\(server.tenantA)/") })
        }
    }
}
