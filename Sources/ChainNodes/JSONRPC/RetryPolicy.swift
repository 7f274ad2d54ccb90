/// How often and how patiently a node call is repeated after a retryable failure: exponential
/// backoff from `initialDelay`, doubled each attempt up to `maximumDelay`, with full jitter so that
/// several syncers do not hammer a node that comes back in step.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included (1 = no retry).
    public var attempts: Int
    public var initialDelay: Duration
    public var maximumDelay: Duration

    public init(attempts: Int = 4, initialDelay: Duration = .milliseconds(200), maximumDelay: Duration = .seconds(5)) {
        self.attempts = max(1, attempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// One attempt only: for callers that run their own retry loop (the syncer).
    public static let once = RetryPolicy(attempts: 1)

    /// The pause before attempt `attempt` (1-based, after the first failure): a random duration
    /// between zero and the capped exponential step.
    func delay(beforeRetry attempt: Int) -> Duration {
        let cap = min(maximumDelay, initialDelay * (1 << min(attempt - 1, 20)))
        let nanoseconds = cap.components.seconds * 1_000_000_000 + cap.components.attoseconds / 1_000_000_000
        return .nanoseconds(Int64.random(in: 0...max(0, nanoseconds)))
    }
}
