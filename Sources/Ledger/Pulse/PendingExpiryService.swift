public import Logging
public import ServiceLifecycle

/// The ledger's pulse, after TigerBeetle's: releases pending transfers at their timeout even when
/// no client commits anything. Without it a hold is released only when the next batch commits
/// (every batch first expires what is due), so an idle ledger shows expired holds as pending.
///
/// `run()` loops: read the earliest open expiry (`PendingExpiryStore.nextExpiry()`); if it is
/// due, commit the expiries (`expireDue()`), which the ledger timestamps at the timeout itself;
/// else sleep until it is due, but at most `pollInterval`, since other processes may create
/// pending transfers, and wake at once when this process's store commits a pending transfer
/// with a timeout (`PendingExpiryStore.pendingExpirySignal`). Several processes may each run one
/// on the same ledger: the stores serialise the commits, so each expiry is recorded once.
///
/// It never crashes and never spins: a failing store is logged and retried after a capped,
/// jittered exponential backoff, and an expiry that stays due although `expireDue()` released
/// nothing (this process's clock ahead of the store's, say) is retried after a growing pause. It
/// returns promptly on graceful shutdown and on cancellation; a commit already under way is not
/// torn, since the store commits on a task of its own.
///
/// Add it to the service group that runs the ledger's store (`coffer serve`'s), or run it alone:
/// `try await PendingExpiryService(store: store, logger: logger).run()`.
public struct PendingExpiryService: Service, CustomStringConvertible {
    let store: any PendingExpiryStore
    let logger: Logger
    let pollInterval: Duration
    let retryDelay: Duration
    let maximumRetryDelay: Duration
    let clock: @Sendable () -> UInt64
    let sleep: @Sendable (Duration) async throws -> Void

    /// - Parameters:
    ///   - store: the ledger store whose pending transfers to expire.
    ///   - logger: receives a warning per failed attempt (with the error and the delay before the
    ///     next), debug lines for releases, and an info line at start and stop.
    ///   - pollInterval: the longest sleep between two looks at the store (default 1 s): how late
    ///     a pending transfer created by another process may be released at worst.
    ///   - retryDelay: the backoff after the first failure; it doubles per consecutive failure.
    ///   - maximumRetryDelay: the cap on the backoff. Each delay is drawn between half of it and it.
    ///   - clock: nanoseconds since 1970, the clock the store decides with (inject the same clock
    ///     into both in tests).
    ///   - sleep: waits for a duration; must throw promptly when its task is cancelled, as
    ///     `Task.sleep` does (the default).
    public init(
        store: any PendingExpiryStore,
        logger: Logger,
        pollInterval: Duration = .seconds(1),
        retryDelay: Duration = .milliseconds(100),
        maximumRetryDelay: Duration = .seconds(30),
        clock: @escaping @Sendable () -> UInt64 = SQLiteLedgerStore.systemClock,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.store = store
        self.logger = logger
        self.pollInterval = max(pollInterval, .milliseconds(1))
        self.retryDelay = max(retryDelay, .milliseconds(1))
        self.maximumRetryDelay = max(maximumRetryDelay, self.retryDelay)
        self.clock = clock
        self.sleep = sleep
    }

    /// How a service group names it in its logs.
    public var description: String { "PendingExpiryService(poll: \(pollInterval))" }

    /// Expires pending transfers at their timeouts until graceful shutdown or cancellation, then
    /// returns. It does not throw: store failures are logged and retried.
    public func run() async {
        logger.info("pending-expiry pulse started", metadata: ["poll_interval": "\(pollInterval)"])
        await cancelWhenGracefulShutdown { await self.pulse() }
        logger.info("pending-expiry pulse stopped")
    }

    /// The loop behind `run()`; returns when its task is cancelled.
    func pulse() async {
        var failures = 0
        // An expiry still due after an `expireDue()` that released nothing, and how many times in
        // a row that happened: each further attempt waits longer, up to the poll interval.
        var stalledAt: UInt64?
        var stalls = 0
        while !Task.isCancelled {
            // Read before the store, so a pending transfer committed meanwhile wakes the sleep below.
            let generation = store.pendingExpirySignal.generation
            do {
                let next = try await store.nextExpiry()
                let now = clock()
                if let next, next <= now {
                    if next == stalledAt {
                        stalls += 1
                        let pause = stallPause(stalls)
                        if pause == pollInterval && stallPause(stalls - 1) < pollInterval {
                            logger.warning("a pending transfer due at \(next) stays open after committing its expiry; retrying every poll interval", metadata: [
                                "hint": "is this process's clock ahead of the clock the store decides with?",
                            ])
                        }
                        try await sleep(pause)
                    }
                    let released = try await store.expireDue()
                    failures = 0
                    if released > 0 {
                        logger.debug("released expired pending transfers", metadata: ["released": "\(released)"])
                        (stalledAt, stalls) = (nil, 0)
                    } else {
                        stalledAt = next
                    }
                    continue
                }
                failures = 0
                (stalledAt, stalls) = (nil, 0)
                let wait = next.map { min(pollInterval, .nanoseconds(Int64(clamping: $0 - now))) } ?? pollInterval
                try await sleep(wait, orUntilSignalledAfter: generation)
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                failures += 1
                var random = SystemRandomNumberGenerator()
                let delay = Self.retryDelay(after: failures, base: retryDelay, cap: maximumRetryDelay, using: &random)
                logger.warning("pending-expiry pulse failed; retrying", metadata: [
                    "error": "\(error)", "attempt": "\(failures)", "retry_in": "\(delay)",
                ])
                do { try await sleep(delay) } catch { return }
            }
        }
    }

    /// The pause before the `stalls`-th retry of an expiry that stays due: 2, 4, 8 ms … up to the
    /// poll interval.
    func stallPause(_ stalls: Int) -> Duration {
        min(pollInterval, .milliseconds(1) * (1 << min(max(stalls, 0), 20)))
    }

    /// Sleeps for `delay`, or until this process commits a pending transfer with a timeout (the
    /// signal fires after `generation`), whichever comes first.
    func sleep(_ delay: Duration, orUntilSignalledAfter generation: UInt64) async throws {
        let signal = store.pendingExpirySignal
        let sleep = self.sleep
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await sleep(delay) }
            group.addTask { await signal.wait(after: generation) }
            try await group.next()
            group.cancelAll()
        }
    }

    /// The pause before attempt `failures + 1`: `base` doubled per earlier failure, at most `cap`,
    /// drawn uniformly between half of that and all of it (jitter, so processes that failed
    /// together do not retry together). Never zero when `base` is not.
    static func retryDelay(after failures: Int, base: Duration, cap: Duration, using random: inout some RandomNumberGenerator) -> Duration {
        let baseNanoseconds = nanoseconds(base), capNanoseconds = nanoseconds(cap)
        var ceiling = max(baseNanoseconds, 1)
        for _ in 1..<max(failures, 1) where ceiling < capNanoseconds {
            ceiling = ceiling > capNanoseconds / 2 ? capNanoseconds : ceiling * 2
        }
        ceiling = min(ceiling, max(capNanoseconds, 1))
        return .nanoseconds(Int64.random(in: (ceiling - ceiling / 2)...ceiling, using: &random))
    }

    /// A non-negative duration in whole nanoseconds, saturating.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return Int64.max }
        let (total, sumOverflow) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return sumOverflow ? Int64.max : total
    }
}
