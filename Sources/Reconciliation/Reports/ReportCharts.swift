/// Inline SVG bar charts for the HTML report.
///
/// All geometry is integer (bar lengths via `ReportBarScale`), the markup
/// has no `xmlns` or other URL (inline SVG in HTML5 needs none), every
/// element is explicitly closed and every model string is escaped.
enum ReportCharts {
    /// Horizontal bars of inflow vs outflow per asset (sums over classes).
    ///
    /// Assets have different units, so each asset is scaled to its own
    /// larger flow; the title says so and each bar is labelled with its
    /// exact amount.
    static func flows(_ assets: [AssetReport]) -> String {
        let labelX = 0, barX = 112, barMax = 360, valueX = barX + barMax + 8
        let width = 760, legendHeight = 24, barHeight = 14, rowStep = 16, blockHeight = 44
        let height = legendHeight + Swift.max(assets.count, 1) * blockHeight + 4

        var s = "<svg class=\"chart\" id=\"chart-flows\" role=\"img\" aria-labelledby=\"chart-flows-title\""
        s += " viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\">\n"
        s += "<title id=\"chart-flows-title\">Inflow and outflow per asset (sum over account classes; each asset scaled to its own larger flow)</title>\n"
        s += "<rect class=\"in\" x=\"0\" y=\"4\" width=\"12\" height=\"12\"></rect>"
        s += "<text x=\"18\" y=\"15\">Inflow</text>"
        s += "<rect class=\"out\" x=\"90\" y=\"4\" width=\"12\" height=\"12\"></rect>"
        s += "<text x=\"108\" y=\"15\">Outflow</text>\n"

        if assets.isEmpty {
            s += "<text class=\"empty\" x=\"\(labelX)\" y=\"\(legendHeight + 14)\">No assets</text>\n"
        }
        for (i, a) in assets.enumerated() {
            let totals = ClassTotals(a.classes)
            let scaleMax = Swift.max(totals.inflow ?? 0, totals.outflow ?? 0)
            let top = legendHeight + i * blockHeight
            let name = ReportHTML.escape(a.asset)
            s += "<g class=\"asset\" data-asset=\"\(name)\">\n"
            s += "<text class=\"label\" x=\"\(labelX)\" y=\"\(top + 11)\">\(name)</text>\n"
            for (row, (cls, word, value)) in [("in", "inflow", totals.inflow), ("out", "outflow", totals.outflow)].enumerated() {
                let y = top + row * rowStep
                let w = ReportBarScale.width(value ?? 0, max: scaleMax, maxWidth: barMax)
                let text = value.map { ReportAmount.text($0, decimals: a.decimals) } ?? "overflow"
                s += "<rect class=\"\(cls)\" x=\"\(barX)\" y=\"\(y)\" width=\"\(w)\" height=\"\(barHeight)\" data-flow=\"\(word)\">"
                s += "<title>\(name) \(word) \(ReportHTML.escape(text))</title></rect>"
                s += "<text class=\"value\" x=\"\(valueX)\" y=\"\(y + 11)\">\(word) \(ReportHTML.escape(text))</text>\n"
            }
            s += "</g>\n"
        }
        s += "</svg>\n"
        return s
    }

    /// Horizontal bars of open exceptions per age bucket, on a common scale.
    static func aged(_ buckets: [AgeBucket]) -> String {
        let barX = 112, barMax = 360, valueX = barX + barMax + 8
        let width = 560, rowHeight = 20, barHeight = 14
        let height = Swift.max(buckets.count, 1) * rowHeight + 4
        let scaleMax = Int128(buckets.map(\.count).max() ?? 0)

        var s = "<svg class=\"chart\" id=\"chart-aged\" role=\"img\" aria-labelledby=\"chart-aged-title\""
        s += " viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\">\n"
        s += "<title id=\"chart-aged-title\">Open exceptions by age</title>\n"
        if buckets.isEmpty {
            s += "<text class=\"empty\" x=\"0\" y=\"14\">No aged exceptions</text>\n"
        }
        for (i, b) in buckets.enumerated() {
            let y = i * rowHeight + 2
            let w = ReportBarScale.width(Int128(b.count), max: scaleMax, maxWidth: barMax)
            let label = ReportHTML.escape(b.label)
            s += "<text class=\"label\" x=\"0\" y=\"\(y + 11)\">\(label)</text>"
            s += "<rect class=\"aged\" x=\"\(barX)\" y=\"\(y)\" width=\"\(w)\" height=\"\(barHeight)\">"
            s += "<title>\(label): \(b.count)</title></rect>"
            s += "<text class=\"value\" x=\"\(valueX)\" y=\"\(y + 11)\">\(b.count)</text>\n"
        }
        s += "</svg>\n"
        return s
    }
}
