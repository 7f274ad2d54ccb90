import CofferBase
import Testing
@testable import Market

@Suite struct PriceParsingTests {
    @Test(arguments: [
        ("64123.45", UInt128(6_412_345), -2),
        ("0.00000001", 1, -8),
        ("12", 12, 0),
        ("12.50", 1250, -2),
        ("0", 0, 0),
        ("0.0", 0, -1),
        ("99999999999999999999999999999999999999", UInt128("99999999999999999999999999999999999999")!, 0),
        ("0.00000000000000000000000000000000000001", 1, -38),
        ("0.00000000000000000000000000000000000000", 0, -38),
    ])
    func parsesGoodForms(text: String, mantissa: UInt128, exponent: Int) throws {
        let price = try Price(parsing: text)
        #expect(price.mantissa == mantissa)
        #expect(price.exponent == exponent)
    }

    @Test(arguments: [
        ("", "empty"), ("-1", "sign"), ("+1", "sign"), ("1e5", "exponent"), ("1E5", "exponent"),
        (" 1", "whitespace"), ("1 ", "whitespace"), ("1 000", "whitespace"), (".5", "starts with a decimal point"),
        ("5.", "ends with a decimal point"), ("1.2.3", "more than one"), ("012", "leading zeros"),
        ("00.5", "leading zeros"), ("1,5", "other than digits"), ("١٢", "other than digits"), ("NaN", "other than digits"),
        ("999999999999999999999999999999999999991", "significant digits"),
        ("1.000000000000000000000000000000000000000", "fractional digits"),
        ("0.000000000000000000000000000000000000001", "fractional digits"),
    ])
    func rejectsBadForms(text: String, reason: String) {
        #expect {
            try Price(parsing: text, field: "quote.price")
        } throws: { error in
            guard let error = error as? MarketNumberError else { return false }
            return error.code == "invalid-price" && error.category == .invalidInput
                && error.description.contains("quote.price") && error.description.contains(reason)
        }
    }

    @Test func thirtyEightSignificantDigitsWithLeadingFractionZerosAreAccepted() throws {
        let price = try Price(parsing: "0." + String(repeating: "9", count: 38))
        #expect(price.exponent == -38)
    }
}

@Suite struct PriceDescriptionTests {
    @Test(arguments: [
        (UInt128(125), -1, "12.5"), (1250, -2, "12.5"), (6_412_345, -2, "64123.45"), (1, -8, "0.00000001"),
        (12, 2, "1200"), (1200, 0, "1200"), (0, -5, "0"), (0, 7, "0"), (5, 0, "5"), (100, -2, "1"),
        (1, 38, "1" + String(repeating: "0", count: 38)), (1, -38, "0." + String(repeating: "0", count: 37) + "1"),
    ])
    func describes(mantissa: UInt128, exponent: Int, text: String) {
        #expect(Price(mantissa: mantissa, exponent: exponent).description == text)
    }

    @Test func normalizes() {
        let p = Price(mantissa: 1200, exponent: -2).normalized()
        #expect(p.mantissa == 12 && p.exponent == 0)
        let z = Price(mantissa: 0, exponent: -9).normalized()
        #expect(z.mantissa == 0 && z.exponent == 0)
        let top = Price(mantissa: 100, exponent: 37).normalized()
        #expect(top.mantissa == 10 && top.exponent == 38)
    }

    @Test func equalityAndOrderAreByValue() throws {
        #expect(try Price(parsing: "12.50") == Price(parsing: "12.5"))
        #expect(try Price(parsing: "12.50").hashValue == Price(parsing: "12.5").hashValue)
        #expect(try Price(parsing: "12.49") < Price(parsing: "12.5"))
        #expect(Price(mantissa: .max, exponent: -38) < Price(mantissa: 1, exponent: 38))
        #expect(Price(mantissa: 1, exponent: 38) > Price(mantissa: .max, exponent: -38))
        #expect(Price(mantissa: 0, exponent: 38) < Price(mantissa: 1, exponent: -38))
        #expect(Price(mantissa: 0, exponent: 38) == Price(mantissa: 0, exponent: -38))
    }
}

@Suite struct RoundingTests {
    /// value in tenths → expected whole result of rescaling from exponent -1 to 0.
    static let table: [(RoundingRule, [(UInt128, UInt128)])] = [
        (.halfEven, [(25, 2), (35, 4), (24, 2), (26, 3), (20, 2), (5, 0), (15, 2)]),
        (.halfUp, [(25, 3), (35, 4), (24, 2), (26, 3), (5, 1)]),
        (.halfDown, [(25, 2), (35, 3), (24, 2), (26, 3), (5, 0)]),
        (.down, [(25, 2), (29, 2), (21, 2), (20, 2)]),
        (.floor, [(25, 2), (29, 2), (21, 2)]),
        (.up, [(25, 3), (21, 3), (20, 2), (1, 1)]),
        (.ceiling, [(25, 3), (21, 3), (20, 2)]),
    ]

