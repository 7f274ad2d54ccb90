import CofferBase

/// Prices of any pair from the stored publications: the pair itself, its inverse, or a cross
/// through a quote both sides are published in (BTC/EUR = BTC/USD ÷ EUR/USD, or BTC/USD × USD/EUR).
/// A cross's confidence adds the legs' relative confidences; its status is the worst of its legs;
/// a leg without a price leaves the quote without one (never a guess).
public struct MarketQuotes: Sendable {
    public let store: MarketStore

    public init(store: MarketStore) { self.store = store }

    public struct Quote: Sendable, Equatable {
        public let price: UInt128?
        public let confidence: UInt128?
        /// The oldest leg's publication time.
        public let time: Int64?
        public let status: PriceStatus
        /// The pairs used, in the order combined.
        public let route: [String]
        /// The direct pair's time-weighted average (nil for crosses).
        public let twap: UInt128?

        public init(price: UInt128?, confidence: UInt128?, time: Int64?, status: PriceStatus, route: [String], twap: UInt128?) {
            self.price = price
            self.confidence = confidence
            self.time = time
            self.status = status
            self.route = route
            self.twap = twap
        }
    }

    /// Worse statuses win when legs combine.
    static func severity(_ status: PriceStatus) -> Int {
        switch status {
        case .ok: 0
        case .stale: 1
        case .breaker: 2
        case .noQuorum: 3
        }
    }

    static func worse(_ a: PriceStatus, _ b: PriceStatus) -> PriceStatus { severity(a) >= severity(b) ? a : b }

    public func quote(_ pair: MarketPairName, at: Int64?) async throws -> Quote {
        let configured = Set(try await store.pairs().map(\.pair))
        if configured.contains(pair) {
            let leg = try await store.price(pair.description, at: at)?.aggregate
            return Quote(price: leg?.price, confidence: leg?.price == nil ? nil : leg?.confidence ?? 0, time: leg?.time,
                         status: leg?.status ?? .noQuorum, route: [pair.description], twap: leg?.twap)
        }
        let inverse = MarketPairName(base: pair.quote, quote: pair.base)
        if configured.contains(inverse) {
            let leg = try await store.price(inverse.description, at: at)?.aggregate
            guard let price = leg?.price, let crossed = CrossRate.through((PriceScale.one, 0), (price, leg?.confidence ?? 0), invertQuote: true) else {
                return Quote(price: nil, confidence: nil, time: leg?.time, status: .noQuorum, route: [inverse.description], twap: nil)
            }
            return Quote(price: crossed.price, confidence: crossed.confidence, time: leg?.time, status: leg?.status ?? .noQuorum,
                         route: [inverse.description], twap: nil)
        }
        // A common quote X: BASE/X with QUOTE/X (divide) or X/QUOTE (multiply). USD first, then by name.
        let candidates = configured.filter { $0.base == pair.base }.map(\.quote).sorted { ($0 != "USD" ? 1 : 0, $0) < ($1 != "USD" ? 1 : 0, $1) }
        for middle in candidates {
            let first = MarketPairName(base: pair.base, quote: middle)
            let divide = MarketPairName(base: pair.quote, quote: middle), multiply = MarketPairName(base: middle, quote: pair.quote)
            let second: MarketPairName, invert: Bool
            if configured.contains(divide) { (second, invert) = (divide, true) } else if configured.contains(multiply) { (second, invert) = (multiply, false) } else { continue }
            let route = [first.description, second.description]
            let a = try await store.price(first.description, at: at)?.aggregate, b = try await store.price(second.description, at: at)?.aggregate
            let times = [a?.time, b?.time].compactMap { $0 }
            let status = Self.worse(a?.status ?? .noQuorum, b?.status ?? .noQuorum)
            guard let pa = a?.price, let pb = b?.price,
                  let crossed = CrossRate.through((pa, a?.confidence ?? 0), (pb, b?.confidence ?? 0), invertQuote: invert) else {
                return Quote(price: nil, confidence: nil, time: times.min(), status: .noQuorum, route: route, twap: nil)
            }
            return Quote(price: crossed.price, confidence: crossed.confidence, time: times.min(), status: status, route: route, twap: nil)
        }
        let common = pair.base != "USD" && pair.quote != "USD" ? ", or two pairs with a common quote (\(pair.base)/USD and \(pair.quote)/USD)" : ""
        throw ServiceError(.notFound, "no-price-route", "no pair prices \(pair): add \(pair) or \(inverse)\(common)")
    }
}
