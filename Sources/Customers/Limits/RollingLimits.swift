/// A tier's (or a customer's) limits for one asset, in its smallest unit. Nil: no such limit.
public struct LimitSet: Sendable, Equatable {
    public var perTransaction: UInt128?
    public var daily: UInt128?
    public var weekly: UInt128?
    public var monthly: UInt128?
    /// How many payouts may start in any hour / any day.
    public var payoutsPerHour: Int?
    public var payoutsPerDay: Int?
    /// Stricter limits for payouts to a destination the customer never paid before.
    public var newDestinationPerTransaction: UInt128?
    public var newDestinationDaily: UInt128?

    public init(perTransaction: UInt128? = nil, daily: UInt128? = nil, weekly: UInt128? = nil, monthly: UInt128? = nil,
                payoutsPerHour: Int? = nil, payoutsPerDay: Int? = nil, newDestinationPerTransaction: UInt128? = nil, newDestinationDaily: UInt128? = nil) {
        self.perTransaction = perTransaction
        self.daily = daily
        self.weekly = weekly
        self.monthly = monthly
        self.payoutsPerHour = payoutsPerHour
        self.payoutsPerDay = payoutsPerDay
        self.newDestinationPerTransaction = newDestinationPerTransaction
        self.newDestinationDaily = newDestinationDaily
    }

    /// Whether no limit is set at all.
    public var isEmpty: Bool { self == LimitSet() }

    /// `self` with every limit that `other` sets replaced by `other`'s (a customer's own limits
    /// over its tier's).
    public func overridden(by other: LimitSet) -> LimitSet {
        LimitSet(perTransaction: other.perTransaction ?? perTransaction, daily: other.daily ?? daily, weekly: other.weekly ?? weekly,
                 monthly: other.monthly ?? monthly, payoutsPerHour: other.payoutsPerHour ?? payoutsPerHour,
                 payoutsPerDay: other.payoutsPerDay ?? payoutsPerDay,
                 newDestinationPerTransaction: other.newDestinationPerTransaction ?? newDestinationPerTransaction,
                 newDestinationDaily: other.newDestinationDaily ?? newDestinationDaily)
    }

    /// Every amount limit scaled to `bps` / 10,000 (rounded down) and every count likewise: what a
    /// risky request is allowed. `bps` ≥ 10,000 changes nothing.
    public func scaled(bps: Int) -> LimitSet {
        guard bps < 10_000 else { return self }
        let factor = UInt128(max(bps, 0))
        func amount(_ value: UInt128?) -> UInt128? { value.map { $0 / 10_000 * factor + $0 % 10_000 * factor / 10_000 } }
        func count(_ value: Int?) -> Int? { value.map { $0 * max(bps, 0) / 10_000 } }
        return LimitSet(perTransaction: amount(perTransaction), daily: amount(daily), weekly: amount(weekly), monthly: amount(monthly),
                        payoutsPerHour: count(payoutsPerHour), payoutsPerDay: count(payoutsPerDay),
                        newDestinationPerTransaction: amount(newDestinationPerTransaction), newDestinationDaily: amount(newDestinationDaily))
    }

    /// `self` with `kind`'s limit at least `amount` (a temporary raise never lowers a limit).
    public func raised(_ kind: LimitKind, to amount: UInt128) -> LimitSet {
        var raised = self
        func higher(_ value: UInt128?) -> UInt128 { max(value ?? 0, amount) }
        func higher(_ value: Int?) -> Int { max(value ?? 0, Int(clamping: amount)) }
        switch kind {
        case .perTransaction: raised.perTransaction = higher(perTransaction)
        case .daily: raised.daily = higher(daily)
        case .weekly: raised.weekly = higher(weekly)
        case .monthly: raised.monthly = higher(monthly)
        case .payoutsPerHour: raised.payoutsPerHour = higher(payoutsPerHour)
        case .payoutsPerDay: raised.payoutsPerDay = higher(payoutsPerDay)
        case .newDestinationPerTransaction: raised.newDestinationPerTransaction = higher(newDestinationPerTransaction)
        case .newDestinationDaily: raised.newDestinationDaily = higher(newDestinationDaily)
        }
        return raised
    }
}

