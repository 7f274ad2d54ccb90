/// Self-contained HTML5 rendering of a `PeriodReport`.
///
/// The page has inline CSS only, no scripts and no URLs of any kind, and a
/// Content-Security-Policy that forbids loading anything, so it can be
/// mailed, archived or opened offline safely. Every model string is escaped.
/// Totals cells carry `data-total` / `data-asset` attributes and the
/// reconciliation status is in `<p id="status">` for automated checks.
public enum ReportHTML {
    /// Renders the complete document.
    public static func render(_ r: PeriodReport) -> String {
        let title = "\(kindLabel(r.kind)) \(r.periodStart) to \(r.periodEnd)"
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
        h += "<meta charset=\"utf-8\">\n"
        h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(escape(title))</title>\n"
        h += "<style>\n\(style)</style>\n"
        h += "</head>\n<body>\n"
        h += header(r, title: title)
        h += assets(r)
        h += flows(r)
        h += reconciliation(r.reconciliation)
        h += payouts(r.payouts)
        h += "<footer><p>Amounts are exact: smallest units placed at each asset&#39;s decimals. Fiat values are shown as provided.</p></footer>\n"
        h += "</body>\n</html>\n"
        return h
    }

    /// Human name of the report kind; unknown kinds are shown verbatim.
    static func kindLabel(_ kind: String) -> String {
        switch kind {
        case "eod": "End-of-day report"
        case "eom": "End-of-month report"
        default: "Report (\(kind))"
        }
    }

    // MARK: - Sections

    private static func header(_ r: PeriodReport, title: String) -> String {
        var h = "<header>\n<h1>\(escape(title))</h1>\n<dl class=\"meta\">\n"
        let tenant = r.tenant.isEmpty ? "Operator" : r.tenant
        h += "<dt>Tenant</dt><dd id=\"tenant\">\(escape(tenant))</dd>\n"
        h += "<dt>Kind</dt><dd id=\"kind\">\(escape(r.kind))</dd>\n"
        h += "<dt>Period</dt><dd><time id=\"period-start\" datetime=\"\(escape(r.periodStart))\">\(escape(r.periodStart))</time>"
        h += " to <time id=\"period-end\" datetime=\"\(escape(r.periodEnd))\">\(escape(r.periodEnd))</time></dd>\n"
        h += "<dt>Generated</dt><dd><time id=\"generated-at\" datetime=\"\(escape(r.generatedAt))\">\(escape(r.generatedAt))</time></dd>\n"
        h += "<dt>Currency</dt><dd id=\"currency\">\(escape(r.currency ?? "none"))</dd>\n"
        h += "</dl>\n</header>\n"
        return h
    }

    private static func assets(_ r: PeriodReport) -> String {
        var h = "<section id=\"assets\">\n<h2>Balances</h2>\n"
        if r.assets.isEmpty {
            h += "<p class=\"empty\">No assets in this period.</p>\n"
        }
        for a in r.assets {
            h += asset(a, currency: r.currency)
        }
        h += "</section>\n"
        return h
    }

