import Testing
@testable import Reconciliation

@Suite("Exceptions")
struct ExceptionTests {
    let windowed = #"[{"name":"w","match":{"reference":"exact","amount":"exact","time":{"window_seconds":86400}}}]"#

    @Test func missingOnEitherSide() throws {
        let r = try run([row("l", 1, ref: "A")], [row("s", 2, ref: "B")], windowed)
        #expect(r.exceptions == [.missingInLedger(statementId: "s"), .missingInStatement(ledgerId: "l")])
        #expect(r.exceptions.map(\.kind.rawValue) == ["missing_in_ledger", "missing_in_statement"])
    }

    @Test func amountMismatchReportsBothIdsAndSignedDifference() throws {
        let r = try run([row("l", 100, t: 0, ref: "A"), row("l-far", 200, t: 0, ref: "A")], [row("s", 130, t: 0, ref: "A")], windowed)
        #expect(r.exceptions == [.amountMismatch(ledgerId: "l", statementId: "s", difference: AmountDelta(isNegative: false, magnitude: 30)),
                                 .missingInStatement(ledgerId: "l-far")])
        let neg = try run([row("l", .max, ref: "A")], [row("s", .min, ref: "A")], windowed)
        #expect(neg.exceptions == [.amountMismatch(ledgerId: "l", statementId: "s", difference: AmountDelta(isNegative: true, magnitude: .max))])
    }

    @Test func timingDifferenceBeyondEveryWindow() throws {
        let r = try run([row("l", 100, t: 0, ref: "A")], [row("s", 100, t: 864_000, ref: "A")], windowed)
        #expect(r.matches.isEmpty)
        #expect(r.exceptions == [.timingDifference(ledgerId: "l", statementId: "s", secondsApart: 864_000)])
    }

    @Test func duplicateOfAMatchedTwin() throws {
        let r = try run([row("l1", 100, t: 0, ref: "A")], [row("s2", 100, t: 0, ref: "A"), row("s1", 100, t: 0, ref: "A")], windowed)
        #expect(pairs(r) == [["l1", "|", "s1"]])
        #expect(r.exceptions == [.duplicate(side: .statement, id: "s2", duplicateOf: "s1")])
    }

    @Test func duplicatesWithoutAnyMatch() throws {
        let r = try run([row("l2", 5, t: 9, ref: "D"), row("l1", 5, t: 9, ref: "D"), row("l3", 5, t: 10, ref: "D")], [], windowed)
        #expect(r.exceptions == [.duplicate(side: .ledger, id: "l2", duplicateOf: "l1"),
                                 .missingInStatement(ledgerId: "l1"), .missingInStatement(ledgerId: "l3")])
    }

    @Test func everyUnmatchedRowHasExactlyOneException() throws {
        for seed in UInt64(1)...20 {
            let (ledger, statement) = randomScenario(seed: seed, size: 60)
            let r = try Reconciler.reconcile(ledger: ledger, statement: statement, rules: ruleSet(specRulesJSON))
            let matched = r.matches.flatMap { $0.ledgerIds.map { "L:" + $0 } + $0.statementIds.map { "S:" + $0 } }
            let excepted = r.exceptions.flatMap(\.ids)
            let all = ledger.map { "L:" + $0.id } + statement.map { "S:" + $0.id }
            #expect(Set(matched).count == matched.count && Set(excepted).count == excepted.count)
            #expect(Set(matched).isDisjoint(with: excepted))
            #expect((matched + excepted).sorted() == all.sorted(), "seed \(seed)")
        }
    }
}
