import Chains
import CofferBase
import CofferTestSupport
import PropertyBased
import Testing

/// Dividing a payment by a split rule: fixed amounts first, then basis points of the rest by
/// largest remainder, ties to the recipient listed first; checked on examples and against a
/// direct model.
@Suite struct SplitTests {
    static func rule(_ shares: [(String, SplitRecipient.Share)]) throws -> SplitRule {
        try SplitRule(shares.map { SplitRecipient(account: $0.0, share: $0.1) })
    }

    static func amounts(_ amount: UInt128, _ rule: SplitRule) throws -> [UInt128] {
        try Split.divide(amount, rule).map(\.amount)
    }

    @Test func thirdsGiveTheLeftoverUnitToTheLargestRemainder() throws {
        let thirds = try Self.rule([("a", .basisPoints(3333)), ("b", .basisPoints(3333)), ("c", .basisPoints(3334))])
        #expect(try Self.amounts(100, thirds) == [33, 33, 34])
        #expect(try Self.amounts(2, thirds) == [1, 0, 1])
        #expect(try Self.amounts(0, thirds) == [0, 0, 0])
        // Equal remainders: the first listed wins.
        let halves = try Self.rule([("a", .basisPoints(5000)), ("b", .basisPoints(5000))])
        #expect(try Self.amounts(101, halves) == [51, 50])
        #expect(try Self.amounts(1, halves) == [1, 0])
        let parts = try Split.divide(7, halves)
        #expect(parts == [SplitPart(position: 0, account: "a", amount: 4), SplitPart(position: 1, account: "b", amount: 3)])
    }

    /// docs/receiving.md's worked example.
    @Test func theDocumentedExample() throws {
        let rule = try Self.rule([("fees", .fixed(1_000)), ("shop", .basisPoints(7000)), ("partner-a", .basisPoints(1500)),
                                  ("partner-b", .basisPoints(1500))])
        #expect(try Self.amounts(100_001, rule) == [1_000, 69_301, 14_850, 14_850])
        #expect(try Self.amounts(100_003, rule) == [1_000, 69_302, 14_851, 14_850])
    }

    @Test func fixedAmountsComeFirstAndMayLeaveNothing() throws {
        let rule = try Self.rule([("a", .basisPoints(10_000)), ("fee", .fixed(30)), ("tax", .fixed(20))])
        #expect(try Self.amounts(1_000, rule) == [950, 30, 20])
        #expect(try Self.amounts(50, rule) == [0, 30, 20])
        #expect(throws: SplitNotApplicable(amount: 49, fixedTotal: 50)) { try Split.divide(49, rule) }
    }

    @Test func noAmountOverflows() throws {
        let rule = try Self.rule([("a", .basisPoints(3333)), ("b", .basisPoints(3333)), ("c", .basisPoints(3334)), ("f", .fixed(UInt128.max / 2))])
        for amount in [UInt128.max, UInt128.max - 1, UInt128.max / 2, UInt128.max / 2 + 9_999] {
            let parts = try Self.amounts(amount, rule)
            #expect(parts.reduce(UInt128(0), +) == amount, "\(amount)")
        }
        let whole = try Self.rule([("a", .basisPoints(1)), ("b", .basisPoints(9_999))])
        // 2^128-1 ends in ...1455: the 1 bp's fraction is .1455, the 9999 bp's .8545, which takes the unit.
        #expect(try Self.amounts(UInt128.max, whole) == [UInt128.max / 10_000, UInt128.max - UInt128.max / 10_000])
    }

    /// Largest remainder is not monotone in the amount: one unit more moves a rounding unit.
    @Test func theAlabamaParadoxIsReal() throws {
        let rule = try Self.rule([("a", .basisPoints(4286)), ("b", .basisPoints(4286)), ("c", .basisPoints(1428))])
        #expect(try Self.amounts(10, rule) == [4, 4, 2])
        #expect(try Self.amounts(11, rule) == [5, 5, 1])
    }

    @Test(arguments: [
        ([], "1 to 50 recipients"),
        ([("a", SplitRecipient.Share.basisPoints(5000))], "exactly 10000"),
        ([("a", .basisPoints(6000)), ("b", .basisPoints(5000))], "exactly 10000"),
        ([("a", .fixed(5))], "exactly 10000"),
        ([("a", .basisPoints(10_000)), ("a", .fixed(1))], "listed twice"),
        ([("a", .basisPoints(0)), ("b", .basisPoints(10_000))], "from 1 to 10000"),
        ([("a", .basisPoints(10_001))], "from 1 to 10000"),
        ([("a", .basisPoints(10_000)), ("b", .fixed(0))], "more than 0"),
        ([("a", .basisPoints(10_000)), ("b", .fixed(UInt128.max)), ("c", .fixed(1))], "more than 2^128-1"),
    ] as [([(String, SplitRecipient.Share)], String)])
    func badRulesAreRefused(_ shares: [(String, SplitRecipient.Share)], _ message: String) {
        let error = #expect(throws: ChainError.self) { try Self.rule(shares) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test func theStoredFormReadsBack() throws {
        let rule = try Self.rule([("shop", .basisPoints(9000)), ("fees", .fixed(UInt128.max - 1)), ("t/p:X", .basisPoints(1000))])
        #expect(rule.json.text == #"[{"account":"shop","bps":9000},{"account":"fees","amount":"340282366920938463463374607431768211454"},{"account":"t/p:X","bps":1000}]"#)
        #expect(try SplitRule(json: rule.json) == rule)
        #expect(throws: ChainError.self) { try SplitRule(json: try JSONValue(parsing: #"[{"account":"a"}]"#)) }
    }

