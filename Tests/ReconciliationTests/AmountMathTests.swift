import Testing
@testable import Reconciliation

@Suite("Amount arithmetic")
struct AmountMathTests {
    @Test func absDiffAtExtremes() {
        #expect(AmountMath.absDiff(Int128.max, Int128.min) == UInt128.max)
        #expect(AmountMath.absDiff(Int128.min, Int128.max) == UInt128.max)
        #expect(AmountMath.absDiff(Int128.min, Int128.min) == 0)
        #expect(AmountMath.absDiff(Int64.min, Int64.max) == UInt64.max)
        #expect(AmountMath.absDiff(Int128(-5), Int128(7)) == 12)
    }

    @Test func bpsBoundary() {
        // 50 bps of 10000 is exactly 50.
        #expect(AmountMath.withinBps(10_050, 10_000, bps: 50))
        #expect(!AmountMath.withinBps(10_051, 10_000, bps: 50))
        #expect(AmountMath.withinBps(9_950, 10_000, bps: 50))
        #expect(AmountMath.withinBps(-10_050, -10_000, bps: 50), "negative amounts use |b|")
        #expect(AmountMath.withinBps(0, 0, bps: 0))
        #expect(!AmountMath.withinBps(1, 0, bps: 10_000), "nothing is within a tolerance of zero")
        #expect(AmountMath.maxBpsDelta(10_000, bps: 50) == 50)
        #expect(AmountMath.maxBpsDelta(10_099, bps: 50) == 50, "floored")
    }

    @Test func bpsWithoutOverflow() {
        #expect(AmountMath.withinBps(Int128.max, Int128.min, bps: 20_000))
        #expect(!AmountMath.withinBps(Int128.max, Int128.min, bps: 19_999))
        #expect(AmountMath.withinBps(Int128.max, Int128.max - 1, bps: 1))
        #expect(AmountMath.maxBpsDelta(Int128.min, bps: Int64.max) == UInt128.max, "saturates")
        #expect(AmountMath.offset(Int128.max - 3, by: 10, up: true) == Int128.max)
        #expect(AmountMath.offset(Int128.min + 3, by: 10, up: false) == Int128.min)
        #expect(AmountMath.offset(0, by: UInt128.max, up: false) == Int128.min)
        #expect(AmountMath.offset(5, by: 3, up: false) == 2)
    }

    @Test func absoluteTolerance() {
        #expect(AmountMath.withinAbsolute(105, 100, tolerance: 5))
        #expect(!AmountMath.withinAbsolute(106, 100, tolerance: 5))
        #expect(AmountMath.withinAbsolute(Int128.min, Int128.max, tolerance: Int128.max) == false)
    }

    @Test func driftForConfidence() {
        #expect(AmountMath.driftBps(10_025, 10_000, cap: 150) == 25)
        #expect(AmountMath.driftBps(10_001, 10_000, cap: 150) == 1, "rounded up")
        #expect(AmountMath.driftBps(5, 0, cap: 150) == 150)
        #expect(AmountMath.driftBps(Int128.max, Int128.min, cap: 150) == 150)
        #expect(AmountMath.driftBps(Int128.max, Int128.max - 1, cap: 150) == 1)
    }

    @Test func amountDelta() {
        #expect(AmountDelta(Int128.max, minus: Int128.min).magnitude == UInt128.max)
        #expect(AmountDelta(Int128.max, minus: Int128.min).int128 == nil)
        #expect(AmountDelta(Int128.min, minus: 0).int128 == Int128.min)
        #expect(AmountDelta(3, minus: 10).int128 == -7)
        #expect(AmountDelta(3, minus: 3) == .zero)
        #expect(AmountDelta(3, minus: 10).description == "-7")
    }

    @Test func exactDecimalIntegers() {
        #expect(DecimalText.integer("86400") == 86_400)
        #expect(DecimalText.integer("8.64e4") == 86_400)
        #expect(DecimalText.integer("-170141183460469231731687303715884105728") == Int128.min)
        #expect(DecimalText.integer("170141183460469231731687303715884105728") == nil)
        #expect(DecimalText.integer("1.5") == nil)
        #expect(DecimalText.integer("01") == nil)
    }
}
