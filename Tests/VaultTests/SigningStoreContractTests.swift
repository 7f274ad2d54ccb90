import CofferBase
import CofferStorage
import CofferTestSupport
import Foundation
import Testing
import WalletCore
// Signing request records are built here as `SigningService` builds them (their initialiser is internal).
@testable import Vault

/// The signing store's contract on both databases, with two processes where it matters:
/// policies and their versions, approvers, requests stored once, approvals once per approver,
/// a signature stored exactly once, and the spent totals rolling limits read.
struct SigningStoreContractTests {
    static let time = "2026-01-01T00:00:00.000Z"

    static func event(_ action: String, _ subject: String = "x") -> AuditEvent {
        AuditEvent(actor: "test", action: action, subject: subject, outcome: "ok")
    }

    static func record(_ id: String, wallet: String = "wallet-1", status: SigningRequestRecord.Status = .approved, hash: String = "00") -> SigningRequestRecord {
        SigningRequestRecord(
            id: id, requestHash: hash, document: #"{"id":"\#(id)"}"#, walletID: wallet, status: status,
            decision: PolicyDecision(outcome: status == .approved ? .allowed : .pendingApproval, rule: "default", reason: "test",
                                     approvalsRequired: 0, approvalsReceived: 0),
            result: nil)
    }

    static let result = SigningResult.ethereumTx(EthereumSigningResult(raw: [0x02, 0xf8, 0x6b], from: "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"))

    /// Two signing stores on one database, as two processes have, and the vault's audit chain.
    struct Stores {
        let first: TemporaryVault
        let second: TemporaryVault
        var stores: [SigningStore] { [SigningStore(database: first.storage.database), SigningStore(database: second.storage.database)] }

        init(_ engine: TestEngine) async throws {
            first = try await TemporaryVault(engine)
            second = try await first.reopened()
        }

        func auditIsIntact() async throws -> Bool {
            if case .intact = AuditChain.verify(try await first.vault.auditRecords()) { return true }
            return false
        }
    }

    @Test(arguments: TestEngine.all) func policiesAreVersionedVaultWideAndPerWallet(engine: TestEngine) async throws {
        let setup = try await Stores(engine)
        let store = setup.stores[0]
        #expect(try await store.currentPolicy() == nil)
        #expect(try await store.policy(forWallet: "w1") == nil)
        #expect(try await store.setPolicy(document: "vault-1", actor: "test", audit: Self.event("policy.set"), at: Self.time) == 1)
        #expect(try await store.setPolicy(document: "vault-2", actor: "test", audit: Self.event("policy.set"), at: Self.time) == 2)
        #expect(try await store.currentPolicy().map { "\($0.version) \($0.document)" } == "2 vault-2")
        #expect(try await store.walletPolicy(walletID: "w1") == nil)
        #expect(try await store.policy(forWallet: "w1").map { "\($0.version) \($0.document)" } == "2 vault-2")
        #expect(try await store.setWalletPolicy(walletID: "w1", document: "w1-1", actor: "test", audit: Self.event("policy.set", "w1"), at: Self.time) == 1)
        #expect(try await store.setWalletPolicy(walletID: "w1", document: "w1-2", actor: "test", audit: Self.event("policy.set", "w1"), at: Self.time) == 2)
        #expect(try await store.setWalletPolicy(walletID: "w2", document: "w2-1", actor: "test", audit: Self.event("policy.set", "w2"), at: Self.time) == 1)
        #expect(try await store.walletPolicy(walletID: "w1").map { "\($0.version) \($0.document) \($0.createdAt)" } == "2 w1-2 \(Self.time)")
        #expect(try await store.policy(forWallet: "w1").map { "\($0.version) \($0.document)" } == "2 w1-2")
        #expect(try await store.policy(forWallet: "w3").map { "\($0.version) \($0.document)" } == "2 vault-2")
        // Versions are given out under the audit lock: concurrent writers in two processes get
        // distinct, consecutive versions, and each is audited with its number.
        let versions = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await setup.stores[index % 2].setPolicy(document: "concurrent-\(index)", actor: "test", audit: Self.event("policy.set"), at: Self.time)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(versions.sorted() == Array(3...10))
        let details = try await setup.first.vault.auditRecords().filter { $0.action == "policy.set" && $0.subject == "x" }.map(\.detail)
        #expect(details == (1...10).map { "version \($0)" })
        #expect(try await setup.auditIsIntact())
    }

