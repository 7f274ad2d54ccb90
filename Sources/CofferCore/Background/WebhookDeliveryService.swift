import CofferBase
public import Logging
public import ServiceLifecycle
import Webhooks

/// Delivers webhooks while `coffer serve` runs: every `poll`, a pass over the endpoints with
/// work due (`WebhookDeliverer.deliverDue`), each endpoint claimed with a lease so several
/// servers on one database never deliver one endpoint's events at once. Endpoint secrets open
/// only with the vault: while it is locked, delivery waits (events keep in the outbox) and says
/// so once. A failed attempt is logged at warning, an endpoint marked failing at error. On
/// graceful shutdown the pass in flight is cancelled; an event whose attempt was cut short is
/// sent again later.
public struct WebhookDeliveryService: Service {
    let webhooks: WebhookService
    let logger: Logger
    let poll: Duration

    public init(webhooks: WebhookService, logger: Logger, poll: Duration = .seconds(1)) {
        self.webhooks = webhooks
        self.logger = logger
        self.poll = poll
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var saidLocked = false
            var backoff = Duration.seconds(1)
            while !Task.isCancelled {
                do {
                    if let deliverer = try await webhooks.backgroundDeliverer() {
                        for turn in try await deliverer.deliverDue() { report(turn) }
                    } else if !webhooks.vault.isUnlocked, !saidLocked {
                        logger.warning("webhook delivery waits for the vault: endpoint secrets open only with it (start coffer serve with --vault-passphrase-file)")
                        saidLocked = true
                    }
                    backoff = .seconds(1)
                    try? await Task.sleep(for: poll)
                } catch {
                    logger.warning("webhook delivery pass failed; retrying", metadata: ["error": "\(String(describing: error).prefix(200))", "retry_in": "\(backoff)"])
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(60))
                }
            }
        }
        logger.debug("webhook delivery stopped")
    }

    func report(_ turn: WebhookDeliverer.Turn) {
        for attempt in turn.failures {
            logger.warning("webhook delivery attempt failed", metadata: [
                "webhook": "\(attempt.endpointID)", "event": "\(attempt.eventSequence)", "attempt": "\(attempt.attempt ?? 0)",
                "status": "\(attempt.statusCode.map(String.init) ?? attempt.errorClass ?? "-")",
            ])
        }
        switch turn.outcome {
        case .failing:
            logger.error("webhook endpoint marked failing after its last attempt; redeliver the event or enable the endpoint to resume",
                         metadata: ["webhook": "\(turn.endpointID)"])
        case .error:
            logger.error("webhook delivery stopped on an error", metadata: ["webhook": "\(turn.endpointID)", "error": "\(turn.error ?? "-")"])
        default:
            break
        }
    }
}
