/// The market-monitoring rules engine: feed it price and transfer events in arrival order and it
/// returns the alerts they trigger, after de-duplication and cool-down.
///
/// **Pure and deterministic.** No clock, no I/O, no randomness: the same rules and the same
/// calls give the same alerts, in the same order (rules in configuration order; within a rule,
/// by key). Time comes only from the events and from ``tick(now:)``.
///
/// **Time.** The engine keeps a clock: the latest time it has been given. An event (or tick)
/// stamped earlier than the clock is evaluated at the clock, so windows never go backwards
/// and a late event counts as arriving now; the alert then carries `event_time` in its
/// evidence. Windows are `(now − window_seconds, now]`: exact to the second, an entry exactly
/// `window_seconds` old is out.
///
/// **Level-triggered, then de-duplicated.** Each evaluation that finds a condition true makes a
/// candidate alert with a key (see ``MonitorAlert/key``). Per rule and key, a candidate within
/// `cooldown_seconds` of the last emitted alert is suppressed (and counted) unless its severity
/// is higher than that alert's; otherwise it is emitted, carrying the number of repeats
/// suppressed since the previous one. A condition that still holds after the cool-down fires
/// again on its next evaluation.
///
/// **Bounded state.** Flash-move and velocity windows are pruned on every event of their
/// stream and all of them on ``tick(now:)``, which also drops emptied windows and expired
/// cool-downs; what remains is the events inside the windows, the latest source list of each
/// pair, and one record per key that is cooling down or has unreported suppressed repeats.
/// Call ``tick(now:)`` periodically (it is also what evaluates `source_stale` between prices).
public struct MonitorEngine: Sendable {
    /// The rules, in evaluation order.
    public let rules: [MonitorRule]
    /// The latest time given to the engine (nil before the first event or tick).
    public private(set) var clock: Int64?

    private struct StreamKey: Hashable, Sendable {
        var rule: Int
        var stream: [String]
    }

    private struct AlertID: Hashable, Sendable {
        var rule: Int
        var key: String
    }

    private struct Cooldown: Sendable {
        var firedAt: Int64
        var severity: Severity
        var suppressed: Int
    }

    /// A condition found true, before de-duplication.
    private struct Candidate {
        var key: String
        var subject: String
        var severity: Severity
        var message: String
        var evidence: [String: String]
    }

    private var extremes: [StreamKey: SlidingExtremes] = [:]
    private var transfers: [StreamKey: TransferWindow] = [:]
    /// Latest source list per pair, one quote per source name, sorted by name.
    private var sources: [String: [SourceQuote]] = [:]
    private var cooldowns: [AlertID: Cooldown] = [:]

    /// Builds an engine for already-validated rules (see ``MonitorRule/validate(_:)`` for the
    /// set-level check that names are unique; the engine itself keeps rules apart by position).
    public init(rules: [MonitorRule]) {
        self.rules = rules
    }

    /// Evaluates one event against every rule and returns the alerts that survive
    /// de-duplication and cool-down (possibly none).
    public mutating func process(_ event: MonitorEvent) -> [MonitorAlert] {
        let now = advance(to: event.time)
        var alerts: [MonitorAlert] = []
        switch event {
        case let .price(tick):
            let latest = Self.latestPerSource(tick.sources)
            sources[tick.pair] = latest.isEmpty ? nil : latest
            for index in rules.indices {
                let candidates = evaluatePrice(rule: index, tick: tick, sources: latest, now: now)
                alerts += admit(candidates, rule: index, now: now, eventTime: tick.time)
            }
        case let .transfer(tick):
            for index in rules.indices {
                let candidates = evaluateTransfer(rule: index, tick: tick, now: now)
                alerts += admit(candidates, rule: index, now: now, eventTime: tick.time)
            }
        }
        return alerts
    }

    /// Advances the clock to `now` (never backwards), prunes every window and expired
    /// cool-down, and evaluates `source_stale` rules against every pair's latest sources.
    public mutating func tick(now requested: Int64) -> [MonitorAlert] {
        let now = advance(to: requested)
        for (key, var window) in extremes {
            guard case let .flashMove(_, _, windowSeconds) = rules[key.rule].condition else { continue }
            window.prune(after: windowCutoff(now, windowSeconds))
            extremes[key] = window.isEmpty ? nil : window
        }
        for (key, var window) in transfers {
            guard case let .velocity(_, _, _, windowSeconds) = rules[key.rule].condition else { continue }
            window.prune(after: windowCutoff(now, windowSeconds))
            transfers[key] = window.isEmpty ? nil : window
        }
        cooldowns = cooldowns.filter { id, state in
            state.suppressed > 0 || saturatingMinus(now, state.firedAt) < rules[id.rule].cooldownSeconds
        }
        var alerts: [MonitorAlert] = []
        let pairs = sources.keys.sorted()
        for index in rules.indices {
            guard case let .sourceStale(pattern, maxAge) = rules[index].condition else { continue }
            var candidates: [Candidate] = []
            for pair in pairs where Self.matches(pattern, pair) {
                candidates += staleCandidates(pair: pair, sources: sources[pair] ?? [], maxAge: maxAge, severity: rules[index].severity, now: now)
            }
            alerts += admit(candidates, rule: index, now: now, eventTime: requested)
        }
        return alerts
    }

