import Wallets
import Tenancy
import CofferCore
import CofferBase
import Crypto
import CofferServer
import CofferStorage
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import Vault
import WalletCore

/// Signing over HTTP: the wallet's policy decides, approvers sign the hash, the vault signs once,
/// and the audit log shows the tenant its own records.
struct SigningRoutesTests {
    static let alice = "0x1111111111111111111111111111111111111111"

    static func request(id: String, wallet: String, value: String, to: String = alice) -> String {
        """
        {"id":"\(id)","intent":{"chain":"ethereum","wallet":"\(wallet)","destination":"\(to)","asset":"ETH","amount":"\(value)","fee":"630000000000000"},
         "payload":{"type":"ethereum-tx","chain_id":1,"tx":{"type":2,"nonce":0,"max_priority_fee_per_gas":"1000000000","max_fee_per_gas":"30000000000","gas":21000,"to":"\(to)","value":"\(value)","data":"0x","access_list":[]}}}
        """
    }

    @Test(arguments: ServerBackend.all)
    func policyApprovalsSignatureAndAudit(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            var approvers: [String: Curve25519.Signing.PrivateKey] = [:]
            for id in ["a", "b"] {
                let key = Curve25519.Signing.PrivateKey()
                approvers[id] = key
                try await server.api.services.stores.signing.addApprover(
                    id: id, publicKey: Array(key.publicKey.rawRepresentation),
                    audit: AuditEvent(actor: "test", action: "approver.add", subject: id, outcome: "ok"), at: VaultClock.format(Date()))
            }
            let keys = approvers
            let wallet = try await client.call(.post, "/v1/wallets", key: server.adminA,
                                               body: #"{"name":"hot","source":"private-key","curve":"secp256k1","private_key":"\#(Known.privateKey)"}"#)
            let id = try #require(wallet.json["id"] as? String)
            // No policy yet (and none vault-wide): denied before any key is touched.
            let denied = try await client.call(.post, "/v1/signing-requests", key: server.adminA, body: Self.request(id: "r0", wallet: "hot", value: "1"))
            #expect(denied.status == 201 && denied.json["status"] as? String == "denied" && denied.json["rule"] as? String == "no-policy")

            let policy = """
                {"rules":[{"type":"allow_destinations","destinations":["\(Self.alice)"]},
                          {"type":"approvals","name":"big","asset":"ETH","above":"1000000000000000000","required":2,"approvers":["a","b"]}]}
                """
            let set = try await client.call(.put, "/v1/policies/hot", key: server.adminA, body: policy)
            #expect(set.status == 200 && set.json["version"] as? Int == 1)
            #expect(try await client.call(.put, "/v1/policies/hot", key: server.adminA, body: policy).json["version"] as? Int == 1)
            #expect(try await client.call(.get, "/v1/policies/\(id)", key: server.adminA).json["version"] as? Int == 1)
            #expect(try await client.call(.put, "/v1/policies/hot", key: server.adminA, body: #"{"rules":[{"type":"teleport"}]}"#).status == 400)
            #expect(try await client.call(.put, "/v1/policies/hot", key: server.adminA,
                                          body: #"{"rules":[{"type":"max_per_transaction","asset":"ETH","amount":"1","wallets":["other"]}]}"#).status == 400)
            #expect(try await client.call(.put, "/v1/policies/hot", key: server.writerA, body: policy).status == 403)

            let small = Self.request(id: "r1", wallet: "hot", value: "500000000000000000")
            let signed = try await client.call(.post, "/v1/signing-requests", key: server.adminA, body: small)
            #expect(signed.status == 201 && signed.json["status"] as? String == "signed")
            #expect((signed.json["result"] as? [String: Any])?["from"] as? String == Known.privateKeyAddress)
            #expect(signed.json["id"] as? String == "r1" && signed.json["wallet"] as? String == id)
            let replay = try await client.call(.post, "/v1/signing-requests", key: server.adminA, body: small)
            #expect(replay.status == 200 && (replay.json["result"] as? [String: Any])?["raw"] as? String == (signed.json["result"] as? [String: Any])?["raw"] as? String)
            #expect(try await client.call(.post, "/v1/signing-requests", key: server.adminA,
                                          body: Self.request(id: "r1", wallet: "hot", value: "1")).status == 409)
            let elsewhere = try await client.call(.post, "/v1/signing-requests", key: server.adminA,
                                                  body: Self.request(id: "r2", wallet: "hot", value: "1", to: "0x2222222222222222222222222222222222222222"))
            #expect(elsewhere.json["status"] as? String == "denied")

