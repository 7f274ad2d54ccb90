/// The AML rules over movement history: structuring, rapid in-and-out, screening hits, dormant
/// customers waking and bursts of round amounts (see `AMLRule`, `AMLRuleSettings`). Pure and
/// deterministic: the same movements in any order give the same alerts, sorted by time, rule and
/// key. Each rule is a sort and one pass (sliding windows; rapid in-and-out a segment tree), so a
/// scan is O(n log n) over the whole ledger history. Amounts are integers throughout: shares are
/// compared as exact products, never as fractions.
public enum AMLScanner {
    /// Every alert the rules raise over `movements`.
    ///
    /// - Parameter decimals: an asset's decimals. Nil (an unknown asset) silences the rules that
    ///   are set in major units (structuring, round amounts) for it; the other rules still apply,
    ///   their details in smallest units.
    public static func scan(_ movements: [AMLMovement], decimals: (String) -> Int?, screening: ScreeningList = [:],
                            settings: AMLRuleSettings = AMLRuleSettings()) -> [AMLAlert] {
        var assetDecimals: [String: Int] = [:]
        for asset in Set(movements.map(\.asset)) { assetDecimals[asset] = decimals(asset) }

        var alerts: [AMLAlert] = []
        // Ties in time go by id, so the input's order never shows in the output.
        let byCustomerAndAsset = movements.sorted { ($0.customer, $0.asset, $0.at, $0.id) < ($1.customer, $1.asset, $1.at, $1.id) }
        for run in runs(of: byCustomerAndAsset, where: { $0.customer == $1.customer && $0.asset == $1.asset }) {
            let decimals = assetDecimals[run[0].asset]
            alerts += structuring(run, decimals: decimals, settings)
            alerts += roundAmounts(run, decimals: decimals, settings)
            alerts += rapidInOut(run, decimals: decimals, settings)
        }
        // A dormant customer is silent in every asset.
        let byCustomer = movements.sorted { ($0.customer, $0.at, $0.id) < ($1.customer, $1.at, $1.id) }
        for run in runs(of: byCustomer, where: { $0.customer == $1.customer }) {
            alerts += dormant(run, decimals: assetDecimals, settings)
        }
        if !screening.isEmpty { alerts += screened(movements, screening, decimals: assetDecimals) }
        return alerts.sorted { ($0.at, $0.rule.rawValue, $0.key) < ($1.at, $1.rule.rawValue, $1.key) }
    }

    /// Structuring: bursts of movements, either direction, each from `structuringLowerBps` of the
    /// reporting threshold up to just below it.
    static func structuring(_ run: [AMLMovement], decimals: Int?, _ settings: AMLRuleSettings) -> [AMLAlert] {
        guard let scale = decimals.flatMap(power10) else { return [] }
        let (threshold, overflow) = settings.reportingThresholdMajor.multipliedReportingOverflow(by: scale)
        guard !overflow else { return [] }
        let lowerBps = UInt128(clamping: settings.structuringLowerBps)
        let qualifying = run.filter { $0.amount < threshold && isAtLeast($0.amount, bps: lowerBps, of: threshold) }
        return clusters(of: qualifying, count: settings.structuringCount, window: settings.structuringWindow).map { cluster in
            let text = { AMLText.amount($0, cluster[0].asset, decimals: decimals) }
            let smallest = cluster.map(\.amount).min() ?? 0
            let largest = cluster.map(\.amount).max() ?? 0
            let amounts = smallest == largest ? text(smallest) : "\(text(smallest)) to \(text(largest))"
            return alert(.structuring, cluster,
                         detail: "\(AMLText.movements(cluster.count)) of \(amounts) within \(AMLText.duration(span(cluster))), "
                             + "each just below the \(text(threshold)) reporting threshold")
        }
    }

