import Customers
import PropertyBased
import Testing

/// Each AML rule on a constructed history that trips it and on a near miss that must not, plus
/// structuring against a brute-force model over random small histories.
struct AMLScannerTests {
    /// USD in cents: the reporting threshold is 1 000 000, structuring starts at 900 000, a round
    /// unit is 100 000. ETH has 18 decimals; other assets are unknown.
    static func decimals(_ asset: String) -> Int? { ["USD": 2, "ETH": 18][asset] }
    static let t0: Int64 = 1_700_000_000

    static func movement(_ id: String, _ amount: UInt128, at: Int64, _ direction: AMLMovement.Direction = .outgoing,
                         customer: String = "c1", asset: String = "USD", counterparty: String? = nil) -> AMLMovement {
        AMLMovement(id: id, customer: customer, asset: asset, direction: direction, amount: amount, at: t0 + at, counterparty: counterparty)
    }

    static func scan(_ movements: [AMLMovement], screening: ScreeningList = [:], settings: AMLRuleSettings = AMLRuleSettings()) -> [AMLAlert] {
        AMLScanner.scan(movements, decimals: decimals, screening: screening, settings: settings)
    }

    static func alerts(_ rule: AMLRule, _ movements: [AMLMovement], screening: ScreeningList = [:]) -> [AMLAlert] {
        scan(movements, screening: screening).filter { $0.rule == rule }
    }

    // MARK: structuring

    @Test func structuringFires() {
        let history = [
            Self.movement("a", 950_000, at: 0, .incoming), Self.movement("b", 900_000, at: 3_600),
            Self.movement("c", 999_999, at: 86_399, .incoming),
        ]
        let alerts = Self.alerts(.structuring, history)
        #expect(alerts.count == 1)
        #expect(alerts.first?.evidence == ["a", "b", "c"])
        #expect(alerts.first?.at == Self.t0 + 86_399)
        #expect(alerts.first?.customer == "c1" && alerts.first?.asset == "USD")
        #expect(alerts.first?.detail == "3 movements of 9000 USD to 9999.99 USD within 23 h 59 min, each just below the 10000 USD reporting threshold")
        #expect(alerts.first?.key == "structuring/c1/USD/a")
    }

    @Test func structuringNearMisses() {
        let two = [Self.movement("a", 950_000, at: 0), Self.movement("b", 950_000, at: 60)]
        #expect(Self.alerts(.structuring, two).isEmpty)
        // At the threshold it is reportable, not structuring.
        let atThreshold = two + [Self.movement("c", 1_000_000, at: 120)]
        #expect(Self.alerts(.structuring, atThreshold).isEmpty)
        // Just below 90%.
        let tooSmall = two + [Self.movement("c", 899_999, at: 120)]
        #expect(Self.alerts(.structuring, tooSmall).isEmpty)
        // First to last exactly 24 h: outside the window.
        let spread = [Self.movement("a", 950_000, at: 0), Self.movement("b", 950_000, at: 43_200), Self.movement("c", 950_000, at: 86_400)]
        #expect(Self.alerts(.structuring, spread).isEmpty)
        // Another customer, another asset.
        let mixed = two + [Self.movement("c", 950_000, at: 120, customer: "c2")] + [Self.movement("d", 950_000, at: 120, asset: "EUR")]
        #expect(Self.alerts(.structuring, mixed).isEmpty)
        // An asset of unknown decimals has no threshold; nor has one past UInt128.
        let unknown = (0..<3).map { Self.movement("x\($0)", 950_000, at: Int64($0), asset: "EUR") }
        #expect(Self.alerts(.structuring, unknown).isEmpty)
        let overflowing = AMLRuleSettings(reportingThresholdMajor: .max)
        #expect(Self.scan(two + [Self.movement("c", 950_000, at: 120)], settings: overflowing).filter { $0.rule == .structuring }.isEmpty)
    }

