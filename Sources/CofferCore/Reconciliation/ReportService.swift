public import CofferBase
import Foundation
public import Ledger
import Market
import Tenancy
public import Reconciliation

/// A report as a door sends it: the media type and the bytes.
public struct ReportDocument: Sendable {
    public let contentType: String
    public let body: [UInt8]
}

/// End-of-day and end-of-month reports per tenant (the operator's covers the whole ledger):
/// opening and closing balances per asset and account class with the flows between them and
/// what is pending, fees, deposits, the reconciliation status with exceptions aged by days,
/// payouts' success rate and latency; valued in a fiat currency where market data has prices.
/// JSON, CSV or a self-contained HTML page with inline SVG charts.
public struct ReportService: Sendable {
    public let ledger: any LedgerStore
    public let recon: ReconStore
    public let facts: ReportFacts
    public let market: MarketService
    /// The audit export's readers: transfers as the ledger's door shows them, the audit chain.
    public let ledgerService: LedgerService
    public let audit: AuditService
    public let clock: @Sendable () -> Int64

    public init(ledgerService: LedgerService, recon: ReconStore, facts: ReportFacts, market: MarketService, audit: AuditService,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        ledger = ledgerService.store
        self.ledgerService = ledgerService
        self.audit = audit
        self.recon = recon
        self.facts = facts
        self.market = market
        self.clock = clock
    }

    /// The period `kind` (`eod`, `eom`) containing `date` (YYYY-MM-DD, UTC) as [start, end) seconds.
    static func period(kind: String, date: String) throws(ServiceError) -> (Int64, Int64) {
        let u = Array(date.utf8)
        guard u.count == 10, let seconds = try? LedgerTime.parseRFC3339(date + "T00:00:00Z") else {
            throw ServiceError.invalid("date: \(date.prefix(20)) is not a date like 2026-12-01")
        }
        let start = Int64(seconds / 1_000_000_000)
        guard start >= 86_400, start < ReconTime.latestSeconds - 31 * 86_400 else {
            throw ServiceError.invalid("date: \(date.prefix(20)) is outside 1970-01-02 to 2499-11-30")
        }
        switch kind {
        case "eod": return (start, start + 86_400)
        case "eom":
            let year = Int(date.prefix(4))!, month = Int(date.dropFirst(5).prefix(2))!
            let first = LedgerTime.daysFromCivil(year: year, month: month, day: 1) * 86_400
            let next = month == 12 ? LedgerTime.daysFromCivil(year: year + 1, month: 1, day: 1) : LedgerTime.daysFromCivil(year: year, month: month + 1, day: 1)
            return (Int64(first), Int64(next * 86_400))
        default: throw ServiceError.invalid("kind: \(kind.prefix(10)) is not eod or eom")
        }
    }

    public func report(kind: String, date: String, format: String, currency: String?, by caller: Caller) async throws -> ReportDocument {
        try caller.require(.read)
        guard ["json", "csv", "html"].contains(format) else { throw ServiceError.invalid("format: \(format.prefix(10)) is not json, csv or html") }
        let code = currency?.uppercased()
        if let code, ISO4217.minorUnits(code) == nil { throw ServiceError.invalid("currency: \(code.prefix(10)) is not an ISO 4217 currency") }
        let report = try await build(kind: kind, date: date, currency: code, by: caller)
        switch format {
        case "csv": return ReportDocument(contentType: "text/csv; charset=utf-8", body: Array(ReportCSV.render(report).utf8))
        case "html": return ReportDocument(contentType: "text/html; charset=utf-8", body: Array(ReportHTML.render(report).utf8))
        default: return ReportDocument(contentType: "application/json", body: try JSONEncoding.encode(report))
        }
    }