    /// Round amounts: bursts of movements in exact non-zero multiples of `roundUnitMajor`.
    static func roundAmounts(_ run: [AMLMovement], decimals: Int?, _ settings: AMLRuleSettings) -> [AMLAlert] {
        guard let scale = decimals.flatMap(power10) else { return [] }
        let (unit, overflow) = settings.roundUnitMajor.multipliedReportingOverflow(by: scale)
        guard !overflow, unit > 0 else { return [] }
        let qualifying = run.filter { $0.amount > 0 && $0.amount % unit == 0 }
        return clusters(of: qualifying, count: settings.roundCount, window: settings.roundWindow).map { cluster in
            alert(.roundAmounts, cluster,
                  detail: "\(AMLText.movements(cluster.count)) in exact multiples of \(AMLText.amount(unit, cluster[0].asset, decimals: decimals)) "
                      + "within \(AMLText.duration(span(cluster)))")
        }
    }

    /// Rapid in-and-out: an outgoing movement of at least `rapidFractionBps` of an incoming one, at
    /// most `rapidWindow` seconds after it (the same second counts). A movement is in one pair at
    /// most, so one payment is never reported twice: outgoing movements, in time order, each take
    /// the earliest unpaired incoming one that qualifies (the first to leave the window, which
    /// leaves later ones for later payments). Incoming movements of zero move nothing and pair
    /// with none.
    static func rapidInOut(_ run: [AMLMovement], decimals: Int?, _ settings: AMLRuleSettings) -> [AMLAlert] {
        let window = settings.rapidWindow
        let incoming = run.filter { $0.direction == .incoming && $0.amount > 0 }
        guard window >= 0, !incoming.isEmpty else { return [] }
        let bps = UInt128(clamping: settings.rapidFractionBps)
        var open = OpenIncomings(incoming.map(\.amount))
        var alerts: [AMLAlert] = []
        // incoming[earliest..<latest]: at most `window` seconds before the outgoing one, not after it.
        var earliest = 0
        var latest = 0
        for outgoing in run where outgoing.direction == .outgoing {
            while latest < incoming.count && incoming[latest].at <= outgoing.at { latest += 1 }
            while earliest < latest && elapsed(from: incoming[earliest].at, to: outgoing.at) > UInt64(window) { earliest += 1 }
            let bound = largestIncoming(pairedWith: outgoing.amount, bps: bps)
            guard let index = open.first(in: earliest..<latest, atMost: bound) else { continue }
            open.close(index)
            let source = incoming[index]
            let text = { AMLText.amount($0, outgoing.asset, decimals: decimals) }
            alerts.append(AMLAlert(
                rule: .rapidInOut, customer: outgoing.customer, asset: outgoing.asset, evidence: [source.id, outgoing.id], at: outgoing.at,
                detail: "received \(text(source.amount)) and sent \(text(outgoing.amount)) "
                    + "\(AMLText.duration(elapsed(from: source.at, to: outgoing.at))) later, at least \(AMLText.percent(bps: bps)) of it"))
        }
        return alerts
    }

    /// Screening: every movement whose counterparty is on a list.
    static func screened(_ movements: [AMLMovement], _ screening: ScreeningList, decimals: [String: Int]) -> [AMLAlert] {
        movements.compactMap { movement in
            guard let counterparty = movement.counterparty, let list = screening.list(of: counterparty) else { return nil }
            let amount = AMLText.amount(movement.amount, movement.asset, decimals: decimals[movement.asset])
            let what = movement.direction == .incoming ? "received \(amount) from" : "sent \(amount) to"
            return AMLAlert(rule: .screening, customer: movement.customer, asset: movement.asset, evidence: [movement.id], at: movement.at,
                            detail: "\(what) \(counterparty), which is on the screening list \(list)")
        }
    }

