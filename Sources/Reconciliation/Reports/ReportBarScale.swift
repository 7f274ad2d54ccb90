/// Integer scaling of chart bars, so SVG geometry never uses floating point.
public enum ReportBarScale {
    /// Length of a bar for `value` when `maxValue` maps to `maxWidth`:
    /// `floor(value * maxWidth / maxValue)`, computed exactly in 256-bit
    /// intermediate precision (no overflow even at `Int128.max`).
    ///
    /// Never negative and never above `maxWidth`: non-positive values, a
    /// non-positive maximum or width give 0; values above the maximum are
    /// clamped to it.
    public static func width(_ value: Int128, max maxValue: Int128, maxWidth: Int) -> Int {
        guard value > 0, maxValue > 0, maxWidth > 0 else { return 0 }
        let v = UInt128(min(value, maxValue))
        let m = UInt128(maxValue)
        // v <= m, so the high word of v * maxWidth is < m and the quotient
        // (<= maxWidth) fits; dividingFullWidth cannot overflow.
        let product = v.multipliedFullWidth(by: UInt128(maxWidth))
        let (quotient, _) = m.dividingFullWidth((high: product.high, low: product.low))
        return Int(quotient)
    }
}
