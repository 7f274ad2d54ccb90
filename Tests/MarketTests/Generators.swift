import PropertyBased
@testable import Market

/// Mantissas of every size: 0 to 38 digits, or the full UInt128 range (39).
let mantissaGen = zip(Gen.int(in: 0...39), Gen.uint128()).map { pair -> UInt128 in
    pair.0 == 39 ? pair.1 : (pair.0 == 0 ? 0 : pair.1 % powerOfTen(pair.0))
}

let exponentGen = Gen.int(in: -38...38)

let priceGen = zip(mantissaGen, exponentGen).map { pair in Price(mantissa: pair.0, exponent: pair.1) }

/// Prices of realistic scale: up to 20 digits, exponents -12...4.
let smallPriceGen = zip(Gen.int(in: 1...20), Gen.uint128(), Gen.int(in: -12...4)).map { t in
    Price(mantissa: t.1 % powerOfTen(t.0), exponent: t.2)
}

let ruleGen = Gen<RoundingRule>.case
