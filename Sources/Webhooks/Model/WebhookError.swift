public import CofferBase

/// Webhooks: endpoints, their secrets and signatures, and delivery.
public enum WebhookDomain: ErrorDomain {}

/// A failure of the webhooks domain: a refused endpoint URL or event filter, a signature that
/// does not verify, an endpoint or event that does not exist.
public typealias WebhookError = DomainError<WebhookDomain>

extension WebhookError {
    /// No endpoint with this id (or not the caller's).
    public static func endpointNotFound(_ id: String) -> WebhookError {
        WebhookError(.notFound, "webhook-not-found", "no webhook endpoint \"\(id.prefix(40))\"; `coffer webhook list` shows them")
    }
}