    @Test(arguments: RoundingTests.table)
    func roundsEachRule(rule: RoundingRule, cases: [(UInt128, UInt128)]) throws {
        for (tenths, expected) in cases {
            let rounded = try Price(mantissa: tenths, exponent: -1).rescaled(to: 0, rounding: rule)
            #expect(rounded.mantissa == expected, "\(rule) \(tenths)/10")
            #expect(rounded.exponent == 0)
        }
    }

    @Test func defaultIsHalfEven() throws {
        #expect(try Price(mantissa: 25, exponent: -1).rescaled(to: 0).mantissa == 2)
        #expect(RoundingRule(rawValue: "half_even") == .halfEven)
        #expect(RoundingRule.allCases.count == 7)
    }

    @Test func stickyDigitsBreakTies() throws {
        // 2.5000001 is above half: every half rule rounds up.
        for rule in [RoundingRule.halfEven, .halfDown, .halfUp] {
            #expect(try Price(mantissa: 25_000_001, exponent: -7).rescaled(to: 0, rounding: rule).mantissa == 3)
        }
        // Far below any representable digit: 1e-38 to exponent 38.
        #expect(try Price(mantissa: 1, exponent: -38).rescaled(to: 38, rounding: .up).mantissa == 1)
        #expect(try Price(mantissa: 1, exponent: -38).rescaled(to: 38, rounding: .halfUp).mantissa == 0)
    }
}

@Suite struct PriceArithmeticTests {
    @Test func rescales() throws {
        let p = try Price(parsing: "64123.45")
        #expect(try p.rescaled(to: -4).mantissa == 641_234_500)
        #expect(try p.rescaled(to: -1).mantissa == 641_234)  // .45 → .4 (half-even, 4 even)
        #expect(try p.rescaled(to: 3).mantissa == 64)
        #expect(try p.rescaled(to: 5).mantissa == 1)
    }

    @Test func rescaleOverflowIsAnError() throws {
        #expect(throws: MarketNumberError.self) { try Price(mantissa: 10, exponent: 0).rescaled(to: -38) }
        #expect(try Price(mantissa: .max, exponent: -1).rescaled(to: 0, rounding: .up).mantissa == UInt128.max / 10 + 1)
        #expect {  // (2^128-1) × 1.5 rounds past 2^128-1
            try Price(mantissa: .max, exponent: 0).multiplied(by: Price(mantissa: 15, exponent: -1), exponent: 0)
        } throws: { ($0 as? MarketNumberError)?.code == "arithmetic-overflow" }
        #expect(try Price(mantissa: .max, exponent: 0).rescaled(to: 0).mantissa == .max)
        #expect {
            try Price(mantissa: 1, exponent: 0).rescaled(to: 39)
        } throws: { ($0 as? MarketNumberError)?.code == "invalid-price" }
    }

    @Test func multiplies() throws {
        let btc = try Price(parsing: "64123.45"), rate = try Price(parsing: "0.92")
        #expect(try btc.multiplied(by: rate, exponent: -2).description == "58993.57")  // 58993.574
        #expect(try btc.multiplied(by: rate, exponent: -2, rounding: .up).description == "58993.58")
        #expect(try btc.multiplied(by: rate, exponent: -4).description == "58993.574")
        let big = Price(mantissa: .max, exponent: 0)
        #expect {
            try big.multiplied(by: big, exponent: 0)
        } throws: { ($0 as? MarketNumberError)?.code == "arithmetic-overflow" }
    }

    @Test func multipliesFullWidthExactly() throws {
        // (2^128-1)^2 = 115792089237316195423570985008687907852589419931798687112530834793049593217025
        let big = Price(mantissa: .max, exponent: 0)
        let small = Price(mantissa: .max, exponent: -38)
        let product = try big.multiplied(by: small, exponent: 1, rounding: .down)
        #expect(product.mantissa == UInt128("115792089237316195423570985008687907852")!)
        let rounded = try big.multiplied(by: small, exponent: 1, rounding: .halfEven)
        #expect(rounded.mantissa == UInt128("115792089237316195423570985008687907853")!)
        #expect(throws: MarketNumberError.self) { try big.multiplied(by: big, exponent: 38) }
    }

    @Test func divides() throws {
        let one = Price(mantissa: 1, exponent: 0), three = Price(mantissa: 3, exponent: 0)
        #expect(try one.divided(by: three, exponent: -4).mantissa == 3333)
        #expect(try one.divided(by: three, exponent: -4, rounding: .up).mantissa == 3334)
        #expect(try Price(mantissa: 2, exponent: 0).divided(by: three, exponent: -2).mantissa == 67)
        #expect(try Price(mantissa: 1, exponent: 0).divided(by: Price(mantissa: 8, exponent: 0), exponent: -2).mantissa == 12)  // .125 → .12
        #expect(try Price(mantissa: 1, exponent: 0).divided(by: Price(mantissa: 8, exponent: 0), exponent: -2, rounding: .halfUp).mantissa == 13)
        #expect(try Price(mantissa: 5, exponent: 0).divided(by: Price(mantissa: 2, exponent: 0), exponent: 1, rounding: .up).mantissa == 1)
        #expect {
            try one.divided(by: Price(mantissa: 0, exponent: -3), exponent: 0)
        } throws: { ($0 as? MarketNumberError)?.code == "invalid-price" }
        #expect {
            try Price(mantissa: .max, exponent: 0).divided(by: Price(mantissa: 1, exponent: -1), exponent: 0)
        } throws: { ($0 as? MarketNumberError)?.code == "arithmetic-overflow" }
    }

    @Test func basisPoints() throws {
        let reference = try Price(parsing: "100")
        #expect(try Price(parsing: "101").basisPoints(from: reference) == 100)
        #expect(try Price(parsing: "99").basisPoints(from: reference) == 100)
        #expect(try Price(parsing: "100.005").basisPoints(from: reference) == 0)  // 0.5 bp → 0 (half-even)
        #expect(try Price(parsing: "100.015").basisPoints(from: reference) == 2)  // 1.5 bp → 2
        #expect(try Price(parsing: "100.0051").basisPoints(from: reference) == 1)
        #expect(try Price(parsing: "200").basisPoints(from: reference) == 10_000)
        #expect(try Price(parsing: "0").basisPoints(from: reference) == 10_000)
        #expect(throws: MarketNumberError.self) { try reference.basisPoints(from: .zero) }
    }
}

