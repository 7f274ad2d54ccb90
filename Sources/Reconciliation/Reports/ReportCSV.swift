import CofferBase

/// CSV rendering of a `PeriodReport`: a long ("tidy") table with one row per
/// figure, so spreadsheets and scripts can filter by section/asset/metric.
///
/// Output follows RFC 4180 (CRLF line ends, quoted fields where needed) and
/// is guarded against spreadsheet formula injection.
public enum ReportCSV {
    /// Column names of the first line.
    public static let header = "section,asset,account_class,metric,value"

    /// Renders the whole report, header first, every line ending in CRLF.
    ///
    /// Absent optional figures (currency, success rate, latencies) keep
    /// their row with an empty value so the set of rows is stable.
    public static func render(_ r: PeriodReport) -> String {
        var rows: [[String]] = []
        func add(_ section: String, _ asset: String, _ accountClass: String, _ metric: String, _ value: String) {
            rows.append([section, asset, accountClass, metric, value])
        }

        add("report", "", "", "kind", r.kind)
        add("report", "", "", "tenant", r.tenant)
        add("report", "", "", "period_start", r.periodStart)
        add("report", "", "", "period_end", r.periodEnd)
        add("report", "", "", "generated_at", r.generatedAt)
        add("report", "", "", "currency", r.currency ?? "")

        for a in r.assets {
            let amount = { (units: Int128) in ReportAmount.text(units, decimals: a.decimals) }
            add("asset", a.asset, "", "decimals", String(a.decimals))
            for c in a.classes {
                add("balances", a.asset, c.accountClass, "opening", amount(c.opening))
                add("balances", a.asset, c.accountClass, "inflow", amount(c.inflow))
                add("balances", a.asset, c.accountClass, "outflow", amount(c.outflow))
                add("balances", a.asset, c.accountClass, "pending", amount(c.pending))
                add("balances", a.asset, c.accountClass, "closing", amount(c.closing))
            }
            add("asset", a.asset, "", "fees", amount(a.fees))
            add("asset", a.asset, "", "deposits", String(a.deposits))
            add("asset", a.asset, "", "deposit_volume", amount(a.depositVolume))
            if let f = a.fiat {
                add("fiat", a.asset, "", "price", f.price)
                add("fiat", a.asset, "", "opening", f.opening)
                add("fiat", a.asset, "", "inflow", f.inflow)
                add("fiat", a.asset, "", "outflow", f.outflow)
                add("fiat", a.asset, "", "closing", f.closing)
            }
        }

        let rec = r.reconciliation
        add("reconciliation", "", "", "runs", String(rec.runs))
        add("reconciliation", "", "", "matched", String(rec.matched))
        add("reconciliation", "", "", "open_exceptions", String(rec.openExceptions))
        for k in rec.byKind {
            add("reconciliation", "", "", "exceptions_" + k.kind, String(k.count))
        }
        for b in rec.aged {
            add("reconciliation", "", "", "aged_" + b.label, String(b.count))
        }
        add("reconciliation", "", "", "status", rec.status)

        let p = r.payouts
        add("payouts", "", "", "total", String(p.total))
        add("payouts", "", "", "succeeded", String(p.succeeded))
        add("payouts", "", "", "failed", String(p.failed))
        add("payouts", "", "", "pending", String(p.pending))
        add("payouts", "", "", "success_rate", p.successRateBps.map { ReportRate.text(bps: $0) } ?? "")
        add("payouts", "", "", "latency_median_seconds", p.latencyMedianSeconds.map { String($0) } ?? "")
        add("payouts", "", "", "latency_p95_seconds", p.latencyP95Seconds.map { String($0) } ?? "")

        var out = header + "\r\n"
        for row in rows {
            out += row.map(CSVField.text).joined(separator: ",")
            out += "\r\n"
        }
        return out
    }
}
