import PropertyBased
import Testing
import WalletCore

@Suite("Ethereum signed integers (int256) and 128-bit conversions")
struct Int256Tests {
    @Test("Int256 and uint128 conversions are exact")
    func integers() async {
        await propertyCheck(count: 300, input: Gen.uint64(), Gen.uint64(), Gen.bool()) { high, low, negative throws in
            let magnitude = UInt128(high) << 64 | UInt128(low)
            let quantity = EthereumQuantity(uint128: magnitude)
            #expect(quantity.uint128 == magnitude)
            #expect(quantity.description == String(magnitude))
            if let signed = Int128(exactly: magnitude).map({ negative ? -$0 : $0 }) {
                let value = Int256(signed)
                #expect(value.int128 == signed)
                #expect(value.description == String(signed))
                #expect(try Int256(parsing: value.description) == value)
                #expect(value.isNegative == (signed < 0))
            }
        }
    }

    @Test("Int256 limits")
    func limits() throws {
        let max = "57896044618658097711785492504343953926634992332820282019728792003956564819967"
        let min = "-57896044618658097711785492504343953926634992332820282019728792003956564819968"
        #expect(Int256.max.description == max && Int256.min.description == min)
        #expect(try Int256(parsing: max) == .max && Int256(parsing: min) == .min)
        #expect(try Int256(parsing: "-0") == .zero && Int256(parsing: "0x7f") == 127)
        #expect(Int256.min < Int256(-1) && Int256(-1) < .zero && Int256.zero < .max)
        #expect(Int256.min.fits(bits: 256) && !Int256.min.fits(bits: 248) && Int256(-128).fits(bits: 8) && !Int256(-129).fits(bits: 8))
        #expect(Int256(127).fits(bits: 8) && !Int256(128).fits(bits: 8))
        #expect(Int256(Int128.min).int128 == Int128.min && Int256.max.int128 == nil)
        for bad in ["57896044618658097711785492504343953926634992332820282019728792003956564819968",
                    "-57896044618658097711785492504343953926634992332820282019728792003956564819969", "-0x1", "+1", "1.0", ""] {
            #expect(throws: EthereumQuantityError.self) { try Int256(parsing: bad) }
        }
        #expect(EthereumQuantity.max.uint128 == nil && EthereumQuantity(uint128: UInt128.max).uint128 == UInt128.max)
    }
}