@Suite struct ISO4217Tests {
    @Test func minorUnits() {
        #expect(ISO4217.minorUnits("USD") == 2)
        #expect(ISO4217.minorUnits("EUR") == 2)
        #expect(ISO4217.minorUnits("JPY") == 0)
        #expect(ISO4217.minorUnits("KRW") == 0)
        #expect(ISO4217.minorUnits("KWD") == 3)
        #expect(ISO4217.minorUnits("BHD") == 3)
        #expect(ISO4217.minorUnits("CLF") == 4)
        #expect(ISO4217.minorUnits("UYW") == 4)
        #expect(ISO4217.minorUnits("UYI") == 0)
        #expect(ISO4217.minorUnits("XXX") == nil)
        #expect(ISO4217.minorUnits("usd") == nil)
        #expect(ISO4217.minorUnits("BTC") == nil)
        #expect(ISO4217.minorUnits("") == nil)
        #expect(ISO4217.isCurrency("GBP"))
        #expect(!ISO4217.isCurrency("HRK"))
        #expect(ISO4217.codes.count >= 160)
        #expect(ISO4217.codes.allSatisfy { $0.count == 3 && $0.utf8.allSatisfy { (65...90).contains($0) } })
    }
}

@Suite struct ValuationTests {
    @Test func values() throws {
        let btc = try Price(parsing: "64123.45")
        // 0.5 BTC = 32061.725 USD → 3206172 (half-even: .725 → .72), 3206173 half-up.
        #expect(try Valuation.value(amount: 50_000_000, decimals: 8, price: btc, minorUnits: 2) == 3_206_172)
        #expect(try Valuation.value(amount: 50_000_000, decimals: 8, price: btc, minorUnits: 2, rounding: .halfUp) == 3_206_173)
        #expect(try Valuation.value(amount: 1, decimals: 8, price: btc, minorUnits: 2) == 0)
        #expect(try Valuation.value(amount: 1, decimals: 8, price: btc, minorUnits: 2, rounding: .up) == 1)
        // 1 wei at 3000 JPY per ETH: 3e-15 JPY.
        #expect(try Valuation.value(amount: 1, decimals: 18, price: Price(mantissa: 3000, exponent: 0), minorUnits: 0, rounding: .ceiling) == 1)
        #expect(try Valuation.value(amount: 2_000_000_000_000_000_000, decimals: 18, price: Price(mantissa: 3000, exponent: 0), minorUnits: 0) == 6000)
        #expect {
            try Valuation.value(amount: .max, decimals: 0, price: Price(mantissa: 2, exponent: 0), minorUnits: 0)
        } throws: { ($0 as? MarketNumberError)?.code == "arithmetic-overflow" }
        #expect(throws: MarketNumberError.self) { try Valuation.value(amount: 1, decimals: -1, price: btc, minorUnits: 2) }
    }

    @Test func decimalStrings() {
        #expect(Valuation.decimalString(minor: 123_450, minorUnits: 2) == "1234.50")
        #expect(Valuation.decimalString(minor: 1235, minorUnits: 0) == "1235")
        #expect(Valuation.decimalString(minor: 5, minorUnits: 3) == "0.005")
        #expect(Valuation.decimalString(minor: 0, minorUnits: 2) == "0.00")
    }
}
