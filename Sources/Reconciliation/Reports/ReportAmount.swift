import CofferBase

/// Exact text of ledger amounts: integer smallest units placed at the
/// asset's decimal point, with no rounding, floating point or grouping.
public enum ReportAmount {
    /// Formats `units` smallest units with `decimals` decimal places: the ledger's own
    /// `AmountText.display` with a sign.
    ///
    /// `text(12345, decimals: 2) == "123.45"`, `text(-5, decimals: 2) == "-0.05"`.
    /// Works for the whole `Int128` range (the magnitude is taken as
    /// `UInt128`, so `Int128.min` does not trap). Negative `decimals` are not
    /// meaningful for an asset and are treated as 0 instead of trapping.
    public static func text(_ units: Int128, decimals: Int) -> String {
        (units < 0 ? "-" : "") + AmountText.display(units.magnitude, decimals: UInt8(clamping: max(0, decimals)))
    }
}