    /// One alert per burst, not one per subset; a later burst is another alert; a rescan with a
    /// movement added to the burst keeps its key.
    @Test func structuringReportsEachBurstOnce() {
        let burst = (0..<5).map { Self.movement("a\($0)", 950_000, at: Int64($0) * 600) }
        let later = (0..<3).map { Self.movement("b\($0)", 920_000, at: 200_000 + Int64($0)) }
        let alerts = Self.alerts(.structuring, burst + later)
        #expect(alerts.map(\.evidence) == [["a0", "a1", "a2", "a3", "a4"], ["b0", "b1", "b2"]])
        let rescan = Self.alerts(.structuring, burst + later + [Self.movement("a5", 950_000, at: 5_000)])
        #expect(rescan.map(\.key) == alerts.map(\.key))
        #expect(rescan.first?.evidence.count == 6)
    }

    // MARK: rapid in-and-out

    @Test func rapidInOutFires() {
        let history = [Self.movement("in", 100_000, at: 0, .incoming), Self.movement("out", 80_000, at: 1_800)]
        let alerts = Self.alerts(.rapidInOut, history)
        #expect(alerts.count == 1)
        #expect(alerts.first?.evidence == ["in", "out"])
        #expect(alerts.first?.at == Self.t0 + 1_800)
        #expect(alerts.first?.detail == "received 1000 USD and sent 800 USD 30 min later, at least 80% of it")
        // The same second counts.
        #expect(Self.alerts(.rapidInOut, [Self.movement("in", 100, at: 5, .incoming), Self.movement("out", 100, at: 5)]).count == 1)
    }

    @Test func rapidInOutNearMisses() {
        let incoming = Self.movement("in", 100_000, at: 0, .incoming)
        #expect(Self.alerts(.rapidInOut, [incoming, Self.movement("out", 79_000, at: 60)]).isEmpty)
        #expect(Self.alerts(.rapidInOut, [incoming, Self.movement("out", 79_999, at: 60)]).isEmpty)
        #expect(Self.alerts(.rapidInOut, [incoming, Self.movement("out", 100_000, at: 1_801)]).isEmpty)
        // Out before in, another asset, another customer.
        #expect(Self.alerts(.rapidInOut, [incoming, Self.movement("out", 100_000, at: -1)]).isEmpty)
        #expect(Self.alerts(.rapidInOut, [incoming, Self.movement("out", 100_000, at: 60, asset: "ETH")]).isEmpty)
        #expect(Self.alerts(.rapidInOut, [incoming, Self.movement("out", 100_000, at: 60, customer: "c2")]).isEmpty)
    }

    /// A movement is in one pair at most: two payments out of one deposit are one alert, and one
    /// payment after two deposits is one alert (with the earlier deposit).
    @Test func rapidInOutPairsEachMovementOnce() {
        let oneIn = [Self.movement("in", 100, at: 0, .incoming), Self.movement("o1", 90, at: 10), Self.movement("o2", 90, at: 20)]
        #expect(Self.alerts(.rapidInOut, oneIn).map(\.evidence) == [["in", "o1"]])
        let twoIns = [Self.movement("i1", 100, at: 0, .incoming), Self.movement("i2", 100, at: 5, .incoming), Self.movement("out", 90, at: 10)]
        #expect(Self.alerts(.rapidInOut, twoIns).map(\.evidence) == [["i1", "out"]])
        // The earliest deposit that qualifies: a large one the payment is too small for is passed over.
        let passed = [Self.movement("big", 1_000, at: 0, .incoming), Self.movement("small", 100, at: 5, .incoming),
                      Self.movement("out", 90, at: 10), Self.movement("out2", 900, at: 20)]
        #expect(Self.alerts(.rapidInOut, passed).map(\.evidence) == [["small", "out"], ["big", "out2"]])
    }

    // MARK: screening