/// The limits, each with its name on the wire and its rolling window.
public enum LimitKind: String, Sendable, CaseIterable {
    case perTransaction = "per_tx"
    case daily, weekly, monthly
    case payoutsPerHour = "payouts_per_hour"
    case payoutsPerDay = "payouts_per_day"
    case newDestinationPerTransaction = "new_destination_per_tx"
    case newDestinationDaily = "new_destination_daily"

    /// The window in seconds (rolling: an entry counts while it is younger than this); nil for
    /// the per-transaction maximum.
    public var window: Int64? {
        switch self {
        case .perTransaction, .newDestinationPerTransaction: nil
        case .daily, .payoutsPerDay, .newDestinationDaily: 86_400
        case .weekly: 604_800
        case .monthly: 2_592_000
        case .payoutsPerHour: 3_600
        }
    }

    /// Whether it counts payouts rather than amounts.
    public var countsPayouts: Bool { self == .payoutsPerHour || self == .payoutsPerDay }

    /// Whether it applies only to payouts to new destinations (and counts only those).
    public var newDestinationsOnly: Bool { self == .newDestinationPerTransaction || self == .newDestinationDaily }

    /// The limit of this kind in `set` (a count for the velocity limits); nil when none is set.
    public func limit(in set: LimitSet) -> UInt128? {
        switch self {
        case .perTransaction: set.perTransaction
        case .daily: set.daily
        case .weekly: set.weekly
        case .monthly: set.monthly
        case .payoutsPerHour: set.payoutsPerHour.map { UInt128(max($0, 0)) }
        case .payoutsPerDay: set.payoutsPerDay.map { UInt128(max($0, 0)) }
        case .newDestinationPerTransaction: set.newDestinationPerTransaction
        case .newDestinationDaily: set.newDestinationDaily
        }
    }
}

/// One amount a customer moved (or holds) against its limits: reserved until it is posted (kept)
/// or voided (given back to every window).
public struct LimitEntry: Sendable, Equatable {
    public enum State: String, Sendable { case reserved, posted, voided }

    public let id: String
    public let amount: UInt128
    /// Seconds since 1970.
    public let at: Int64
    public var state: State
    /// Whether it paid a destination the customer had never paid before.
    public var newDestination: Bool

    public init(id: String, amount: UInt128, at: Int64, state: State = .reserved, newDestination: Bool = false) {
        self.id = id
        self.amount = amount
        self.at = at
        self.state = state
        self.newDestination = newDestination
    }

    /// Whether it counts in a window of `seconds` ending at `now`: not voided, and younger than
    /// the window (at `now - seconds` exactly it has left). An entry stamped after `now` counts
    /// too: processes' clocks differ by moments, and a reservation another process made "later"
    /// is already holding money; leaving it out would let two together exceed a limit.
    func counts(window seconds: Int64, now: Int64) -> Bool {
        state != .voided && now - at < seconds
    }
}

/// A limit's standing: the limit, what counts against it now, and what is left.
public struct LimitStanding: Sendable, Equatable {
    public let kind: LimitKind
    public let limit: UInt128
    public let used: UInt128
    public var remaining: UInt128 { limit > used ? limit - used : 0 }
}

/// Rolling-window limits as pure functions of the entries and the clock. Integer arithmetic
/// only; windows roll to the second (no calendar resets).
public enum RollingLimits {
    /// What counts against `kind` at `now` (amounts, or payouts for the velocity limits).
    public static func used(_ kind: LimitKind, entries: [LimitEntry], now: Int64) -> UInt128 {
        guard let window = kind.window else { return 0 }
        let counting = entries.filter { $0.counts(window: window, now: now) && (!kind.newDestinationsOnly || $0.newDestination) }
        return kind.countsPayouts ? UInt128(counting.count) : counting.reduce(UInt128(0)) { $0 &+ $1.amount }
    }

