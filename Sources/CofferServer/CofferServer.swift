import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Logging
import Metrics
import NIOCore
import Prometheus

/// What the routes work with: the stores and the checks `/ready` runs.
public struct CofferServices: Sendable {
    public let ledger: any LedgerStore
    public let tenancy: any TenancyStore
    /// The vault, the signing store and the tenants' wallets; nil on a server without a vault
    /// (its vault routes then answer 503).
    public let vault: VaultServices?
    /// Each returns nil when its part is ready, else why not ("database unreachable: …").
    public let readiness: [@Sendable () async -> String?]

    public init(ledger: any LedgerStore, tenancy: any TenancyStore, vault: VaultServices? = nil, readiness: [@Sendable () async -> String?]) {
        self.ledger = ledger
        self.tenancy = tenancy
        self.vault = vault
        self.readiness = readiness
    }
}

/// `coffer serve`: the HTTP API on Hummingbird.
public enum CofferServer {
    /// Metrics land here; `/metrics` prints it in Prometheus's text format.
    public static let registry = PrometheusCollectorRegistry()

    /// Routes swift-metrics to the registry; call once per process, before serving.
    public static func bootstrapMetrics() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// The router: operations routes open, everything under /v1 authenticated and rate limited.
    public static func router(settings: ServerSettings, services: CofferServices) -> Router<CofferRequestContext> {
        let router = Router(context: CofferRequestContext.self)
        router.add(middleware: ObservabilityMiddleware())
        router.add(middleware: BodyLimitMiddleware(limit: settings.maximumBodyBytes))
        OperationsRoutes(services: services).register(on: router)
        let v1 = router.group("v1")
            .add(middleware: AuthenticationMiddleware(keys: APIKeyCache(store: services.tenancy)))
            .add(middleware: RateLimitMiddleware(limiter: TokenBuckets(rate: settings.rateLimit, burst: settings.rateBurst)))
        let idempotent = IdempotentPost(store: services.tenancy)
        LedgerRoutes(ledger: services.ledger, idempotent: idempotent).register(on: v1)
        TenancyRoutes(tenancy: services.tenancy, idempotent: idempotent).register(on: v1)
        let gate = VaultGate(services: services.vault)
        WalletRoutes(gate: gate, idempotent: idempotent).register(on: v1)
        AddressRoutes(gate: gate, idempotent: idempotent).register(on: v1)
        SigningRoutes(gate: gate, idempotent: idempotent).register(on: v1)
        PolicyRoutes(gate: gate).register(on: v1)
        AuditRoutes(gate: gate).register(on: v1)
        // Added last, so it wraps only the not-found responder: a known path with another method is 405.
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ($0.path, $0.method) }))
        return router
    }

    /// Serves until SIGTERM or SIGINT, then lets in-flight requests finish. `onRunning` gets the
    /// bound port (useful with port 0).
    public static func run(settings: ServerSettings, services: CofferServices, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let app = Application(
            router: router(settings: settings, services: services),
            // A client that stops sending or reading is dropped after the request timeout.
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(settings.requestTimeoutSeconds)))),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "coffer"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.port) },
            logger: logger)
        let purge = Task {
            // Idempotency keys are kept at least 24 hours; older ones are forgotten hourly.
            while !Task.isCancelled {
                _ = try? await services.tenancy.purgeIdempotent(before: Date().addingTimeInterval(-25 * 3600))
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        defer { purge.cancel() }
        try await app.runService()
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
