import Foundation
import Testing
import Reconciliation

@Suite("Charts")
struct ReportChartTests {
    @Test("Bar widths use exact integer scaling", arguments: [
        (Int128(50), Int128(100), 360, 180),
        (Int128(100), Int128(100), 360, 360),
        (Int128(1), Int128(3), 360, 120),
        (Int128(2), Int128(3), 100, 66),
        (Int128(1), Int128(1_000), 360, 0),
        (Int128.max, Int128.max, 360, 360),
        (Int128.max - 1, Int128.max, 360, 359),
        (Int128.max / 2, Int128.max, 1_000, 499),
        (Int128(1), Int128.max, Int.max, 0),
        (Int128.max, Int128.max, Int.max, Int.max),
    ])
    func scaling(value: Int128, max: Int128, width: Int, expected: Int) {
        #expect(ReportBarScale.width(value, max: max, maxWidth: width) == expected)
    }

    @Test("Bar widths are never negative nor above the maximum", arguments: [
        (Int128(-5), Int128(100)),
        (Int128.min, Int128.max),
        (Int128(5), Int128(0)),
        (Int128(0), Int128(0)),
        (Int128(5), Int128(-10)),
        (Int128(500), Int128(100)),
        (Int128.max, Int128(1)),
    ])
    func bounds(value: Int128, max: Int128) {
        let w = ReportBarScale.width(value, max: max, maxWidth: 360)
        #expect(w >= 0 && w <= 360)
        #expect(ReportBarScale.width(value, max: max, maxWidth: 0) == 0)
        #expect(ReportBarScale.width(value, max: max, maxWidth: -10) == 0)
    }

    @Test("Rendered SVG geometry is non-negative integers only")
    func geometry() throws {
        var r = Fixtures.sample
        // Hostile inputs: negative flows and counts, sums that overflow.
        r.assets[1].classes = [
            ClassBalances(accountClass: "x", opening: .max, closing: .min, inflow: .max, outflow: -7, pending: 0),
            ClassBalances(accountClass: "y", opening: .max, closing: .min, inflow: 1, outflow: -1, pending: 0),
        ]
        r.reconciliation.aged[2].count = -4
        for html in [ReportHTML.render(r), ReportHTML.render(Fixtures.sample), ReportHTML.render(Fixtures.empty)] {
            let regex = try NSRegularExpression(pattern: "\\s(x|y|width|height)=\"([^\"]*)\"")
            let matches = regex.matches(in: html, range: NSRange(html.startIndex..., in: html))
            #expect(matches.count > 10)
            for m in matches {
                let value = String(html[Range(m.range(at: 2), in: html)!])
                #expect(!value.isEmpty && value.allSatisfy(\.isASCII) && value.allSatisfy(\.isNumber), "bad geometry \(value)")
            }
        }
        let html = ReportHTML.render(r)
        #expect(html.contains("<td data-total=\"opening\" data-asset=\"BTC\">overflow</td>"))
        #expect(html.contains("inflow overflow</text>"))
    }

    @Test("Flow bars are proportional per asset")
    func flowBars() {
        let html = ReportHTML.render(Fixtures.sample)
        // USD: inflow 500.10 is the asset's max; outflow 265.44 -> 26544 * 360 / 50010 = 191.
        #expect(html.contains("width=\"360\" height=\"14\" data-flow=\"inflow\"><title>USD inflow 500.10</title>"))
        #expect(html.contains("width=\"191\" height=\"14\" data-flow=\"outflow\"><title>USD outflow 265.44</title>"))
        // BTC: no inflow, outflow is the max.
        #expect(html.contains("width=\"0\" height=\"14\" data-flow=\"inflow\"><title>BTC inflow 0.00000000</title>"))
        #expect(html.contains("width=\"360\" height=\"14\" data-flow=\"outflow\"><title>BTC outflow 0.50000000</title>"))
        // Aged: max count 2 -> 1 maps to 180.
        #expect(html.contains("<rect class=\"aged\" x=\"112\" y=\"2\" width=\"180\" height=\"14\"><title>0-1 d: 1</title></rect>"))
    }

    @Test("Library sources never mention floating-point or Decimal types")
    func noFloatingPoint() throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Reconciliation/Reports")
        let files = try FileManager.default.contentsOfDirectory(at: sources, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "swift" }
        #expect(files.count >= 5)
        let banned = try NSRegularExpression(pattern: "\\b(Double|Float|Float16|Float32|Float64|Float80|CGFloat|Decimal|NSNumber)\\b")
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let hits = banned.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
            #expect(hits == 0, "\(file.lastPathComponent) mentions a floating-point type")
        }
    }
}
