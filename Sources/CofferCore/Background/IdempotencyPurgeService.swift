public import Foundation
public import Logging
public import ServiceLifecycle
public import Tenancy

/// Forgets idempotency records older than their retention (kept at least 24 hours), hourly: a
/// lifecycle service of `coffer serve`, stopped with the others on graceful shutdown.
public struct IdempotencyPurgeService: Service {
    let store: any TenancyStore
    let retention: Duration
    let interval: Duration
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(store: any TenancyStore, retention: Duration = .seconds(25 * 3600), interval: Duration = .seconds(3600),
                logger: Logger, clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.retention = retention
        self.interval = interval
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let cutoff = clock().addingTimeInterval(-Double(retention.components.seconds))
                do {
                    let purged = try await store.purgeIdempotent(before: cutoff)
                    if purged > 0 { logger.info("purged idempotency records", metadata: ["count": "\(purged)"]) }
                } catch {
                    // Retried at the next interval: a purge that fails only keeps records longer.
                    logger.warning("purging idempotency records failed; retrying later", metadata: ["error": "\(String(describing: error).prefix(200))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
        logger.debug("idempotency purge stopped")
    }
}
