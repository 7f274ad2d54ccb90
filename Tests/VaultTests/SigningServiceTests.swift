import CofferBase
import Crypto
import Foundation
import Testing
import Vault
import WalletCore

struct SigningServiceTests {
    static let keyHex = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
    static let alice = "0x1111111111111111111111111111111111111111"
    static let usdt = "0xdAC17F958D2ee523a2206206994597C13D831ec7"

    struct Fixture {
        let temporary: TemporaryVault
        let service: SigningService
        let unlocked: UnlockedVault
        let approverKeys: [String: Curve25519.Signing.PrivateKey]

        init(policy: String?) async throws {
            temporary = try await TemporaryVault()
            let store = SigningStore(database: temporary.database)
            service = SigningService(vault: temporary.vault, store: store, signers: [EthereumTransactionPayloadSigner()])
            unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
            _ = try await unlocked.addWallet(name: "hot", secret: .privateKey(SecretBytes(hex(SigningServiceTests.keyHex)), curve: .secp256k1), origin: "test")
            var keys: [String: Curve25519.Signing.PrivateKey] = [:]
            for id in ["a", "b", "c", "outsider"] {
                let key = Curve25519.Signing.PrivateKey()
                keys[id] = key
                try await store.addApprover(id: id, publicKey: Array(key.publicKey.rawRepresentation),
                                      audit: AuditEvent(actor: "test", action: "approver.add", subject: id, outcome: "ok"), at: VaultClock.format(Date()))
            }
            approverKeys = keys
            if let policy {
                _ = try await store.setPolicy(document: policy, actor: "test", audit: AuditEvent(actor: "test", action: "policy.set", subject: "policy", outcome: "ok"), at: VaultClock.format(Date()))
            }
        }

        func approve(_ record: SigningRequestRecord, as approver: String, signedBy signer: String? = nil) async throws -> SigningRequestRecord {
            let signature = try approverKeys[signer ?? approver]!.signature(for: ApprovalMessage.bytes(requestHash: hex(record.requestHash)))
            return try await service.approve(requestID: record.id, approverID: approver, signature: Array(signature), unlocked: unlocked)
        }
    }

    static let policy = """
        {"rules":[
          {"type":"allow_destinations","destinations":["\(alice)","\(usdt)"]},
          {"type":"max_per_transaction","asset":"ETH","amount":"10000000000000000000"},
          {"type":"rolling_limit","asset":"ETH","window":"24h","amount":"3000000000000000000"},
          {"type":"approvals","name":"big","asset":"ETH","above":"1000000000000000000","required":2,"approvers":["a","b","c"]}
        ]}
        """

    /// gas 21,000 × max_fee_per_gas 30 gwei: the most the test transaction can pay, in wei.
    static let maximumFee = "630000000000000"

    static func request(
        id: String, to: String = alice, intentTo: String? = nil, value: String, intentAmount: String? = nil, nonce: Int = 0, fee: String = maximumFee
    ) throws -> SigningRequestDocument {
        try SigningRequestDocument(json: Array("""
            {"id":"\(id)","intent":{"chain":"ethereum","wallet":"hot","destination":"\(intentTo ?? to)","asset":"ETH","amount":"\(intentAmount ?? value)","fee":"\(fee)"},
             "payload":{"type":"ethereum-tx","chain_id":1,"tx":{"type":2,"nonce":\(nonce),"max_priority_fee_per_gas":"1000000000","max_fee_per_gas":"30000000000","gas":21000,"to":"\(to)","value":"\(value)","data":"0x","access_list":[]}}}
            """.utf8))
    }