    /// Replaces what the engine knows of a pair's sources without judging a price: sources are
    /// observed more often than prices are published, and `source_stale` must judge the latest
    /// observation of each, not the one seen at the last publication.
    public mutating func updateSources(of pair: String, _ quotes: [SourceQuote]) {
        let latest = Self.latestPerSource(quotes)
        sources[pair] = latest.isEmpty ? nil : latest
    }

    /// Remembers an alert emitted before this engine existed (by a process that stopped), so
    /// its cool-down still holds: a restart does not repeat an alert it would have suppressed.
    /// Unknown rule names are ignored; a later record for the same rule and key wins.
    public mutating func remember(rule name: String, key: String, severity: Severity, firedAt: Int64) {
        for index in rules.indices where rules[index].name == name {
            let id = AlertID(rule: index, key: key)
            if let existing = cooldowns[id], existing.firedAt > firedAt { continue }
            cooldowns[id] = Cooldown(firedAt: firedAt, severity: severity, suppressed: 0)
        }
    }

    /// Repeats suppressed by the cool-down for this rule name and key and not yet reported on
    /// an emitted alert (0 when none, or when the rule or key is unknown).
    public func suppressedCount(rule name: String, key: String) -> Int {
        rules.indices.filter { rules[$0].name == name }.reduce(0) { sum, index in
            sum + (cooldowns[AlertID(rule: index, key: key)]?.suppressed ?? 0)
        }
    }

    /// What the engine currently retains, to observe that state stays bounded.
    public struct RetainedState: Sendable, Hashable {
        /// Live flash-move and velocity windows (one per rule and pair / account).
        public var windows: Int
        /// Entries held across those windows.
        public var windowEntries: Int
        /// Pairs with a remembered source list.
        public var sourcePairs: Int
        /// De-duplication records (keys cooling down or with unreported suppressed repeats).
        public var cooldownKeys: Int
    }

    /// A snapshot of the retained state's size.
    public var retained: RetainedState {
        RetainedState(
            windows: extremes.count + transfers.count,
            windowEntries: extremes.values.reduce(0) { $0 + $1.entries } + transfers.values.reduce(0) { $0 + $1.count },
            sourcePairs: sources.count,
            cooldownKeys: cooldowns.count)
    }

    // MARK: - Evaluation

    private mutating func advance(to time: Int64) -> Int64 {
        let now = max(time, clock ?? time)
        clock = now
        return now
    }

    static func matches(_ pattern: String, _ name: String) -> Bool { pattern == "*" || pattern == name }

    /// One quote per source name (the latest; on equal times the later in the list), by name.
    private static func latestPerSource(_ quotes: [SourceQuote]) -> [SourceQuote] {
        var latest: [String: SourceQuote] = [:]
        for quote in quotes where latest[quote.source].map({ $0.time <= quote.time }) ?? true {
            latest[quote.source] = quote
        }
        return latest.values.sorted { $0.source < $1.source }
    }

    private static func price(_ value: UInt128) -> String { DecimalText.format(value, decimals: 18) }

    private static func bpsText(_ difference: UInt128, of base: UInt128) -> String {
        BasisPoints.describe(difference, of: base) ?? "unbounded"
    }

