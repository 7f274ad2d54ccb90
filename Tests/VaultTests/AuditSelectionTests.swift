import CofferTestSupport
import Foundation
import Testing
import Vault
import WalletCore

/// Paging the audit log for one reader selects in SQL exactly what `AuditSelection.admits` says,
/// on either database, including ids with `_` and `%`, which a LIKE pattern would have taken for
/// wildcards, and both subject prefixes a tenant's view admits (`<tenant>:` before the
/// tenant-scoping migration, `<tenant>/` after it).
struct AuditSelectionTests {
    @Test(arguments: TestEngine.all) func sqlSelectionMatchesTheRuleAcrossPages(engine: TestEngine) async throws {
        let temporary = try await TemporaryVault(engine)
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let tenants = ["t_1", "tx1", "t%1", "t_10", "other"]
        var random = SystemRandomNumberGenerator()
        for index in 0..<300 {
            let tenant = tenants.randomElement(using: &random)!
            let subject = [
                "\(tenant):req-\(index)", "\(tenant)/req-\(index)", "wallet-\(Int.random(in: 0..<6, using: &random))", "\(tenant)x:req",
                "plain-\(index)",
            ].randomElement(using: &random)!
            let actor = ["api:\(tenant)/key\(index % 3)", "operator", "api:\(tenant)"].randomElement(using: &random)!
            try await unlocked.audit(AuditEvent(actor: actor, action: "test", subject: subject, outcome: "ok"))
        }
        let all = try await temporary.vault.auditRecords()
        for tenant in tenants {
            let selection = AuditSelection(subjects: ["wallet-1", "wallet-4"], subjectPrefixes: ["\(tenant):", "\(tenant)/"], actorPrefix: "api:\(tenant)/")
            for limit in [1, 7, 1000] {
                var paged: [AuditRecord] = []
                var after: Int64 = 0
                while true {
                    let page = try await temporary.vault.auditRecords(after: after, limit: limit, selecting: selection)
                    #expect(page.count <= limit)
                    paged += page
                    guard page.count == limit, let last = page.last else { break }
                    after = last.seq
                }
                #expect(paged == all.filter(selection.admits), "tenant \(tenant), limit \(limit)")
            }
        }
        let none = AuditSelection(subjects: [], subjectPrefixes: ["nobody:"], actorPrefix: "api:nobody/")
        #expect(try await temporary.vault.auditRecords(after: 0, limit: 100, selecting: none).isEmpty)
    }
}
