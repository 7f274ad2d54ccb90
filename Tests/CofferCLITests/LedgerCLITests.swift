import Foundation
import Testing
import CofferTestSupport

/// `coffer ledger` exactly as the issue's contract states it.
struct LedgerCLITests {
    struct Sandbox {
        let environment: [String: String]
        let directory: String

        init() throws {
            directory = TemporaryPaths.make("coffer-ledger-cli").path
            environment = ["COFFER_DATA_DIR": directory]
        }

        @discardableResult
        func run(_ arguments: [String], stdin: String? = nil) throws -> CofferProcess.Result {
            try CofferProcess.run(["ledger"] + arguments, stdin: stdin, environment: environment)
        }

        func expectRejected(_ arguments: [String], stdin: String? = nil, mentioning words: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
            try CofferProcess.expectRejected(["ledger"] + arguments, stdin: stdin, mentioning: words, environment: environment, sourceLocation: sourceLocation)
        }

        func setUp() throws {
            #expect(try run(["asset", "create", "--code", "USDT", "--decimals", "6"]).stdout
                == #"{"code":"USDT","decimals":6,"chain":null,"contract":null,"result":"created"}"# + "\n")
            #expect(try run(["account", "create", "--id", "acct-a", "--asset", "USDT"]).status == 0)
            #expect(try run(["account", "create", "--id", "acct-b", "--asset", "USDT", "--owner", "alice"]).status == 0)
            #expect(try run(["account", "create", "--id", "acct-c", "--asset", "USDT", "--flags", "debits-must-not-exceed-credits"]).status == 0)
        }

        func balance(_ id: String, at: String? = nil) throws -> String {
            try run(["balance", id] + (at.map { ["--at", $0] } ?? [])).stdout
        }
    }

    static let t1 = #"{"id":"t1","debit":"acct-a","credit":"acct-b","amount":"1500000","asset":"USDT","reference":"order-77"}"#

