import CofferStorage
import Foundation
import GRDB
import Testing
import Vault
import WalletCore

struct AuditLogTests {
    static func vaultWithHistory() async throws -> TemporaryVault {
        let temporary = try await TemporaryVault()
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        for i in 0..<5 { _ = try await unlocked.addWallet(name: "w\(i)", secret: .seed(Envelope.randomKey()), origin: "random") }
        try await unlocked.audit(AuditEvent(actor: "test", action: "sign", subject: "w1", requestHash: "ab", outcome: "ok"))
        return temporary
    }

    static func verify(_ temporary: TemporaryVault) async throws -> AuditVerification {
        AuditChain.verify(try await temporary.vault.auditRecords())
    }

    static func dropGuards(_ temporary: TemporaryVault) async throws {
        try await temporary.database.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete")
        }
    }

    @Test func intactChainVerifies() async throws {
        let temporary = try await Self.vaultWithHistory()
        guard case .intact(let count, let head) = try await Self.verify(temporary) else { Issue.record("broken"); return }
        #expect(count == 7)
        #expect(head == (try await temporary.vault.auditRecords().last?.hash))
    }

    @Test func databaseRefusesUpdatesAndDeletes() async throws {
        let temporary = try await Self.vaultWithHistory()
        await #expect(throws: (any Error).self) { try await temporary.database.pool.write { try $0.execute(sql: "UPDATE audit_log SET outcome = 'x' WHERE seq = 2") } }
        await #expect(throws: (any Error).self) { try await temporary.database.pool.write { try $0.execute(sql: "DELETE FROM audit_log WHERE seq = 2") } }
    }

    @Test func alterationIsFound() async throws {
        for column in ["actor", "action", "subject", "request_hash", "outcome", "detail", "recorded_at"] {
            let temporary = try await Self.vaultWithHistory()
            try await Self.dropGuards(temporary)
            try await temporary.database.pool.write { try $0.execute(sql: "UPDATE audit_log SET \(column) = 'forged' WHERE seq = 4") }
            #expect(try await Self.verify(temporary) == .broken(seq: 4, reason: "record 4 was altered: its contents do not match its hash"), "\(column)")
        }
    }

    @Test func rehashedForgeryBreaksTheNextLink() async throws {
        let temporary = try await Self.vaultWithHistory()
        try await Self.dropGuards(temporary)
        let record = try await temporary.vault.auditRecords()[2]
        let forgedHash = AuditRecord.computeHash(
            seq: record.seq, recordedAt: record.recordedAt, actor: record.actor, action: "forged", subject: record.subject,
            requestHash: record.requestHash, outcome: record.outcome, detail: record.detail, previousHash: record.previousHash)
        try await temporary.database.pool.write {
            try $0.execute(sql: "UPDATE audit_log SET action = 'forged', hash = ? WHERE seq = 3", arguments: [Data(forgedHash)])
        }
        guard case .broken(let seq, _) = try await Self.verify(temporary) else { Issue.record("not detected"); return }
        #expect(seq == 4)
    }

    @Test func removalAndReorderAreFound() async throws {
        let removed = try await Self.vaultWithHistory()
        try await Self.dropGuards(removed)
        try await removed.database.pool.write { try $0.execute(sql: "DELETE FROM audit_log WHERE seq = 3") }
        #expect(try await Self.verify(removed) == .broken(seq: 4, reason: "record 3 is missing (removed)"))

        let reordered = try await Self.vaultWithHistory()
        try await Self.dropGuards(reordered)
        try await reordered.database.pool.write { db in
            try db.execute(sql: "UPDATE audit_log SET seq = 100 WHERE seq = 3")
            try db.execute(sql: "UPDATE audit_log SET seq = 3 WHERE seq = 4")
            try db.execute(sql: "UPDATE audit_log SET seq = 4 WHERE seq = 100")
        }
        guard case .broken(let seq, _) = try await Self.verify(reordered) else { Issue.record("not detected"); return }
        #expect(seq == 3)
    }
}
