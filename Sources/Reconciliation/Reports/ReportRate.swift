/// Text of rates kept as integer basis points (1 bp = 0.01 %).
public enum ReportRate {
    /// Formats basis points as a percentage with two decimals:
    /// `text(bps: 9850) == "98.50%"`, `text(bps: 5) == "0.05%"`.
    public static func text(bps: Int) -> String {
        ReportAmount.text(Int128(bps), decimals: 2) + "%"
    }
}
