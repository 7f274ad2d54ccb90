/// One pair's aggregation state, fed in time order.
///
/// **Computation at time `now`** (`now` never goes back: an observation older than the last
/// computation is computed at the last computation's time):
/// 1. Fresh sources: the latest observation of each source (a later `sourceTime` replaces an
///    earlier one) with `sourceTime > now − maxAge`.
/// 2. No fresh source: `stale` with the last published non-nil price carried (confidence nil,
///    sources 0) if the pair ever had a price; otherwise `noQuorum` with price nil.
/// 3. Outliers: `m` = weighted median of the fresh prices, `MAD` = weighted median of
///    `|p − m|`; a source is rejected when `|p − m| > outlierMADs × max(MAD, m / 1000)` (the
///    floor is 10 bps of `m`, so identical sources do not reject a slightly different honest
///    one). Rejected sources are listed in `rejected`.
/// 4. Fewer than `quorum` survivors: `noQuorum`, price and confidence nil.
/// 5. Otherwise the spot is the weighted median of the survivors and the confidence the
///    weighted median of `|p − spot|` over them. Every computed spot is recorded into the TWAP
///    (`twapWindow`) and the 24 h rolling median, whether or not the breaker accepts it.
/// 6. Circuit breaker (only if `breakerBps` is set), see below.
///
/// Weights: an observation's `weight`, with 0 counted as 1.
///
/// **Low liquidity**: `minimumVolume` is set and the summed volume of the fresh sources
/// (missing volume counts 0) is below it, or `quorum >= 2` and fewer than 2 sources survive.
///
/// **Circuit breaker** (rule as implemented):
/// - Not tripped: the reference is the latest accepted spot at or before `now − breakerWindow`
///   (or, while the accepted history is shorter than the window, the oldest accepted spot
///   since the last release). The breaker trips when `|spot − reference| > breakerBps` of the
///   reference, or (`breakerTwapBps` set) when `|spot − TWAP| > breakerTwapBps` of the TWAP
///   (the TWAP before this spot; quiet for a TWAP window after a release at a new level, while
///   the average catches up). The spot is then not accepted; the price is frozen at the last
///   accepted spot and the status is `breaker`. The first spot ever is accepted (no reference).
///   Release and re-anchoring below use `breakerBps`, or `breakerTwapBps` when only it is set.
/// - Tripped, on each new spot: it releases if the spot is within `breakerBps` of the frozen
///   price (`|spot − frozen| <= breakerBps` of frozen); otherwise, if the spot has stayed
///   within `breakerBps` of an anchor spot (the first spot of the current run) for at least
///   `breakerWindow` seconds, it releases and accepts the new level; otherwise, if the spot
///   left `breakerBps` of the anchor, that spot becomes the new anchor. On release the spot is
///   accepted (`ok`) and the accepted history restarts from it.
/// - Stale / no-quorum computations leave the breaker state as it is.
///
/// **Publication** (`observe`/`advance` return the aggregate when one is due; `lastPublished`
/// keeps it):
/// (a) nothing has been published yet and the computation has at least one fresh source;
/// (b) both the candidate and the last published price are non-nil and differ by at least
///     `deviationBps` of the last published price (`|Δ| × 10_000 >= deviationBps × last`);
/// (c) `heartbeat` seconds have passed since the last publication (`now − last.time >= heartbeat`);
/// (d) the status differs from the last published status.
public struct PairAggregator: Sendable {
    public let pair: String
    public let settings: PairSettings
    public private(set) var lastPublished: AggregatePrice?
    /// The last computed aggregate, published or not.
    public private(set) var latest: AggregatePrice?

    private var observations: [String: MarketObservation] = [:]

    /// Each source's latest observation, by source name: what the monitoring rules compare
    /// with the aggregate (stale and diverging sources).
    public var sourceQuotes: [SourceQuote] {
        observations.values.sorted { $0.source < $1.source }.map { SourceQuote(source: $0.source, price: $0.price, time: $0.sourceTime) }
    }
    private var now: Int64?
    private var twap: TWAP
    private var median24h = RollingMedian(window: 86_400)
    private var lastPrice: UInt128?

