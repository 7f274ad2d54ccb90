/// One source's latest observation of a pair, as carried by a ``PriceTick``.
public struct SourceQuote: Sendable, Hashable {
    /// Source name, e.g. `"kraken"`.
    public var source: String
    /// The source's price at 18 decimals (1.0 = 10^18).
    public var price: UInt128
    /// When the source observed it, seconds since 1970.
    public var time: Int64

    public init(source: String, price: UInt128, time: Int64) {
        self.source = source
        self.price = price
        self.time = time
    }
}

/// One aggregate price computation for a pair (for example what the aggregation service
/// publishes), with the latest observation of each of the pair's sources.
public struct PriceTick: Sendable, Hashable {
    /// Pair name, e.g. `"BTC/USD"`.
    public var pair: String
    /// Aggregate price at 18 decimals; `nil` when there is no price (e.g. `no_quorum`). Price
    /// rules (`flash_move`, `depeg`, `source_divergence`) skip ticks without a price.
    public var price: UInt128?
    /// When the aggregate was computed, seconds since 1970.
    public var time: Int64
    /// The aggregator's status (`"ok"`, `"stale"`, `"no_quorum"`, `"breaker"`); informational:
    /// it is reported in evidence, and any non-nil price is evaluated whatever the status.
    public var status: String
    /// The latest observation of each source of the pair. It replaces the engine's previous
    /// list for the pair (a source missing here is forgotten).
    public var sources: [SourceQuote]

    public init(pair: String, price: UInt128?, time: Int64, status: String = "ok", sources: [SourceQuote] = []) {
        self.pair = pair
        self.price = price
        self.time = time
        self.status = status
        self.sources = sources
    }
}

extension PriceTick {
    /// The monitoring view of a publication and the sources behind it.
    public init(_ price: AggregatePrice, sources: [SourceQuote]) {
        self.init(pair: price.pair, price: price.price, time: price.time, status: price.status.rawValue, sources: sources)
    }
}

/// One booked transfer out of (or into) an account.
public struct TransferTick: Sendable, Hashable {
    /// The transfer's id (reported in evidence).
    public var id: String
    public var tenant: String
    public var account: String
    /// Asset code, e.g. `"USDC"`.
    public var asset: String
    /// Amount in the asset's smallest units.
    public var amount: UInt128
    /// The same amount valued in the reference fiat at 18 decimals, when known.
    public var value: UInt128?
    /// Seconds since 1970.
    public var time: Int64

    public init(id: String, tenant: String, account: String, asset: String, amount: UInt128, value: UInt128? = nil, time: Int64) {
        self.id = id
        self.tenant = tenant
        self.account = account
        self.asset = asset
        self.amount = amount
        self.value = value
        self.time = time
    }
}

/// An input to ``MonitorEngine/process(_:)``.
public enum MonitorEvent: Sendable, Hashable {
    case price(PriceTick)
    case transfer(TransferTick)

    /// The time the event carries.
    public var time: Int64 {
        switch self {
        case let .price(tick): tick.time
        case let .transfer(tick): tick.time
        }
    }
}

/// How urgent an alert is. Ordered `info < warning < critical`; coded as those lowercase strings.
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case info, warning, critical

    var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One alert emitted by the engine after de-duplication and cool-down.
public struct MonitorAlert: Sendable, Hashable, Codable {
    /// The name of the rule that fired.
    public var rule: String
    public var kind: RuleKind
    public var severity: Severity
    /// Stable de-duplication key: `"<kind>:<subject…>"`, e.g. `"depeg:USDT/USD"`,
    /// `"flash_move:BTC/USD:crash"`, `"velocity:tenant-1:acct-1"`, `"whale:tenant-1:acct-1"`,
    /// `"source_stale:BTC/USD:kraken"`, `"source_divergence:BTC/USD:kraken"`.
    public var key: String
    /// What the alert is about: a pair, an account or a source.
    public var subject: String
    /// One human sentence; every number in it is an exact decimal string.
    public var message: String
    /// The numbers behind the alert as exact decimal strings (prices at 18 decimals rendered
    /// as decimals, amounts in smallest units, times in seconds since 1970).
    public var evidence: [String: String]
    /// The engine time the condition was evaluated at (see ``MonitorEngine`` on time).
    public var time: Int64
    /// How many repeats of this rule and key were suppressed by the cool-down since the
    /// previous alert of the same rule and key.
    public var suppressed: Int

    public init(rule: String, kind: RuleKind, severity: Severity, key: String, subject: String, message: String, evidence: [String: String], time: Int64, suppressed: Int) {
        self.rule = rule
        self.kind = kind
        self.severity = severity
        self.key = key
        self.subject = subject
        self.message = message
        self.evidence = evidence
        self.time = time
        self.suppressed = suppressed
    }
}
