import CofferBase

/// One way a payout can go: a configured chain that carries the asset, with what the network
/// asks now.
public struct RouteQuote: Sendable, Equatable {
    /// The chain's name.
    public let chain: String
    /// The asset the fee is paid in (the chain's native asset): routes compare only in one.
    public let feeAsset: String
    /// The fee estimate, in the fee asset's smallest unit.
    public let fee: UInt128
    /// Seconds until the payout counts as final there: the chain's confirmations times its
    /// target block time.
    public let seconds: UInt64

    public init(chain: String, feeAsset: String, fee: UInt128, seconds: UInt64) {
        self.chain = chain
        self.feeAsset = feeAsset
        self.fee = fee
        self.seconds = seconds
    }
}

/// The route chosen and why, as the payout records it.
public struct RouteChoice: Sendable, Equatable {
    public let quote: RouteQuote
    /// False when no route met the deadline and the fastest was taken.
    public let meetsDeadline: Bool
    public let candidates: [RouteQuote]

    /// One line for the payout's record: the choice, then every quote.
    public var record: String {
        let others = candidates.map { "\($0.chain) \($0.fee) \($0.feeAsset) \($0.seconds)s" }.joined(separator: ", ")
        return "\(quote.chain): \(meetsDeadline ? "cheapest meeting the deadline" : "fastest (none met the deadline)") of [\(others)]"
    }
}

/// Fee/speed routing as a pure function: among the quotes that meet the deadline, the cheapest
/// (ties: the faster, then the chain's name); when none meets it, the fastest (ties: the
/// cheaper). Fees in different assets are not compared: that needs prices, and a wrong guess
/// would pay more than asked.
public enum RouteSelection {
    public static func choose(_ quotes: [RouteQuote], deadline: UInt64?) throws(PayoutError) -> RouteChoice {
        guard let first = quotes.first else {
            throw PayoutError(.rejected, "no-route", "no configured chain with a hot wallet carries this asset to this address")
        }
        guard quotes.allSatisfy({ $0.feeAsset == first.feeAsset }) else {
            let assets = Set(quotes.map(\.feeAsset)).sorted().joined(separator: ", ")
            throw PayoutError(.rejected, "routes-not-comparable", "the routes pay their fees in different assets (\(assets)); name the chain")
        }
        let meeting = quotes.filter { deadline == nil || $0.seconds <= deadline! }
        if let cheapest = meeting.min(by: { ($0.fee, $0.seconds, $0.chain) < ($1.fee, $1.seconds, $1.chain) }) {
            return RouteChoice(quote: cheapest, meetsDeadline: true, candidates: quotes)
        }
        let fastest = quotes.min { ($0.seconds, $0.fee, $0.chain) < ($1.seconds, $1.fee, $1.chain) }!
        return RouteChoice(quote: fastest, meetsDeadline: false, candidates: quotes)
    }
}
