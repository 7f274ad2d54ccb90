import Testing
import Foundation
import Reconciliation

@Suite("CSV")
struct ReportCSVTests {
    @Test("Sample report has header, CRLF line ends and the expected rows")
    func sampleRows() {
        let csv = ReportCSV.render(Fixtures.sample)
        #expect(csv.hasPrefix("section,asset,account_class,metric,value\r\n"))
        #expect(csv.hasSuffix("\r\n"))
        // No bare LF: every LF is preceded by CR.
        let scalars = Array(csv.unicodeScalars)
        for (i, s) in scalars.enumerated() where s == "\n" {
            #expect(i > 0 && scalars[i - 1] == "\r")
        }
        let lines = Set(csv.components(separatedBy: "\r\n"))
        let expected = [
            "report,,,kind,eod",
            "report,,,tenant,acme",
            "report,,,period_start,2026-12-01T00:00:00Z",
            "report,,,period_end,2026-12-02T00:00:00Z",
            "report,,,generated_at,2026-12-02T00:05:00Z",
            "report,,,currency,EUR",
            "asset,USD,,decimals,2",
            "balances,USD,customer,opening,1000.00",
            "balances,USD,customer,closing,1234.56",
            "balances,USD,customer,inflow,500.00",
            "balances,USD,customer,outflow,265.44",
            "balances,USD,customer,pending,10.00",
            "balances,USD,operator,pending,-0.05",
            "asset,USD,,fees,0.10",
            "asset,USD,,deposits,3",
            "asset,USD,,deposit_volume,500.00",
            "fiat,USD,,price,0.92",
            "fiat,USD,,closing,1181.89",
            "balances,BTC,custody,opening,1.50000000",
            "asset,BTC,,fees,0.00001250",
            "reconciliation,,,runs,24",
            "reconciliation,,,matched,1200",
            "reconciliation,,,open_exceptions,3",
            "reconciliation,,,exceptions_missing_in_ledger,2",
            "reconciliation,,,\"exceptions_amount,mismatch\",1",
            "reconciliation,,,aged_0-1 d,1",
            "reconciliation,,,aged_over 30 d,0",
            "reconciliation,,,status,exceptions",
            "payouts,,,total,200",
            "payouts,,,succeeded,197",
            "payouts,,,failed,3",
            "payouts,,,pending,0",
            "payouts,,,success_rate,98.50%",
            "payouts,,,latency_median_seconds,45",
            "payouts,,,latency_p95_seconds,3723",
        ]
        for line in expected {
            #expect(lines.contains(line), "missing row: \(line)")
        }
        #expect(!csv.contains("fiat,BTC"))
    }

    @Test("Every record parses back to five fields, hostile strings included")
    func parsesBack() throws {
        var r = Fixtures.sample
        r.tenant = "=HYPERLINK(\"http://evil\",\"x\")\r\nnext"
        r.assets[0].classes[0].accountClass = "@bad,\"class\""
        let records = try CSVReader.parse(ReportCSV.render(r))
        #expect(records.count > 40)
        for record in records {
            #expect(record.count == 5)
        }
        #expect(records.contains(["report", "", "", "tenant", "'" + r.tenant]))
        #expect(records.contains(["balances", "USD", "'@bad,\"class\"", "opening", "1000.00"]))
    }

    @Test("Empty report keeps stable rows with empty optional values")
    func emptyReport() throws {
        let csv = ReportCSV.render(Fixtures.empty)
        let records = try CSVReader.parse(csv)
        #expect(records.contains(["report", "", "", "tenant", ""]))
        #expect(records.contains(["report", "", "", "currency", ""]))
        #expect(records.contains(["payouts", "", "", "success_rate", ""]))
        #expect(records.contains(["reconciliation", "", "", "status", "not_run"]))
        #expect(!records.contains { $0.first == "balances" || $0.first == "asset" })
    }
}

/// Minimal strict RFC 4180 reader used to check the writer's output.
enum CSVReader {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        var quoted = false
        while let s = scalars.popFirst() {
            if quoted {
                if s == "\"" {
                    if scalars.first == "\"" { scalars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
                } else {
                    field.unicodeScalars.append(s)
                }
            } else if s == "\"" {
                guard field.isEmpty else { throw Malformed() }
                quoted = true
            } else if s == "," {
                record.append(field); field = ""
            } else if s == "\r" {
                guard scalars.popFirst() == "\n" else { throw Malformed() }
                record.append(field); field = ""
                records.append(record); record = []
            } else if s == "\n" {
                throw Malformed()
            } else {
                field.unicodeScalars.append(s)
            }
        }
        guard !quoted, record.isEmpty, field.isEmpty else { throw Malformed() }
        return records
    }
}