    @Test func allowedRequestIsSignedExactlyOnceAndIdempotent() async throws {
        let fixture = try await Fixture(policy: Self.policy)
        let document = try Self.request(id: "r1", value: "500000000000000000")
        let record = try await fixture.service.submit(document, unlocked: fixture.unlocked)
        #expect(record.status == .signed)
        let direct = try EthereumTransaction(json: Array(#"{"type":2,"nonce":0,"max_priority_fee_per_gas":"1000000000","max_fee_per_gas":"30000000000","gas":21000,"to":"0x1111111111111111111111111111111111111111","value":"500000000000000000","data":"0x","access_list":[]}"#.utf8), chainID: EthereumQuantity(1))
            .signed(with: Secp256k1.PrivateKey(hex(Self.keyHex)))
        #expect(record.result == .ethereumTx(EthereumSigningResult(direct)))
        #expect(record.result?.wire == ["type": "ethereum-tx", "raw": "0x" + Hex.encode(direct.raw), "hash": "0x" + Hex.encode(direct.hash),
                                        "from": "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"])
        let again = try await fixture.service.submit(document, unlocked: fixture.unlocked)
        #expect(again == record)
        await #expect(throws: PolicyError.self) { try await fixture.service.submit(try Self.request(id: "r1", value: "1"), unlocked: fixture.unlocked) }
        let signatures = try await fixture.temporary.vault.auditRecords().filter { $0.action == "sign.signature" }
        #expect(signatures.count == 1)
    }

    @Test func payloadMustMatchIntent() async throws {
        let fixture = try await Fixture(policy: Self.policy)
        let redirected = try await fixture.service.submit(
            try Self.request(id: "m1", to: "0x2222222222222222222222222222222222222222", intentTo: Self.alice, value: "1"), unlocked: fixture.unlocked)
        #expect(redirected.status == .denied && redirected.decision.rule == "intent-mismatch")
        let inflated = try await fixture.service.submit(try Self.request(id: "m2", value: "2", intentAmount: "1"), unlocked: fixture.unlocked)
        #expect(inflated.status == .denied && inflated.decision.rule == "intent-mismatch")
        #expect(inflated.result == nil)
    }

    @Test func erc20TransferIsDecoded() async throws {
        let fixture = try await Fixture(policy: Self.policy)
        let data = "0xa9059cbb" + String(repeating: "0", count: 24) + "1111111111111111111111111111111111111111" + String(repeating: "0", count: 56) + "05f5e100"
        let document = try SigningRequestDocument(json: Array("""
            {"id":"t1","intent":{"chain":"ethereum","wallet":"hot","destination":"\(Self.alice)","asset":"USDT","amount":"100000000","fee":"120000","token_contract":"\(Self.usdt)"},
             "payload":{"type":"ethereum-tx","chain_id":1,"tx":{"type":2,"nonce":1,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":60000,"to":"\(Self.usdt)","value":"0","data":"\(data)","access_list":[]}}}
            """.utf8))
        #expect(try await fixture.service.submit(document, unlocked: fixture.unlocked).status == .signed)
        let claimedNative = try SigningRequestDocument(json: Array(String(decoding: document.canonicalJSON, as: UTF8.self)
            .replacingOccurrences(of: "\"id\":\"t1\"", with: "\"id\":\"t2\"").replacingOccurrences(of: ",\"token_contract\":\"\(Self.usdt)\"", with: "").utf8))
        #expect(try await fixture.service.submit(claimedNative, unlocked: fixture.unlocked).decision.rule == "intent-mismatch")
    }

