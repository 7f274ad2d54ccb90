/// What the node says about one attempt of a batch.
public enum AttemptState: Sendable, Equatable {
    /// Neither in the node's mempool nor in its best chain.
    case unknown
    case mempool
    case mined(confirmations: UInt64, height: UInt64)
}

/// Everything the tracker needs to decide a broadcast batch's next step, read from the node.
public struct BatchObservation: Sendable, Equatable {
    /// Keyed by attempt number.
    public var attempts: [Int: AttemptState]
    /// Whether one of the batch's inputs is spent in the best chain (by some transaction; with
    /// no attempt mined, by someone else's).
    public var inputSpent: Bool
    public var tip: UInt64
    public var now: Int64

    public init(attempts: [Int: AttemptState], inputSpent: Bool, tip: UInt64, now: Int64) {
        self.attempts = attempts
        self.inputSpent = inputSpent
        self.tip = tip
        self.now = now
    }
}

/// The tracker's knobs: the chain's confirmations, when an unconfirmed transaction counts as
/// stuck, and how many replacements a batch may get.
public struct TrackingPolicy: Sendable, Equatable {
    public var confirmations: UInt64
    public var replaceAfter: Int64
    public var maximumAttempts: Int

    public init(confirmations: UInt64, replaceAfter: Int64, maximumAttempts: Int) {
        self.confirmations = confirmations
        self.replaceAfter = replaceAfter
        self.maximumAttempts = maximumAttempts
    }
}

/// The tracker's decision for a broadcast batch.
public enum TrackingAction: Sendable, Equatable {
    case wait
    /// Mined with enough confirmations: settle on this attempt.
    case settle(attempt: Int, confirmations: UInt64, height: UInt64)
    /// Mined, not yet deep enough.
    case confirming(attempt: Int, confirmations: UInt64, height: UInt64)
    /// Back in (or never reached) the mempool after a reorganisation or a crash: send the same bytes again.
    case rebroadcast(attempt: Int)
    /// Unconfirmed past the deadline: sign a replacement paying more fee.
    case replace
    /// First sight of an input spent by someone else while no attempt is anywhere.
    case conflictSeen(height: UInt64)
    /// The conflicting spend is as deep as the chain's confirmations: no attempt can ever confirm.
    case fail(String)
}

/// The tracker as a pure function of the batch and what the node says.
public enum BatchTracking {
    public static func decide(_ batch: PayoutBatch, latest: PayoutAttempt, observation: BatchObservation, policy: TrackingPolicy) -> TrackingAction {
        let mined = observation.attempts.compactMap { number, state -> (Int, UInt64, UInt64)? in
            if case .mined(let confirmations, let height) = state { return (number, confirmations, height) }
            return nil
        }.max { $0.1 < $1.1 }
        if let (attempt, confirmations, height) = mined {
            return confirmations >= policy.confirmations
                ? .settle(attempt: attempt, confirmations: confirmations, height: height)
                : .confirming(attempt: attempt, confirmations: confirmations, height: height)
        }
        let inMempool = observation.attempts.contains { $0.value == .mempool }
        if !inMempool {
            guard observation.inputSpent else { return .rebroadcast(attempt: latest.number) }
            guard let seen = batch.conflictHeight else { return .conflictSeen(height: observation.tip) }
            if observation.tip >= seen && observation.tip - seen + 1 >= policy.confirmations {
                return .fail("an input was spent by another transaction \(observation.tip - seen + 1) blocks deep; none of the batch's \(batch.attempt) transaction(s) can confirm")
            }
            return .wait
        }
        if observation.attempts[latest.number] != .mempool {
            // An earlier attempt waits in the mempool; the latest was never accepted (or a crash
            // came between signing and sending it): offer it again.
            return .rebroadcast(attempt: latest.number)
        }
        if let sent = latest.broadcastAt, observation.now - sent >= policy.replaceAfter, batch.attempt < policy.maximumAttempts {
            return .replace
        }
        return .wait
    }
}
