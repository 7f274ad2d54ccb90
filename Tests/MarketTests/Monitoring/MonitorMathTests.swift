import PropertyBased
import Testing
@testable import Market

@Suite struct DecimalTextTests {
    @Test func parsesExactly() throws {
        #expect(try DecimalText.parse("1.00", decimals: 18) == DecimalText.one18)
        #expect(try DecimalText.parse("0.000000000000000001", decimals: 18) == 1)
        #expect(try DecimalText.parse("007.5", decimals: 18) == 7_500_000_000_000_000_000)
        #expect(try DecimalText.parse("42", decimals: 0) == 42)
        #expect(try DecimalText.parse("340282366920938463463374607431768211455", decimals: 0) == UInt128.max)
        #expect(try DecimalText.parse("340282366920938463463.374607431768211455", decimals: 18) == UInt128.max)
    }

    @Test(arguments: [
        ("", 18, DecimalTextError.empty),
        ("-1", 18, .invalidCharacter("-", offset: 0)),
        ("+1", 18, .invalidCharacter("+", offset: 0)),
        (" 1", 18, .invalidCharacter(" ", offset: 0)),
        ("1 ", 18, .invalidCharacter(" ", offset: 1)),
        ("x1", 18, .invalidCharacter("x", offset: 0)),
        ("1e5", 18, .invalidCharacter("e", offset: 1)),
        ("1.2.3", 18, .invalidCharacter(".", offset: 3)),
        ("1_000", 18, .invalidCharacter("_", offset: 1)),
        ("١", 18, .invalidCharacter("١", offset: 0)),
        (".", 18, .missingDigits),
        (".5", 18, .missingDigits),
        ("5.", 18, .missingDigits),
        ("1.0000000000000000001", 18, .tooManyFractionDigits(limit: 18)),
        ("1.0", 0, .tooManyFractionDigits(limit: 0)),
        ("340282366920938463463374607431768211456", 0, .overflow),
        ("340282366920938463463.374607431768211456", 18, .overflow),
        ("99999999999999999999999999999999999999999999", 18, .overflow),
    ] as [(String, Int, DecimalTextError)])
    func rejectsMalformed(text: String, decimals: Int, expected: DecimalTextError) {
        #expect(throws: expected) { try DecimalText.parse(text, decimals: decimals) }
    }

    @Test func formatsCanonically() {
        #expect(DecimalText.format(DecimalText.one18, decimals: 18) == "1")
        #expect(DecimalText.format(0, decimals: 18) == "0")
        #expect(DecimalText.format(1, decimals: 18) == "0.000000000000000001")
        #expect(DecimalText.format(1_500_000_000_000_000_000, decimals: 18) == "1.5")
        #expect(DecimalText.format(UInt128.max, decimals: 18) == "340282366920938463463.374607431768211455")
        #expect(DecimalText.format(UInt128.max, decimals: 0) == "340282366920938463463374607431768211455")
    }

    @Test func roundTrips() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let value = Bool.random(using: &random) ? UInt128.random(in: 0...UInt128.max, using: &random) : UInt128(UInt64.random(in: 0...1_000_000, using: &random))
            let decimals = Int.random(in: 0...38, using: &random)
            let text = DecimalText.format(value, decimals: decimals)
            #expect((try? DecimalText.parse(text, decimals: decimals)) == value, "\(text)")
            #expect(!text.contains(".") || !text.hasSuffix("0"))
        }
    }
}

@Suite struct BasisPointsTests {
    @Test func thresholdIsStrict() {
        #expect(!BasisPoints.exceeds(5, bps: 500, of: 100))
        #expect(BasisPoints.exceeds(6, bps: 500, of: 100))
        #expect(BasisPoints.exceeds(1, bps: UInt32.max, of: 0))
        #expect(!BasisPoints.exceeds(0, bps: 1, of: 0))
        // Extremes: 10_000 × max vs bps × max with no overflow.
        #expect(!BasisPoints.exceeds(UInt128.max, bps: 10_000, of: UInt128.max))
        #expect(BasisPoints.exceeds(UInt128.max, bps: 9_999, of: UInt128.max))
        #expect(!BasisPoints.exceeds(UInt128.max, bps: UInt32.max, of: UInt128.max))
    }

    @Test func describesFloorToHundredths() {
        #expect(BasisPoints.describe(1, of: 3) == "3333.33")
        #expect(BasisPoints.describe(0, of: 3) == "0.00")
        #expect(BasisPoints.describe(5, of: 100) == "500.00")
        #expect(BasisPoints.describe(1, of: 0) == nil)
        #expect(BasisPoints.describe(UInt128.max, of: 1) == "3402823669209384634633746074317682114550000.00")
    }

    /// Independent model: 64-bit-limb schoolbook products compared most-significant first.
    static func limbs(_ a: UInt128, _ b: UInt128) -> [UInt64] {
        let x = [UInt64(truncatingIfNeeded: a), UInt64(truncatingIfNeeded: a >> 64)]
        let y = [UInt64(truncatingIfNeeded: b), UInt64(truncatingIfNeeded: b >> 64)]
        var result = [UInt64](repeating: 0, count: 5)
        for i in 0..<2 {
            var carry: UInt64 = 0
            for j in 0..<2 {
                let (high, low) = x[i].multipliedFullWidth(by: y[j])
                let (sum1, o1) = result[i + j].addingReportingOverflow(low)
                let (sum2, o2) = sum1.addingReportingOverflow(carry)
                result[i + j] = sum2
                carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            var k = i + 2
            while carry != 0 {
                let (sum, o) = result[k].addingReportingOverflow(carry)
                result[k] = sum
                carry = o ? 1 : 0
                k += 1
            }
        }
        return result.reversed()
    }

    @Test func exceedsMatchesLimbModel() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            func pick() -> UInt128 {
                switch Int.random(in: 0...3, using: &random) {
                case 0: UInt128.random(in: 0...UInt128.max, using: &random)
                case 1: UInt128.max - UInt128(UInt64.random(in: 0...1_000, using: &random))
                case 2: UInt128(UInt64.random(in: 0...20_000, using: &random))
                default: UInt128(UInt64.random(in: 0...UInt64.max, using: &random)) << Int.random(in: 0...63, using: &random)
                }
            }
            let base = pick()
            let bps = Bool.random(using: &random) ? UInt32.random(in: 0...UInt32.max, using: &random) : UInt32.random(in: 0...20_000, using: &random)
            let difference = Bool.random(using: &random) ? pick() : (base / 10_000) &* UInt128(bps)  // near the threshold
            let expected = Self.limbs(UInt128(bps), base).lexicographicallyPrecedes(Self.limbs(difference, 10_000))
            #expect(BasisPoints.exceeds(difference, bps: bps, of: base) == expected, "\(difference) \(bps) \(base)")
        }
    }
}
