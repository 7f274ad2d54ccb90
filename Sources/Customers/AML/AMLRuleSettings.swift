/// The parameters of the AML rules. Amounts in major units are scaled by the asset's decimals, so
/// one setting serves every asset; windows are in seconds. A setting that cannot apply (a count
/// below 1 counts as 1, a window of 0 or less, a scaled amount beyond UInt128) leaves its rule
/// silent rather than guessing.
public struct AMLRuleSettings: Sendable, Equatable {
    /// The amount that must be reported, in the asset's major unit (10 000: the common cash
    /// reporting threshold). Structuring is movements kept just below it.
    public var reportingThresholdMajor: UInt128
    /// Structuring: a movement counts from this share of the threshold (in basis points, 9 000:
    /// 90%) up to, not including, the threshold itself (at or above it is reported anyway).
    public var structuringLowerBps: Int
    /// Structuring: this many such movements of a customer in one asset, in either direction ...
    public var structuringCount: Int
    /// ... less than this many seconds from the first to the last (86 400: a day).
    public var structuringWindow: Int64
    /// Rapid in-and-out: an outgoing movement at most this many seconds after an incoming one
    /// (1 800: half an hour) ...
    public var rapidWindow: Int64
    /// ... of at least this share of it, in basis points (8 000: 80%).
    public var rapidFractionBps: Int
    /// Dormant: a movement at least this many seconds after the customer's previous one, in any
    /// asset (180 days).
    public var dormantSeconds: Int64
    /// Round amounts: movements of exact non-zero multiples of this many major units (1 000) ...
    public var roundUnitMajor: UInt128
    /// ... this many of them, of a customer in one asset ...
    public var roundCount: Int
    /// ... less than this many seconds from the first to the last (3 600: an hour).
    public var roundWindow: Int64

    public init(reportingThresholdMajor: UInt128 = 10_000, structuringLowerBps: Int = 9_000, structuringCount: Int = 3,
                structuringWindow: Int64 = 86_400, rapidWindow: Int64 = 1_800, rapidFractionBps: Int = 8_000,
                dormantSeconds: Int64 = 180 * 86_400, roundUnitMajor: UInt128 = 1_000, roundCount: Int = 3,
                roundWindow: Int64 = 3_600) {
        self.reportingThresholdMajor = reportingThresholdMajor
        self.structuringLowerBps = structuringLowerBps
        self.structuringCount = structuringCount
        self.structuringWindow = structuringWindow
        self.rapidWindow = rapidWindow
        self.rapidFractionBps = rapidFractionBps
        self.dormantSeconds = dormantSeconds
        self.roundUnitMajor = roundUnitMajor
        self.roundCount = roundCount
        self.roundWindow = roundWindow
    }
}
