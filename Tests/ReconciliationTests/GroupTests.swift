import Testing
@testable import Reconciliation

@Suite("Groups (one_to_many, many_to_one)")
struct GroupTests {
    let split = #"[{"name":"split","group":"one_to_many","match":{"reference":"exact","amount":"sum_exact","time":{"window_seconds":172800}}}]"#
    let merge = #"[{"name":"merge","group":"many_to_one","match":{"reference":"exact","amount":"sum_exact","time":{"window_seconds":172800}}}]"#

    @Test func oneToManyFindsASplit() throws {
        let ledger = [row("l1", 300, t: 0, ref: "P"), row("l2", 500, t: 100, ref: "P"), row("l3", 200, t: 200, ref: "P"), row("other", 999, t: 0, ref: "Q")]
        let r = try run(ledger, [row("s", 1_000, t: 0, ref: "P")], split)
        #expect(pairs(r) == [["l1", "l2", "l3", "|", "s"]])
        #expect(r.matches[0].confidence == 980, "group penalty 10 × (4 − 2)")
        #expect(r.perRule == [RuleStat(name: "split", matches: 1, ledgerRows: 3, statementRows: 1)])
        #expect(r.exceptions == [.missingInStatement(ledgerId: "other")])
    }

    @Test func manyToOneFindsInstalments() throws {
        let r = try run([row("l", 1_000, t: 0, ref: "M")], [row("s2", 600, t: 86_400, ref: "M"), row("s1", 400, t: 3_600, ref: "M")], merge)
        #expect(pairs(r) == [["l", "|", "s1", "s2"]])
        #expect(r.matches[0].maxTimeDifference == 86_400)
    }

    @Test func picksLexicographicallyFirstSubsetInRankOrder() throws {
        // Rank = |Δt|: a, b, c, d. Both {a,b} and {c,d} sum to 100; {a,b} comes first.
        let ledger = [row("d", 50, t: 40, ref: "P"), row("c", 50, t: 30, ref: "P"), row("b", 40, t: 20, ref: "P"), row("a", 60, t: 10, ref: "P")]
        for order in [ledger, ledger.reversed()] {
            let r = try run(order, [row("s", 100, t: 0, ref: "P")], split)
            #expect(pairs(r) == [["a", "b", "|", "s"]])
        }
        // {a, c} (positions 0 and 2) is found even though b sits between them.
        let r = try run([row("a", 50, t: 10, ref: "P"), row("b", 70, t: 20, ref: "P"), row("c", 50, t: 30, ref: "P")],
                        [row("s", 100, t: 0, ref: "P")], split)
        #expect(pairs(r) == [["a", "c", "|", "s"]])
    }

    @Test func memberBoundK() throws {
        let ledger = (0..<9).map { row("l\($0)", 100, t: Int64($0), ref: "P") }
        let statement = [row("s", 900, t: 0, ref: "P")]
        #expect(try run(ledger, statement, split).matches.isEmpty, "needs 9 members, K = 8")
        var limits = ReconLimits()
        limits.maxGroupMembers = 9
        #expect(try run(ledger, statement, split, limits: limits).matches.first?.ledgerIds.count == 9)
    }

    @Test func candidateBoundC() throws {
        var ledger = (0..<32).map { row("near\($0)", 1, t: Int64($0), ref: "P") }
        ledger += [row("far1", 500, t: 1_000, ref: "P"), row("far2", 500, t: 1_001, ref: "P")]
        let statement = [row("s", 1_000, t: 0, ref: "P")]
        #expect(try run(ledger, statement, split).matches.isEmpty, "the two 500s rank 33rd and 34th, beyond C = 32")
        var limits = ReconLimits()
        limits.maxGroupCandidates = 34
        #expect(try pairs(run(ledger, statement, split, limits: limits)) == [["far1", "far2", "|", "s"]])
    }