    // MARK: Properties

    /// A random valid rule: 0-3 fixed amounts and 1-6 basis-point recipients whose points are a
    /// random partition of 10000, shuffled together.
    static func randomRule(_ random: inout SplitMix64, maximumFixed: UInt128) throws -> SplitRule {
        let count = Int.random(in: 1...6, using: &random)
        let cuts = Set((0..<(count - 1)).map { _ in UInt16.random(in: 1...9_999, using: &random) }).sorted()
        let bounds = [0] + cuts + [SplitRule.whole]
        var shares: [SplitRecipient.Share] = zip(bounds, bounds.dropFirst()).map { .basisPoints($1 - $0) }
        for _ in 0..<Int.random(in: 0...3, using: &random) { shares.append(.fixed(UInt128.random(in: 1...maximumFixed, using: &random))) }
        shares.shuffle(using: &random)
        return try SplitRule(shares.enumerated().map { SplitRecipient(account: "r\($0.offset)", share: $0.element) })
    }

    /// The model: Hamilton's method written out directly, on amounts small enough that rest × bps
    /// fits in 128 bits: whole units of each exact share, then one more unit at a time to the
    /// largest fractional part not yet served, the first listed on ties.
    static func model(_ amount: UInt128, _ rule: SplitRule) -> [UInt128]? {
        guard rule.fixedTotal <= amount else { return nil }
        let rest = amount - rule.fixedTotal
        var shares: [UInt128] = []
        var fractions: [Int: UInt128] = [:]
        for (index, recipient) in rule.recipients.enumerated() {
            switch recipient.share {
            case .fixed(let fixed): shares.append(fixed)
            case .basisPoints(let points):
                shares.append(rest * UInt128(points) / 10_000)
                fractions[index] = rest * UInt128(points) % 10_000
            }
        }
        var leftover = rest - shares.enumerated().filter { fractions[$0.offset] != nil }.map(\.element).reduce(0, +)
        while leftover > 0 {
            let next = fractions.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!
            shares[next.key] += 1
            fractions[next.key] = nil
            leftover -= 1
        }
        return shares
    }

    @Test func matchesTheModel() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let rule = try Self.randomRule(&random, maximumFixed: 5_000)
            let amount = UInt128.random(in: 0...(seed % 2 == 0 ? 20_000 : UInt128(UInt64.max)), using: &random)
            let divided = try? Self.amounts(amount, rule)
            #expect(divided == Self.model(amount, rule), "\(rule) \(amount)")
        }
    }

    /// On any amount up to 2^128-1: the parts sum exactly to it, fixed recipients get their
    /// amount, every basis-point part is within one unit of its exact share, a recipient with more
    /// basis points never gets less, and the same input always gives the same parts.
    @Test func sumsAreExactAndPartsProportional() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let rule = try Self.randomRule(&random, maximumFixed: UInt128.max / 8)
            let amount = UInt128.random(in: rule.fixedTotal...UInt128.max, using: &random)
            let parts = try Split.divide(amount, rule)
            #expect(parts.map(\.amount).reduce(UInt128(0), +) == amount)
            #expect(try Split.divide(amount, rule) == parts)
            let rest = amount - rule.fixedTotal
            // rest × bps / 10000 = (rest / 10000) × bps + (rest % 10000) × bps / 10000, each term exact in 128 bits.
            let (thousands, units) = rest.quotientAndRemainder(dividingBy: 10_000)
            var weighted: [(points: UInt16, amount: UInt128)] = []
            for (recipient, part) in zip(rule.recipients, parts) {
                #expect(part.account == recipient.account)
                switch recipient.share {
                case .fixed(let fixed):
                    #expect(part.amount == fixed)
                case .basisPoints(let points):
                    let numerator = units * UInt128(points)
                    let floor = thousands * UInt128(points) + numerator / 10_000
                    let exact = numerator % 10_000 == 0
                    #expect(part.amount == floor || (!exact && part.amount == floor + 1), "\(points) bps of \(rest): \(part.amount), floor \(floor)")
                    weighted.append((points, part.amount))
                }
            }
            for a in weighted {
                for b in weighted where a.points > b.points { #expect(a.amount >= b.amount, "\(a) \(b)") }
            }
        }
    }
}