    @Test(arguments: TestEngine.all) func approversAreRegisteredOnce(engine: TestEngine) async throws {
        let setup = try await Stores(engine)
        let store = setup.stores[0]
        try await store.addApprover(id: "b", publicKey: [2, 2], audit: Self.event("approver.add", "b"), at: Self.time)
        try await store.addApprover(id: "a", publicKey: [1, 1], audit: Self.event("approver.add", "a"), at: Self.time)
        for (id, key) in [("a", [UInt8]([9, 9])), ("c", [1, 1])] {
            await #expect {
                try await setup.stores[1].addApprover(id: id, publicKey: key, audit: Self.event("approver.add", id), at: Self.time)
            } throws: { error in
                (error as? PolicyError)?.code == "approver-exists"
            }
        }
        let approvers = try await store.approvers()
        #expect(approvers.map(\.id) == ["a", "b"] && approvers.map(\.publicKey) == [[1, 1], [2, 2]])
        #expect(try await setup.first.auditActions().filter { $0 == "approver.add:ok" }.count == 2)
    }

    /// A request id is stored once: a second insert, even of a different record and from another
    /// process at the same time, returns the stored one and audits nothing.
    @Test(arguments: TestEngine.all) func aRequestIsInsertedOnce(engine: TestEngine) async throws {
        let setup = try await Stores(engine)
        let stored = try await withThrowingTaskGroup(of: SigningRequestRecord.self) { group in
            for index in 0..<6 {
                group.addTask {
                    try await setup.stores[index % 2].insert(Self.record("r1", hash: "hash-\(index)"), asset: "ETH", amount: UInt128(index + 1),
                                                             audit: Self.event("sign.decision", "r1"), at: Self.time)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let kept = try #require(try await setup.stores[0].request("r1"))
        #expect(stored.allSatisfy { $0 == kept }, "\(stored.map(\.requestHash))")
        #expect(kept.status == .approved && kept.result == nil && kept.decision.rule == "default")
        #expect(try await setup.first.auditActions().filter { $0 == "sign.decision:ok" }.count == 1)
        #expect(try await setup.stores[1].request("r2") == nil)
        #expect(try await setup.auditIsIntact())
    }

    /// Each approver's approval counts once, whoever submits it how often and at the same time.
    @Test(arguments: TestEngine.all) func approvalsAreRecordedOncePerApprover(engine: TestEngine) async throws {
        let setup = try await Stores(engine)
        let store = setup.stores[0]
        for id in ["a", "b"] { try await store.addApprover(id: id, publicKey: Array(id.utf8), audit: Self.event("approver.add", id), at: Self.time) }
        _ = try await store.insert(Self.record("r1", status: .pendingApproval), asset: "ETH", amount: 5, audit: Self.event("sign.decision", "r1"), at: Self.time)
        let inserted = try await withThrowingTaskGroup(of: (Bool, Set<String>).self) { group in
            for index in 0..<6 {
                group.addTask {
                    let result = try await setup.stores[index % 2].addApproval(
                        requestID: "r1", approverID: "a", signature: [UInt8(index)], audit: Self.event("sign.approval", "r1"), at: Self.time)
                    return (result.inserted, result.approvers)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(inserted.filter(\.0).count == 1)
        #expect(inserted.allSatisfy { $0.1 == ["a"] })
        let second = try await store.addApproval(requestID: "r1", approverID: "b", signature: [7], audit: Self.event("sign.approval", "r1"), at: Self.time)
        #expect(second.inserted && second.approvers == ["a", "b"])
        #expect(try await store.approvals(requestID: "r1").map(\.approverID).sorted() == ["a", "b"])
        #expect(try await setup.first.auditActions().filter { $0 == "sign.approval:ok" }.count == 2)
        #expect(try await setup.auditIsIntact())
    }

    /// Many callers in two processes marking one approved request signed: exactly one stores the
    /// signature (and its audit record); the request then never moves away from `signed`.
    @Test(arguments: TestEngine.all) func aSignatureIsStoredExactlyOnce(engine: TestEngine) async throws {
        let setup = try await Stores(engine)
        let store = setup.stores[0]
        _ = try await store.insert(Self.record("r1"), asset: "ETH", amount: 5, audit: Self.event("sign.decision", "r1"), at: Self.time)
        _ = try await store.insert(Self.record("pending", status: .pendingApproval), asset: "ETH", amount: 5, audit: Self.event("sign.decision", "pending"), at: Self.time)
        let marked = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<10 {
                group.addTask {
                    try await setup.stores[index % 2].markSigned(id: "r1", result: Self.result, now: 1_700_000_000, audit: Self.event("sign.signature", "r1"), at: Self.time)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(marked.filter { $0 }.count == 1)
        let signed = try #require(try await store.request("r1"))
        #expect(signed.status == .signed && signed.result == Self.result)
        #expect(try await setup.first.auditActions().filter { $0 == "sign.signature:ok" }.count == 1)
        // Only an approved request can be signed, and a signed one keeps its status.
        #expect(try await store.markSigned(id: "pending", result: Self.result, now: 1, audit: Self.event("sign.signature", "pending"), at: Self.time) == false)
        #expect(try await store.request("pending")?.status == .pendingApproval)
        try await store.updateDecision(
            id: "r1", status: .denied, decision: PolicyDecision(outcome: .denied, rule: "late", reason: "too late", approvalsRequired: 0, approvalsReceived: 0),
            audit: Self.event("sign.decision", "r1"), at: Self.time)
        #expect(try await store.request("r1") == signed)
        #expect(try await setup.auditIsIntact())
    }

    /// `spent` sums the signed amounts of one wallet and asset signed after `since`, exactly in
    /// 128 bits, and saturates instead of overflowing.
    @Test(arguments: TestEngine.all) func spentSumsSignedAmountsInTheWindow(engine: TestEngine) async throws {
        let setup = try await Stores(engine)
        let store = setup.stores[0]
        let big = UInt128.max / 3
        let requests: [(id: String, wallet: String, asset: String, amount: UInt128, signedAt: Int64?)] = [
            ("old", "w1", "ETH", 1_000, 100), ("recent-1", "w1", "ETH", big, 200), ("recent-2", "w1", "ETH", 7, 300),
            ("unsigned", "w1", "ETH", 50, nil), ("other-asset", "w1", "USDT", 60, 300), ("other-wallet", "w2", "ETH", 70, 300),
        ]
        for request in requests {
            _ = try await store.insert(Self.record(request.id, wallet: request.wallet), asset: request.asset, amount: request.amount,
                                       audit: Self.event("sign.decision", request.id), at: Self.time)
            if let signedAt = request.signedAt {
                #expect(try await store.markSigned(id: request.id, result: Self.result, now: signedAt, audit: Self.event("sign.signature", request.id), at: Self.time))
            }
        }
        #expect(try await store.spent(walletID: "w1", asset: "ETH", since: 0) == 1_000 + big + 7)
        #expect(try await store.spent(walletID: "w1", asset: "ETH", since: 100) == big + 7)
        #expect(try await store.spent(walletID: "w1", asset: "ETH", since: 300) == 0)
        #expect(try await store.spent(walletID: "w1", asset: "USDT", since: 0) == 60)
        #expect(try await store.spent(walletID: "w2", asset: "ETH", since: 0) == 70)
        #expect(try await store.spent(walletID: "w3", asset: "ETH", since: 0) == 0)
        // Three amounts of a third of 2^128 each exceed 2^128 - 1: the sum saturates.
        for id in ["big-2", "big-3"] {
            _ = try await store.insert(Self.record(id), asset: "ETH", amount: big, audit: Self.event("sign.decision", id), at: Self.time)
            #expect(try await store.markSigned(id: id, result: Self.result, now: 400, audit: Self.event("sign.signature", id), at: Self.time))
        }
        #expect(try await setup.stores[1].spent(walletID: "wallet-1", asset: "ETH", since: 0) == 2 * big)
        _ = try await store.insert(Self.record("big-4"), asset: "ETH", amount: big + 10, audit: Self.event("sign.decision", "big-4"), at: Self.time)
        #expect(try await store.markSigned(id: "big-4", result: Self.result, now: 400, audit: Self.event("sign.signature", "big-4"), at: Self.time))
        #expect(try await setup.stores[1].spent(walletID: "wallet-1", asset: "ETH", since: 0) == UInt128.max)
    }
}