    @Test func screeningFires() {
        let screening: ScreeningList = ["0xAbCdEf0000000000000000000000000000000001": "OFAC SDN", "bc1qexample": "Scam reports"]
        let history = [
            Self.movement("hex", 5, at: 0, .incoming, asset: "ETH", counterparty: "0xabcdef0000000000000000000000000000000001"),
            Self.movement("btc", 5, at: 10, asset: "BTC", counterparty: "bc1qexample"),
        ]
        let alerts = Self.alerts(.screening, history, screening: screening)
        #expect(alerts.map(\.evidence) == [["hex"], ["btc"]])
        #expect(alerts.first?.detail == "received 0.000000000000000005 ETH from 0xabcdef0000000000000000000000000000000001, which is on the screening list OFAC SDN")
        #expect(alerts.last?.detail == "sent 5 smallest units of BTC to bc1qexample, which is on the screening list Scam reports")
    }

    @Test func screeningNearMisses() {
        let screening: ScreeningList = ["0xabcdef0000000000000000000000000000000001": "OFAC SDN", "bc1qexample": "Scam reports"]
        let history = [
            Self.movement("other", 5, at: 0, counterparty: "0xabcdef0000000000000000000000000000000002"),
            // Only hex addresses ignore case.
            Self.movement("case", 5, at: 1, counterparty: "BC1QEXAMPLE"),
            Self.movement("none", 5, at: 2),
        ]
        #expect(Self.alerts(.screening, history, screening: screening).isEmpty)
    }

    // MARK: dormant

    @Test func dormantFires() {
        let history = [Self.movement("old", 100, at: 0, .incoming, asset: "ETH"), Self.movement("new", 250_000, at: 180 * 86_400)]
        let alerts = Self.alerts(.dormant, history)
        #expect(alerts.map(\.evidence) == [["old", "new"]])
        #expect(alerts.first?.asset == "USD" && alerts.first?.at == Self.t0 + 180 * 86_400)
        #expect(alerts.first?.detail == "sent 2500 USD after 180 d without any movement")
    }

    @Test func dormantNearMisses() {
        #expect(Self.alerts(.dormant, [Self.movement("old", 100, at: 0), Self.movement("new", 100, at: 180 * 86_400 - 1)]).isEmpty)
        // No earlier history; a movement in another asset in between; another customer's history.
        #expect(Self.alerts(.dormant, [Self.movement("first", 100, at: 0)]).isEmpty)
        let between = [Self.movement("old", 100, at: 0), Self.movement("mid", 1, at: 90 * 86_400, asset: "ETH"),
                       Self.movement("new", 100, at: 180 * 86_400)]
        #expect(Self.alerts(.dormant, between).isEmpty)
        #expect(Self.alerts(.dormant, [Self.movement("old", 100, at: 0, customer: "c2"), Self.movement("new", 100, at: 180 * 86_400)]).isEmpty)
    }

    // MARK: round amounts

    @Test func roundAmountsFire() {
        let history = [Self.movement("a", 100_000, at: 0), Self.movement("b", 500_000, at: 1_200, .incoming), Self.movement("c", 3_000_000, at: 3_599)]
        let alerts = Self.alerts(.roundAmounts, history)
        #expect(alerts.map(\.evidence) == [["a", "b", "c"]])
        #expect(alerts.first?.detail == "3 movements in exact multiples of 1000 USD within 59 min")
    }

    @Test func roundAmountsNearMisses() {
        let two = [Self.movement("a", 100_000, at: 0), Self.movement("b", 200_000, at: 60)]
        #expect(Self.alerts(.roundAmounts, two + [Self.movement("c", 200_001, at: 120)]).isEmpty)
        #expect(Self.alerts(.roundAmounts, two + [Self.movement("c", 199_999, at: 120)]).isEmpty)
        #expect(Self.alerts(.roundAmounts, two + [Self.movement("c", 0, at: 120)]).isEmpty)
        #expect(Self.alerts(.roundAmounts, two + [Self.movement("c", 100_000, at: 3_600)]).isEmpty)
        #expect(Self.alerts(.roundAmounts, two + [Self.movement("c", 100_000, at: 120, asset: "ETH")]).isEmpty)
    }

