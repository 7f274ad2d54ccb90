/// Cross rates from two prices that share a leg, at `PriceScale` (18 decimals).
///
/// - `invertQuote: true` divides: BTC/EUR = BTC/USD ÷ EUR/USD, `price = base × 10^18 / quote`.
/// - `invertQuote: false` multiplies: BTC/EUR = BTC/USD × USD/EUR, `price = base × quote / 10^18`.
///
/// The price is rounded half-even at 18 decimals. The confidence widens by adding relative
/// confidences: `confidence = baseConf × price / basePrice + quoteConf × price / quotePrice`,
/// each term computed exactly from the rounded `price` and rounded half-even on its own, then
/// summed. Nil when either price is 0 or a result exceeds 128 bits.
public enum CrossRate {
    public static func through(
        _ base: (price: UInt128, confidence: UInt128),
        _ quote: (price: UInt128, confidence: UInt128),
        invertQuote: Bool
    ) -> (price: UInt128, confidence: UInt128)? {
        guard base.price > 0, quote.price > 0 else { return nil }
        let price = invertQuote
            ? FixedPoint.mulDivHalfEven(base.price, PriceScale.one, quote.price)
            : FixedPoint.mulDivHalfEven(base.price, quote.price, PriceScale.one)
        guard let price,
              let fromBase = FixedPoint.mulDivHalfEven(base.confidence, price, base.price),
              let fromQuote = FixedPoint.mulDivHalfEven(quote.confidence, price, quote.price)
        else { return nil }
        let (confidence, overflow) = fromBase.addingReportingOverflow(fromQuote)
        return overflow ? nil : (price, confidence)
    }
}