    @Test func transferBalanceAndVerify() throws {
        let sandbox = try Sandbox()
        try sandbox.setUp()
        let input = [
            Self.t1,
            #"{"id":"t2","debit":"acct-c","credit":"acct-a","amount":"1","asset":"USDT"}"#,
            #"{"id":"t0","debit":"acct-a","credit":"acct-b","amount":"10","asset":"USDT","flags":["pending"],"timeout":30}"#,
            #"{"id":"t3","pending_id":"t0","flags":["post_pending"],"amount":"4"}"#,
            Self.t1,
            #"{"id":"t1","debit":"acct-a","credit":"acct-b","amount":"1500001","asset":"USDT","reference":"order-77"}"#,
        ].joined(separator: "\n") + "\n"
        let result = try sandbox.run(["transfer"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdoutLines
        #expect(lines.count == 6)
        #expect(lines.first == #"{"id":"t1","result":"created","message":null}"#)
        #expect(lines.dropFirst().first?.hasPrefix(#"{"id":"t2","result":"exceeds_credits","message":"#) == true)
        #expect(lines.dropFirst(2).first == #"{"id":"t0","result":"created","message":null}"#)
        #expect(lines.dropFirst(3).first == #"{"id":"t3","result":"created","message":null}"#)
        #expect(lines.dropFirst(4).first == #"{"id":"t1","result":"exists","message":null}"#)
        #expect(lines.dropFirst(5).first?.hasPrefix(#"{"id":"t1","result":"exists_with_different_amount""#) == true)
        #expect(try sandbox.balance("acct-b") == #"{"id":"acct-b","asset":"USDT","at":null,"debits_posted":"0","credits_posted":"1500004","#
            + #""debits_pending":"0","credits_pending":"0","display":{"debits_posted":"0.000000","credits_posted":"1.500004","#
            + #""debits_pending":"0.000000","credits_pending":"0.000000"}}"# + "\n")
        let past = try sandbox.balance("acct-b", at: "2000-01-01T00:00:00Z")
        #expect(past.hasPrefix(#"{"id":"acct-b","asset":"USDT","at":"2000-01-01T00:00:00"#), "\(past)")
        #expect(past.hasSuffix(#"Z","debits_posted":"0","credits_posted":"0","debits_pending":"0","credits_pending":"0","display":{"debits_posted":"0.000000","#
            + #""credits_posted":"0.000000","debits_pending":"0.000000","credits_pending":"0.000000"}}"# + "\n"), "\(past)")
        let verify = try sandbox.run(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains(#""intact":true"#) && verify.stdout.contains(#""transfers":3"#), "\(verify.stderr)")
    }

    @Test func idempotentSetUp() throws {
        let sandbox = try Sandbox()
        try sandbox.setUp()
        #expect(try sandbox.run(["asset", "create", "--code", "USDT", "--decimals", "6"]).stdout.contains(#""result":"exists""#))
        #expect(try sandbox.run(["account", "create", "--id", "acct-a", "--asset", "USDT"]).stdout.contains(#""result":"exists""#))
        try sandbox.expectRejected(["asset", "create", "--code", "USDT", "--decimals", "2"], mentioning: ["USDT"])
        try sandbox.expectRejected(["account", "create", "--id", "acct-b", "--asset", "USDT"], mentioning: ["acct-b", "owner"])
        try sandbox.expectRejected(["account", "create", "--id", "acct-z", "--asset", "EUR"], mentioning: ["EUR"])
        try sandbox.expectRejected(["account", "create", "--id", "bad id", "--asset", "USDT"], mentioning: ["bad id"])
        try sandbox.expectRejected(["account", "create", "--id", "acct-z", "--asset", "USDT", "--flags", "sometimes"], mentioning: ["sometimes"])
        try sandbox.expectRejected(["asset", "create", "--code", "BIG", "--decimals", "31"], mentioning: ["30"])
    }

    @Test func badInputWritesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.setUp()
        let cases: [(String, String)] = [
            (#"{"id":"x","debit":"acct-a","credit":"acct-b","amount":"-1","asset":"USDT"}"#, "amount"),
            (#"{"id":"x","debit":"acct-a","credit":"acct-b","amount":"1.5","asset":"USDT"}"#, "amount"),
            (#"{"id":"x","debit":"acct-a","credit":"acct-b","amount":"abc","asset":"USDT"}"#, "amount"),
            (#"{"id":"x","debit":"acct-a","credit":"acct-b","amount":"340282366920938463463374607431768211456","asset":"USDT"}"#, "2^128-1"),
            (#"{"id":"x","debit":"acct-a","credit":"acct-b","amount":1,"asset":"USDT"}"#, "amount"),
            (#"{"id":"x","debit":"acct-a","credit":"acct-b","amount":"1","asset":"USDT","memo":"hi"}"#, "memo"),
            (#"{"id":"bad id","debit":"acct-a","credit":"acct-b","amount":"1","asset":"USDT"}"#, "id"),
            (#"{"id":"x","debit":"acct-a","credit":"acct-b","amount":"1","asset":"USDT","flags":["maybe"]}"#, "maybe"),
            (#"{"id":"x","debit":"acct-a","credit":"acct-b","amount":"1","asset":"USDT","timeout":-1}"#, "timeout"),
            (#"{"id":"x","debit":"acct-a","credit":"acct-b","amount":"1","asset":"USDT","timeout":true}"#, "timeout"),
            ("not json", "line 2"),
            ("", "no transfers"),
        ]
        for (line, word) in cases {
            // A valid first line proves that nothing at all is written when a later line is unusable.
            let input = line.isEmpty ? "\n" : Self.t1 + "\n" + line + "\n"
            try sandbox.expectRejected(["transfer"], stdin: input, mentioning: [word])
        }
        #expect(try sandbox.balance("acct-b").contains(#""credits_posted":"0""#))
        #expect(try sandbox.run(["verify"]).stdout.contains(#""batches":0"#))
        try sandbox.expectRejected(["balance", "nobody"], mentioning: ["nobody"])
        try sandbox.expectRejected(["balance", "acct-a", "--at", "yesterday"], mentioning: ["RFC 3339"])
    }
}

extension LedgerCLITests {
    /// More lines than one batch holds: split into batches, results still one per line in order.
    @Test func inputLargerThanOneBatch() throws {
        let sandbox = try Sandbox()
        try sandbox.setUp()
        let count = 8_003
        let input = (0..<count).map { #"{"id":"t\#($0)","debit":"acct-a","credit":"acct-b","amount":"1","asset":"USDT"}"# }.joined(separator: "\n")
        let result = try sandbox.run(["transfer"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.count == count)
        #expect(result.stdoutLines.last == #"{"id":"t8002","result":"created","message":null}"#)
        #expect(try sandbox.balance("acct-b").contains(#""credits_posted":"8003""#))
        #expect(try sandbox.run(["verify"]).stdout.contains(#""batches":2"#))
    }
}
