import CofferBase
public import CofferCore
import Foundation
import HTTPTypes
public import Hummingbird
import HummingbirdWebSocket
import Tenancy
public import Logging
import Metrics
import NIOCore
import Prometheus

/// `coffer serve`: the HTTP API on Hummingbird, a thin adapter over `CofferServices`.
public enum CofferServer {
    /// Metrics land here; `/metrics` prints it in Prometheus's text format.
    public static let registry = PrometheusCollectorRegistry()

    /// Routes swift-metrics to the registry; call once per process, before serving.
    public static func bootstrapMetrics() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// The router: operations routes open, everything under /v1 authenticated and rate limited.
    /// `readiness` checks each return nil when their part is ready, else why not.
    public static func router(
        settings: ServerSettings, services: CofferServices, readiness: [@Sendable () async -> String?] = []
    ) -> Router<CofferRequestContext> {
        router(settings: settings, services: services, readiness: readiness, keys: nil)
    }

    static func router(
        settings: ServerSettings, services: CofferServices, readiness: [@Sendable () async -> String?], keys: APIKeyCache?
    ) -> Router<CofferRequestContext> {
        let router = Router(context: CofferRequestContext.self)
        router.add(middleware: ObservabilityMiddleware())
        router.add(middleware: BodyLimitMiddleware(limit: settings.maximumBodyBytes))
        OperationsRoutes(readiness: readiness).register(on: router)
        let v1 = router.group("v1")
            .add(middleware: AuthenticationMiddleware(keys: keys ?? APIKeyCache(store: services.tenancy.store), tenancy: services.tenancy))
            .add(middleware: RateLimitMiddleware(limiter: TokenBuckets(rate: settings.rateLimit, burst: settings.rateBurst)))
        let idempotent = IdempotentPost(store: services.tenancy.store)
        LedgerRoutes(ledger: services.ledger, idempotent: idempotent).register(on: v1)
        TenancyRoutes(tenancy: services.tenancy, idempotent: idempotent).register(on: v1)
        WalletRoutes(wallets: services.wallets, idempotent: idempotent).register(on: v1)
        SigningRoutes(signing: services.signing, idempotent: idempotent).register(on: v1)
        AuditRoutes(audit: services.audit).register(on: v1)
        ChainRoutes(chains: services.chains, invoices: services.invoices, idempotent: idempotent).register(on: v1)
        WebhookRoutes(webhooks: services.webhooks, idempotent: idempotent).register(on: v1)
        SplitRoutes(splits: services.splits).register(on: v1)
        PayoutRoutes(payouts: services.payouts, idempotent: idempotent).register(on: v1)
        CustomerRoutes(customers: services.customers, idempotent: idempotent).register(on: v1)
        MarketRoutes(market: services.market, idempotent: idempotent).register(on: v1)
        ReconRoutes(recon: services.recon, reports: services.reports, idempotent: idempotent).register(on: v1)
        // A plain GET of the stream (no upgrade, or one the key may not make) gets a problem document.
        v1.get("stream") { _, context -> Response in
            try context.requireCaller().require(APIScope.read)
            throw ServiceError(.invalidInput, "upgrade-required", "GET /v1/stream is a WebSocket: send the upgrade headers (Connection: Upgrade, Upgrade: websocket)")
        }
        // Added last, so it wraps only the not-found responder: a known path with another method is 405.
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ($0.path, $0.method) }))
        return router
    }

    /// The HTTP server as a lifecycle service: it serves until the service group shuts down
    /// gracefully, then stops accepting connections and lets in-flight requests finish.
    /// `onRunning` gets the bound port (useful with port 0).
    public static func application(
        settings: ServerSettings, services: CofferServices, readiness: [@Sendable () async -> String?], logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let keys = APIKeyCache(store: services.tenancy.store)
        let stream = MarketStream(services: services, keys: keys)
        return Application(
            router: router(settings: settings, services: services, readiness: readiness, keys: keys),
            // A client that stops sending or reading is dropped after the request timeout; GET
            // /v1/stream with a valid key becomes a WebSocket (MarketStream).
            server: .http1WebSocketUpgrade(
                configuration: .init(http1: .init(idleTimeout: .seconds(Int64(settings.requestTimeoutSeconds))), ws: .init(maxFrameSize: 1 << 16)),
                shouldUpgrade: stream.shouldUpgrade),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "coffer"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.port) },
            logger: logger)
    }
}

/// Sets the request body limit; a declared Content-Length above it is refused before reading.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = CofferRequestContext
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.bodyLimit = limit
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw HTTPError(.contentTooLarge)
        }
        return try await next(request, context)
    }
}
