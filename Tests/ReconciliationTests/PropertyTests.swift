import Testing
@testable import Reconciliation

/// Seeded property tests (SplitMix64; no external packages). Every failure message carries its seed.
@Suite("Properties")
struct PropertyTests {
    static let richerRulesJSON = """
    [{"name":"exact","match":{"reference":"exact","amount":"exact","time":{"window_seconds":86400}}},
     {"name":"lev","match":{"amount":{"tolerance_abs":"3"},"time":{"window_seconds":7200},"description":{"min_similarity":"0.7","method":"levenshtein"}}},
     {"name":"drift","match":{"amount":{"tolerance_bps":50},"time":{"window_seconds":86400},"description":{"min_similarity":0.8}}},
     {"name":"split","group":"one_to_many","match":{"reference":"exact","amount":"sum_exact","time":{"window_seconds":172800}}},
     {"name":"merge","group":"many_to_one","match":{"reference":"exact","amount":"sum_exact","time":{"window_seconds":172800}}},
     {"name":"tsplit","group":"one_to_many","match":{"amount":"sum_exact","time":{"window_seconds":1800}}},
     {"name":"late","match":{"reference":"exact","amount":"exact"}}]
    """

    // (1) Any input order gives the identical result.
    @Test("shuffled inputs give identical results", arguments: [specRulesJSON, richerRulesJSON])
    func shuffleInvariance(rulesJSON: String) throws {
        let rules = try ruleSet(rulesJSON)
        for seed in UInt64(1)...40 {
            let (ledger, statement) = randomScenario(seed: seed, size: 80)
            let reference = try Reconciler.reconcile(ledger: ledger, statement: statement, rules: rules)
            var g = SplitMix64(seed: seed &* 31)
            for _ in 0..<3 {
                let shuffled = try Reconciler.reconcile(ledger: ledger.shuffled(using: &g), statement: statement.shuffled(using: &g), rules: rules)
                #expect(shuffled == reference, "seed \(seed)")
            }
            #expect(!reference.matches.isEmpty, "scenario should produce matches (seed \(seed))")
        }
    }