    @Test func approvalsAreCountedOnceAndOnlyFromApprovers() async throws {
        let fixture = try await Fixture(policy: Self.policy)
        let pending = try await fixture.service.submit(try Self.request(id: "big", value: "2000000000000000000"), unlocked: fixture.unlocked)
        #expect(pending.status == .pendingApproval && pending.decision.approvalsRequired == 2)
        await #expect(throws: PolicyError.self) { try await fixture.approve(pending, as: "mallory", signedBy: "a") }   // not registered
        await #expect(throws: PolicyError.self) { try await fixture.approve(pending, as: "b", signedBy: "a") }         // wrong key
        let other = try await fixture.service.submit(try Self.request(id: "other", value: "2000000000000000001"), unlocked: nil)
        let signatureForOther = try fixture.approverKeys["a"]!.signature(for: ApprovalMessage.bytes(requestHash: hex(other.requestHash)))
        await #expect(throws: PolicyError.self) {
            try await fixture.service.approve(requestID: "big", approverID: "a", signature: Array(signatureForOther), unlocked: fixture.unlocked)
        }
        let outsider = try await fixture.approve(pending, as: "outsider")   // registered, but not listed in the rule
        #expect(outsider.status == .pendingApproval && outsider.decision.approvalsReceived == 0)
        let once = try await fixture.approve(pending, as: "a")
        let twice = try await fixture.approve(pending, as: "a")
        #expect(once.status == .pendingApproval && twice.decision.approvalsReceived == 1)
        let done = try await fixture.approve(pending, as: "c")
        #expect(done.status == .signed && done.result?.wire["raw"] != nil)
        await #expect(throws: PolicyError.self) { try await fixture.approve(done, as: "b") }
        guard case .intact = AuditChain.verify(try await fixture.temporary.vault.auditRecords()) else {
            Issue.record("audit chain broken"); return
        }
        let actions = try await fixture.temporary.vault.auditRecords().map { "\($0.action):\($0.outcome)" }
        #expect(actions.filter { $0 == "sign.approval:rejected" }.count == 2)
        #expect(actions.filter { $0 == "sign.approval:accepted" }.count == 3)
    }

    @Test func rollingLimitCountsSignedRequests() async throws {
        let fixture = try await Fixture(policy: Self.policy)
        for i in 0..<3 {
            #expect(try await fixture.service.submit(try Self.request(id: "d\(i)", value: "1000000000000000000", nonce: i), unlocked: fixture.unlocked).status == .signed)
        }
        let fourth = try await fixture.service.submit(try Self.request(id: "d3", value: "1", nonce: 3), unlocked: fixture.unlocked)
        #expect(fourth.status == .denied && fourth.decision.rule == "rolling_limit#3")
    }

    @Test func noPolicyDeniesEverything() async throws {
        let fixture = try await Fixture(policy: nil)
        let record = try await fixture.service.submit(try Self.request(id: "n1", value: "1"), unlocked: fixture.unlocked)
        #expect(record.status == .denied && record.decision.rule == "no-policy")
    }

    @Test func unlockedLaterSignsAnApprovedRequest() async throws {
        let fixture = try await Fixture(policy: Self.policy)
        let document = try Self.request(id: "later", value: "1")
        #expect(try await fixture.service.submit(document, unlocked: nil).status == .approved)
        #expect(try await fixture.service.submit(document, unlocked: fixture.unlocked).status == .signed)
    }

    /// The most an Ethereum transaction can pay is gas × gas_price (types 0 and 1) or gas ×
    /// max_fee_per_gas (type 2), in wei; an intent allowing less is denied, equal is signed.
    @Test func feeAboveTheIntentIsDeniedAndEqualIsSigned() async throws {
        let fixture = try await Fixture(policy: Self.policy)
        let above = try await fixture.service.submit(try Self.request(id: "f1", value: "1", fee: "629999999999999"), unlocked: fixture.unlocked)
        #expect(above.status == .denied && above.decision.rule == "intent-mismatch")
        #expect(above.decision.reason == "the payload may pay a fee of up to 630000000000000 wei, but the intent allows at most 629999999999999 wei")
        #expect(try await fixture.service.submit(try Self.request(id: "f2", value: "1"), unlocked: fixture.unlocked).status == .signed)
        func legacy(_ id: String, fee: String) throws -> SigningRequestDocument {
            try SigningRequestDocument(json: Array("""
                {"id":"\(id)","intent":{"chain":"ethereum","wallet":"hot","destination":"\(Self.alice)","asset":"ETH","amount":"7","fee":"\(fee)"},
                 "payload":{"type":"ethereum-tx","chain_id":1,"tx":{"type":0,"nonce":"0x7","gas_price":"20000000000","gas":"0x5208","to":"\(Self.alice)","value":"7"}}}
                """.utf8))
        }
        #expect(try await fixture.service.submit(try legacy("f3", fee: "419999999999999"), unlocked: fixture.unlocked).decision.rule == "intent-mismatch")
        #expect(try await fixture.service.submit(try legacy("f4", fee: "420000000000000"), unlocked: fixture.unlocked).status == .signed)
    }

    @Test func intentWithoutAFeeIsRefusedNamingIt() throws {
        #expect {
            try SigningRequestDocument(json: Array("""
                {"id":"n1","intent":{"chain":"ethereum","wallet":"hot","destination":"\(Self.alice)","asset":"ETH","amount":"1"},
                 "payload":{"type":"ethereum-tx","chain_id":1,"tx":{"type":0,"nonce":0,"gas_price":"1","gas":21000,"to":"\(Self.alice)","value":"1"}}}
                """.utf8))
        } throws: { error in
            (error as? PolicyError)?.description == "intent: \"fee\" is required"
        }
    }
}