    @Test func mixedSignsAndZeroTargets() throws {
        let r = try run([row("l1", 100, t: 0, ref: "R"), row("l2", -150, t: 1, ref: "R")], [row("s", -50, t: 0, ref: "R")], split)
        #expect(pairs(r) == [["l1", "l2", "|", "s"]])
        let z = try run([row("l1", 70, t: 0, ref: "Z"), row("l2", -70, t: 1, ref: "Z")], [row("s", 0, t: 0, ref: "Z")], split)
        #expect(pairs(z) == [["l1", "l2", "|", "s"]])
    }

    @Test func membersOutsideTheWindowAreExcluded() throws {
        let r = try run([row("l1", 100, t: 0, ref: "P"), row("l2", 200, t: 172_801, ref: "P")], [row("s", 300, t: 0, ref: "P")], split)
        #expect(r.matches.isEmpty)
        let ok = try run([row("l1", 100, t: 0, ref: "P"), row("l2", 200, t: 172_800, ref: "P")], [row("s", 300, t: 0, ref: "P")], split)
        #expect(ok.matches.count == 1)
    }

    @Test func timeOnlyGroupWithoutReference() throws {
        let rules = #"[{"name":"t","group":"one_to_many","match":{"amount":"sum_exact","time":{"window_seconds":60}}}]"#
        let r = try run([row("l1", 100, t: 0, ref: "A"), row("l2", 200, t: 30, ref: "B"), row("l3", 200, t: 90, ref: "B")],
                        [row("s", 300, t: 0, ref: "C")], rules)
        #expect(pairs(r) == [["l1", "l2", "|", "s"]])
        #expect(r.matches[0].confidence == 1000 - 150 - 10, "references differ; one extra row")
    }

    @Test func hugeAmountsStayOutOfGroupSearch() throws {
        let big = Int128(1) << 120
        let r = try run([row("l1", big, ref: "P"), row("l2", big, ref: "P")], [row("s", big * 2, ref: "P")], split)
        #expect(r.matches.isEmpty)
        let extremes = try run([row("l1", .max, ref: "P"), row("l2", .max, ref: "P")], [row("s", .min, ref: "P")], split)
        #expect(extremes.matches.isEmpty, "no overflow trap")
    }

    @Test func subsetSearchDirectly() {
        var search = SubsetSearch()
        #expect(search.find(amounts: [5, 3, 2, 5], target: 10) == [0, 1, 2], "[0,1,2] precedes [0,3]")
        #expect(search.find(amounts: [7, 1, 1], target: 7) == nil, "single members are not groups")
        #expect(search.find(amounts: [-5, 20, -5, 1], target: 10) == [0, 1, 2])
        #expect(search.find(amounts: [4, 4], target: 9) == nil)
        var tiny = SubsetSearch(maxMembers: 8, maxCandidates: 32, nodeBudget: 1)
        #expect(tiny.find(amounts: [1, 2, 3, 4], target: 10) == nil, "budget exhausted → no group")
        // Exhaustive cross-check against brute force on small random lists.
        var g = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let n = Int.random(in: 2...10, using: &g)
            let amounts = (0..<n).map { _ in Int128(Int.random(in: -6...9, using: &g)) }
            let target = Int128(Int.random(in: -10...20, using: &g))
            let k = Int.random(in: 2...5, using: &g)
            var s = SubsetSearch(maxMembers: k, maxCandidates: 32, nodeBudget: 1_000_000)
            #expect(s.find(amounts: amounts, target: target) == bruteForceSubset(amounts, target, k), "\(amounts) → \(target), k=\(k)")
        }
    }

    /// Lexicographically-first subset (as index sequences) of size 2...k by enumerating all subsets.
    func bruteForceSubset(_ a: [Int128], _ target: Int128, _ k: Int) -> [Int]? {
        var best: [Int]?
        for mask in 1..<(1 << a.count) {
            let idx = (0..<a.count).filter { mask & (1 << $0) != 0 }
            guard (2...k).contains(idx.count), idx.reduce(Int128(0), { $0 + a[$1] }) == target else { continue }
            if best == nil || idx.lexicographicallyPrecedes(best!) { best = idx }
        }
        return best
    }
}