    // (2) One-to-one rules equal an O(n²) model of the documented greedy matching.
    @Test func oneToOneEqualsBruteForceModel() throws {
        let catalogue: [String] = [
            #"{"name":"R1","match":{"reference":"exact","amount":"exact"}}"#,
            #"{"name":"R2","match":{"reference":"exact","amount":"exact","time":{"window_seconds":3600}}}"#,
            #"{"name":"R3","match":{"amount":"exact","time":{"window_seconds":7200}}}"#,
            #"{"name":"R4","match":{"amount":{"tolerance_bps":300},"time":{"window_seconds":5400}}}"#,
            #"{"name":"R5","match":{"time":{"window_seconds":1800}}}"#,
            #"{"name":"R6","match":{"reference":"exact","amount":{"tolerance_abs":"40"}}}"#,
            #"{"name":"R7","match":{"amount":{"tolerance_abs":"25"}}}"#,
        ]
        var g = SplitMix64(seed: 2024)
        for trial in 0..<400 {
            let picked = catalogue.shuffled(using: &g).prefix(Int.random(in: 1...3, using: &g))
            let rules = try ruleSet("[" + picked.joined(separator: ",") + "]")
            let ledger = Self.smallRows(prefix: "l", count: Int.random(in: 0...30, using: &g), &g)
            let statement = Self.smallRows(prefix: "s", count: Int.random(in: 0...30, using: &g), &g)
            let engine = try Reconciler.reconcile(ledger: ledger, statement: statement, rules: rules)
            let model = Self.model(ledger: ledger, statement: statement, rules: rules.rules)
            #expect(engine.matches.map { [$0.ruleName] + $0.ledgerIds + $0.statementIds } == model,
                    "trial \(trial), rules \(rules.rules.map(\.name))")
        }
    }

    // (3) Every match satisfies its rule and no row is used twice.
    @Test("matches satisfy their rules", arguments: [specRulesJSON, richerRulesJSON])
    func matchesSatisfyRules(rulesJSON: String) throws {
        let rules = try ruleSet(rulesJSON)
        for seed in UInt64(100)...160 {
            let (ledger, statement) = randomScenario(seed: seed, size: 120)
            let r = try Reconciler.reconcile(ledger: ledger, statement: statement, rules: rules)
            let L = Dictionary(uniqueKeysWithValues: ledger.map { ($0.id, $0) })
            let S = Dictionary(uniqueKeysWithValues: statement.map { ($0.id, $0) })
            var used = Set<String>()
            for m in r.matches {
                let rule = rules.rules[m.ruleIndex]
                #expect(rule.name == m.ruleName)
                #expect((0...1000).contains(m.confidence))
                for id in m.ledgerIds { #expect(used.insert("L:" + id).inserted, "ledger \(id) twice, seed \(seed)") }
                for id in m.statementIds { #expect(used.insert("S:" + id).inserted, "statement \(id) twice, seed \(seed)") }
                let ls = m.ledgerIds.map { L[$0]! }, ss = m.statementIds.map { S[$0]! }
                #expect(Set((ls + ss).map(\.asset)).count == 1, "assets equal, seed \(seed)")
                let ok: Bool
                switch rule.grouping {
                case .oneToOne:
                    ok = ls.count == 1 && ss.count == 1 && Self.pairHolds(rule, ledger: ls[0], statement: ss[0])
                case .oneToMany:
                    ok = ss.count == 1 && Self.groupHolds(rule, single: ss[0], members: ls)
                case .manyToOne:
                    ok = ls.count == 1 && Self.groupHolds(rule, single: ls[0], members: ss)
                }
                #expect(ok, "match \(m) violates rule \(rule.name), seed \(seed)")
            }
        }
    }

    // (4) Generated splits (one statement line = sum of 2...4 ledger rows, same reference) are found.
    @Test func generatedSplitsAreFound() throws {
        let rules = try ruleSet(specRulesJSON)
        for seed in UInt64(1)...30 {
            var g = SplitMix64(seed: seed)
            var ledger: [ReconRow] = [], statement: [ReconRow] = []
            var expected: [String: [String]] = [:]
            for i in 0..<40 {
                let t = Int64(Int.random(in: 0...1_000_000, using: &g))
                switch Int.random(in: 0..<3, using: &g) {
                case 0:
                    // Members in 1000...1900, totals ≥ 2000: no member of any split is within the drift
                    // rule's 50 bps of any split total, so only the split rule can claim these rows.
                    let parts = Int.random(in: 2...4, using: &g)
                    var ids: [String] = [], sum: Int128 = 0
                    for p in 0..<parts {
                        let a = Int128(Int.random(in: 1_000...1_900, using: &g))
                        sum += a
                        ids.append("L\(i).\(p)")
                        ledger.append(row("L\(i).\(p)", a, t: t + Int64(Int.random(in: -172_800...172_800, using: &g)), ref: "SPL-\(i)"))
                    }
                    statement.append(row("S\(i)", sum, t: t, ref: "SPL-\(i)"))
                    expected["S\(i)"] = ids.sorted()
                case 1:  // exact pair in another amount range
                    let a = Int128(Int.random(in: 1_000_000...2_000_000, using: &g))
                    ledger.append(row("L\(i)", a, t: t, ref: "EX-\(i)"))
                    statement.append(row("S\(i)", a, t: t + 60, ref: "EX-\(i)"))
                default:  // noise far away in amount
                    ledger.append(row("N\(i)", Int128(Int.random(in: 10_000_000...20_000_000, using: &g)), t: t, ref: "N-\(i)", desc: "noise"))
                }
            }
            let r = try Reconciler.reconcile(ledger: ledger.shuffled(using: &g), statement: statement.shuffled(using: &g), rules: rules)
            for (sid, members) in expected {
                let m = r.matches.first { $0.statementIds == [sid] }
                #expect(m?.ruleName == "split" && m?.ledgerIds.sorted() == members, "seed \(seed) \(sid)")
            }
        }
    }

    // MARK: - Model and checks (deliberately independent of the engine's internals)

    static func smallRows(prefix: String, count: Int, _ g: inout SplitMix64) -> [ReconRow] {
        let refs = ["", "A", "B", " A", "C ", "D"]
        return (0..<count).map { i in
            ReconRow(id: "\(prefix)\(Int.random(in: 0...9, using: &g))-\(i)",
                     amount: Int128([-100, 0, 100, 101, 103, 120, 1_000, 1_010][Int.random(in: 0..<8, using: &g)]),
                     asset: Bool.random(using: &g) ? "EUR" : "USD",
                     time: Int64(Int.random(in: 0...8, using: &g)) * 900,
                     reference: refs[Int.random(in: 0..<refs.count, using: &g)])
        }
    }

    static func trim(_ s: String) -> String {
        var sub = Substring(s)
        while sub.first?.isWhitespace == true { sub.removeFirst() }
        while sub.last?.isWhitespace == true { sub.removeLast() }
        return String(sub)
    }

    static func absDiff(_ a: Int128, _ b: Int128) -> Int128 { a > b ? a - b : b - a }  // small values only

    static func pairHolds(_ rule: ReconRule, ledger l: ReconRow, statement s: ReconRow) -> Bool {
        if l.asset != s.asset { return false }
        if rule.reference == .exact && (trim(l.reference).isEmpty || trim(l.reference) != trim(s.reference)) { return false }
        switch rule.amount {
        case .exact?: if l.amount != s.amount { return false }
        case .toleranceBps(let bps)?: if absDiff(l.amount, s.amount) * 10_000 > Int128(bps) * (s.amount < 0 ? -s.amount : s.amount) { return false }
        case .toleranceAbsolute(let t)?: if absDiff(l.amount, s.amount) > t { return false }
        case .sumExact?: return false
        case nil: break
        }
        if let w = rule.time, absDiff(Int128(l.time), Int128(s.time)) > Int128(w.windowSeconds) { return false }
        if let d = rule.description, !d.minSimilarity.isSatisfied(by: Similarity.score(l.description, s.description, method: d.method)) { return false }
        return true
    }

    static func groupHolds(_ rule: ReconRule, single: ReconRow, members: [ReconRow]) -> Bool {
        guard (2...ReconLimits.default.maxGroupMembers).contains(members.count),
              members.reduce(Int128(0), { $0 + $1.amount }) == single.amount else { return false }
        return members.allSatisfy { m in
            (rule.reference == nil || (!trim(m.reference).isEmpty && trim(m.reference) == trim(single.reference)))
                && (rule.time.map { absDiff(Int128(m.time), Int128(single.time)) <= Int128($0.windowSeconds) } ?? true)
                && (rule.description.map { $0.minSimilarity.isSatisfied(by: Similarity.score(m.description, single.description, method: $0.method)) } ?? true)
        }
    }

    /// Brute force: statement lines in (asset, time, id) order each take the available ledger row
    /// minimising (|Δamount|, |Δtime|, ledger canonical position) among those satisfying the rule.
    static func model(ledger: [ReconRow], statement: [ReconRow], rules: [ReconRule]) -> [[String]] {
        func canonical(_ a: ReconRow, _ b: ReconRow) -> Bool {
            (a.asset, a.time, a.id) < (b.asset, b.time, b.id)
        }
        let L = ledger.sorted(by: canonical), S = statement.sorted(by: canonical)
        var usedL = [Bool](repeating: false, count: L.count), usedS = [Bool](repeating: false, count: S.count)
        var out: [[String]] = []
        for rule in rules {
            for (si, s) in S.enumerated() where !usedS[si] {
                var best: (Int128, Int128, Int)?
                for (li, l) in L.enumerated() where !usedL[li] && pairHolds(rule, ledger: l, statement: s) {
                    let key = (absDiff(l.amount, s.amount), absDiff(Int128(l.time), Int128(s.time)), li)
                    if best == nil || key < best! { best = key }
                }
                if let b = best {
                    usedL[b.2] = true
                    usedS[si] = true
                    out.append([rule.name, L[b.2].id, s.id])
                }
            }
        }
        return out
    }
}
