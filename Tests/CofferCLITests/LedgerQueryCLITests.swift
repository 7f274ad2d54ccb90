import Foundation
import Testing

/// `coffer ledger history | transfers | totals | reverse`.
struct LedgerQueryCLITests {
    typealias Sandbox = LedgerCLITests.Sandbox

    static let transfers = [
        #"{"id":"t1","debit":"acct-a","credit":"acct-b","amount":"1500000","asset":"USDT","reference":"order-77"}"#,
        #"{"id":"t2","debit":"acct-b","credit":"acct-a","amount":"500000","asset":"USDT"}"#,
        #"{"id":"t3","debit":"acct-a","credit":"acct-b","amount":"7","asset":"USDT","reference":"order-77"}"#,
        #"{"id":"p1","debit":"acct-a","credit":"acct-b","amount":"9","asset":"USDT","flags":["pending"]}"#,
    ].joined(separator: "\n")

    static func populated() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.setUp()
        let result = try sandbox.run(["transfer"], stdin: transfers)
        #expect(result.status == 0 && result.stdoutLines.allSatisfy { $0.contains(#""result":"created""#) }, "\(result.stdout)\(result.stderr)")
        return sandbox
    }

    /// Pages through a command with `--limit`, returning the data lines and checking the cursor trailer.
    static func allPages(_ sandbox: Sandbox, _ arguments: [String], limit: Int) throws -> [Substring] {
        var lines: [Substring] = []
        var cursor: String?
        for _ in 0..<100 {
            let result = try sandbox.run(arguments + ["--limit", String(limit)] + (cursor.map { ["--cursor", $0] } ?? []))
            #expect(result.status == 0, "\(result.stderr)")
            var page = result.stdoutLines
            cursor = nil
            if let last = page.last, last.hasPrefix(#"{"next_cursor":""#) {
                cursor = String(last.dropFirst(#"{"next_cursor":""#.count).dropLast(2))
                page.removeLast()
                #expect(page.count == limit)
            }
            #expect(page.count <= limit)
            lines += page
            if cursor == nil { break }
        }
        return lines
    }

    @Test func history() throws {
        let sandbox = try Self.populated()
        let result = try sandbox.run(["history", "acct-a"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdoutLines
        #expect(lines.count == 4)
        #expect(lines.first?.hasPrefix(#"{"event":"transfer","transfer_id":"t1","timestamp":""#) == true)
        #expect(lines.first?.contains(#"Z","debits_posted":"1500000","credits_posted":"0","debits_pending":"0","credits_pending":"0","display":{"#) == true)
        #expect(lines.last?.contains(#""transfer_id":"p1""#) == true)
        #expect(lines.last?.contains(#""debits_posted":"1500007","credits_posted":"500000","debits_pending":"9","credits_pending":"0","display":{"#) == true)
        for limit in 1...3 { #expect(try Self.allPages(sandbox, ["history", "acct-a"], limit: limit) == lines) }
        #expect(try sandbox.run(["history", "acct-c"]).stdout.isEmpty)
    }

    @Test func transfers() throws {
        let sandbox = try Self.populated()
        let all = try sandbox.run(["transfers"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdoutLines.count == 4)
        #expect(all.stdoutLines.first?.hasPrefix(
            #"{"id":"t1","debit":"acct-a","credit":"acct-b","amount":"1500000","display_amount":"1.500000","asset":"USDT","flags":[],"pending_id":null,"timeout":0,"code":0,"reference":"order-77","metadata":"","timestamp":""#) == true)
        #expect(all.stdoutLines.last?.contains(#""flags":["pending"]"#) == true)
        for limit in 1...5 { #expect(try Self.allPages(sandbox, ["transfers"], limit: limit) == all.stdoutLines) }

        let byReference = try sandbox.run(["transfers", "--reference", "order-77"]).stdoutLines
        #expect(byReference.map { $0.prefix(11) } == [#"{"id":"t1","#, #"{"id":"t3","#])
        #expect(try Self.allPages(sandbox, ["transfers", "--reference", "order-77"], limit: 1) == byReference)
        #expect(try sandbox.run(["transfers", "--account", "acct-c"]).stdout.isEmpty)
        #expect(try sandbox.run(["transfers", "--account", "acct-b"]).stdoutLines.count == 4)
        #expect(try sandbox.run(["transfers", "--from", "2000-01-01T00:00:00Z", "--to", "2001-01-01T00:00:00Z"]).stdout.isEmpty)
        #expect(try sandbox.run(["transfers", "--from", "2000-01-01T00:00:00Z", "--to", "2500-01-01T00:00:00+01:00"]).stdoutLines == all.stdoutLines)
        // --from is inclusive: starting at t2's own timestamp lists t2 onwards.
        let t2Time = try #require(all.stdoutLines.dropFirst().first?.split(separator: "\"").dropLast().last)
        let fromT2 = try sandbox.run(["transfers", "--from", String(t2Time), "--account", "acct-a"]).stdoutLines
        #expect(fromT2 == Array(all.stdoutLines.dropFirst()))
        #expect(try sandbox.run(["transfers", "--to", String(t2Time)]).stdoutLines == Array(all.stdoutLines.prefix(1)))
    }

    @Test func totals() throws {
        let sandbox = try Self.populated()
        #expect(try sandbox.run(["asset", "create", "--code", "BTC", "--decimals", "8"]).status == 0)
        #expect(try sandbox.run(["totals"]).stdout == #"{"data":["# + [
            #"{"asset":"BTC","debits_posted":"0","credits_posted":"0","debits_pending":"0","credits_pending":"0","balanced":true}"#,
            #"{"asset":"USDT","debits_posted":"2000007","credits_posted":"2000007","debits_pending":"9","credits_pending":"9","balanced":true}"#,
        ].joined(separator: ",") + "]}\n")
    }

    @Test func reverse() throws {
        let sandbox = try Self.populated()
        #expect(try sandbox.run(["reverse", "--transfer", "t1", "--id", "r1"]).stdout == #"{"id":"r1","result":"created","message":null}"# + "\n")
        #expect(try sandbox.run(["reverse", "--transfer", "t1", "--id", "r1"]).stdout == #"{"id":"r1","result":"exists","message":null}"# + "\n")
        #expect(try sandbox.balance("acct-b").contains(#""debits_posted":"2000000","credits_posted":"1500007""#))
        let reversal = try sandbox.run(["transfers", "--reference", "reversal:t1"]).stdoutLines
        #expect(reversal.count == 1 && reversal.first?.hasPrefix(#"{"id":"r1","debit":"acct-b","credit":"acct-a","amount":"1500000","display_amount":"1.500000","asset":"USDT""#) == true)
        try sandbox.expectRejected(["reverse", "--transfer", "t1", "--id", "r2"], mentioning: ["already reversed by r1"])
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    @Test func badInputIsRefusedAndWritesNothing() throws {
        let sandbox = try Self.populated()
        let before = try sandbox.run(["transfers"]).stdout
        let cases: [([String], [String])] = [
            (["history", "nobody"], ["nobody"]),
            (["history", "bad id"], ["bad id"]),
            (["history", "acct-a", "--limit", "0"], ["limit"]),
            (["history", "acct-a", "--limit", "10001"], ["limit"]),
            (["history", "acct-a", "--limit", "many"], ["limit"]),
            (["history", "acct-a", "--cursor", "garbage"], ["cursor"]),
            (["transfers", "--account", "bad id"], ["account"]),
            (["transfers", "--reference", ""], ["reference"]),
            (["transfers", "--from", "yesterday"], ["RFC 3339"]),
            (["transfers", "--to", "2026-13-01T00:00:00Z"], ["RFC 3339"]),
            (["transfers", "--limit", "-1"], ["limit"]),
            (["transfers", "--cursor", "1.bad id"], ["cursor"]),
            (["transfers", "--cursor", "99999999999999999999.t1"], ["cursor"]),
            (["reverse", "--transfer", "missing", "--id", "r9"], ["missing"]),
            (["reverse", "--transfer", "p1", "--id", "r9"], ["pending"]),
            (["reverse", "--transfer", "t1", "--id", "t1"], ["new id"]),
            (["reverse", "--transfer", "bad id", "--id", "r9"], ["transfer id"]),
            (["reverse", "--transfer", "t1", "--id", "bad id"], ["bad id"]),
            (["reverse", "--transfer", "t1"], ["--id"]),
        ]
        for (arguments, words) in cases { try sandbox.expectRejected(arguments, mentioning: words) }
        #expect(try sandbox.run(["transfers"]).stdout == before)
        let verify = try sandbox.run(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains(#""transfers":4"#))
    }
}
