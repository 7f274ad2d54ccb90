import CofferBase
import CofferCore
import Hummingbird

/// /v1/market, /v1/valuations and /v1/format: the price sources and pairs, prices now and at a time
/// (direct, inverted or crossed), valuations of an account or a portfolio in a fiat currency, and
/// amounts formatted per locale as CLDR writes them. Sources, pairs and replays are shared by every
/// tenant, so only the operator changes them, at the command line (`coffer market`); an API key
/// reads them.
struct MarketRoutes: Sendable {
    let market: MarketService

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.get("market/sources") { _, context in
            try Response.json(Page(items: try await market.sources(by: try context.requireCaller()), nextCursor: nil))
        }
        router.get("market/pairs") { _, context in
            try Response.json(Page(items: try await market.pairs(by: try context.requireCaller()), nextCursor: nil))
        }
        router.get("market/price") { request, context in
            let query = try QueryParameters(request, allowed: ["pair", "at"])
            guard let pair = query["pair"] else { throw ServiceError.invalid("pair is required, e.g. BTC/EUR") }
            return try Response.json(try await market.quote(pair, at: query["at"], by: try context.requireCaller()))
        }
        router.get("valuations/accounts/:id") { request, context in
            let query = try QueryParameters(request, allowed: ["currency", "at"])
            guard let currency = query["currency"] else { throw ServiceError.invalid("currency is required, e.g. USD") }
            return try Response.json(try await market.value(account: try context.parameters.path("id"), currency: currency, at: query["at"],
                                                           by: try context.requireCaller()))
        }
        router.get("valuations/portfolio") { request, context in
            let query = try QueryParameters(request, allowed: ["currency", "customer", "at", "locale"])
            guard let currency = query["currency"] else { throw ServiceError.invalid("currency is required, e.g. USD") }
            return try Response.json(try await market.portfolio(customer: query["customer"], currency: currency, at: query["at"], locale: query["locale"],
                                                               by: try context.requireCaller()))
        }
        router.get("format") { request, context in
            _ = try context.requireCaller()
            let query = try QueryParameters(request, allowed: ["amount", "currency", "locale", "compact"])
            guard let amount = query["amount"], let currency = query["currency"], let locale = query["locale"] else {
                throw ServiceError.invalid("amount, currency and locale are required")
            }
            let compact: Bool
            switch query["compact"] {
            case nil, "false": compact = false
            case "true": compact = true
            default: throw ServiceError.invalid("compact must be true or false")
            }
            return try Response.json(try MarketService.formattedView(amount: amount, currency: currency, locale: locale, compact: compact))
        }
    }
}