    private struct Tripped: Sendable {
        var frozen: UInt128
        var anchor: UInt128
        var anchorSince: Int64
    }

    /// Accepted spots (time order) since the last release, for the breaker's reference.
    private var accepted: [(time: Int64, spot: UInt128)] = []
    private var tripped: Tripped?
    /// The TWAP trigger is quiet before this time (after a release at a new level).
    private var twapTriggerFrom = Int64.min

    public init(pair: String, settings: PairSettings) {
        self.pair = pair
        self.settings = settings
        self.twap = TWAP(window: settings.twapWindow)
    }

    /// Takes one observation (latest per source replaces the previous), recomputes at
    /// `max(observation.sourceTime, last computation time)`, returns the publication if one is
    /// due. Observations of another pair are ignored (nil).
    public mutating func observe(_ observation: MarketObservation) -> AggregatePrice? {
        guard observation.pair == pair else { return nil }
        if let previous = observations[observation.source], previous.sourceTime > observation.sourceTime {
            // An older report does not replace a newer one.
        } else {
            observations[observation.source] = observation
        }
        return compute(at: max(observation.sourceTime, now ?? observation.sourceTime))
    }

    /// Advances time without an observation (sources may go stale → stale / no_quorum
    /// publication; heartbeat). A time before the last computation is taken as that time.
    public mutating func advance(to time: Int64) -> AggregatePrice? {
        compute(at: max(time, now ?? time))
    }

    private mutating func compute(at time: Int64) -> AggregatePrice? {
        now = time
        let candidate = aggregate(at: time)
        latest = candidate
        guard isDue(candidate) else { return nil }
        lastPublished = candidate
        if let price = candidate.price { lastPrice = price }
        return candidate
    }

    private func isDue(_ candidate: AggregatePrice) -> Bool {
        guard let last = lastPublished else { return candidate.sources > 0 }
        if candidate.status != last.status { return true }
        if FixedPoint.minus(candidate.time, last.time) >= settings.heartbeat { return true }
        if let price = candidate.price, let previous = last.price,
           FixedPoint.reachesBps(FixedPoint.distance(price, previous), of: previous, bps: settings.deviationBps) {
            return true
        }
        return false
    }

    private mutating func aggregate(at time: Int64) -> AggregatePrice {
        let cutoff = FixedPoint.minus(time, settings.maxAge)
        let fresh = observations.values.filter { $0.sourceTime > cutoff }.sorted { $0.source < $1.source }
        let volume = fresh.reduce(UInt128(0)) { total, observation in
            let (sum, overflow) = total.addingReportingOverflow(observation.volume ?? 0)
            return overflow ? .max : sum
        }
        let volumeLow = settings.minimumVolume.map { volume < $0 } ?? false

        guard !fresh.isEmpty else {
            return AggregatePrice(
                pair: pair, price: lastPrice, confidence: nil, sources: 0, time: time,
                twap: twap.value(at: time), median24h: median24h.value(at: time),
                status: lastPrice == nil ? .noQuorum : .stale,
                lowLiquidity: volumeLow || settings.quorum >= 2, rejected: [])
        }

        let (survivors, rejected) = Self.rejectOutliers(fresh, outlierMADs: settings.outlierMADs)
        let lowLiquidity = volumeLow || (settings.quorum >= 2 && survivors.count < 2)
        guard survivors.count >= settings.quorum,
              let spot = WeightedMedian.of(survivors.map { ($0.price, Self.weight($0)) })
        else {
            return AggregatePrice(
                pair: pair, price: nil, confidence: nil, sources: survivors.count, time: time,
                twap: twap.value(at: time), median24h: median24h.value(at: time),
                status: .noQuorum, lowLiquidity: lowLiquidity, rejected: rejected)
        }

        twap.record(price: spot, at: time)
        median24h.record(spot, at: time)
        let twapBefore = twap.value(at: time)
        let published = settings.breakerBps != nil || settings.breakerTwapBps != nil ? breaker(spot: spot, at: time, twap: twapBefore) : spot
        let confidence = WeightedMedian.of(survivors.map { (FixedPoint.distance($0.price, published), Self.weight($0)) }) ?? 0
        return AggregatePrice(
            pair: pair, price: published, confidence: confidence, sources: survivors.count, time: time,
            twap: twap.value(at: time), median24h: median24h.value(at: time),
            status: tripped == nil ? .ok : .breaker, lowLiquidity: lowLiquidity, rejected: rejected)
    }

