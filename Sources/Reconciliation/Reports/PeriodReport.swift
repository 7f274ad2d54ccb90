// Data model of an end-of-day / end-of-month report.
//
// Money is never floating point: ledger amounts are `Int128` in the asset's
// smallest unit (rendered with the asset's `decimals`), fiat values are
// decimal strings formatted upstream, rates are integer basis points and
// durations are whole seconds. The model is `Encodable` with snake_case keys
// so the JSON form is simply an encoding of it; `Int128` fields are encoded
// explicitly as decimal strings so any encoder (and any JSON consumer) keeps
// them exact.

/// One report for one tenant (or the operator) over one period.
public struct PeriodReport: Sendable, Equatable, Encodable {
    /// Tenant identifier; `""` means the operator (all tenants).
    public var tenant: String
    /// `"eod"` (end of day) or `"eom"` (end of month).
    public var kind: String
    /// RFC 3339 start of the period, e.g. `"2026-12-01T00:00:00Z"`.
    public var periodStart: String
    /// RFC 3339 end of the period.
    public var periodEnd: String
    /// RFC 3339 time the report was produced.
    public var generatedAt: String
    /// Fiat currency of valuations (e.g. `"EUR"`), `nil` when none.
    public var currency: String?
    /// Per-asset figures.
    public var assets: [AssetReport]
    /// Reconciliation outcome for the period.
    public var reconciliation: ReconciliationSummary
    /// Payout outcome for the period.
    public var payouts: PayoutSummary

    public init(
        tenant: String,
        kind: String,
        periodStart: String,
        periodEnd: String,
        generatedAt: String,
        currency: String?,
        assets: [AssetReport],
        reconciliation: ReconciliationSummary,
        payouts: PayoutSummary
    ) {
        self.tenant = tenant
        self.kind = kind
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.generatedAt = generatedAt
        self.currency = currency
        self.assets = assets
        self.reconciliation = reconciliation
        self.payouts = payouts
    }

    enum CodingKeys: String, CodingKey {
        case tenant
        case kind
        case periodStart = "period_start"
        case periodEnd = "period_end"
        case generatedAt = "generated_at"
        case currency
        case assets
        case reconciliation
        case payouts
    }
}

/// Figures for one asset: balances per account class, fees and deposits.
public struct AssetReport: Sendable, Equatable, Encodable {
    /// Asset code, e.g. `"USD"` or `"BTC"`.
    public var asset: String
    /// Number of decimal places of the smallest unit (2 for cents, 8 for satoshi).
    public var decimals: Int
    /// Balances per account class.
    public var classes: [ClassBalances]
    /// Fees charged in the period, in smallest units.
    public var fees: Int128
    /// Number of deposits in the period.
    public var deposits: Int
    /// Sum of deposits in the period, in smallest units.
    public var depositVolume: Int128
    /// Fiat valuation of the asset's totals, `nil` when no price is known.
    public var fiat: FiatValues?

    public init(
        asset: String,
        decimals: Int,
        classes: [ClassBalances],
        fees: Int128,
        deposits: Int,
        depositVolume: Int128,
        fiat: FiatValues?
    ) {
        self.asset = asset
        self.decimals = decimals
        self.classes = classes
        self.fees = fees
        self.deposits = deposits
        self.depositVolume = depositVolume
        self.fiat = fiat
    }

    enum CodingKeys: String, CodingKey {
        case asset
        case decimals
        case classes
        case fees
        case deposits
        case depositVolume = "deposit_volume"
        case fiat
    }

    /// Encodes `Int128` amounts as decimal strings (exact and portable).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(asset, forKey: .asset)
        try c.encode(decimals, forKey: .decimals)
        try c.encode(classes, forKey: .classes)
        try c.encode(String(fees), forKey: .fees)
        try c.encode(deposits, forKey: .deposits)
        try c.encode(String(depositVolume), forKey: .depositVolume)
        try c.encodeIfPresent(fiat, forKey: .fiat)
    }
}

/// Balances and movements of one account class of one asset.
public struct ClassBalances: Sendable, Equatable, Encodable {
    /// Account class, e.g. `"customer"`, `"operator"`, `"custody"`.
    public var accountClass: String
    /// Balance at period start, in smallest units.
    public var opening: Int128
    /// Balance at period end, in smallest units.
    public var closing: Int128
    /// Credits in the period (>= 0), in smallest units.
    public var inflow: Int128
    /// Debits in the period (>= 0), in smallest units.
    public var outflow: Int128
    /// Pending (not yet settled) amount at period end, in smallest units.
    public var pending: Int128

