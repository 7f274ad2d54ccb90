/// One CSV field as Coffer writes it for spreadsheets: guarded against formula injection, then
/// quoted per RFC 4180. Every CSV export (period reports, the AML report) writes fields through it.
public enum CSVField {
    /// `raw` as a field: a value starting with `=`, `+`, `-`, `@`, tab or CR that is not a plain
    /// number (`-0.05`, `-1.00%` stay as they are) gets a leading `'`, so spreadsheets show it as
    /// text instead of evaluating it (OWASP CSV injection); then quoted when it contains a comma,
    /// quote, CR or LF, with quotes doubled.
    public static func text(_ raw: String) -> String {
        var value = raw
        if let first = value.unicodeScalars.first, formulaStarters.contains(first), !isPlainNumber(value) {
            value = "'" + value
        }
        // Scalars, not Characters: "\r\n" is a single Character.
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }

    /// First characters that make spreadsheets treat a cell as a formula.
    private static let formulaStarters: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `-?digits(.digits)?%?` in ASCII: what reports write for amounts, counts and rates, and
    /// what a spreadsheet reads as a number.
    static func isPlainNumber(_ s: String) -> Bool {
        var scalars = s.unicodeScalars[...]
        if scalars.first == "-" { scalars = scalars.dropFirst() }
        if scalars.last == "%" { scalars = scalars.dropLast() }
        let parts = scalars.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 2 else { return false }
        return parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0.value >= 0x30 && $0.value <= 0x39 } }
    }
}
