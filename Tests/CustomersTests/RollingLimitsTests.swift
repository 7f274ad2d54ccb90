import Customers
import PropertyBased
import Testing

/// Rolling-window limits against a simple model: random sequences of reservations, posts, voids
/// and clock moves; `used` is the sum of the live entries younger than the window, `remaining`
/// is limit − used, and a reservation is refused exactly when it would take a window over.
struct RollingLimitsTests {
    static let limits = LimitSet(perTransaction: 500, daily: 1_000, weekly: 3_000, monthly: 8_000, payoutsPerHour: 4, payoutsPerDay: 10)

    @Test func windowsRollToTheSecond() {
        let entries = [LimitEntry(id: "a", amount: 600, at: 1_000)]
        #expect(RollingLimits.used(.daily, entries: entries, now: 1_000 + 86_399) == 600)
        #expect(RollingLimits.used(.daily, entries: entries, now: 1_000 + 86_400) == 0)
        #expect(RollingLimits.refusal(Self.limits, entries: entries, amount: 401, now: 2_000)?.kind == .daily)
        #expect(RollingLimits.refusal(Self.limits, entries: entries, amount: 400, now: 2_000) == nil)
        #expect(RollingLimits.refusal(Self.limits, entries: entries, amount: 401, now: 1_000 + 86_400) == nil)
        #expect(RollingLimits.refusal(Self.limits, entries: entries, amount: 501, now: 90_000)?.kind == .perTransaction)
        var voided = entries
        voided[0].state = .voided
        #expect(RollingLimits.used(.daily, entries: voided, now: 2_000) == 0)
        let standing = RollingLimits.standings(Self.limits, entries: entries, now: 2_000).first { $0.kind == .daily }
        #expect(standing?.used == 600 && standing?.remaining == 400)
    }

    @Test func velocityCountsPayouts() {
        let entries = (0..<4).map { LimitEntry(id: "p\($0)", amount: 1, at: 100 + Int64($0)) }
        #expect(RollingLimits.refusal(Self.limits, entries: entries, amount: 1, now: 200)?.kind == .payoutsPerHour)
        #expect(RollingLimits.refusal(Self.limits, entries: entries, amount: 1, now: 100 + 3_600) == nil)
    }

    /// The one-pass totals the commit uses agree with each kind's sum over its window, voided and
    /// new-destination entries included, ages on both sides of every window's edge.
    @Test func oneLoopTotalsAgreeWithEachKindsSum() async {
        let states: [LimitEntry.State] = [.reserved, .posted, .voided]
        let ages: [Int64] = [-10, 0, 1, 3_599, 3_600, 86_399, 86_400, 604_799, 604_800, 2_591_999, 2_592_000, 5_000_000]
        let entry = zip(Gen.uint64(in: 1...1_000_000), Gen<Int64?>.element(of: ages).map { $0 ?? 0 }, Gen.int(in: 0...2), Gen.bool())
        await propertyCheck(count: 300, input: entry.array(of: 0...40)) { rows in
            let now: Int64 = 10_000_000
            let entries = rows.enumerated().map { index, row in
                LimitEntry(id: "e\(index)", amount: UInt128(row.0), at: now - row.1, state: states[row.2], newDestination: row.3)
            }
            let totals = WindowTotals(entries: entries, now: now)
            for kind in LimitKind.allCases where kind.window != nil {
                #expect(totals.used(kind) == RollingLimits.used(kind, entries: entries, now: now), "\(kind)")
            }
        }
    }

    enum Step { case reserve(UInt128), post, void, advance(Int64) }

    @Test func matchesTheModel() async {
        let step = Gen.oneOf(
            Gen.uint64(in: 1...600).map { Step.reserve(UInt128($0)) }, Gen.always(Step.post), Gen.always(Step.void),
            Gen.int64(in: 0...200_000).map { Step.advance($0) })
        await propertyCheck(count: 300, input: step.array(of: 1...80)) { steps in
            var entries: [LimitEntry] = []
            var now: Int64 = 1_000_000
            // The model: (time, amount, live) triples, summed by hand.
            var model: [(at: Int64, amount: UInt128, live: Bool)] = []
            for (index, step) in steps.enumerated() {
                switch step {
                case .reserve(let amount):
                    func modelUsed(_ window: Int64, payouts: Bool) -> UInt128 {
                        model.filter { $0.live && now - $0.at < window }.reduce(UInt128(0)) { $0 + (payouts ? 1 : $1.amount) }
                    }
                    let over = amount > 500 || modelUsed(86_400, payouts: false) + amount > 1_000 || modelUsed(604_800, payouts: false) + amount > 3_000
                        || modelUsed(2_592_000, payouts: false) + amount > 8_000 || modelUsed(3_600, payouts: true) + 1 > 4 || modelUsed(86_400, payouts: true) + 1 > 10
                    let refusal = RollingLimits.refusal(Self.limits, entries: entries, amount: amount, now: now)
                    #expect((refusal != nil) == over, "step \(index): \(amount) at \(now)")
                    if refusal == nil {
                        entries.append(LimitEntry(id: "r\(index)", amount: amount, at: now))
                        model.append((now, amount, true))
                    }
                case .post:
                    if let last = entries.lastIndex(where: { $0.state == .reserved }) { entries[last].state = .posted }
                case .void:
                    if let last = entries.lastIndex(where: { $0.state == .reserved }) {
                        entries[last].state = .voided
                        model[last].live = false
                    }
                case .advance(let seconds):
                    now += seconds
                }
                for standing in RollingLimits.standings(Self.limits, entries: entries, now: now) where standing.kind.window != nil {
                    #expect(standing.used + standing.remaining == max(standing.limit, standing.used))
                    #expect(standing.used <= standing.limit, "never over: \(standing)")
                }
            }
        }
    }
}