    private mutating func evaluatePrice(rule index: Int, tick: PriceTick, sources latest: [SourceQuote], now: Int64) -> [Candidate] {
        let pair = tick.pair
        switch rules[index].condition {
        case let .flashMove(pattern, bps, windowSeconds):
            guard Self.matches(pattern, pair), let price = tick.price else { return [] }
            let streamKey = StreamKey(rule: index, stream: [pair])
            var window = extremes[streamKey] ?? SlidingExtremes()
            window.prune(after: windowCutoff(now, windowSeconds))
            window.push(TimedPrice(price: price, time: now))
            extremes[streamKey] = window
            var candidates: [Candidate] = []
            for (direction, reference) in [("crash", window.maximum!), ("spike", window.minimum!)] {
                let difference = BasisPoints.distance(price, reference.price)
                let moved = direction == "spike" ? price > reference.price : price < reference.price
                guard moved, BasisPoints.exceeds(difference, bps: bps, of: reference.price) else { continue }
                let move = Self.bpsText(difference, of: reference.price)
                candidates.append(Candidate(
                    key: "flash_move:\(pair):\(direction)", subject: pair, severity: rules[index].severity,
                    message: "\(pair) \(direction == "spike" ? "spiked" : "crashed") \(move) bps within \(windowSeconds) s, from \(Self.price(reference.price)) at \(reference.time) to \(Self.price(price)) at \(now) (threshold \(bps) bps).",
                    evidence: [
                        "pair": pair, "direction": direction, "from_price": Self.price(reference.price), "from_time": String(reference.time),
                        "to_price": Self.price(price), "move_bps": move, "threshold_bps": String(bps),
                        "window_seconds": String(windowSeconds), "status": tick.status,
                    ]))
            }
            return candidates
        case let .circuitBreaker(pattern):
            guard Self.matches(pattern, pair), tick.status == "breaker" else { return [] }
            let frozen = tick.price.map(Self.price) ?? "none"
            return [Candidate(
                key: "circuit_breaker:\(pair)", subject: pair, severity: rules[index].severity,
                message: "\(pair) circuit breaker tripped at \(now): the published price is frozen at \(frozen) until the market settles.",
                evidence: ["pair": pair, "frozen_price": frozen, "status": tick.status])]
        case let .depeg(pattern, peg, warningBps, criticalBps):
            guard pattern == pair, let price = tick.price else { return [] }
            let difference = BasisPoints.distance(price, peg)
            let severity: Severity
            if BasisPoints.exceeds(difference, bps: criticalBps, of: peg) {
                severity = .critical
            } else if BasisPoints.exceeds(difference, bps: warningBps, of: peg) {
                severity = rules[index].severity
            } else {
                return []
            }
            let side = price > peg ? "above" : "below"
            let deviation = Self.bpsText(difference, of: peg)
            return [Candidate(
                key: "depeg:\(pair)", subject: pair, severity: severity,
                message: "\(pair) at \(Self.price(price)) is \(deviation) bps \(side) its peg of \(Self.price(peg)) (warning above \(warningBps) bps, critical above \(criticalBps) bps).",
                evidence: [
                    "pair": pair, "price": Self.price(price), "peg": Self.price(peg), "deviation_bps": deviation, "side": side,
                    "warning_bps": String(warningBps), "critical_bps": String(criticalBps), "status": tick.status,
                ])]
        case let .sourceStale(pattern, maxAge):
            guard Self.matches(pattern, pair) else { return [] }
            return staleCandidates(pair: pair, sources: latest, maxAge: maxAge, severity: rules[index].severity, now: now)
        case let .sourceDivergence(pattern, bps):
            guard Self.matches(pattern, pair), let aggregate = tick.price else { return [] }
            return latest.compactMap { quote in
                let difference = BasisPoints.distance(quote.price, aggregate)
                guard BasisPoints.exceeds(difference, bps: bps, of: aggregate) else { return nil }
                let divergence = Self.bpsText(difference, of: aggregate)
                return Candidate(
                    key: "source_divergence:\(pair):\(quote.source)", subject: quote.source, severity: rules[index].severity,
                    message: "Source \(quote.source) quotes \(pair) at \(Self.price(quote.price)), \(divergence) bps from the aggregate \(Self.price(aggregate)) (threshold \(bps) bps).",
                    evidence: [
                        "pair": pair, "source": quote.source, "source_price": Self.price(quote.price), "source_time": String(quote.time),
                        "aggregate_price": Self.price(aggregate), "divergence_bps": divergence, "threshold_bps": String(bps), "status": tick.status,
                    ])
            }
        case .whale, .velocity:
            return []
        }
    }

    private func staleCandidates(pair: String, sources latest: [SourceQuote], maxAge: Int64, severity: Severity, now: Int64) -> [Candidate] {
        latest.compactMap { quote in
            let age = saturatingMinus(now, quote.time)
            guard age > maxAge else { return nil }
            return Candidate(
                key: "source_stale:\(pair):\(quote.source)", subject: quote.source, severity: severity,
                message: "Source \(quote.source) for \(pair) last observed at \(quote.time) is \(age) s old at \(now) (max \(maxAge) s).",
                evidence: ["pair": pair, "source": quote.source, "source_time": String(quote.time), "age_seconds": String(age), "max_age_seconds": String(maxAge)])
        }
    }