    private static func weight(_ observation: MarketObservation) -> UInt32 { max(observation.weight, 1) }

    /// Splits fresh observations into survivors and the names of rejected outliers (step 3).
    static func rejectOutliers(_ fresh: [MarketObservation], outlierMADs: UInt32) -> (survivors: [MarketObservation], rejected: [String]) {
        guard let median = WeightedMedian.of(fresh.map { ($0.price, weight($0)) }),
              let mad = WeightedMedian.of(fresh.map { (FixedPoint.distance($0.price, median), weight($0)) })
        else { return (fresh, []) }
        let threshold = Wide256(UInt128(outlierMADs), times: max(mad, median / 1000))
        var survivors: [MarketObservation] = []
        var rejected: [String] = []
        for observation in fresh {
            if threshold < Wide256(high: 0, low: FixedPoint.distance(observation.price, median)) {
                rejected.append(observation.source)
            } else {
                survivors.append(observation)
            }
        }
        return (survivors, rejected.sorted())
    }

    /// Runs the breaker on an accepted-or-not spot; returns the price to publish.
    private mutating func breaker(spot: UInt128, at time: Int64, twap: UInt128?) -> UInt128 {
        // Release and re-anchoring use the move threshold, or the TWAP one when only it is set.
        let bps = settings.breakerBps ?? settings.breakerTwapBps ?? 0
        if var state = tripped {
            if !FixedPoint.exceedsBps(FixedPoint.distance(spot, state.frozen), of: state.frozen, bps: bps) {
                return release(spot: spot, at: time)
            }
            if FixedPoint.exceedsBps(FixedPoint.distance(spot, state.anchor), of: state.anchor, bps: bps) {
                state.anchor = spot
                state.anchorSince = time
                tripped = state
                return state.frozen
            }
            if FixedPoint.minus(time, state.anchorSince) >= settings.breakerWindow {
                return release(spot: spot, at: time)
            }
            return state.frozen
        }
        let cutoff = FixedPoint.minus(time, settings.breakerWindow)
        // Keep the front as the latest accepted spot at or before the cutoff.
        while accepted.count >= 2, accepted[1].time <= cutoff { accepted.removeFirst() }
        if let last = accepted.last?.spot {
            let moved = settings.breakerBps.map { limit in
                accepted.first.map { FixedPoint.exceedsBps(FixedPoint.distance(spot, $0.spot), of: $0.spot, bps: limit) } ?? false
            } ?? false
            let offTWAP = settings.breakerTwapBps.map { limit in
                guard let twap, twap > 0, time >= twapTriggerFrom else { return false }
                return FixedPoint.exceedsBps(FixedPoint.distance(spot, twap), of: twap, bps: limit)
            } ?? false
            if moved || offTWAP {
                tripped = Tripped(frozen: last, anchor: spot, anchorSince: time)
                return last
            }
        }
        accepted.append((time, spot))
        return spot
    }

    private mutating func release(spot: UInt128, at time: Int64) -> UInt128 {
        if let state = tripped, FixedPoint.exceedsBps(FixedPoint.distance(spot, state.frozen), of: state.frozen, bps: settings.breakerBps ?? settings.breakerTwapBps ?? 0) {
            // A new level was accepted: the TWAP still averages the old one, so its trigger waits
            // a TWAP window for the average to catch up rather than freezing the new level again.
            twapTriggerFrom = FixedPoint.plus(time, settings.twapWindow)
        }
        tripped = nil
        accepted = [(time, spot)]
        return spot
    }
}
