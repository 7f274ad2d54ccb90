import Foundation
import Testing

/// `coffer recon`: a statement generated with known truth (exact pairs, drifted amounts and times
/// with typos in descriptions, splits, merges, a duplicate, lines missing on either side, amount
/// mismatches) against ledger transfers committed through `coffer ledger transfer`, on SQLite and
/// PostgreSQL: every planted match found by the intended rule, nothing else matched, every
/// leftover classified as planted; bad mappings, files and rules refused with nothing changed.
struct ReconCLITests {
    static let rules = """
        [{"name":"exact","match":{"reference":"exact","amount":"exact"}},
         {"name":"drift","match":{"amount":{"tolerance_bps":50},"time":{"window_seconds":86400},"description":{"min_similarity":0.8}}},
         {"name":"split","group":"one_to_many","match":{"reference":"exact","amount":"sum_exact","time":{"window_seconds":172800}}},
         {"name":"merge","group":"many_to_one","match":{"reference":"exact","amount":"sum_exact","time":{"window_seconds":172800}}}]
        """

    static let mapping = """
        {"id":"id","amount":"amount","amount_unit":"major","decimals":2,"asset":"currency","time":"booked","time_format":"%Y-%m-%d %H:%M:%S",
         "timezone":"+02:00","reference":"ref","description":"text"}
        """

    /// What a run must find: per rule, the (ledger ids, statement ids) groups; and the exceptions
    /// by kind with their ids.
    struct Truth {
        var transfers: [String] = []
        var statement: [[String]] = []
        var matches: Set<String> = []
        var exceptions: Set<String> = []

        static func key(_ rule: String, _ ledger: [String], _ statement: [String]) -> String {
            "\(rule)|\(ledger.sorted().joined(separator: ","))|\(statement.sorted().joined(separator: ","))"
        }

