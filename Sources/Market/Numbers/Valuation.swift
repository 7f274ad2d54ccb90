import CofferBase

/// What an amount of an asset is worth in a fiat currency, in the currency's minor units, and
/// how such a value is shown. One exact computation rounded once: no intermediate rounding, so
/// the same inputs always give the same cents, whatever the order of operations elsewhere.
public enum Valuation {
    /// `amount` smallest units of an asset with `decimals` places (satoshis: 8, wei: 18) at
    /// `price` (fiat per whole asset unit) in minor units of a currency with `minorUnits` places
    /// (USD 2, JPY 0): amount × price × 10^(minorUnits − decimals), rounded once by `rounding`.
    /// The exact product is kept in 256 bits; a result above 2^128-1 is `arithmetic-overflow`,
    /// `decimals` outside 0...255 or `minorUnits` outside 0...38 is `invalid-price`.
    public static func value(
        amount: UInt128, decimals: Int, price: Price, minorUnits: Int, rounding: RoundingRule = .halfEven
    ) throws(MarketNumberError) -> UInt128 {
        guard (0...255).contains(decimals) else { throw .invalidPrice("decimals \(decimals) is outside 0...255") }
        guard (0...38).contains(minorUnits) else { throw .invalidPrice("minor units \(minorUnits) is outside 0...38") }
        let product = UInt256(product: amount, price.mantissa)
        return try scaled(product, byPowerOfTen: price.exponent - decimals + minorUnits, rounding, "the value")
    }

    /// `minor` units shown with `minorUnits` places: "1234.50" for 123450 with 2, "1235" for
    /// 1235 with 0 (JPY). A negative `minorUnits` is treated as 0.
    public static func decimalString(minor: UInt128, minorUnits: Int) -> String {
        AmountText.display(minor, decimals: UInt8(clamping: max(0, minorUnits)))
    }
}
