import Payouts
import PropertyBased
import Testing

/// The fee split against a simple model: shares sum to the total exactly, none is above its cap,
/// and the split is as equal as the caps allow (two uncapped shares differ by at most one unit).
struct FeeSplitTests {
    @Test func equalSharesWithTheRemainderToTheEarliest() {
        #expect(FeeSplit.split(10, caps: [100, 100, 100]) == [4, 3, 3])
        #expect(FeeSplit.split(9, caps: [100, 100, 100]) == [3, 3, 3])
        #expect(FeeSplit.split(0, caps: [5, 5]) == [0, 0])
    }

    @Test func aSmallCapPaysItsCapAndTheOthersShareTheRest() {
        #expect(FeeSplit.split(100, caps: [10, 1_000, 1_000]) == [10, 45, 45])
        #expect(FeeSplit.split(30, caps: [10, 10, 10]) == [10, 10, 10])
    }

    @Test func moreThanTheCapsAllowIsRefused() {
        #expect(FeeSplit.split(31, caps: [10, 10, 10]) == nil)
        #expect(FeeSplit.split(1, caps: []) == nil)
        #expect(FeeSplit.split(UInt128.max, caps: [UInt128.max, UInt128.max]) == [UInt128.max / 2 + 1, UInt128.max / 2])
    }

    @Test func matchesTheModel() async {
        await propertyCheck(count: 1_000, input: Gen.uint64(in: 0...5_000), Gen.uint64(in: 0...1_000).array(of: 1...12)) { total, caps in
            let wide = caps.map { UInt128($0) }
            let capacity = wide.reduce(0, +)
            guard let shares = FeeSplit.split(UInt128(total), caps: wide) else {
                #expect(UInt128(total) > capacity, "refused \(total) with caps \(caps)")
                return
            }
            #expect(UInt128(total) <= capacity)
            #expect(shares.reduce(0, +) == UInt128(total))
            #expect(zip(shares, wide).allSatisfy { $0 <= $1 }, "\(shares) over caps \(caps)")
            // Water filling: a share below its cap is at least every other share minus one.
            let top = shares.max() ?? 0
            for (share, cap) in zip(shares, wide) where share < cap {
                #expect(share + 1 >= top, "\(shares) with caps \(caps)")
            }
        }
    }
}
