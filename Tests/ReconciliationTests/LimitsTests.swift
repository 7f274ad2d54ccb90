import Testing
@testable import Reconciliation

@Suite("Bounds and caps")
struct LimitsTests {
    @Test func capsOnlyEverMissMatches() throws {
        let rules = #"[{"name":"bps","match":{"amount":{"tolerance_bps":100},"time":{"window_seconds":60}}}]"#
        // Walking the amount index outward from 10000, "closest-late" is visited first but fails the window.
        let ledger = [row("closest-late", 10_000, t: 1_000), row("ok", 10_050, t: 0)]
        var limits = ReconLimits()
        limits.maxCandidatesPerRow = 1
        limits.maxIndexEntriesVisited = 1
        #expect(try pairs(run(ledger, [row("s", 10_000, t: 0)], rules, limits: limits)).isEmpty, "visit cap reached first")
        limits.maxIndexEntriesVisited = 2
        #expect(try pairs(run(ledger, [row("s", 10_000, t: 0)], rules, limits: limits)) == [["ok", "|", "s"]],
                "rows failing cheap conditions do not count as candidates")
    }

    @Test func hotBucketOfRecurringPayments() throws {
        // 3000 identical rent payments: every line pairs with the ledger row at its own time.
        let ledger = (0..<3_000).map { row("l\($0)", 120_000, t: Int64($0) * 86_400, ref: "RENT") }
        let statement = (0..<3_000).map { row("s\($0)", 120_000, t: Int64($0) * 86_400 + 3_600, ref: "RENT") }
        let r = try run(ledger.reversed(), statement, #"[{"name":"exact","match":{"reference":"exact","amount":"exact"}}]"#)
        #expect(r.matches.count == 3_000)
        #expect(r.matches.allSatisfy { $0.ledgerIds[0].dropFirst() == $0.statementIds[0].dropFirst() && $0.confidence == 999 })
    }
}
