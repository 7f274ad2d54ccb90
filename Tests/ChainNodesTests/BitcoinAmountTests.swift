import ChainNodes
import CofferBase
import Testing

@Suite struct BitcoinAmountTests {
    @Test(arguments: [
        ("0.00012345", 12_345),
        ("50.00000000", 50_0000_0000),
        ("48.76538831", 48_7653_8831),
        ("0", 0),
        ("0.0", 0),
        ("-0.00000000", 0),
        ("21000000", 21_000_000_0000_0000),
        ("84000000.00000000", 84_000_000_0000_0000),
        ("0.123456780", 12_345_678),
        ("184467440737.09551615", UInt64.max),
    ] as [(String, UInt64)])
    func exactUnits(literal: String, units: UInt64) {
        #expect(BitcoinAmount.units(literal: literal) == units)
    }

    @Test(arguments: ["0.000000001", "1e-9", "1e-05", "1.5e1", "-1", "-0.00000001", "", "1.", ".5", "abc", "1e", "0x10", "184467440737.09551616", "1e20", "1 "])
    func inexactOrInvalid(literal: String) {
        #expect(BitcoinAmount.units(literal: literal) == nil)
    }

    @Test func literalsHaveEightPlaces() {
        #expect(BitcoinAmount.literal(12_345) == .number("0.00012345"))
        #expect(BitcoinAmount.literal(50_0000_0000) == .number("50.00000000"))
        #expect(BitcoinAmount.literal(0) == .number("0.00000000"))
    }
}
