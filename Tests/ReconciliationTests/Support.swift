import Reconciliation

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, seedable, good enough for test data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func row(_ id: String, _ amount: Int128, t: Int64 = 0, ref: String = "", desc: String = "", asset: String = "EUR") -> ReconRow {
    ReconRow(id: id, amount: amount, asset: asset, time: t, reference: ref, description: desc)
}

func ruleSet(_ json: String) throws -> ReconRuleSet { try ReconRuleSet.decode(json: json) }

func run(_ ledger: [ReconRow], _ statement: [ReconRow], _ rulesJSON: String, limits: ReconLimits = .default) throws -> ReconResult {
    try Reconciler.reconcile(ledger: ledger, statement: statement, rules: ruleSet(rulesJSON), limits: limits)
}

/// The four rules from the product issue.
let specRulesJSON = """
[{"name":"exact","match":{"reference":"exact","amount":"exact"}},
 {"name":"drift","match":{"amount":{"tolerance_bps":50},"time":{"window_seconds":86400},"description":{"min_similarity":0.8}}},
 {"name":"split","group":"one_to_many","match":{"reference":"exact","amount":"sum_exact","time":{"window_seconds":172800}}},
 {"name":"merge","group":"many_to_one","match":{"reference":"exact","amount":"sum_exact","time":{"window_seconds":172800}}}]
"""

/// Pairs as (ledgerIds, statementIds) for compact assertions.
func pairs(_ r: ReconResult) -> [[String]] {
    r.matches.map { $0.ledgerIds + ["|"] + $0.statementIds }
}

extension ReconException {
    /// Every id an exception mentions, for coverage checks.
    var ids: [String] {
        switch self {
        case .missingInLedger(let s): ["S:" + s]
        case .missingInStatement(let l): ["L:" + l]
        case .amountMismatch(let l, let s, _): ["L:" + l, "S:" + s]
        case .duplicate(let side, let id, _): [(side == .ledger ? "L:" : "S:") + id]
        case .timingDifference(let l, let s, _): ["L:" + l, "S:" + s]
        }
    }
}

/// A mixed random scenario (exact pairs, drifted pairs, splits, merges, duplicates, noise) over a
/// deliberately small value space so that collisions and ties happen.
func randomScenario(seed: UInt64, size: Int) -> (ledger: [ReconRow], statement: [ReconRow]) {
    var g = SplitMix64(seed: seed)
    var ledger: [ReconRow] = [], statement: [ReconRow] = []
    let words = ["coffee shop", "payout", "acme corp invoice", "refund", "rent march", "salary"]
    let assets = ["EUR", "USD"]
    for i in 0..<size {
        let asset = assets[Int.random(in: 0..<assets.count, using: &g)]
        let ref = "R\(Int.random(in: 0..<(size / 2 + 1), using: &g))"
        let amount = Int128(Int.random(in: -3...40, using: &g)) * 100
        let t = Int64(Int.random(in: 0...5, using: &g)) * 43_200
        let desc = words[Int.random(in: 0..<words.count, using: &g)]
        switch Int.random(in: 0..<10, using: &g) {
        case 0...4:
            ledger.append(row("l\(i)", amount, t: t, ref: ref, desc: desc, asset: asset))
            statement.append(row("s\(i)", amount, t: t + Int64(Int.random(in: 0...90_000, using: &g)), ref: ref, desc: desc, asset: asset))
        case 5:
            ledger.append(row("l\(i)", amount, t: t, ref: ref, desc: desc, asset: asset))
            statement.append(row("s\(i)", amount + Int128(Int.random(in: -5...5, using: &g)), t: t + 3_600, ref: "", desc: desc + " x", asset: asset))
        case 6:
            let parts = Int.random(in: 2...4, using: &g)
            var sum: Int128 = 0
            for p in 0..<parts {
                let a = Int128(Int.random(in: 1...900, using: &g))
                sum += a
                ledger.append(row("l\(i)p\(p)", a, t: t + Int64(p) * 600, ref: "SPLIT\(i)", asset: asset))
            }
            statement.append(row("s\(i)", sum, t: t, ref: "SPLIT\(i)", asset: asset))
        case 7:
            let parts = Int.random(in: 2...3, using: &g)
            var sum: Int128 = 0
            for p in 0..<parts {
                let a = Int128(Int.random(in: 1...900, using: &g))
                sum += a
                statement.append(row("s\(i)p\(p)", a, t: t + Int64(p) * 600, ref: "MERGE\(i)", asset: asset))
            }
            ledger.append(row("l\(i)", sum, t: t, ref: "MERGE\(i)", asset: asset))
        case 8:
            statement.append(row("s\(i)", amount, t: t, ref: ref, asset: asset))
            statement.append(row("s\(i)dup", amount, t: t, ref: ref, asset: asset))
        default:
            if Bool.random(using: &g) {
                ledger.append(row("l\(i)", amount, t: t, ref: ref, desc: desc, asset: asset))
            } else {
                statement.append(row("s\(i)", amount, t: t, ref: ref, desc: desc, asset: asset))
            }
        }
    }
    return (ledger, statement)
}
