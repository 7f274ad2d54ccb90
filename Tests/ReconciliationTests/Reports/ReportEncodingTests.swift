import Foundation
import Testing
import Reconciliation

@Suite("JSON encoding")
struct ReportEncodingTests {
    private func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("Keys are snake_case and Int128 amounts are decimal strings")
    func keysAndAmounts() throws {
        let text = try json(Fixtures.sample)
        for key in ["\"period_start\"", "\"period_end\"", "\"generated_at\"", "\"account_class\"", "\"deposit_volume\"",
                    "\"open_exceptions\"", "\"by_kind\"", "\"success_rate_bps\"", "\"latency_median_seconds\"",
                    "\"latency_p95_seconds\""] {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(!text.contains("periodStart") && !text.contains("accountClass"))
        #expect(text.contains("\"opening\":\"100000\""))
        #expect(text.contains("\"pending\":\"-5\""))
        #expect(text.contains("\"deposit_volume\":\"50000\""))
        #expect(text.contains("\"fees\":\"10\""))
        #expect(text.contains("\"success_rate_bps\":9850"))
        #expect(text.contains("\"price\":\"0.92\""))
    }

    @Test("Int128 extremes survive encoding exactly")
    func extremes() throws {
        let c = ClassBalances(accountClass: "x", opening: .min, closing: .max, inflow: 0, outflow: 0, pending: 0)
        let text = try json(c)
        #expect(text == "{\"account_class\":\"x\",\"closing\":\"170141183460469231731687303715884105727\",\"inflow\":\"0\",\"opening\":\"-170141183460469231731687303715884105728\",\"outflow\":\"0\",\"pending\":\"0\"}")
    }

    @Test("Absent optionals are omitted")
    func optionals() throws {
        let text = try json(Fixtures.empty)
        #expect(!text.contains("\"currency\""))
        #expect(!text.contains("success_rate_bps"))
        #expect(text.contains("\"tenant\":\"\""))
    }
}