        mutating func transfer(_ id: String, _ amount: Int, reference: String, metadata: String = "") {
            transfers.append(#"{"id":"\#(id)","debit":"clients","credit":"bank","amount":"\#(amount)","asset":"USD","reference":"\#(reference)","metadata":"\#(metadata)"}"#)
        }

        /// A statement line booked `offset` seconds from `now`, written in the mapping's zone (+02:00).
        mutating func line(_ id: String, _ cents: Int, reference: String, text: String, now: Int, offset: Int) {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(secondsFromGMT: 7200)
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
            let booked = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(now + offset)))
            let major = "\(cents / 100).\(String(format: "%02d", cents % 100))"
            // Descriptions with a comma or a quote are quoted as RFC 4180 says.
            let quoted = text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            statement.append([id, major, "USD", booked, reference, quoted])
        }
    }

    /// Plants every kind of case with a seeded generator: amounts and offsets differ per seed.
    static func plant(seed: UInt64, now: Int) -> Truth {
        var g = SplitMix(state: seed)
        var t = Truth()
        for i in 0..<20 {  // exact: same reference and amount, booked up to two hours apart
            let cents = Int(g.next() % 5_000_000) + 100
            t.transfer("ex-\(i)", cents, reference: "INV-\(i)")
            t.line("S-EX-\(i)", cents, reference: "INV-\(i)", text: i % 3 == 0 ? "invoice \(i), \"paid\"" : "invoice \(i)", now: now, offset: Int(g.next() % 7200))
            t.matches.insert(Truth.key("exact", ["ex-\(i)"], ["S-EX-\(i)"]))
        }
        for i in 0..<8 {  // drifted: no shared reference, amount within 40 bps, a day's drift at most, typos
            let cents = 1_000_000 + Int(g.next() % 9_000_000)
            let drifted = cents + cents * Int(g.next() % 40) / 10_000
            t.transfer("dr-\(i)", cents, reference: "", metadata: "acme rent invoice \(7_000 + i * 37)")
            t.line("S-DR-\(i)", drifted, reference: "BANK-\(900 + i)", text: "ACME RENT INVOYCE \(7_000 + i * 37)", now: now, offset: -Int(g.next() % 72_000))
            t.matches.insert(Truth.key("drift", ["dr-\(i)"], ["S-DR-\(i)"]))
        }
        for i in 0..<4 {  // splits: one statement line paid as 2-4 transfers
            let parts = 2 + Int(g.next() % 3)
            var sum = 0, ids: [String] = []
            for p in 0..<parts {
                let cents = 500 + Int(g.next() % 90_000)
                sum += cents
                ids.append("sp-\(i)-\(p)")
                t.transfer("sp-\(i)-\(p)", cents, reference: "SPL-\(i)")
            }
            t.line("S-SP-\(i)", sum, reference: "SPL-\(i)", text: "batch \(i)", now: now, offset: 3600)
            t.matches.insert(Truth.key("split", ids, ["S-SP-\(i)"]))
        }
        for i in 0..<3 {  // merges: one transfer settled in 2-3 statement lines
            let parts = 2 + Int(g.next() % 2)
            var sum = 0, ids: [String] = []
            for p in 0..<parts {
                let cents = 700 + Int(g.next() % 50_000)
                sum += cents
                ids.append("S-MG-\(i)-\(p)")
                t.line("S-MG-\(i)-\(p)", cents, reference: "MRG-\(i)", text: "instalment \(p)", now: now, offset: 600 * p)
            }
            t.transfer("mg-\(i)", sum, reference: "MRG-\(i)")
            t.matches.insert(Truth.key("merge", ["mg-\(i)"], ids))
        }
        // A line the bank listed twice (same amount, reference and time): the first in (time, id) order
        // matches, the twin is a duplicate.
        let duplicated = t.statement[0]
        t.statement.append(["S-X-DUP"] + duplicated.dropFirst())
        t.exceptions.insert("duplicate||S-X-DUP")
        for i in 0..<3 {  // only on the statement
            t.line("S-NL-\(i)", 100 + Int(g.next() % 10_000), reference: "NOPE-\(i)", text: "unknown \(i)", now: now, offset: 0)
            t.exceptions.insert("missing_in_ledger||S-NL-\(i)")
        }
        for i in 0..<3 {  // only in the ledger
            t.transfer("ol-\(i)", 100 + Int(g.next() % 10_000), reference: "ONLY-\(i)")
            t.exceptions.insert("missing_in_statement|ol-\(i)|")
        }
        for i in 0..<2 {  // same reference, amount off by far more than any tolerance
            let cents = 10_000 + Int(g.next() % 10_000)
            t.transfer("mm-\(i)", cents, reference: "MM-\(i)")
            t.line("S-MM-\(i)", cents + 5_000, reference: "MM-\(i)", text: "zzz \(i)", now: now, offset: 0)
            t.exceptions.insert("amount_mismatch|mm-\(i)|S-MM-\(i)")
        }
        return t
    }

    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func plantedTruthIsFoundOnSQLite() throws { try Self.plantedTruth(.sqlite, seed: 7) }

    @Test(LedgerTestBackend.postgresEnabled) func plantedTruthIsFoundOnPostgreSQL() throws { try Self.plantedTruth(.postgres, seed: 11) }

    static func plantedTruth(_ kind: LedgerTestBackend.Kind, seed: UInt64) throws {
        let recon = try MarketCLITests.Market(kind)
        defer { recon.remove() }
        try recon.run(["ledger", "asset", "create", "--code", "USD", "--decimals", "2"])
        try recon.run(["ledger", "account", "create", "--id", "bank", "--asset", "USD"])
        try recon.run(["ledger", "account", "create", "--id", "clients", "--asset", "USD"])
        let truth = plant(seed: seed, now: Int(Date().timeIntervalSince1970))
        let committed = try recon.run(["ledger", "transfer"], stdin: truth.transfers.joined(separator: "\n") + "\n").stdout
        #expect(committed.split(separator: "\n").allSatisfy { $0.contains(#""result":"created""#) }, "\(committed)")

        let files = recon.directory
        try Data(mapping.utf8).write(to: files.appendingPathComponent("mapping.json"))
        try Data(rules.utf8).write(to: files.appendingPathComponent("rules.json"))
        let csv = "id,amount,currency,booked,ref,text\r\n" + truth.statement.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        try Data(csv.utf8).write(to: files.appendingPathComponent("statement.csv"))

        try recon.run(["recon", "mapping", "add", "--name", "bank", "--file", files.appendingPathComponent("mapping.json").path])
        let imported = try recon.object(["recon", "import", "--mapping", "bank", "--file", files.appendingPathComponent("statement.csv").path, "--name", "dec"])
        #expect(imported["statement"] as? String == "dec" && imported["rows"] as? Int == truth.statement.count, "\(imported)")
        #expect((imported["checksum"] as? String)?.count == 64)
        try recon.run(["recon", "rules", "set", "--file", files.appendingPathComponent("rules.json").path])

        let run = try recon.object(["recon", "run", "--statement", "dec", "--account", "bank"])
        let id = try #require(run["run"] as? String, "\(run)")
        let matches = MarketMonitorCLITests.lines(try recon.run(["recon", "matches", "--run", id]).stdout)
        let found = Set(matches.map { Truth.key($0["rule"] as? String ?? "?", $0["ledger"] as? [String] ?? [], $0["statement"] as? [String] ?? []) })
        #expect(found == truth.matches, "missing: \(truth.matches.subtracting(found).sorted()) extra: \(found.subtracting(truth.matches).sorted())")
        #expect(matches.count == truth.matches.count)
        #expect(matches.allSatisfy { ($0["confidence"] as? NSNumber).map { $0.doubleValue > 0 && $0.doubleValue <= 1 } == true })
        #expect(matches.filter { $0["rule"] as? String == "exact" }.allSatisfy { $0["amount_difference"] as? String == "0" })

        let exceptions = MarketMonitorCLITests.lines(try recon.run(["recon", "exceptions", "--run", id]).stdout)
        let classified = Set(exceptions.map { e in
            "\(e["kind"] as? String ?? "?")|\((e["ledger"] as? [String] ?? []).joined(separator: ","))|\((e["statement"] as? [String] ?? []).joined(separator: ","))"
        })
        #expect(classified == truth.exceptions, "missing: \(truth.exceptions.subtracting(classified).sorted()) extra: \(classified.subtracting(truth.exceptions).sorted())")
        #expect(exceptions.filter { $0["kind"] as? String == "amount_mismatch" }.allSatisfy { $0["amount_difference"] as? String == "5000" })

        let rulesRun = run["rules"] as? [[String: Any]] ?? []
        #expect(rulesRun.map { $0["name"] as? String } == ["exact", "drift", "split", "merge"])
        #expect(rulesRun.map { $0["matched"] as? Int } == [20, 8, 4, 3], "\(rulesRun)")
        #expect(run["matched"] as? Int == truth.matches.count && run["exceptions"] as? Int == truth.exceptions.count, "\(run)")
        #expect(run["unmatched_ledger"] as? Int == 5 && run["unmatched_statement"] as? Int == 6, "\(run)")

        // Deterministic: the same inputs give the same matches.
        let again = try recon.object(["recon", "run", "--statement", "dec", "--account", "bank"])
        let second = MarketMonitorCLITests.lines(try recon.run(["recon", "matches", "--run", try #require(again["run"] as? String)]).stdout)
        func canonical(_ lines: [[String: Any]]) throws -> [Data] { try lines.map { try JSONSerialization.data(withJSONObject: $0, options: .sortedKeys) } }
        #expect(try canonical(second) == canonical(matches))
        #expect(again["ledger_checksum"] as? String == run["ledger_checksum"] as? String)
    }

    @Test func badInputIsRefusedAndChangesNothing() throws {
        let recon = try MarketCLITests.Market(.sqlite)
        defer { recon.remove() }
        let files = recon.directory
        func file(_ name: String, _ text: String) throws -> String {
            let url = files.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
        // Mappings: each refusal names the field.
        for (text, word) in [
            (#"{"amount":"a","asset":{"fixed":"USD"},"time":"t","colour":"x"}"#, "colour"),
            (#"{"asset":{"fixed":"USD"},"time":"t"}"#, "amount"),
            (#"{"amount":"a","amount_unit":"major","asset":{"fixed":"USD"},"time":"t"}"#, "decimals"),
            (#"{"amount":"a","asset":{"fixed":"US D"},"time":"t"}"#, "asset"),
            (#"{"amount":"a","asset":"c","time":"t","time_format":"%Y-%q"}"#, "time_format"),
            (#"{"amount":"a","asset":"c","time":"t","timezone":"Mars/Olympus"}"#, "timezone"),
            ("[1]", "object"),
        ] {
            try recon.expectRejected(["recon", "mapping", "add", "--name", "m", "--file", try file("bad.json", text)], mentioning: [word])
        }
        let good = try file("map.json", #"{"amount":"amount","asset":{"fixed":"EUR"},"time":"when","time_format":"unix","reference":"ref"}"#)
        try recon.run(["recon", "mapping", "add", "--name", "m", "--file", good])
        try recon.run(["recon", "mapping", "add", "--name", "m", "--file", good])  // the same again: accepted
        try recon.expectRejected(["recon", "mapping", "add", "--name", "m", "--file", try file("other.json", #"{"amount":"x","asset":{"fixed":"EUR"},"time":"when"}"#)],
                                 mentioning: ["different mapping"])

        // Statements: the first bad row refuses the file, naming row and column; nothing is stored.
        for (text, words) in [
            ("amount,when,ref\n100,1700000000,a\n12x,1700000000,b\n", ["row 2", "amount"]),
            ("amount,when,ref\n100,yesterday,a\n", ["row 1", "when"]),
            ("amount,when,ref\n100,99999999999,a\n", ["row 1", "when"]),
            ("amount,ref\n100,a\n", ["when"]),
            ("amount,when,ref\n100,1700000000\n", ["row 1", "fields"]),
            ("amount,when,ref\n\"100,1700000000,a\n", ["quoted"]),
            ("", ["empty"]),
            (#"[{"amount":100,"when":"1700000000","ref":["a"]}]"#, ["row 1", "ref"]),
        ] {
            try recon.expectRejected(["recon", "import", "--mapping", "m", "--file", try file("bad.csv", text), "--name", "s"], mentioning: words)
        }
        try recon.expectRejected(["recon", "import", "--mapping", "nope", "--file", try file("ok.csv", "amount,when,ref\n1,1,a\n"), "--name", "s"],
                                 mentioning: ["nope"])
        try recon.expectRejected(["recon", "run", "--statement", "s"], mentioning: ["no statement named s"])
        // JSON statements, ids from file order: row-1, row-2.
        let json = try recon.object(["recon", "import", "--mapping", "m", "--file", try file("s.json", #"[{"amount":"-250","when":1700000000,"ref":"A"},{"amount":7,"when":"1700000001","ref":"B"}]"#), "--name", "s"])
        #expect(json["rows"] as? Int == 2, "\(json)")
        try recon.expectRejected(["recon", "import", "--mapping", "m", "--file", try file("s2.json", "[]"), "--name", "s"], mentioning: ["different statement"])

        // Rules: a bad set is refused naming the rule and field; the set in force stays.
        try recon.expectRejected(["recon", "run", "--statement", "s"], mentioning: ["no reconciliation rules"])
        try recon.run(["recon", "rules", "set", "--file", try file("rules.json", #"[{"name":"exact","match":{"reference":"exact","amount":"exact"}}]"#)])
        for (text, words) in [
            (#"[{"name":"x","match":{"amount":{"tolerance_bps":-1}}}]"#, ["tolerance_bps"]),
            (#"[{"name":"x","match":{"refrence":"exact"}}]"#, ["refrence"]),
            (#"[{"name":"x","group":"one_to_many","match":{"amount":"exact","reference":"exact"}}]"#, ["sum_exact"]),
            (#"[{"name":"x","match":{"description":{"min_similarity":0.8}}}]"#, ["all pairs"]),
            ("[]", ["empty"]),
            ("{", ["JSON"]),
        ] {
            try recon.expectRejected(["recon", "rules", "set", "--file", try file("bad-rules.json", text)], mentioning: words)
        }
        let shown = try recon.object(["recon", "rules", "show"])
        #expect((shown["rules"] as? [[String: Any]])?.map { $0["name"] as? String } == ["exact"], "\(shown)")

        // The run: no ledger transfers of EUR, so every line is missing in the ledger.
        let run = try recon.object(["recon", "run", "--statement", "s"])
        #expect(run["matched"] as? Int == 0 && run["unmatched_statement"] as? Int == 2, "\(run)")
        let exceptions = MarketMonitorCLITests.lines(try recon.run(["recon", "exceptions", "--run", run["run"] as? String ?? ""]).stdout)
        #expect(exceptions.map { $0["statement"] as? [String] ?? [] } == [["row-1"], ["row-2"]], "\(exceptions)")
        for bad in [["--run", "999"], ["--run", "x"], ["--run", "-1"]] {
            try recon.expectRejected(["recon", "matches"] + bad, mentioning: ["run"])
        }
        try recon.expectRejected(["recon", "run", "--statement", "s", "--from", "2026-13-01T00:00:00Z"], mentioning: ["from"])
        try recon.expectRejected(["recon", "run", "--statement", "s", "--account", "no such/acct"], mentioning: ["account"])
    }
}
