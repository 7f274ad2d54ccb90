import PropertyBased
import Testing
@testable import Market

/// The implementation against the digit-string model of `Model`: exact, independent arithmetic.
@Suite struct NumberPropertyTests {
    @Test func valuationMatchesModel() async {
        await propertyCheck(count: 500, input: mantissaGen, Gen.int(in: 0...30), smallPriceGen, Gen.int(in: 0...4), ruleGen) {
            amount, decimals, price, minorUnits, rule throws in
            let expected = Model.scale(
                Model.multiply(String(amount), String(price.mantissa)), price.exponent - decimals + minorUnits, rule)
            if Model.fits(expected) {
                #expect(try Valuation.value(amount: amount, decimals: decimals, price: price, minorUnits: minorUnits, rounding: rule)
                    == UInt128(expected)!, "\(amount) e-\(decimals) × \(price) → \(minorUnits) \(rule)")
            } else {
                #expect(throws: MarketNumberError.self) {
                    try Valuation.value(amount: amount, decimals: decimals, price: price, minorUnits: minorUnits, rounding: rule)
                }
            }
        }
    }

    @Test func multiplicationMatchesModel() async {
        await propertyCheck(count: 500, input: priceGen, priceGen, exponentGen, ruleGen) { a, b, exponent, rule throws in
            let expected = Model.scale(
                Model.multiply(String(a.mantissa), String(b.mantissa)), a.exponent + b.exponent - exponent, rule)
            if Model.fits(expected) {
                #expect(try a.multiplied(by: b, exponent: exponent, rounding: rule).mantissa == UInt128(expected)!)
            } else {
                #expect(throws: MarketNumberError.self) { try a.multiplied(by: b, exponent: exponent, rounding: rule) }
            }
        }
    }

    /// q = a ÷ b at exponent E, checked by multiplying back: with d = b × 10^E,
    /// q_down × d ≤ a < (q_down + 1) × d, and the rounded q from the remainder a − q_down × d.
    @Test func divisionMatchesModel() async {
        await propertyCheck(count: 500, input: priceGen, priceGen.filter { !$0.isZero }, exponentGen, ruleGen) { a, b, exponent, rule throws in
            let base = min(a.exponent, b.exponent + exponent)
            let numerator = Model.at(a.mantissa, a.exponent, base: base)
            let unit = Model.at(b.mantissa, b.exponent + exponent, base: base)  // d
            guard let down = try? a.divided(by: b, exponent: exponent, rounding: .down) else {
                // Overflow: the true quotient is at least 2^128.
                #expect(Model.compare(Model.multiply(Model.addOne(Model.maxUInt128), unit), numerator) <= 0)
                return
            }
            let low = Model.multiply(String(down.mantissa), unit)
            #expect(Model.compare(low, numerator) <= 0)
            #expect(Model.compare(numerator, Model.multiply(Model.addOne(String(down.mantissa)), unit)) < 0)
            let rest = Model.subtract(numerator, low)
            let c = Model.compare(Model.multiply(rest, "2"), unit)
            let increment: Bool =
                if Model.strip(rest) == "0" { false } else {
                    switch rule {
                    case .down, .floor: false
                    case .up, .ceiling: true
                    case .halfUp: c >= 0
                    case .halfDown: c > 0
                    case .halfEven: c > 0 || (c == 0 && down.mantissa & 1 == 1)
                    }
                }
            if increment && down.mantissa == .max {
                #expect(throws: MarketNumberError.self) { try a.divided(by: b, exponent: exponent, rounding: rule) }
            } else {
                #expect(try a.divided(by: b, exponent: exponent, rounding: rule).mantissa == down.mantissa + (increment ? 1 : 0))
            }
        }
    }

    @Test func orderMatchesModel() async {
        await propertyCheck(count: 1000, input: priceGen, priceGen) { a, b throws in
            let c = Model.compare(a, b)
            #expect((a < b) == (c < 0))
            #expect((a == b) == (c == 0))
            #expect((a > b) == (c > 0))
            // Digit-string model of the normalized forms: descriptions are equal exactly for equal values.
            #expect((a.description == b.description) == (c == 0))
        }
    }

    @Test func orderOfCloseValuesMatchesModel() async {
        // Same value at different scales, and neighbours: ties are where order bugs hide.
        await propertyCheck(count: 500, input: smallPriceGen, Gen.int(in: 0...18), Gen.int(in: 0...2)) { p, k, delta throws in
            let scaled = Price(mantissa: p.mantissa * powerOfTen(k) + UInt128(delta), exponent: p.exponent - k)
            let c = Model.compare(scaled, p)
            #expect((scaled < p) == (c < 0))
            #expect((scaled == p) == (c == 0))
            #expect((scaled == p) == (scaled.hashValue == p.hashValue) || scaled != p)
        }
    }

    @Test func rescaleRoundTrips() async {
        await propertyCheck(count: 500, input: priceGen, Gen.int(in: 0...76), ruleGen) { p, k, rule throws in
            let finer = p.exponent - k
            guard finer >= -38 else { return }
            let expected = Model.scale(String(p.mantissa), k, .down)
            guard Model.fits(expected) else {
                #expect(throws: MarketNumberError.self) { try p.rescaled(to: finer) }
                return
            }
            let exact = try p.rescaled(to: finer, rounding: rule)
            #expect(exact.mantissa == UInt128(expected)!)
            #expect(exact == p)
            let back = try exact.rescaled(to: p.exponent, rounding: rule)
            #expect(back.mantissa == p.mantissa && back.exponent == p.exponent)
        }
    }

    @Test func coarseRescaleMatchesModel() async {
        await propertyCheck(count: 500, input: priceGen, exponentGen, ruleGen) { p, exponent, rule throws in
            let expected = Model.scale(String(p.mantissa), p.exponent - exponent, rule)
            if Model.fits(expected) {
                #expect(try p.rescaled(to: exponent, rounding: rule).mantissa == UInt128(expected)!)
            } else {
                #expect(throws: MarketNumberError.self) { try p.rescaled(to: exponent, rounding: rule) }
            }
        }
    }

    @Test func parseDescribeRoundTrips() async {
        await propertyCheck(count: 500, input: priceGen) { p throws in
            let normalized = p.normalized()
            guard normalized.exponent <= 0 || Model.fits(Model.at(normalized.mantissa, normalized.exponent, base: 0)) else { return }
            guard String(normalized.mantissa).count - min(0, normalized.exponent) <= 38 + 1,
                  let parsed = try? Price(parsing: p.description) else { return }
            #expect(parsed == p)
            #expect(parsed.description == p.description)
        }
    }
}