    /// Every limit of `limits` with where it stands at `now`.
    public static func standings(_ limits: LimitSet, entries: [LimitEntry], now: Int64) -> [LimitStanding] {
        LimitKind.allCases.compactMap { kind in
            kind.limit(in: limits).map { LimitStanding(kind: kind, limit: $0, used: used(kind, entries: entries, now: now)) }
        }
    }

    /// Whether `amount` may be reserved at `now`: nil when every limit allows it, else the first
    /// limit it would exceed (per transaction, then the windows shortest first, then velocity)
    /// with what remains of it. The new-destination limits apply only when `newDestination`.
    public static func refusal(_ limits: LimitSet, entries: [LimitEntry], amount: UInt128, now: Int64, newDestination: Bool = false) -> LimitStanding? {
        refusal(limits, totals: WindowTotals(entries: entries, now: now), amount: amount, newDestination: newDestination)
    }

    /// `refusal(_:entries:amount:now:newDestination:)` over the windows' totals (what a store sums).
    public static func refusal(_ limits: LimitSet, totals: WindowTotals, amount: UInt128, newDestination: Bool = false) -> LimitStanding? {
        for kind in LimitKind.allCases where newDestination || !kind.newDestinationsOnly {
            guard let limit = kind.limit(in: limits) else { continue }
            let used = totals.used(kind)
            let total: (partialValue: UInt128, overflow: Bool) =
                switch kind {
                case .perTransaction, .newDestinationPerTransaction: (amount, false)
                case .payoutsPerHour, .payoutsPerDay: used.addingReportingOverflow(1)
                case .daily, .weekly, .monthly, .newDestinationDaily: used.addingReportingOverflow(amount)
                }
            if total.overflow || total.partialValue > limit { return LimitStanding(kind: kind, limit: limit, used: used) }
        }
        return nil
    }
}

/// What counts in each rolling window at one moment: the amounts of the daily, weekly, monthly
/// and new-destination daily windows, and how many reservations the velocity windows hold.
public struct WindowTotals: Sendable, Equatable {
    public var daily: UInt128
    public var weekly: UInt128
    public var monthly: UInt128
    public var newDestinationDaily: UInt128
    public var payoutsPerHour: Int
    public var payoutsPerDay: Int

    public init(daily: UInt128 = 0, weekly: UInt128 = 0, monthly: UInt128 = 0, newDestinationDaily: UInt128 = 0, payoutsPerHour: Int = 0, payoutsPerDay: Int = 0) {
        self.daily = daily
        self.weekly = weekly
        self.monthly = monthly
        self.newDestinationDaily = newDestinationDaily
        self.payoutsPerHour = payoutsPerHour
        self.payoutsPerDay = payoutsPerDay
    }

    /// The totals of `entries` at `now`: what `RollingLimits.used` gives for each kind, in one
    /// pass and without allocating (it runs for every request inside the ledger commit).
    public init(entries: [LimitEntry], now: Int64) {
        self.init()
        for entry in entries where entry.state != .voided {
            let age = now - entry.at
            if age < Self.hour { payoutsPerHour += 1 }
            if age < Self.day {
                daily &+= entry.amount
                payoutsPerDay += 1
                if entry.newDestination { newDestinationDaily &+= entry.amount }
            }
            if age < Self.week { weekly &+= entry.amount }
            if age < Self.month { monthly &+= entry.amount }
        }
    }

    static let hour = LimitKind.payoutsPerHour.window!, day = LimitKind.daily.window!, week = LimitKind.weekly.window!, month = LimitKind.monthly.window!

    public func used(_ kind: LimitKind) -> UInt128 {
        switch kind {
        case .perTransaction, .newDestinationPerTransaction: 0
        case .daily: daily
        case .weekly: weekly
        case .monthly: monthly
        case .newDestinationDaily: newDestinationDaily
        case .payoutsPerHour: UInt128(payoutsPerHour)
        case .payoutsPerDay: UInt128(payoutsPerDay)
        }
    }
}
