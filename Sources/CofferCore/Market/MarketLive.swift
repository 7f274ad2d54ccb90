import Foundation
public import Market

/// Live aggregation for `coffer serve`: observations from the live sources go through each pair's
/// aggregator as they arrive; each publication is stored as history (so `price --at` and
/// valuations see it) and then pushed to the stream's subscribers of that pair. Calls take turns
/// (one batch computed, stored and pushed before the next starts), so subscribers see
/// publications in the order they were computed and a valuation made on receiving one reads it.
/// Pairs added while it runs are picked up within ten seconds.
public actor MarketLive {
    public let store: MarketStore
    /// What `/v1/stream` subscribers read: every publication, topic = the pair.
    public nonisolated let hub: BroadcastHub<PublishedPriceView>
    /// Judges every publication by the monitoring rules, after it is stored and pushed.
    public nonisolated let monitor: MarketMonitor?
    let clock: @Sendable () -> Int64
    private var aggregators: [String: PairAggregator] = [:]
    private var pairsReadAt: Int64?
    /// Turn-taking across suspension points (an actor alone would let a second batch in while the
    /// first is being stored).
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(store: MarketStore, monitor: MarketMonitor? = nil, bufferCapacity: Int = 1_024,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.store = store
        self.monitor = monitor
        self.clock = clock
        hub = BroadcastHub(defaultBufferCapacity: bufferCapacity)
    }

    /// Runs `observations` (of any pairs, any order) through aggregation in source-time order;
    /// observations of pairs that are not configured are left out. Returns the publications.
    @discardableResult
    public func ingest(_ observations: [MarketObservation]) async throws -> [AggregatePrice] {
        await takeTurn()
        defer { endTurn() }
        try await refreshPairs()
        let used = observations.filter { aggregators[$0.pair] != nil }.sorted { $0.sourceTime < $1.sourceTime }
        var published: [AggregatePrice] = []
        for observation in used {
            if let price = aggregators[observation.pair]!.observe(observation) { published.append(price) }
        }
        return try await publish(published, observations: used)
    }

    /// Moves every pair's clock to `time` (sources age: stale, quorum lost, heartbeat).
    @discardableResult
    public func advance(to time: Int64) async throws -> [AggregatePrice] {
        await takeTurn()
        defer { endTurn() }
        try await refreshPairs()
        var published: [AggregatePrice] = []
        for name in aggregators.keys.sorted() {
            if let price = aggregators[name]!.advance(to: time) { published.append(price) }
        }
        return try await publish(published, observations: [])
    }

    /// Stores, then pushes: a subscriber never sees a price that `price` or a valuation cannot.
    private func publish(_ prices: [AggregatePrice], observations: [MarketObservation]) async throws -> [AggregatePrice] {
        try await store.append(observations: observations, prices: prices)
        for price in prices { hub.publish(topic: price.pair, PublishedPriceView(price)) }
        if let monitor, !prices.isEmpty || !observations.isEmpty {
            var sources: [String: [SourceQuote]] = [:]
            for pair in Set(prices.map(\.pair) + observations.map(\.pair)) { sources[pair] = aggregators[pair]?.sourceQuotes ?? [] }
            await monitor.observe(prices, sources: sources)
        }
        return prices
    }

    private func takeTurn() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func endTurn() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }

    private func refreshPairs() async throws {
        let now = clock()
        if let last = pairsReadAt, now >= last, now - last < 10, !aggregators.isEmpty { return }
        pairsReadAt = now
        for pair in try await store.pairs() where aggregators[pair.pair.description] == nil {
            aggregators[pair.pair.description] = PairAggregator(pair: pair.pair.description, settings: pair.settings)
        }
    }
}