    /// One asset: balances by class with a totals row (and, when priced, a
    /// fiat row aligned to the same columns), then fees and deposits.
    private static func asset(_ a: AssetReport, currency: String?) -> String {
        let name = escape(a.asset)
        let amount = { (units: Int128) in ReportAmount.text(units, decimals: a.decimals) }
        let totals = ClassTotals(a.classes)
        let columns = ["opening", "inflow", "outflow", "pending", "closing"]

        var h = "<section class=\"asset\" data-asset=\"\(name)\">\n<h3>\(name)</h3>\n<table class=\"balances\">\n"
        h += "<caption>\(name) balances by account class (\(a.decimals) decimals)</caption>\n"
        h += "<thead><tr><th scope=\"col\">Account class</th>"
        for c in ["Opening", "Inflow", "Outflow", "Pending", "Closing"] { h += "<th scope=\"col\">\(c)</th>" }
        h += "</tr></thead>\n<tbody>\n"
        if a.classes.isEmpty {
            h += "<tr><td colspan=\"6\" class=\"empty\">No accounts</td></tr>\n"
        }
        for c in a.classes {
            let values = [c.opening, c.inflow, c.outflow, c.pending, c.closing]
            h += "<tr><th scope=\"row\">\(escape(c.accountClass))</th>"
            for v in values { h += "<td>\(amount(v))</td>" }
            h += "</tr>\n"
        }
        h += "</tbody>\n<tfoot>\n<tr class=\"total\"><th scope=\"row\">Total</th>"
        let totalValues = [totals.opening, totals.inflow, totals.outflow, totals.pending, totals.closing]
        for (column, value) in zip(columns, totalValues) {
            h += "<td data-total=\"\(column)\" data-asset=\"\(name)\">\(value.map(amount) ?? "overflow")</td>"
        }
        h += "</tr>\n"
        if let f = a.fiat {
            let code = escape(currency ?? "fiat")
            h += "<tr class=\"fiat\"><th scope=\"row\">Value (\(code))</th>"
            h += "<td data-fiat=\"opening\" data-asset=\"\(name)\">\(escape(f.opening))</td>"
            h += "<td data-fiat=\"inflow\" data-asset=\"\(name)\">\(escape(f.inflow))</td>"
            h += "<td data-fiat=\"outflow\" data-asset=\"\(name)\">\(escape(f.outflow))</td>"
            h += "<td class=\"na\">&#8212;</td>"
            h += "<td data-fiat=\"closing\" data-asset=\"\(name)\">\(escape(f.closing))</td></tr>\n"
        }
        h += "</tfoot>\n</table>\n<dl class=\"facts\">\n"
        if let f = a.fiat {
            let code = escape(currency ?? "fiat")
            h += "<dt>Price</dt><dd data-fiat=\"price\" data-asset=\"\(name)\">1 \(name) = \(escape(f.price)) \(code)</dd>\n"
        }
        h += "<dt>Fees</dt><dd data-metric=\"fees\" data-asset=\"\(name)\">\(amount(a.fees))</dd>\n"
        h += "<dt>Deposits</dt><dd data-metric=\"deposits\" data-asset=\"\(name)\">\(a.deposits)</dd>\n"
        h += "<dt>Deposit volume</dt><dd data-metric=\"deposit_volume\" data-asset=\"\(name)\">\(amount(a.depositVolume))</dd>\n"
        h += "</dl>\n</section>\n"
        return h
    }

    private static func flows(_ r: PeriodReport) -> String {
        "<section id=\"flows\">\n<h2>Flows</h2>\n" + ReportCharts.flows(r.assets) + "</section>\n"
    }

    private static func reconciliation(_ rec: ReconciliationSummary) -> String {
        let statusClass = ["reconciled", "exceptions", "not_run"].contains(rec.status) ? rec.status : "other"
        let status = escape(rec.status)
        var h = "<section id=\"reconciliation\">\n<h2>Reconciliation</h2>\n"
        h += "<p id=\"status\" class=\"status status-\(statusClass)\" data-status=\"\(status)\">\(status)</p>\n"
        h += "<table class=\"figures\">\n<caption>Runs</caption>\n<tbody>\n"
        h += "<tr><th scope=\"row\">Runs</th><td data-metric=\"runs\">\(rec.runs)</td></tr>\n"
        h += "<tr><th scope=\"row\">Matched</th><td data-metric=\"matched\">\(rec.matched)</td></tr>\n"
        h += "<tr><th scope=\"row\">Open exceptions</th><td data-metric=\"open_exceptions\">\(rec.openExceptions)</td></tr>\n"
        h += "</tbody>\n</table>\n"

        h += countTable(caption: "Open exceptions by kind", heading: "Kind",
                        rows: rec.byKind.map { ($0.kind, $0.count) }, attribute: "data-kind")
        h += countTable(caption: "Open exceptions by age", heading: "Age",
                        rows: rec.aged.map { ($0.label, $0.count) }, attribute: "data-age")
        h += ReportCharts.aged(rec.aged)
        h += "</section>\n"
        return h
    }

