import Synchronization

/// Why a ``BroadcastSubscription`` ended.
public enum BroadcastFinishReason: Sendable, Hashable, CustomStringConvertible {
    /// Its buffer was full when a message was published: the hub dropped it (and its pending
    /// messages) instead of growing memory or slowing other subscribers. A WebSocket server
    /// would close the connection with 1008 (policy violation) or 1013 (try again later).
    case slowConsumer
    /// ``BroadcastSubscription/cancel()`` or ``BroadcastHub/unsubscribe(_:)`` was called.
    case unsubscribed
    /// The task iterating it was cancelled.
    case cancelled
    /// ``BroadcastHub/finish()`` was called (or the hub was deallocated); messages already
    /// buffered are still delivered before the sequence ends.
    case hubFinished

    public var description: String {
        switch self {
        case .slowConsumer: "slow consumer"
        case .unsubscribed: "unsubscribed"
        case .cancelled: "cancelled"
        case .hubFinished: "hub finished"
        }
    }
}

/// One subscriber's view of a ``BroadcastHub``: an `AsyncSequence` of the messages published to
/// it, in the hub's publication order, through a buffer of at most ``bufferCapacity`` messages.
///
/// Single consumer: iterate it from one task at a time (a second concurrent `next()` traps, as
/// with `AsyncStream`). The sequence ends (returns `nil`) once ``finishReason`` is set. Cancelling
/// the iterating task ends the subscription with ``BroadcastFinishReason/cancelled`` and removes
/// it from the hub.
public final class BroadcastSubscription<Message: Sendable>: AsyncSequence, Sendable {
    public typealias Element = Message
    public typealias Failure = Never

    /// Unique within its hub; pass to ``BroadcastHub/unsubscribe(id:)`` or ``BroadcastHub/setFilter(_:for:)``.
    public let id: UInt64
    /// The most messages that may wait for this subscriber; one more publish drops it.
    public let bufferCapacity: Int

    struct State {
        var buffer: RingBuffer<Message>
        var waiter: CheckedContinuation<Message?, Never>?
        var finishReason: BroadcastFinishReason?
        var highWaterMark = 0
    }

    enum Offer {
        case buffered
        case handedOff(CheckedContinuation<Message?, Never>)
        case full
        case finished
    }

    let state: Mutex<State>
    /// Tells the hub to forget this subscription (set by the hub; weakly captures it).
    let detach: @Sendable (UInt64) -> Void

    init(id: UInt64, bufferCapacity: Int, finished: BroadcastFinishReason? = nil, detach: @escaping @Sendable (UInt64) -> Void) {
        self.id = id
        self.bufferCapacity = bufferCapacity
        self.detach = detach
        state = Mutex(State(buffer: RingBuffer(capacity: bufferCapacity), finishReason: finished))
    }

    /// Why the sequence ended, or `nil` while it is live. Read it after the loop ends to choose a
    /// close code (e.g. 1008 for ``BroadcastFinishReason/slowConsumer``).
    public var finishReason: BroadcastFinishReason? { state.withLock { $0.finishReason } }

    /// Messages published to this subscriber and not yet consumed (always ≤ ``bufferCapacity``).
    public var bufferedCount: Int { state.withLock { $0.buffer.count } }

    /// The largest ``bufferedCount`` ever reached (always ≤ ``bufferCapacity``).
    public var highWaterMark: Int { state.withLock { $0.highWaterMark } }

    /// Ends the subscription now with ``BroadcastFinishReason/unsubscribed``, discarding pending
    /// messages, and removes it from the hub. Does nothing if it already ended.
    public func cancel() {
        if finish(.unsubscribed) { detach(id) }
    }

    /// Called by the hub under its lock: buffer or hand off one message.
    func offer(_ message: Message) -> Offer {
        state.withLock { s in
            if s.finishReason != nil { return .finished }
            if let waiter = s.waiter {
                s.waiter = nil
                return .handedOff(waiter)
            }
            guard s.buffer.append(message) else { return .full }
            s.highWaterMark = Swift.max(s.highWaterMark, s.buffer.count)
            return .buffered
        }
    }

    /// Ends the sequence. Pending messages are discarded except for `.hubFinished`, where they are
    /// drained first. Returns whether this call ended it (`false` if it had already ended).
    @discardableResult
    func finish(_ reason: BroadcastFinishReason) -> Bool {
        let (ended, waiter) = state.withLock { s -> (Bool, CheckedContinuation<Message?, Never>?) in
            guard s.finishReason == nil else { return (false, nil) }
            s.finishReason = reason
            if reason != .hubFinished { s.buffer.removeAll() }
            let waiter = s.waiter
            s.waiter = nil
            return (true, waiter)
        }
        waiter?.resume(returning: nil)
        return ended
    }

    /// An iterator over this subscription (use one at a time).
    public func makeAsyncIterator() -> Iterator {
        Iterator(subscription: self)
    }

    /// Iterates a ``BroadcastSubscription``.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = Message
        public typealias Failure = Never

        let subscription: BroadcastSubscription<Message>

        /// The next message, suspending while none is buffered; `nil` once the subscription ended.
        public mutating func next() async -> Message? {
            let subscription = self.subscription
            // .some(message) / .some(nil) = end of sequence / nil = wait for a publish.
            let immediate = subscription.state.withLock { s -> Message?? in
                if let message = s.buffer.popFirst() { return .some(message) }
                return s.finishReason == nil ? nil : .some(nil)
            }
            if let immediate { return immediate }
            return await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Message?, Never>) in
                    let ready = subscription.state.withLock { s -> Message?? in
                        if let message = s.buffer.popFirst() { return .some(message) }
                        if s.finishReason != nil { return .some(nil) }
                        precondition(s.waiter == nil, "BroadcastSubscription iterated from more than one task at once")
                        s.waiter = continuation
                        return nil
                    }
                    if let ready { continuation.resume(returning: ready) }
                }
            } onCancel: {
                if subscription.finish(.cancelled) { subscription.detach(subscription.id) }
            }
        }
    }
}

/// A fixed-capacity FIFO that allocates lazily (doubling up to the capacity), so idle
/// subscribers with a large capacity cost little memory.
struct RingBuffer<Element> {
    private var slots: [Element?] = []
    private var head = 0
    private(set) var count = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Appends unless full; returns whether it did.
    mutating func append(_ element: Element) -> Bool {
        guard count < capacity else { return false }
        if count == slots.count { grow() }
        slots[(head + count) % slots.count] = element
        count += 1
        return true
    }

    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = slots[head]
        slots[head] = nil
        head = (head + 1) % slots.count
        count -= 1
        return element
    }

    mutating func removeAll() {
        slots = []
        head = 0
        count = 0
    }

    private mutating func grow() {
        let size = min(capacity, max(4, slots.count * 2))
        var grown: [Element?] = []
        grown.reserveCapacity(size)
        for offset in 0..<count { grown.append(slots[(head + offset) % slots.count]) }
        grown.append(contentsOf: repeatElement(nil, count: size - count))
        slots = grown
        head = 0
    }
}