    /// Dormant: a movement at least `dormantSeconds` after the customer's previous one (in any
    /// asset); the first movement of all has nothing to wake from.
    static func dormant(_ run: [AMLMovement], decimals: [String: Int], _ settings: AMLRuleSettings) -> [AMLAlert] {
        guard settings.dormantSeconds > 0 else { return [] }
        return zip(run, run.dropFirst()).compactMap { previous, next in
            let silence = elapsed(from: previous.at, to: next.at)
            guard silence >= UInt64(settings.dormantSeconds) else { return nil }
            let amount = AMLText.amount(next.amount, next.asset, decimals: decimals[next.asset])
            return AMLAlert(rule: .dormant, customer: next.customer, asset: next.asset, evidence: [previous.id, next.id], at: next.at,
                            detail: "\(next.direction == .incoming ? "received" : "sent") \(amount) after \(AMLText.duration(silence)) without any movement")
        }
    }

    /// The bursts among `qualifying` (in time order), each reported once however many subsets of
    /// it would qualify. Greedy: from the earliest movement not yet reported, take every one less
    /// than `window` seconds after it; `count` or more make a burst and leave the scan, fewer move
    /// the start on by one. Both ends only move forward: O(n).
    static func clusters(of qualifying: [AMLMovement], count: Int, window: Int64) -> [[AMLMovement]] {
        var clusters: [[AMLMovement]] = []
        var start = 0
        var end = 0
        while start < qualifying.count {
            end = max(end, start)
            while end < qualifying.count && window > 0 && elapsed(from: qualifying[start].at, to: qualifying[end].at) < UInt64(window) {
                end += 1
            }
            if end - start >= max(count, 1) {
                clusters.append(Array(qualifying[start..<end]))
                start = end
            } else {
                start += 1
            }
        }
        return clusters
    }

    /// An alert over a burst: its movements are the evidence, its last one the time.
    static func alert(_ rule: AMLRule, _ cluster: [AMLMovement], detail: String) -> AMLAlert {
        AMLAlert(rule: rule, customer: cluster[0].customer, asset: cluster[0].asset, evidence: cluster.map(\.id),
                 at: cluster[cluster.count - 1].at, detail: detail)
    }

    /// Maximal runs of neighbours in `sorted` that `together` says belong together.
    static func runs(of sorted: [AMLMovement], where together: (AMLMovement, AMLMovement) -> Bool) -> [[AMLMovement]] {
        var runs: [[AMLMovement]] = []
        var start = 0
        for index in sorted.indices.dropFirst() where !together(sorted[index - 1], sorted[index]) {
            runs.append(Array(sorted[start..<index]))
            start = index
        }
        if start < sorted.count { runs.append(Array(sorted[start...])) }
        return runs
    }

    /// Seconds from `earlier` to `later` (not before it): exact for any two Int64 times, which
    /// their difference as Int64 is not.
    static func elapsed(from earlier: Int64, to later: Int64) -> UInt64 { UInt64(bitPattern: later &- earlier) }

    /// Seconds from a burst's first movement to its last.
    static func span(_ cluster: [AMLMovement]) -> UInt64 { elapsed(from: cluster[0].at, to: cluster[cluster.count - 1].at) }

    /// Whether `amount` is at least `bps` / 10 000 of `whole`, compared as exact 256-bit products.
    static func isAtLeast(_ amount: UInt128, bps: UInt128, of whole: UInt128) -> Bool {
        let left = amount.multipliedFullWidth(by: 10_000)
        let right = whole.multipliedFullWidth(by: bps)
        return (left.high, left.low) >= (right.high, right.low)
    }

    /// The largest incoming amount an outgoing `amount` is at least `bps` / 10 000 of:
    /// ⌊amount × 10 000 / bps⌋ over 256 bits; every amount when bps is 0 or the quotient passes UInt128.
    static func largestIncoming(pairedWith amount: UInt128, bps: UInt128) -> UInt128 {
        let product = amount.multipliedFullWidth(by: 10_000)
        guard bps > product.high else { return .max }
        return bps.dividingFullWidth(product).quotient
    }

    /// 10^decimals, or nil when negative or beyond UInt128 (past 38).
    static func power10(_ decimals: Int) -> UInt128? {
        guard decimals >= 0 else { return nil }
        var value: UInt128 = 1
        for _ in 0..<decimals {
            let (next, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            value = next
        }
        return value
    }
}