    func build(kind: String, date: String, currency: String?, by caller: Caller) async throws -> PeriodReport {
        let (start, end) = try Self.period(kind: kind, date: date)
        let names = LedgerNames(caller)
        let scope = caller.tenant?.tenantID ?? ""
        let selection = LedgerAccountSelection(idPrefix: caller.tenant?.prefix)
        let opening = Dictionary(uniqueKeysWithValues: try await ledger.balances(of: selection, at: ReconTime.nanos(Int128(start)) - 1).map { ($0.id, $0) })
        let closing = try await ledger.balances(of: selection, at: ReconTime.nanos(Int128(end)) - 1)

        struct Sums { var opening: Int128 = 0, closing: Int128 = 0, inflow: Int128 = 0, outflow: Int128 = 0, pending: Int128 = 0 }
        var byAsset: [String: [String: Sums]] = [:]
        func net(_ credits: UInt128, _ debits: UInt128) -> Int128 { Int128(truncatingIfNeeded: credits) &- Int128(truncatingIfNeeded: debits) }
        for account in closing {
            let before = opening[account.id]?.balances ?? .zero
            let after = account.balances
            let accountClass = account.owner.isEmpty ? "operator" : "customer"
            var sums = byAsset[account.asset, default: [:]][accountClass, default: Sums()]
            sums.opening &+= net(before.creditsPosted, before.debitsPosted)
            sums.closing &+= net(after.creditsPosted, after.debitsPosted)
            sums.inflow &+= Int128(truncatingIfNeeded: after.creditsPosted &- before.creditsPosted)
            sums.outflow &+= Int128(truncatingIfNeeded: after.debitsPosted &- before.debitsPosted)
            sums.pending &+= net(after.creditsPending, after.debitsPending)
            byAsset[account.asset, default: [:]][accountClass] = sums
        }

        let payouts = try await facts.payouts(scope: scope, from: start, to: end)
        var fees: [String: UInt128] = [:]
        for payout in payouts where payout.token.isEmpty { if let fee = payout.fee { fees[payout.asset, default: 0] &+= fee } }
        var deposits: [String: (count: Int, volume: UInt128)] = [:]
        for deposit in try await facts.deposits(scope: scope, from: start, to: end) {
            deposits[deposit.asset, default: (0, 0)].count += 1
            deposits[deposit.asset, default: (0, 0)].volume &+= deposit.amount
        }

        var assets: [AssetReport] = []
        for stored in Set(byAsset.keys).union(fees.keys).union(deposits.keys).sorted() {
            guard let local = caller.tenant == nil ? stored : caller.tenant?.local(stored) else { continue }
            let decimals = Int(try await ledger.asset(stored)?.decimals ?? 0)
            let classes = (byAsset[stored] ?? [:]).sorted { $0.key < $1.key }.map { name, s in
                ClassBalances(accountClass: name, opening: s.opening, closing: s.closing, inflow: s.inflow, outflow: s.outflow, pending: s.pending)
            }
            var fiat: FiatValues?
            if let currency, let minorUnits = ISO4217.minorUnits(currency),
               let quote = try await market.quote(asset: names.localAsset(stored), in: currency, at: end - 1), let price = quote.price {
                let totals = classes.reduce(into: Sums()) { t, c in
                    t.opening &+= c.opening; t.closing &+= c.closing; t.inflow &+= c.inflow; t.outflow &+= c.outflow
                }
                func value(_ amount: Int128) -> String {
                    guard let minor = try? Valuation.value(amount: amount.magnitude, decimals: decimals, price: MarketScale.price(price), minorUnits: minorUnits)
                    else { return "overflow" }
                    return (amount < 0 && minor > 0 ? "-" : "") + Valuation.decimalString(minor: minor, minorUnits: minorUnits)
                }
                fiat = FiatValues(price: MarketScale.text(price), opening: value(totals.opening), closing: value(totals.closing), inflow: value(totals.inflow),
                                  outflow: value(totals.outflow))
            }
            assets.append(AssetReport(asset: local, decimals: decimals, classes: classes, fees: Int128(truncatingIfNeeded: fees[stored] ?? 0),
                                      deposits: deposits[stored]?.count ?? 0, depositVolume: Int128(truncatingIfNeeded: deposits[stored]?.volume ?? 0), fiat: fiat))
        }

        let figures = try await recon.reportFigures(scope: scope, from: start, to: end)
        var byKind: [String: Int] = [:]
        var aged = [0, 0, 0, 0]
        let asOf = min(end, clock())  // a report of the current period ages exceptions as of now
        for exception in figures.open {
            byKind[exception.kind, default: 0] += 1
            let days = max(0, asOf - exception.itemTime) / 86_400
            aged[days < 1 ? 0 : days < 7 ? 1 : days < 30 ? 2 : 3] += 1
        }
        let reconciliation = ReconciliationSummary(
            runs: figures.runs, matched: figures.matched, openExceptions: figures.open.count,
            byKind: byKind.sorted { $0.key < $1.key }.map { KindCount(kind: $0.key, count: $0.value) },
            aged: zip(["0-1 d", "1-7 d", "7-30 d", "over 30 d"], aged).map { AgeBucket(label: $0.0, count: $0.1) },
            status: !figures.everRun ? "not_run" : figures.open.isEmpty ? "reconciled" : "exceptions")

        let succeeded = payouts.filter { $0.status == "settled" || $0.status == "confirmed" }
        let failed = payouts.filter { ["failed", "rejected", "compensated"].contains($0.status) }
        let latencies = payouts.filter { $0.status == "settled" }.map { max(0, $0.updatedAt - $0.createdAt) }.sorted()
        func rank(_ permille: Int) -> Int64? {
            guard !latencies.isEmpty else { return nil }
            return latencies[min(latencies.count - 1, max(0, (latencies.count * permille + 999) / 1000 - 1))]
        }
        let finished = succeeded.count + failed.count
        let payoutSummary = PayoutSummary(
            total: payouts.count, succeeded: succeeded.count, failed: failed.count, pending: payouts.count - finished,
            successRateBps: finished == 0 ? nil : succeeded.count * 10_000 / finished, latencyMedianSeconds: rank(500), latencyP95Seconds: rank(950))

        return PeriodReport(tenant: scope, kind: kind, periodStart: ReconTime.text(start), periodEnd: ReconTime.text(end), generatedAt: ReconTime.text(clock()), currency: currency,
                            assets: assets, reconciliation: reconciliation, payouts: payoutSummary)
    }
}
