import Synchronization

/// Wakes `PendingExpiryService` early when this process commits a pending transfer with a
/// timeout, so a hold created while the service sleeps out its poll interval is still released at
/// its timeout. Each store owns one and fires it once such a commit is durable; commits by other
/// processes are found by the service's polling instead.
///
/// Several waiters may wait at once. A waiter reads `generation` before it looks at the store and
/// passes it to `wait(after:)`, so a signal fired in between is never lost.
public final class PendingExpirySignal: Sendable {
    private enum Waiter {
        /// Registered, continuation not yet installed.
        case starting
        case waiting(CheckedContinuation<Void, Never>)
        /// Cancelled before its continuation was installed.
        case cancelled
    }

    private struct State {
        var generation: UInt64 = 0
        var nextID: UInt64 = 0
        var waiters: [UInt64: Waiter] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// How many times the signal has fired.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Fires the signal: every current waiter returns.
    public func signal() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            var woken: [CheckedContinuation<Void, Never>] = []
            for (id, waiter) in state.waiters {
                if case .waiting(let continuation) = waiter {
                    woken.append(continuation)
                    state.waiters[id] = nil
                }
            }
            return woken
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns once the signal has fired since `generation` was read (at once if it already has),
    /// or when the calling task is cancelled.
    public func wait(after generation: UInt64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID &+= 1
            state.waiters[state.nextID] = .starting
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if case .cancelled = state.waiters[id] {
                        state.waiters[id] = nil
                        return true
                    }
                    if state.generation != generation {
                        state.waiters[id] = nil
                        return true
                    }
                    state.waiters[id] = .waiting(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
                switch state.waiters[id] {
                case .waiting(let continuation):
                    state.waiters[id] = nil
                    return continuation
                case .starting:
                    state.waiters[id] = .cancelled
                    return nil
                case .cancelled, nil:
                    return nil
                }
            }
            continuation?.resume()
        }
    }
}
