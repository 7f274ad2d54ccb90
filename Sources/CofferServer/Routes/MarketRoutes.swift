import CofferBase
import CofferCore
import Hummingbird
import Market
import Tenancy

/// /v1/market, /v1/valuations and /v1/format: the price sources and pairs, prices now and at a time
/// (direct, inverted or crossed), valuations of an account or a portfolio in a fiat currency, and
/// amounts formatted per locale as CLDR writes them. Sources, pairs and replays are shared by every
/// tenant, so only the operator changes them, at the command line (`coffer market`); an API key
/// reads them. /v1/market/rules and /v1/market/alerts: the monitoring rules in force (set at the
/// command line) and the alerts they raised, which a key with the admin scope acknowledges and
/// resolves (a tenant its own accounts' alerts; market-wide ones are the operator's).
struct MarketRoutes: Sendable {
    let market: MarketService
    let idempotent: IdempotentPost

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
        router.get("market/rules") { _, context in
            try Response.json(try await market.monitorRules(by: try context.requireCaller()))
        }
        router.get("market/alerts") { request, context in
            let query = try QueryParameters(request, allowed: ["status", "severity", "rule", "after", "limit"])
            let alerts = try await market.alerts(
                MarketAlertQuery(status: query["status"], severity: query["severity"], rule: query["rule"], after: try Self.integer(query["after"], "after"),
                                 limit: try Self.integer(query["limit"], "limit").map { Int($0) }),
                by: try context.requireCaller())
            return try Response.json(Page(items: alerts, nextCursor: nil))
        }
        router.get("market/alerts/:id") { _, context in
            try Response.json(try await market.alert(try Self.alertID(context), by: try context.requireCaller()))
        }
        let decisions: [(String, @Sendable (Int64, MarketAlertDecisionRequest, Caller) async throws -> MarketAlertView)] = [
            ("acknowledge", { [market] in try await market.acknowledge($0, $1, by: $2) }),
            ("resolve", { [market] in try await market.resolve($0, $1, by: $2) }),
        ]
        for (action, decide) in decisions {
            router.post("market/alerts/:id/\(action)") { request, context in
                let caller = try context.requireCaller()
                let id = try Self.alertID(context)
                let body = try await HTTPBody.collect(request, context)
                return try await idempotent.run(request, context: context, body: body) {
                    try StoredResponse.json(try await decide(id, try HTTPBody.decode(MarketAlertDecisionRequest.self, body), caller))
                }
            }
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

    static func alertID(_ context: CofferRequestContext) throws -> Int64 {
        let text = try context.parameters.path("id")
        guard let id = Int64(text), id > 0 else { throw ServiceError.notFound("no alert \(text.prefix(40))", code: "alert-not-found") }
        return id
    }

    static func integer(_ text: String?, _ name: String) throws -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text) else { throw ServiceError.invalid("\(name) must be a whole number") }
        return value
    }
}
