import Foundation
import Testing
import Reconciliation

@Suite("HTML")
struct ReportHTMLTests {
    @Test("Document is a self-contained HTML5 page with a restrictive CSP")
    func skeleton() {
        let html = ReportHTML.render(Fixtures.sample)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"))
        #expect(html.contains("<title>End-of-day report 2026-12-01T00:00:00Z to 2026-12-02T00:00:00Z</title>"))
        #expect(html.hasSuffix("</html>\n"))
    }

    @Test("No scripts and no external references", arguments: [Fixtures.sample, Fixtures.empty])
    func noExternal(report: PeriodReport) {
        let html = ReportHTML.render(report).lowercased()
        for needle in ["http:", "https:", "<script", "src=\"//", "href=", "url(", "@import", "//", "javascript:", "xmlns", "<link", "@font-face"] {
            #expect(!html.contains(needle), "found \(needle)")
        }
    }

    @Test("Tags are balanced and properly nested", arguments: [Fixtures.sample, Fixtures.empty])
    func wellFormed(report: PeriodReport) throws {
        let html = ReportHTML.render(report)
        try TagChecker.check(html)
        for tag in ["svg", "table", "tr", "td", "section", "g", "rect", "text", "title"] {
            #expect(html.count(of: "<\(tag)>") + html.count(of: "<\(tag) ") == html.count(of: "</\(tag)>"), "unbalanced \(tag)")
        }
        #expect(html.count(of: "<svg ") == 2)
        #expect(html.count(of: "role=\"img\"") == 2)
    }

    @Test("Model strings are escaped everywhere")
    func escaping() throws {
        var r = Fixtures.sample
        let hostile = "<x&\"y'>"
        r.tenant = hostile
        r.kind = hostile
        r.currency = hostile
        r.assets[0].asset = hostile
        r.assets[0].classes[0].accountClass = hostile
        r.assets[0].fiat?.price = hostile
        r.reconciliation.status = hostile
        r.reconciliation.byKind[0].kind = hostile
        r.reconciliation.aged[0].label = hostile
        let html = ReportHTML.render(r)
        #expect(ReportHTML.escape(hostile) == "&lt;x&amp;&quot;y&#39;&gt;")
        #expect(!html.contains(hostile))
        #expect(!html.contains("<x"))
        #expect(html.contains("<dd id=\"tenant\">&lt;x&amp;&quot;y&#39;&gt;</dd>"))
        #expect(html.contains("<p id=\"status\" class=\"status status-other\" data-status=\"&lt;x&amp;&quot;y&#39;&gt;\">&lt;x&amp;&quot;y&#39;&gt;</p>"))
        try TagChecker.check(html)
    }

    @Test("Totals cells carry data attributes with exact sums")
    func totals() {
        let html = ReportHTML.render(Fixtures.sample)
        #expect(html.contains("<td data-total=\"opening\" data-asset=\"USD\">1050.00</td>"))
        #expect(html.contains("<td data-total=\"inflow\" data-asset=\"USD\">500.10</td>"))
        #expect(html.contains("<td data-total=\"outflow\" data-asset=\"USD\">265.44</td>"))
        #expect(html.contains("<td data-total=\"pending\" data-asset=\"USD\">9.95</td>"))
        #expect(html.contains("<td data-total=\"closing\" data-asset=\"USD\">1284.66</td>"))
        #expect(html.contains("<td data-total=\"closing\" data-asset=\"BTC\">1.00000000</td>"))
    }

    @Test("Sections show fiat, fees, deposits, reconciliation and payouts")
    func sections() {
        let html = ReportHTML.render(Fixtures.sample)
        #expect(html.contains("<th scope=\"row\">Value (EUR)</th>"))
        #expect(html.contains("<td data-fiat=\"closing\" data-asset=\"USD\">1181.89</td>"))
        #expect(html.contains("1 USD = 0.92 EUR"))
        #expect(!html.contains("data-fiat=\"closing\" data-asset=\"BTC\""))
        #expect(html.contains("<dd data-metric=\"fees\" data-asset=\"USD\">0.10</dd>"))
        #expect(html.contains("<dd data-metric=\"deposits\" data-asset=\"USD\">3</dd>"))
        #expect(html.contains("<p id=\"status\" class=\"status status-exceptions\" data-status=\"exceptions\">exceptions</p>"))
        #expect(html.contains("<td data-kind=\"missing_in_ledger\">2</td>"))
        #expect(html.contains("<td data-age=\"1-7 d\">2</td>"))
        #expect(html.contains("<td data-metric=\"success_rate\">98.50%</td>"))
        #expect(html.contains("<td data-metric=\"latency_median\">45 s</td>"))
        #expect(html.contains("<td data-metric=\"latency_p95\">1 h 2 min 3 s</td>"))
    }

    @Test("Empty report renders with placeholders")
    func empty() throws {
        let html = ReportHTML.render(Fixtures.empty)
        #expect(html.contains("<title>End-of-month report"))
        #expect(html.contains("<dd id=\"tenant\">Operator</dd>"))
        #expect(html.contains("No assets in this period."))
        #expect(html.contains("<p id=\"status\" class=\"status status-not_run\" data-status=\"not_run\">not_run</p>"))
        #expect(html.contains("<td data-metric=\"success_rate\"><span class=\"na\">n/a</span></td>"))
        #expect(!html.contains("data-total"))
        try TagChecker.check(html)
    }
}

/// Stack-based check that every tag is closed in order (void elements and
/// `/>` excepted) and that no stray `<` or `>` appears in text.
enum TagChecker {
    struct Problem: Error, CustomStringConvertible { var description: String }

    static let voidElements: Set<String> = ["meta", "br", "hr", "img", "input", "link"]

    static func check(_ html: String) throws {
        var stack: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            if rest[..<open].contains(">") { throw Problem(description: "stray > before \(rest.prefix(40))") }
            guard let close = rest[open...].firstIndex(of: ">") else { throw Problem(description: "unterminated tag") }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("!") { continue }
            if tag.contains("<") { throw Problem(description: "< inside tag \(tag)") }
            if tag.hasPrefix("/") {
                let name = String(tag.dropFirst())
                guard stack.popLast() == name else { throw Problem(description: "unexpected </\(name)>, open: \(stack)") }
                continue
            }
            let name = String(tag.prefix { $0 != " " && $0 != "/" && $0 != "\n" })
            if tag.hasSuffix("/") || voidElements.contains(name) { continue }
            stack.append(name)
        }
        if rest.contains(">") { throw Problem(description: "stray > at end") }
        guard stack.isEmpty else { throw Problem(description: "unclosed: \(stack)") }
    }
}

extension String {
    /// Number of non-overlapping occurrences of `needle`.
    func count(of needle: String) -> Int {
        components(separatedBy: needle).count - 1
    }
}
