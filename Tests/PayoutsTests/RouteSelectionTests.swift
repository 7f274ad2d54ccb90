import Payouts
import PropertyBased
import Testing

/// Fee/speed routing against a simple model: the cheapest route that meets the deadline, or the
/// fastest when none does; fees in different assets are never compared.
struct RouteSelectionTests {
    static func quote(_ chain: String, _ fee: UInt128, _ seconds: UInt64, asset: String = "ETH") -> RouteQuote {
        RouteQuote(chain: chain, feeAsset: asset, fee: fee, seconds: seconds)
    }

    @Test func theCheapestRouteThatMeetsTheDeadline() throws {
        let quotes = [Self.quote("ethereum", 500, 780), Self.quote("arbitrum", 20, 20), Self.quote("base", 10, 40)]
        #expect(try RouteSelection.choose(quotes, deadline: nil).quote.chain == "base")
        #expect(try RouteSelection.choose(quotes, deadline: 30).quote.chain == "arbitrum")
        let late = try RouteSelection.choose(quotes, deadline: 5)
        #expect(late.quote.chain == "arbitrum" && !late.meetsDeadline)
        #expect(late.record.hasPrefix("arbitrum: fastest"))
    }

    @Test func differentFeeAssetsOrNoRouteAreRefused() {
        #expect(throws: PayoutError.self) { try RouteSelection.choose([Self.quote("a", 1, 1), Self.quote("b", 1, 1, asset: "BNB")], deadline: nil) }
        #expect(throws: PayoutError.self) { try RouteSelection.choose([], deadline: nil) }
    }

    @Test func matchesTheModel() async {
        await propertyCheck(count: 1_000, input: Gen.uint64(in: 0...1_000).array(of: 1...8), Gen.uint64(in: 0...100).array(of: 8...8), Gen.uint64(in: 0...120)) {
            fees, times, deadline in
            let quotes = fees.enumerated().map { Self.quote("c\($0.offset)", UInt128($0.element), times[$0.offset]) }
            guard let choice = try? RouteSelection.choose(quotes, deadline: deadline) else {
                Issue.record("no choice among \(quotes)")
                return
            }
            let meeting = quotes.filter { $0.seconds <= deadline }
            if meeting.isEmpty {
                #expect(!choice.meetsDeadline)
                #expect(choice.quote.seconds == quotes.map(\.seconds).min())
            } else {
                #expect(choice.meetsDeadline && choice.quote.seconds <= deadline)
                #expect(choice.quote.fee == meeting.map(\.fee).min())
            }
        }
    }
}
