import Foundation
import Testing

/// `coffer recon correction`: an exception settled by a correction that is refused without a
/// second approver, approved by one, posted with the ledger commit, audited, and seen resolved by
/// the next run, on SQLite and PostgreSQL.
struct ReconCorrectionCLITests {
    @Test func correctionNeedsASecondApproverOnSQLite() throws { try Self.correction(.sqlite) }

    @Test(LedgerTestBackend.postgresEnabled) func correctionNeedsASecondApproverOnPostgreSQL() throws { try Self.correction(.postgres) }

    static func correction(_ kind: LedgerTestBackend.Kind) throws {
        let books = try MarketCLITests.Market(kind)
        defer { books.remove() }
        let directory = books.directory
        func file(_ name: String, _ text: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
        try books.run(["ledger", "asset", "create", "--code", "USD", "--decimals", "2"])
        try books.run(["ledger", "account", "create", "--id", "bank", "--asset", "USD"])
        try books.run(["ledger", "account", "create", "--id", "fees", "--asset", "USD"])
        try books.run(["ledger", "transfer"], stdin: #"{"id":"t1","debit":"fees","credit":"bank","amount":"12345","asset":"USD","reference":"INV-1"}"# + "\n")
        let now = Int(Date().timeIntervalSince1970)
        try books.run(["recon", "mapping", "add", "--name", "m", "--file",
                       try file("m.json", #"{"id":"id","amount":"cents","asset":{"fixed":"USD"},"time":"at","time_format":"unix","reference":"ref"}"#)])
        try books.run(["recon", "import", "--mapping", "m", "--name", "s", "--file", try file("s.csv", "id,cents,at,ref\nB1,12345,\(now),INV-1\nB2,-750,\(now),BANKFEE-12\n")])
        try books.run(["recon", "rules", "set", "--file", try file("r.json", #"[{"name":"exact","match":{"reference":"exact","amount":"exact"}}]"#)])
        let first = try books.object(["recon", "run", "--statement", "s", "--account", "bank"])
        #expect(first["exceptions"] as? Int == 1, "\(first)")
        let exception = MarketMonitorCLITests.lines(try books.run(["recon", "exceptions", "--run", first["run"] as? String ?? ""]).stdout).first ?? [:]
        #expect(exception["kind"] as? String == "missing_in_ledger" && exception["statement"] as? [String] == ["B2"], "\(exception)")
        let exceptionID = try #require(exception["id"] as? String)

        var keys: [String: String] = [:]
        for approver in ["ana", "ben"] {
            let keyFile = directory.appendingPathComponent("\(approver).key").path
            let generated = try CofferProcess.run(["approver", "keygen", "--out", keyFile])
            let publicKey = try #require((try JSONSerialization.jsonObject(with: Data(generated.stdout.utf8)) as? [String: String])?["public_key"])
            try books.run(["approver", "add", "--id", approver, "--public-key", publicKey])
            keys[approver] = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // The bank charged a fee the ledger never booked: an adjusting transfer with the bank's reference.
        let transfer = try file("fee.json", #"{"id":"corr-fee-12","debit":"bank","credit":"fees","amount":"750","asset":"USD","reference":"BANKFEE-12"}"#)
        try books.expectRejected(["recon", "correction", "propose", "--exception", exceptionID, "--file", transfer, "--reason", "bank fee",
                                  "--approver", "ana"], stdin: keys["ben"]!, mentioning: ["signature"])
        try books.expectRejected(["recon", "correction", "propose", "--exception", "99-1", "--file", transfer, "--reason", "x", "--approver", "ana"],
                                 stdin: keys["ana"]!, mentioning: ["99"])
        let proposed = try books.object(["recon", "correction", "propose", "--exception", exceptionID, "--file", transfer,
                                          "--reason", "December account fee", "--approver", "ana"], stdin: keys["ana"]!)
        #expect(proposed["status"] as? String == "proposed" && proposed["proposer"] as? String == "ana", "\(proposed)")
        #expect((proposed["approval_message"] as? String)?.hasPrefix("coffer-correction-v1:") == true)
        let id = try #require(proposed["id"] as? String)

        // Refused without a second approver: the proposer cannot approve, a forged signature does not count; nothing is posted.
        try books.expectRejected(["recon", "correction", "approve", "--id", id, "--approver", "ana"], stdin: keys["ana"]!, mentioning: ["second"])
        try books.expectRejected(["recon", "correction", "approve", "--id", id, "--approver", "ben"], stdin: keys["ana"]!, mentioning: ["signature"])
        try books.expectRejected(["ledger", "show-transfer", "corr-fee-12"], mentioning: [])
        #expect(try books.object(["recon", "correction", "show", "--id", id])["status"] as? String == "proposed")

        let approved = try books.object(["recon", "correction", "approve", "--id", id, "--approver", "ben"], stdin: keys["ben"]!)
        #expect(approved["status"] as? String == "posted" && approved["approver"] as? String == "ben" && approved["result"] as? String == "created", "\(approved)")
        #expect(try books.object(["ledger", "show-transfer", "corr-fee-12"])["amount"] as? String == "750")
        try books.expectRejected(["recon", "correction", "approve", "--id", id, "--approver", "ben"], stdin: keys["ben"]!, mentioning: ["posted"])
        let listed = MarketMonitorCLITests.lines(try books.run(["recon", "correction", "list", "--exception", exceptionID]).stdout)
        #expect(listed.count == 1 && listed.first?["id"] as? String == id)

        // The next run finds the line matched by the correction: the exception is resolved.
        let second = try books.object(["recon", "run", "--statement", "s", "--account", "bank"])
        #expect(second["exceptions"] as? Int == 0 && second["matched"] as? Int == 2, "\(second)")
        let matches = MarketMonitorCLITests.lines(try books.run(["recon", "matches", "--run", second["run"] as? String ?? ""]).stdout)
        #expect(matches.contains { $0["ledger"] as? [String] == ["corr-fee-12"] && $0["statement"] as? [String] == ["B2"] }, "\(matches)")

        // Audited, in an intact chain.
        let audit = MarketMonitorCLITests.lines(try books.run(["audit", "export"]).stdout).compactMap { $0["action"] as? String }
        #expect(audit.filter { $0.hasPrefix("recon.correction.") } == ["recon.correction.propose", "recon.correction.approve"], "\(audit)")
        try books.run(["audit", "verify"])

        // The audit export of the period: every transfer and audit record, closed by their checksum.
        let from = ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: -3_600)), to = ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: 60))
        let export = try books.run(["report", "audit", "--from", from, "--to", to]).stdout
        let exported = MarketMonitorCLITests.lines(export)
        let transfers = exported.compactMap { ($0["transfer"] as? [String: Any])?["id"] as? String }
        #expect(transfers == ["t1", "corr-fee-12"], "\(transfers)")
        let actions = exported.compactMap { ($0["record"] as? [String: Any])?["action"] as? String }
        #expect(actions.contains("recon.correction.approve") && actions.contains("approver.add"), "\(actions)")
        let checksum = try #require(exported.last)
        #expect(checksum["type"] as? String == "checksum" && checksum["transfers"] as? Int == 2 && checksum["audit_records"] as? Int == actions.count)
        let exportFile = try file("export.jsonl", export)
        #expect(try books.object(["report", "audit", "--verify", exportFile])["intact"] as? Bool == true)
        try books.expectRejected(["report", "audit", "--verify", try file("tampered.jsonl", export.replacingOccurrences(of: "corr-fee-12", with: "corr-fee-13"))],
                                 mentioning: ["checksum"])
        try books.expectRejected(["report", "audit", "--from", to, "--to", from], mentioning: ["before"])

        // A reversal proposed and withdrawn: nothing moves.
        let reversal = try books.object(["recon", "correction", "propose", "--exception", exceptionID, "--reverse", "t1", "--transfer-id", "rev-t1",
                                         "--reason", "booked twice?", "--approver", "ben"], stdin: keys["ben"]!)
        #expect(reversal["kind"] as? String == "reverse" && (reversal["transfer"] as? [String: Any])?["debit"] as? String == "bank", "\(reversal)")
        let rejected = try books.object(["recon", "correction", "reject", "--id", reversal["id"] as? String ?? "", "--approver", "ben"], stdin: keys["ben"]!)
        #expect(rejected["status"] as? String == "rejected")
        try books.expectRejected(["ledger", "show-transfer", "rev-t1"], mentioning: [])
    }
}
