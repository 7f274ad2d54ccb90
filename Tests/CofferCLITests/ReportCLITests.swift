import Foundation
import Testing

/// `coffer report`: the end-of-day report over a ledger with a customer, a reconciliation run
/// with exceptions, in JSON (both databases), CSV, and HTML opened in headless Chromium (Debian's
/// `chromium`): it renders with no console errors and shows the totals.
struct ReportCLITests {
    static func books(_ kind: LedgerTestBackend.Kind) throws -> (MarketCLITests.Market, String) {
        let books = try MarketCLITests.Market(kind)
        try books.run(["ledger", "asset", "create", "--code", "USD", "--decimals", "2"])
        try books.run(["ledger", "account", "create", "--id", "bank", "--asset", "USD"])
        try books.run(["ledger", "account", "create", "--id", "alice:usd", "--asset", "USD", "--owner", "alice"])
        let transfers = [
            #"{"id":"t1","debit":"bank","credit":"alice:usd","amount":"250075","asset":"USD","reference":"DEP-1"}"#,
            #"{"id":"t2","debit":"alice:usd","credit":"bank","amount":"1025","asset":"USD","reference":"FEE-1"}"#,
            #"{"id":"t3","debit":"bank","credit":"alice:usd","amount":"5000","asset":"USD","flags":["pending"],"reference":"HOLD-1"}"#,
        ]
        try books.run(["ledger", "transfer"], stdin: transfers.joined(separator: "\n") + "\n")
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let mapping = books.directory.appendingPathComponent("m.json"), statement = books.directory.appendingPathComponent("s.csv")
        let rules = books.directory.appendingPathComponent("r.json")
        try Data(#"{"id":"id","amount":"cents","asset":{"fixed":"USD"},"time":"at","time_format":"unix","reference":"ref"}"#.utf8).write(to: mapping)
        let now = Int(Date().timeIntervalSince1970)
        try Data("id,cents,at,ref\nA,250075,\(now),DEP-1\nB,999,\(now),NOPE\n".utf8).write(to: statement)
        try Data(#"[{"name":"exact","match":{"reference":"exact","amount":"exact"}}]"#.utf8).write(to: rules)
        try books.run(["recon", "mapping", "add", "--name", "m", "--file", mapping.path])
        try books.run(["recon", "import", "--mapping", "m", "--file", statement.path, "--name", "s"])
        try books.run(["recon", "rules", "set", "--file", rules.path])
        try books.run(["recon", "run", "--statement", "s", "--account", "alice:usd"])
        return (books, today)
    }

    @Test func endOfDayInJSONAndCSVOnSQLite() throws { try Self.jsonAndCSV(.sqlite) }

    @Test(LedgerTestBackend.postgresEnabled) func endOfDayInJSONAndCSVOnPostgreSQL() throws { try Self.jsonAndCSV(.postgres) }

    static func jsonAndCSV(_ kind: LedgerTestBackend.Kind) throws {
        let (books, today) = try books(kind)
        defer { books.remove() }
        let report = try books.object(["report", "--kind", "eod", "--date", today])
        let asset = try #require((report["assets"] as? [[String: Any]])?.first, "\(report)")
        let classes = Dictionary(uniqueKeysWithValues: (asset["classes"] as? [[String: Any]] ?? []).map { ($0["account_class"] as? String ?? "?", $0) })
        let customer = try #require(classes["customer"], "\(asset)")
        #expect(customer["opening"] as? String == "0" && customer["inflow"] as? String == "250075" && customer["outflow"] as? String == "1025")
        #expect(customer["closing"] as? String == "249050" && customer["pending"] as? String == "5000", "\(customer)")
        #expect(classes["operator"]?["closing"] as? String == "-249050")
        let recon = report["reconciliation"] as? [String: Any] ?? [:]
        #expect(recon["runs"] as? Int == 1 && recon["matched"] as? Int == 1 && recon["status"] as? String == "exceptions", "\(recon)")
        // t2 (a fee) and the line B are left, both today.
        #expect(recon["open_exceptions"] as? Int == 2 && (recon["aged"] as? [[String: Any]])?.first?["count"] as? Int == 2, "\(recon)")
        #expect(report["period_start"] as? String == "\(today)T00:00:00Z")

        let csv = try books.run(["report", "--kind", "eom", "--date", today, "--format", "csv"]).stdout
        #expect(csv.hasPrefix("section,asset,account_class,metric,value\r\n"))
        #expect(csv.contains("balances,USD,customer,closing,2490.50\r\n") && csv.contains("reconciliation,,,status,exceptions\r\n"), "\(csv)")

        for bad in [["--kind", "eow", "--date", today], ["--kind", "eod", "--date", "2026-02-30"], ["--kind", "eod", "--date", today, "--format", "pdf"],
                    ["--kind", "eod", "--date", today, "--currency", "XYZ1"], ["--kind", "eod", "--date", "1970-01-01"],
                    ["--kind", "eom", "--date", "2554-12-15"]] {
            try books.expectRejected(["report"] + bad, mentioning: [])
        }
    }

    @Test func htmlRendersInChromiumWithTheTotals() throws {
        let (books, today) = try Self.books(.sqlite)
        defer { books.remove() }
        let html = try books.run(["report", "--kind", "eod", "--date", today, "--format", "html"]).stdout
        #expect(!html.contains("http:") && !html.contains("https:") && !html.contains("<script"))
        let page = books.directory.appendingPathComponent("eod.html")
        try Data(html.utf8).write(to: page)

        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let binary = try #require(chromium, "Debian's chromium is not installed (scripts/test installs it)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                             "--user-data-dir=\(books.directory.appendingPathComponent("chromium").path)", "--dump-dom", page.absoluteString]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(log.suffix(2000))")
        // Console messages (script errors, Content-Security-Policy refusals) are logged as CONSOLE lines.
        let console = log.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Refused to") }
        #expect(console.isEmpty, "\(console)")
        // The DOM Chromium built holds the totals and the status.
        // Inflow over both classes: alice's 2500.75 and the bank's 10.25.
        #expect(dom.contains(#"data-total="inflow" data-asset="USD">2511.00<"#), "\(dom.prefix(3000))")
        #expect(dom.contains(">2500.75<") && dom.contains(">2490.50<"), "customer inflow and closing shown")
        #expect(dom.contains(#"id="status""#) && dom.contains(">exceptions</p>"))
        #expect(dom.components(separatedBy: "<svg").count - 1 >= 2, "both charts rendered")
    }
}
