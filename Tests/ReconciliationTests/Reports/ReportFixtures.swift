import Reconciliation

/// Sample reports shared by the tests.
enum Fixtures {
    /// Two assets (one priced), exceptions and payouts: exercises every section.
    static let sample = PeriodReport(
        tenant: "acme",
        kind: "eod",
        periodStart: "2026-12-01T00:00:00Z",
        periodEnd: "2026-12-02T00:00:00Z",
        generatedAt: "2026-12-02T00:05:00Z",
        currency: "EUR",
        assets: [
            AssetReport(
                asset: "USD",
                decimals: 2,
                classes: [
                    ClassBalances(accountClass: "customer", opening: 100_000, closing: 123_456,
                                  inflow: 50_000, outflow: 26_544, pending: 1_000),
                    ClassBalances(accountClass: "operator", opening: 5_000, closing: 5_010,
                                  inflow: 10, outflow: 0, pending: -5),
                ],
                fees: 10,
                deposits: 3,
                depositVolume: 50_000,
                fiat: FiatValues(price: "0.92", opening: "966.00", closing: "1181.89",
                                 inflow: "460.09", outflow: "244.20")
            ),
            AssetReport(
                asset: "BTC",
                decimals: 8,
                classes: [
                    ClassBalances(accountClass: "custody", opening: 150_000_000, closing: 100_000_000,
                                  inflow: 0, outflow: 50_000_000, pending: 0),
                ],
                fees: 1_250,
                deposits: 0,
                depositVolume: 0,
                fiat: nil
            ),
        ],
        reconciliation: ReconciliationSummary(
            runs: 24,
            matched: 1_200,
            openExceptions: 3,
            byKind: [KindCount(kind: "missing_in_ledger", count: 2), KindCount(kind: "amount,mismatch", count: 1)],
            aged: [
                AgeBucket(label: "0-1 d", count: 1), AgeBucket(label: "1-7 d", count: 2),
                AgeBucket(label: "7-30 d", count: 0), AgeBucket(label: "over 30 d", count: 0),
            ],
            status: "exceptions"
        ),
        payouts: PayoutSummary(total: 200, succeeded: 197, failed: 3, pending: 0,
                               successRateBps: 9_850, latencyMedianSeconds: 45, latencyP95Seconds: 3_723)
    )

    /// Nothing happened: no assets, no exceptions, no payouts, no currency.
    static let empty = PeriodReport(
        tenant: "",
        kind: "eom",
        periodStart: "2026-11-01T00:00:00Z",
        periodEnd: "2026-12-01T00:00:00Z",
        generatedAt: "2026-12-01T00:10:00Z",
        currency: nil,
        assets: [],
        reconciliation: ReconciliationSummary(runs: 0, matched: 0, openExceptions: 0,
                                              byKind: [], aged: [], status: "not_run"),
        payouts: PayoutSummary(total: 0, succeeded: 0, failed: 0, pending: 0,
                               successRateBps: nil, latencyMedianSeconds: nil, latencyP95Seconds: nil)
    )
}
