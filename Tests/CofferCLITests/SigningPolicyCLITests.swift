import Foundation
import Testing

/// Policy-checked signing through the CLI: approvers, policy, request, approvals, status, audit.
struct SigningPolicyCLITests {
    @Test func requestApproveSign() throws {
        let sandbox = try VaultCLITests.Sandbox()
        try sandbox.run(["vault", "init"])
        let imported = try sandbox.run(["wallet", "import", "--name", "hot", "--from", "private-key", "--curve", "secp256k1"],
                                       stdin: "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
        #expect(imported.status == 0, "\(imported.stderr)")
        var publicKeys: [String: String] = [:]
        for approver in ["alice", "bob"] {
            let keygen = try CofferProcess.run(["approver", "keygen", "--out", sandbox.directory + "/\(approver).key"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(keygen.stdout.utf8)) as? [String: String])
            publicKeys[approver] = object["public_key"]
            let add = try CofferProcess.run(["approver", "add", "--id", approver, "--public-key", object["public_key"]!], environment: sandbox.environment)
            #expect(add.status == 0, "\(add.stderr)")
        }
        let policy = try sandbox.file("policy.json", """
            {"rules":[{"type":"approvals","name":"two-eyes","asset":"ETH","above":"1000","required":2,"approvers":["alice","bob"]}]}
            """)
        #expect(try CofferProcess.run(["policy", "set", "--file", policy], environment: sandbox.environment).stdout.hasPrefix(#"{"wallet":null,"version":1,"policy":{"#))
        let badPolicy = try sandbox.file("bad.json", #"{"rules":[{"type":"max_per_transaction","asset":"ETH","amount":"1e18"}]}"#)
        try CofferProcess.expectRejected(["policy", "set", "--file", badPolicy], status: 1, mentioning: ["whole number"], environment: sandbox.environment)
        let request = try sandbox.file("request.json", """
            {"id":"pay-1","intent":{"chain":"ethereum","wallet":"hot","destination":"0x1111111111111111111111111111111111111111","asset":"ETH","amount":"5000","fee":"42000"},
             "payload":{"type":"ethereum-tx","chain_id":1,"tx":{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"to":"0x1111111111111111111111111111111111111111","value":"5000","data":"0x","access_list":[]}}}
            """)
        let submitted = try sandbox.run(["sign", "request", "--file", request])
        #expect(submitted.stdout.contains("\"status\":\"pending_approval\""), "\(submitted.stdout) \(submitted.stderr)")
        let aliceKey = try String(contentsOfFile: sandbox.directory + "/alice.key", encoding: .utf8)
        let bobKey = try String(contentsOfFile: sandbox.directory + "/bob.key", encoding: .utf8)
        let wrong = try sandbox.run(["sign", "approve", "--request", "pay-1", "--approver", "bob"], stdin: aliceKey)
        #expect(wrong.status == 1 && wrong.stderr.contains("does not verify"))
        let first = try sandbox.run(["sign", "approve", "--request", "pay-1", "--approver", "alice"], stdin: aliceKey)
        #expect(first.stdout.contains("\"approvals_received\":1"), "\(first.stdout) \(first.stderr)")
        let second = try sandbox.run(["sign", "approve", "--request", "pay-1", "--approver", "bob"], stdin: bobKey)
        #expect(second.stdout.contains("\"status\":\"signed\""), "\(second.stdout) \(second.stderr)")
        #expect(second.stdout.contains("\"from\":\"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\""))
        let status = try CofferProcess.run(["sign", "status", "--request", "pay-1"], environment: sandbox.environment)
        #expect(status.stdout == second.stdout)
        #expect(!second.stdout.contains(aliceKey.trimmingCharacters(in: .whitespacesAndNewlines)))
        let audit = try CofferProcess.run(["audit", "export"], environment: sandbox.environment)
        for action in ["policy.set", "approver.add", "sign.decision", "sign.approval", "sign.signature"] {
            #expect(audit.stdout.contains("\"action\":\"\(action)\""), "\(action)")
        }
        #expect(try CofferProcess.run(["audit", "verify"], environment: sandbox.environment).status == 0)
    }

    /// A batch intent through `coffer sign request` and `coffer sign status`: the approval
    /// threshold applies to each payment, the view shows the outputs and the total.
    @Test func batchRequest() throws {
        let sandbox = try VaultCLITests.Sandbox()
        try sandbox.run(["vault", "init"])
        #expect(try sandbox.run(["wallet", "import", "--name", "hot", "--from", "private-key", "--curve", "secp256k1"],
                                stdin: "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318").status == 0)
        let policy = try sandbox.file("policy.json", #"{"rules":[{"type":"max_per_transaction","asset":"ETH","amount":"4999"}]}"#)
        #expect(try CofferProcess.run(["policy", "set", "--file", policy], environment: sandbox.environment).status == 0)
        let to = "0x1111111111111111111111111111111111111111"
        func request(_ id: String, outputs: String) throws -> String {
            try sandbox.file("\(id).json", """
                {"id":"\(id)","intent":{"chain":"ethereum","wallet":"hot","outputs":[\(outputs)],"asset":"ETH","fee":"42000"},
                 "payload":{"type":"ethereum-tx","chain_id":1,"tx":{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"to":"\(to)","value":"5000","data":"0x","access_list":[]}}}
                """)
        }
        let capped = try sandbox.run(["sign", "request", "--file", try request("batch-1", outputs: #"{"destination":"\#(to)","amount":"5000"}"#)])
        #expect(capped.stdout.contains(#""status":"denied""#) && capped.stdout.contains(#""rule":"max_per_transaction#1""#), "\(capped.stdout) \(capped.stderr)")
        #expect(capped.stdout.contains(#""intent":{"chain":"ethereum","destination":null,"asset":"ETH","amount":"5000","outputs":[{"destination":"\#(to)","amount":"5000"}]"#),
                "\(capped.stdout)")
        let status = try CofferProcess.run(["sign", "status", "--request", "batch-1"], environment: sandbox.environment)
        #expect(status.stdout == capped.stdout)
        try CofferProcess.expectRejected(["sign", "request", "--file", try request("batch-2", outputs: "")], status: 1,
                                         mentioning: [#""outputs" must list 1 to 10000 payments, got 0"#], environment: sandbox.environment)
    }
}