    private mutating func evaluateTransfer(rule index: Int, tick: TransferTick, now: Int64) -> [Candidate] {
        let who = "account \(tick.account) (tenant \(tick.tenant))"
        switch rules[index].condition {
        case let .whale(pattern, minAmount, minValue):
            guard Self.matches(pattern, tick.asset) else { return [] }
            let byAmount = minAmount.map { tick.amount >= $0 } ?? false
            let byValue = minValue.flatMap { minimum in tick.value.map { $0 >= minimum } } ?? false
            guard byAmount || byValue else { return [] }
            var evidence = ["transfer": tick.id, "tenant": tick.tenant, "account": tick.account, "asset": tick.asset, "amount": String(tick.amount)]
            var reasons: [String] = []
            if let minAmount {
                evidence["min_amount"] = String(minAmount)
                if byAmount { reasons.append("amount \(tick.amount) ≥ \(minAmount)") }
            }
            if let value = tick.value { evidence["value"] = Self.price(value) }
            if let minValue {
                evidence["min_value"] = Self.price(minValue)
                if byValue, let value = tick.value { reasons.append("value \(Self.price(value)) ≥ \(Self.price(minValue))") }
            }
            return [Candidate(
                key: "whale:\(tick.tenant):\(tick.account)", subject: tick.account, severity: rules[index].severity,
                message: "Whale transfer \(tick.id) of \(tick.amount) \(tick.asset) smallest units by \(who): \(reasons.joined(separator: " and ")).",
                evidence: evidence)]
        case let .velocity(pattern, maxCount, maxAmount, windowSeconds):
            guard Self.matches(pattern, tick.asset) else { return [] }
            let streamKey = StreamKey(rule: index, stream: [tick.tenant, tick.account])
            var window = transfers[streamKey] ?? TransferWindow()
            window.prune(after: windowCutoff(now, windowSeconds))
            window.add(tick.amount, at: now)
            transfers[streamKey] = window
            let overCount = maxCount.map { window.count > $0 } ?? false
            let overAmount = maxAmount.map { Wide256($0) < window.total } ?? false
            guard overCount || overAmount else { return [] }
            var evidence = ["tenant": tick.tenant, "account": tick.account, "count": String(window.count), "window_seconds": String(windowSeconds), "transfer": tick.id]
            var limits: [String] = []
            if let maxCount {
                evidence["max_count"] = String(maxCount)
                limits.append("max \(maxCount) transfers")
            }
            var totalText = ""
            if pattern != "*" {
                evidence["asset"] = pattern
                evidence["total_amount"] = window.total.decimalString
                totalText = " totalling \(window.total.decimalString) \(pattern) smallest units"
            }
            if let maxAmount {
                evidence["max_amount"] = String(maxAmount)
                limits.append("max amount \(maxAmount)")
            }
            return [Candidate(
                key: "velocity:\(tick.tenant):\(tick.account)", subject: tick.account, severity: rules[index].severity,
                message: "Velocity: \(who) made \(window.count) transfers\(totalText) within \(windowSeconds) s (\(limits.joined(separator: ", "))).",
                evidence: evidence)]
        case .flashMove, .circuitBreaker, .depeg, .sourceStale, .sourceDivergence:
            return []
        }
    }

    // MARK: - De-duplication and cool-down

    private mutating func admit(_ candidates: [Candidate], rule index: Int, now: Int64, eventTime: Int64) -> [MonitorAlert] {
        let rule = rules[index]
        var alerts: [MonitorAlert] = []
        for candidate in candidates.sorted(by: { $0.key < $1.key }) {
            let id = AlertID(rule: index, key: candidate.key)
            var suppressed = 0
            if var state = cooldowns[id] {
                let cooling = saturatingMinus(now, state.firedAt) < rule.cooldownSeconds
                if cooling && candidate.severity <= state.severity {
                    state.suppressed += 1
                    cooldowns[id] = state
                    continue
                }
                suppressed = state.suppressed
            }
            cooldowns[id] = Cooldown(firedAt: now, severity: candidate.severity, suppressed: 0)
            var evidence = candidate.evidence
            if eventTime != now { evidence["event_time"] = String(eventTime) }
            alerts.append(MonitorAlert(
                rule: rule.name, kind: rule.kind, severity: candidate.severity, key: candidate.key, subject: candidate.subject,
                message: candidate.message, evidence: evidence, time: now, suppressed: suppressed))
        }
        return alerts
    }
}