    // MARK: the scan as a whole

    /// The input's order does not show; alerts come by time, then rule, then key.
    @Test func deterministicOrder() {
        let history = [
            Self.movement("in", 100_000, at: 0, .incoming),  // round, and paid straight out again
            Self.movement("r1", 100_000, at: 10), Self.movement("r2", 100_000, at: 20),
            Self.movement("s1", 950_000, at: 30), Self.movement("s2", 960_000, at: 40), Self.movement("s3", 970_000, at: 50),
            Self.movement("late", 100, at: 200 * 86_400, counterparty: "0xBAD"),
        ]
        let alerts = Self.scan(history, screening: ["0xbad": "Hacks"])
        #expect(alerts.map(\.rule) == [.rapidInOut, .roundAmounts, .structuring, .dormant, .screening])
        #expect(alerts.map(\.at) == alerts.map(\.at).sorted())
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10 { #expect(Self.scan(history.shuffled(using: &generator), screening: ["0xbad": "Hacks"]) == alerts) }
    }

    @Test func keysEscapeTheirSeparator() {
        let one = AMLAlert(rule: .dormant, customer: "a/b", asset: "c", evidence: ["x"], at: 0, detail: "")
        let other = AMLAlert(rule: .dormant, customer: "a", asset: "b/c", evidence: ["x"], at: 0, detail: "")
        #expect(one.key == "dormant/a%2Fb/c/x" && other.key == "dormant/a/b%2Fc/x")
    }

    // MARK: structuring against a brute-force model

    /// Random small histories of two customers, amounts at and around the band's edges (decimals 0:
    /// threshold 10 000, structuring from 9 000), times over three days on a grid of hours give or
    /// take a second, so windows of exactly a day and a second either side are common. The model
    /// looks at every qualifying movement and counts the qualifying ones from it to less than a
    /// day later.
    @Test func structuringMatchesBruteForce() async {
        let movement = zip(Gen<String?>.element(of: ["a", "b"]), Gen<UInt64?>.element(of: [8_999, 9_000, 9_500, 9_999, 10_000, 10_001]), Gen.int64(in: 0...72),
                           Gen.int64(in: -1...1), Gen.bool)
        await propertyCheck(count: 1_000, input: movement.array(of: 0...14)) { drawn in
            let history = drawn.enumerated().map { index, draw in
                AMLMovement(id: "m\(index)", customer: draw.0 ?? "a", asset: "XYZ", direction: draw.4 ? .incoming : .outgoing,
                            amount: UInt128(draw.1 ?? 0), at: draw.2 * 3_600 + draw.3)
            }
            let alerts = AMLScanner.scan(history, decimals: { _ in 0 }).filter { $0.rule == .structuring }
            let reported = alerts.flatMap(\.evidence)
            let qualifying = history.filter { $0.amount >= 9_000 && $0.amount < 10_000 }
            // Movements that start a window of 3 or more qualifying movements of their customer.
            let starts = qualifying.filter { first in
                qualifying.filter { $0.customer == first.customer && $0.at >= first.at && $0.at - first.at < 86_400 }.count >= 3
            }
            #expect(reported.isEmpty == starts.isEmpty, "\(history)")
            #expect(Set(starts.map(\.id)).isSubset(of: reported), "every such window is reported: \(history)")
            #expect(Set(reported).count == reported.count, "no movement in two alerts")
            let byID = Dictionary(uniqueKeysWithValues: history.map { ($0.id, $0) })
            for alert in alerts {
                let members = alert.evidence.compactMap { byID[$0] }
                #expect(members.count >= 3 && members.allSatisfy { qualifying.contains($0) && $0.customer == alert.customer })
                #expect(members.map(\.at) == members.map(\.at).sorted())
                #expect(alert.at == members.last?.at && (members.last?.at ?? 0) - (members.first?.at ?? 0) < 86_400)
            }
        }
    }
}