            let big = try await client.call(.post, "/v1/signing-requests", key: server.adminA, body: Self.request(id: "big", wallet: id, value: "2000000000000000000"))
            #expect(big.json["status"] as? String == "pending_approval" && big.json["approvals_required"] as? Int == 2)
            let message = Array(try #require(big.json["approval_message"] as? String).utf8)
            func approval(_ approver: String, signer: String) throws -> String {
                #"{"approver_id":"\#(approver)","signature":"\#(Hex.encode(try keys[signer]!.signature(for: message)))"}"#
            }
            let forged = try await client.call(.post, "/v1/signing-requests/big/approvals", key: server.adminA, body: try approval("a", signer: "b"))
            #expect(forged.status == 422)
            #expect(try await client.call(.post, "/v1/signing-requests/big/approvals", key: server.readerA, body: try approval("a", signer: "a")).status == 403)
            let one = try await client.call(.post, "/v1/signing-requests/big/approvals", key: server.adminA, body: try approval("a", signer: "a"))
            #expect(one.status == 200 && one.json["status"] as? String == "pending_approval" && one.json["approvals_received"] as? Int == 1)
            let two = try await client.call(.post, "/v1/signing-requests/big/approvals", key: server.adminA, body: try approval("b", signer: "b"))
            #expect(two.json["status"] as? String == "signed")
            #expect(try await client.call(.post, "/v1/signing-requests/big/approvals", key: server.adminA, body: try approval("b", signer: "b")).status == 409)
            #expect(try await client.call(.get, "/v1/signing-requests/big", key: server.readerA).json["status"] as? String == "signed")
            #expect(try await client.call(.get, "/v1/signing-requests/big", key: server.adminB).status == 404)
            #expect(try await client.call(.post, "/v1/signing-requests", key: server.adminA, body: #"{"id":"x"}"#).status == 400)

            let audit = try await client.call(.get, "/v1/audit?limit=1000", key: server.adminA)
            let actions = Set(audit.data.compactMap { $0["action"] as? String })
            #expect(actions.isSuperset(of: ["wallet.import", "policy.set", "sign.decision", "sign.approval", "sign.signature"]))
            #expect(!actions.contains("approver.add") && !actions.contains("vault.init"))
            #expect(audit.data.contains { $0["subject"] as? String == "big" })
            let verify = try await client.call(.get, "/v1/audit/verify", key: server.adminA)
            #expect(verify.json["intact"] as? Bool == true)
            #expect(try await client.call(.get, "/v1/audit", key: server.readerA).status == 403)
        }
    }

    /// A batch intent over HTTP: the view shows its outputs and total; an Ethereum payload makes
    /// one payment, so a batch of one matches it and a batch of two does not.
    @Test func batchIntentsAreShownWithTheirOutputs() async throws {
        try await VaultFixture.run(.sqlite) { server in
            let client = server.api
            _ = try await client.call(.post, "/v1/wallets", key: server.adminA,
                                      body: #"{"name":"hot","source":"private-key","curve":"secp256k1","private_key":"\#(Known.privateKey)"}"#)
            #expect(try await client.call(.put, "/v1/policies/hot", key: server.adminA,
                                          body: #"{"rules":[{"type":"max_per_transaction","asset":"ETH","amount":"1000"}]}"#).status == 200)
            func batch(_ id: String, _ outputs: String) -> String {
                Self.request(id: id, wallet: "hot", value: "700").replacingOccurrences(
                    of: #""destination":"\#(Self.alice)","asset":"ETH","amount":"700""#, with: #""outputs":[\#(outputs)],"asset":"ETH""#)
            }
            let one = try await client.call(.post, "/v1/signing-requests", key: server.adminA, body: batch("b1", #"{"destination":"\#(Self.alice)","amount":"700"}"#))
            #expect(one.status == 201 && one.json["status"] as? String == "signed", "\(one.json)")
            let intent = try #require(one.json["intent"] as? [String: Any])
            #expect(intent["destination"] is NSNull && intent["amount"] as? String == "700")
            #expect((intent["outputs"] as? [[String: String]]) == [["destination": Self.alice, "amount": "700"]])
            let two = try await client.call(.post, "/v1/signing-requests", key: server.adminA,
                                            body: batch("b2", #"{"destination":"\#(Self.alice)","amount":"700"},{"destination":"\#(Self.alice)","amount":"1"}"#))
            #expect(two.json["status"] as? String == "denied" && two.json["rule"] as? String == "intent-mismatch", "\(two.json)")
            #expect((two.json["intent"] as? [String: Any])?["amount"] as? String == "701")
            let mixed = try await client.call(.post, "/v1/signing-requests", key: server.adminA,
                                              body: Self.request(id: "b3", wallet: "hot", value: "700").replacingOccurrences(of: #""fee""#, with: #""outputs":[],"fee""#))
            #expect(mixed.status == 400 && "\(mixed.json)".contains("not both"), "\(mixed.json)")
        }
    }
}
