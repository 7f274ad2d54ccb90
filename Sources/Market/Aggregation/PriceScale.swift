/// Fixed-point scale of every price and volume in `Market`: 18 decimals, so 64123.45 is
/// `64_123_450_000_000_000_000_000`. Never a floating-point value.
public enum PriceScale {
    public static let decimals = 18
    public static let one: UInt128 = 1_000_000_000_000_000_000
}
