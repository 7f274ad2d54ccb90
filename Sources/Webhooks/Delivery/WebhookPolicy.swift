import CofferBase

/// How patiently an endpoint is retried: exponential backoff with full jitter (the pause after
/// failed attempt n is uniform in 0 ... min(cap, base · 2^(n−1))), at most `maximumAttempts`
/// attempts at one event, each given `timeout` for the whole exchange. After the last attempt
/// the endpoint is marked failing and waits for an operator.
public struct WebhookPolicy: Sendable, Equatable {
    public var retryBaseMilliseconds: Int64
    public var retryCapMilliseconds: Int64
    public var maximumAttempts: Int
    public var timeoutMilliseconds: Int64
    /// How long a claim on an endpoint lasts unless renewed (each attempt renews it).
    public var leaseMilliseconds: Int64 = 60_000
    /// Events read per query.
    public var batchSize = 100
    /// Events one claim delivers before the endpoint gives others their turn.
    public var eventsPerClaim = 100
    /// Endpoints delivered to at once by one process.
    public var concurrency = 8

    /// Defaults: 10 s doubling up to an hour, 15 attempts (about three hours in all, on
    /// average), 10 s per attempt.
    public init(retryBaseMilliseconds: Int64 = 10_000, retryCapMilliseconds: Int64 = 3_600_000, maximumAttempts: Int = 15,
                timeoutMilliseconds: Int64 = 10_000) throws(WebhookError) {
        guard (1...86_400_000).contains(retryBaseMilliseconds) else { throw WebhookError("the retry base must be from 1 ms to 24 hours") }
        guard (retryBaseMilliseconds...604_800_000).contains(retryCapMilliseconds) else {
            throw WebhookError("the retry cap must be at least the base and at most 7 days")
        }
        guard (1...100).contains(maximumAttempts) else { throw WebhookError("the maximum number of attempts must be from 1 to 100") }
        guard (100...30_000).contains(timeoutMilliseconds) else { throw WebhookError("the delivery timeout must be from 100 ms to 30 s") }
        self.retryBaseMilliseconds = retryBaseMilliseconds
        self.retryCapMilliseconds = retryCapMilliseconds
        self.maximumAttempts = maximumAttempts
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    public static let standard = try! WebhookPolicy()

    /// The pause after failed attempt `attempt` (1-based), drawn by `random` (uniform in the
    /// closed range it is given).
    public func delay(afterAttempt attempt: Int, random: (ClosedRange<Int64>) -> Int64) -> Int64 {
        let doublings = min(max(attempt - 1, 0), 40)
        let (step, overflow) = retryBaseMilliseconds.multipliedReportingOverflow(by: Int64(1) << doublings)
        return random(0...(overflow ? retryCapMilliseconds : min(step, retryCapMilliseconds)))
    }
}
