/// Runs recorded observations of several sources through each pair's aggregator in time order,
/// as they would have arrived live: ties in time go by source name, then by the order in the
/// source's file, so the same files always publish the same prices. Pure: no clock, no I/O.
public enum MarketReplay {
    public struct Outcome: Sendable {
        /// Every publication, in order.
        public let prices: [AggregatePrice]
        /// The observations used (those of configured pairs, up to `until`), in time order.
        public let observations: [MarketObservation]
        /// Observations of pairs that are not configured.
        public let ignored: Int
        /// What the monitoring rules raised over the publications, in replayed time.
        public let alerts: [MonitorAlert]
    }

    /// Replays `observations`; with `rules`, every publication also goes through a monitoring
    /// engine (and the engine's clock follows the replayed time), so a recorded crash raises the
    /// alerts it would have raised live.
    public static func run(_ observations: [MarketObservation], pairs: [MarketPair], until: Int64? = nil, rules: [MonitorRule] = []) -> Outcome {
        var aggregators: [String: PairAggregator] = [:]
        for pair in pairs { aggregators[pair.pair.description] = PairAggregator(pair: pair.pair.description, settings: pair.settings) }
        let ordered = observations.enumerated().sorted { a, b in
            if a.element.sourceTime != b.element.sourceTime { return a.element.sourceTime < b.element.sourceTime }
            if a.element.source != b.element.source { return a.element.source < b.element.source }
            return a.offset < b.offset
        }.map(\.element)
        var prices: [AggregatePrice] = []
        var used: [MarketObservation] = []
        var ignored = 0
        var clock = Int64.min
        let names = aggregators.keys.sorted()
        var monitor = rules.isEmpty ? nil : MonitorEngine(rules: rules)
        var alerts: [MonitorAlert] = []
        func publish(_ price: AggregatePrice?, of pair: String) {
            guard let price else { return }
            prices.append(price)
            alerts += monitor?.process(.price(PriceTick(price, sources: aggregators[pair]!.sourceQuotes))) ?? []
        }
        for observation in ordered {
            if let until, observation.sourceTime > until { break }
            guard aggregators[observation.pair] != nil else {
                ignored += 1
                continue
            }
            if observation.sourceTime > clock {
                // Time moved on: the other pairs see their sources age (stale, quorum lost, heartbeat).
                clock = observation.sourceTime
                alerts += monitor?.tick(now: clock) ?? []
                for name in names where name != observation.pair {
                    publish(aggregators[name]!.advance(to: clock), of: name)
                }
            }
            used.append(observation)
            let published = aggregators[observation.pair]!.observe(observation)
            if published == nil { monitor?.updateSources(of: observation.pair, aggregators[observation.pair]!.sourceQuotes) }
            publish(published, of: observation.pair)
        }
        return Outcome(prices: prices, observations: used, ignored: ignored, alerts: alerts)
    }
}