    /// Two-column table of labelled counts; the label is also put in an
    /// attribute on the count cell so tests can find it.
    private static func countTable(caption: String, heading: String, rows: [(String, Int)], attribute: String) -> String {
        var h = "<table class=\"counts\">\n<caption>\(caption)</caption>\n"
        h += "<thead><tr><th scope=\"col\">\(heading)</th><th scope=\"col\">Count</th></tr></thead>\n<tbody>\n"
        if rows.isEmpty {
            h += "<tr><td colspan=\"2\" class=\"empty\">None</td></tr>\n"
        }
        for (label, count) in rows {
            let l = escape(label)
            h += "<tr><th scope=\"row\">\(l)</th><td \(attribute)=\"\(l)\">\(count)</td></tr>\n"
        }
        h += "</tbody>\n</table>\n"
        return h
    }

    private static func payouts(_ p: PayoutSummary) -> String {
        let na = "<span class=\"na\">n/a</span>"
        var h = "<section id=\"payouts\">\n<h2>Payouts</h2>\n<table class=\"figures\">\n<tbody>\n"
        let rows: [(String, String, String)] = [
            ("Total", "total", String(p.total)),
            ("Succeeded", "succeeded", String(p.succeeded)),
            ("Failed", "failed", String(p.failed)),
            ("Pending", "pending", String(p.pending)),
            ("Success rate", "success_rate", p.successRateBps.map { ReportRate.text(bps: $0) } ?? na),
            ("Latency (median)", "latency_median", p.latencyMedianSeconds.map { ReportDuration.text(seconds: $0) } ?? na),
            ("Latency (p95)", "latency_p95", p.latencyP95Seconds.map { ReportDuration.text(seconds: $0) } ?? na),
        ]
        for (label, metric, value) in rows {
            h += "<tr><th scope=\"row\">\(label)</th><td data-metric=\"\(metric)\">\(value)</td></tr>\n"
        }
        h += "</tbody>\n</table>\n</section>\n"
        return h
    }

    // MARK: - Style

    /// Inline stylesheet: system fonts only, nothing fetched.
    private static let style = """
        body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; background: #fff; }
        h1 { font-size: 1.5rem; }
        h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; padding-bottom: .25rem; margin-top: 2rem; }
        h3 { font-size: 1.1rem; }
        dl.meta, dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
        dt { font-weight: 600; }
        dd { margin: 0; font-variant-numeric: tabular-nums; }
        table { border-collapse: collapse; margin: .75rem 0; }
        caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
        th, td { border: 1px solid #ddd; padding: .25rem .6rem; }
        td { text-align: right; font-variant-numeric: tabular-nums; }
        thead th { background: #f3f3f3; }
        tfoot tr.total { font-weight: 700; background: #fafafa; }
        tfoot tr.fiat { color: #444; }
        .na, .empty { color: #888; }
        .status { font-weight: 700; }
        #status::before { content: "Status: "; font-weight: 400; }
        .status-reconciled { color: #1b5e20; }
        .status-exceptions { color: #b71c1c; }
        .status-not_run, .status-other { color: #8a6d00; }
        svg.chart { display: block; margin: .75rem 0; font-size: 12px; max-width: 100%; height: auto; }
        svg.chart text { fill: #1b1b1b; }
        svg.chart rect.in { fill: #2e7d32; }
        svg.chart rect.out { fill: #c62828; }
        svg.chart rect.aged { fill: #ef6c00; }
        footer { margin-top: 2rem; color: #666; font-size: .9rem; }

        """
}