    public init(
        accountClass: String,
        opening: Int128,
        closing: Int128,
        inflow: Int128,
        outflow: Int128,
        pending: Int128
    ) {
        self.accountClass = accountClass
        self.opening = opening
        self.closing = closing
        self.inflow = inflow
        self.outflow = outflow
        self.pending = pending
    }

    enum CodingKeys: String, CodingKey {
        case accountClass = "account_class"
        case opening
        case closing
        case inflow
        case outflow
        case pending
    }

    /// Encodes `Int128` amounts as decimal strings (exact and portable).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(accountClass, forKey: .accountClass)
        try c.encode(String(opening), forKey: .opening)
        try c.encode(String(closing), forKey: .closing)
        try c.encode(String(inflow), forKey: .inflow)
        try c.encode(String(outflow), forKey: .outflow)
        try c.encode(String(pending), forKey: .pending)
    }
}

/// Fiat valuation of an asset; every value is an exact decimal string.
public struct FiatValues: Sendable, Equatable, Encodable {
    /// Price of one whole unit of the asset in the report currency.
    public var price: String
    public var opening: String
    public var closing: String
    public var inflow: String
    public var outflow: String

    public init(price: String, opening: String, closing: String, inflow: String, outflow: String) {
        self.price = price
        self.opening = opening
        self.closing = closing
        self.inflow = inflow
        self.outflow = outflow
    }

    enum CodingKeys: String, CodingKey {
        case price
        case opening
        case closing
        case inflow
        case outflow
    }
}

/// Outcome of the reconciliation runs in the period.
public struct ReconciliationSummary: Sendable, Equatable, Encodable {
    /// Number of reconciliation runs.
    public var runs: Int
    /// Number of matched items.
    public var matched: Int
    /// Exceptions still open at period end.
    public var openExceptions: Int
    /// Open exceptions per kind, e.g. `"missing_in_ledger"`.
    public var byKind: [KindCount]
    /// Open exceptions per age bucket (`"0-1 d"`, `"1-7 d"`, `"7-30 d"`, `"over 30 d"`).
    public var aged: [AgeBucket]
    /// `"reconciled"`, `"exceptions"` or `"not_run"`.
    public var status: String

    public init(
        runs: Int,
        matched: Int,
        openExceptions: Int,
        byKind: [KindCount],
        aged: [AgeBucket],
        status: String
    ) {
        self.runs = runs
        self.matched = matched
        self.openExceptions = openExceptions
        self.byKind = byKind
        self.aged = aged
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case runs
        case matched
        case openExceptions = "open_exceptions"
        case byKind = "by_kind"
        case aged
        case status
    }
}

/// Number of open exceptions of one kind.
public struct KindCount: Sendable, Equatable, Encodable {
    public var kind: String
    public var count: Int

    public init(kind: String, count: Int) {
        self.kind = kind
        self.count = count
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case count
    }
}

/// Number of open exceptions in one age bucket.
public struct AgeBucket: Sendable, Equatable, Encodable {
    public var label: String
    public var count: Int

    public init(label: String, count: Int) {
        self.label = label
        self.count = count
    }

    enum CodingKeys: String, CodingKey {
        case label
        case count
    }
}

/// Outcome of payouts in the period.
public struct PayoutSummary: Sendable, Equatable, Encodable {
    public var total: Int
    public var succeeded: Int
    public var failed: Int
    public var pending: Int
    /// Success rate in basis points (9850 = 98.50 %), `nil` when no payout finished.
    public var successRateBps: Int?
    /// Median request-to-settlement latency in seconds, `nil` when unknown.
    public var latencyMedianSeconds: Int64?
    /// 95th-percentile latency in seconds, `nil` when unknown.
    public var latencyP95Seconds: Int64?

    public init(
        total: Int,
        succeeded: Int,
        failed: Int,
        pending: Int,
        successRateBps: Int?,
        latencyMedianSeconds: Int64?,
        latencyP95Seconds: Int64?
    ) {
        self.total = total
        self.succeeded = succeeded
        self.failed = failed
        self.pending = pending
        self.successRateBps = successRateBps
        self.latencyMedianSeconds = latencyMedianSeconds
        self.latencyP95Seconds = latencyP95Seconds
    }

    enum CodingKeys: String, CodingKey {
        case total
        case succeeded
        case failed
        case pending
        case successRateBps = "success_rate_bps"
        case latencyMedianSeconds = "latency_median_seconds"
        case latencyP95Seconds = "latency_p95_seconds"
    }
}
