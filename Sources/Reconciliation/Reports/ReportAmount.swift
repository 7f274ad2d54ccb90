/// Exact text of ledger amounts: integer smallest units placed at the
/// asset's decimal point, with no rounding, floating point or grouping.
public enum ReportAmount {
    /// Formats `units` smallest units with `decimals` decimal places.
    ///
    /// `text(12345, decimals: 2) == "123.45"`, `text(-5, decimals: 2) == "-0.05"`.
    /// Works for the whole `Int128` range (the magnitude is taken as
    /// `UInt128`, so `Int128.min` does not trap). Negative `decimals` are not
    /// meaningful for an asset and are treated as 0 instead of trapping.
    public static func text(_ units: Int128, decimals: Int) -> String {
        let sign = units < 0 ? "-" : ""
        let digits = String(units.magnitude)
        guard decimals > 0 else { return sign + digits }
        // Left-pad so there is at least one digit before the point.
        let padded = digits.count > decimals
            ? digits
            : String(repeating: "0", count: decimals - digits.count + 1) + digits
        let point = padded.index(padded.endIndex, offsetBy: -decimals)
        return sign + padded[..<point] + "." + padded[point...]
    }
}
