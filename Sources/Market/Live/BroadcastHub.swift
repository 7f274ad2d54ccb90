import Synchronization

/// Which published messages a subscriber wants.
public enum TopicFilter: Sendable, Hashable {
    /// Every message.
    case all
    /// Messages published with one of these topics (e.g. pairs `"BTC/USD"`), plus untopiced
    /// broadcasts from ``BroadcastHub/publish(_:)``.
    case topics(Set<String>)

    /// Whether a message with `topic` (`nil`: a broadcast to everyone) passes.
    public func accepts(_ topic: String?) -> Bool {
        switch self {
        case .all: true
        case .topics(let topics): topic.map(topics.contains) ?? true
        }
    }
}

/// What one ``BroadcastHub/publish(topic:_:)`` did.
public struct PublishReceipt: Sendable, Hashable {
    /// Position of this message in the hub's publication order (1, 2, 3, …). Every subscriber
    /// receives its messages in increasing `sequence`.
    public var sequence: UInt64
    /// Subscribers that received (buffered or were handed) the message.
    public var delivered: Int
    /// Subscribers dropped by this publish because their buffer was full.
    public var droppedSlowConsumers: Int
}

/// Counters for monitoring a hub.
public struct BroadcastMetrics: Sendable, Hashable {
    /// Live subscribers.
    public var subscribers: Int
    /// Messages published so far.
    public var published: UInt64
    /// Message deliveries (one message to three subscribers counts three).
    public var delivered: UInt64
    /// Subscribers dropped because their buffer was full.
    public var droppedSlowConsumers: UInt64
}

/// Fan-out of live messages (e.g. prices to WebSocket clients) with per-subscriber back-pressure.
///
/// Publishing never waits and never grows memory without bound: each subscriber has a buffer of
/// at most `bufferCapacity` messages, and a subscriber whose buffer is full when a message is
/// published to it is dropped on the spot — its sequence ends with
/// ``BroadcastFinishReason/slowConsumer`` and its pending messages are freed — so one stalled
/// client can neither exhaust memory nor delay the others.
///
/// Publication order is the order in which `publish` calls take the hub's lock; each publish
/// gets the next ``PublishReceipt/sequence`` and is offered to every matching subscriber before
/// the next publish starts, so every subscriber sees its messages in that one global order, even
/// when many tasks publish concurrently.
///
/// A final class guarded by a `Mutex` rather than an actor, so that `publish` is synchronous
/// (callable from any context without `await`) and its ordering is explicit.
public final class BroadcastHub<Message: Sendable>: Sendable {
    private struct Entry {
        let subscription: BroadcastSubscription<Message>
        var filter: TopicFilter
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 1
        var published: UInt64 = 0
        var delivered: UInt64 = 0
        var droppedSlowConsumers: UInt64 = 0
        var finished = false
    }

    private let state = Mutex(State())
    /// Buffer size given to subscriptions that do not choose their own.
    public let defaultBufferCapacity: Int

    /// - Parameter defaultBufferCapacity: messages a subscriber may fall behind before it is
    ///   dropped (at least 1).
    public init(defaultBufferCapacity: Int = 256) {
        precondition(defaultBufferCapacity >= 1, "buffer capacity must be at least 1")
        self.defaultBufferCapacity = defaultBufferCapacity
    }

    deinit {
        for entry in state.withLock({ $0.entries.values }) {
            entry.subscription.finish(.hubFinished)
        }
    }

    /// Adds a subscriber. It receives messages published from now on that pass `filter`.
    /// After ``finish()`` the returned subscription has already ended with ``BroadcastFinishReason/hubFinished``.
    public func subscribe(_ filter: TopicFilter = .all, bufferCapacity: Int? = nil) -> BroadcastSubscription<Message> {
        let capacity = bufferCapacity ?? defaultBufferCapacity
        precondition(capacity >= 1, "buffer capacity must be at least 1")
        let detach: @Sendable (UInt64) -> Void = { [weak self] id in self?.forget(id) }
        return state.withLock { s in
            let id = s.nextID
            s.nextID += 1
            if s.finished {
                return BroadcastSubscription(id: id, bufferCapacity: capacity, finished: .hubFinished, detach: detach)
            }
            let subscription = BroadcastSubscription<Message>(id: id, bufferCapacity: capacity, detach: detach)
            s.entries[id] = Entry(subscription: subscription, filter: filter)
            return subscription
        }
    }

    /// Ends a subscription with ``BroadcastFinishReason/unsubscribed`` (pending messages are
    /// discarded). Returns whether it was live.
    @discardableResult
    public func unsubscribe(id: UInt64) -> Bool {
        guard let entry = state.withLock({ $0.entries.removeValue(forKey: id) }) else { return false }
        return entry.subscription.finish(.unsubscribed)
    }

    /// ``unsubscribe(id:)`` for a subscription object.
    @discardableResult
    public func unsubscribe(_ subscription: BroadcastSubscription<Message>) -> Bool {
        unsubscribe(id: subscription.id)
    }

    /// Replaces a live subscriber's filter (e.g. a WebSocket client subscribed to more pairs).
    /// Returns whether the subscriber was live.
    @discardableResult
    public func setFilter(_ filter: TopicFilter, for id: UInt64) -> Bool {
        state.withLock { s in
            guard s.entries[id] != nil else { return false }
            s.entries[id]!.filter = filter
            return true
        }
    }

    /// Publishes `message` under `topic` to every subscriber whose filter accepts it, without
    /// waiting. Subscribers whose buffer is full are dropped (``BroadcastFinishReason/slowConsumer``).
    @discardableResult
    public func publish(topic: String?, _ message: Message) -> PublishReceipt {
        var handOffs: [CheckedContinuation<Message?, Never>] = []
        var dropped: [BroadcastSubscription<Message>] = []
        let receipt = state.withLock { s -> PublishReceipt in
            s.published += 1
            var receipt = PublishReceipt(sequence: s.published, delivered: 0, droppedSlowConsumers: 0)
            guard !s.finished else { return receipt }
            var gone: [UInt64] = []
            for (id, entry) in s.entries where entry.filter.accepts(topic) {
                switch entry.subscription.offer(message) {
                case .buffered:
                    receipt.delivered += 1
                case .handedOff(let waiter):
                    receipt.delivered += 1
                    handOffs.append(waiter)
                case .full:
                    receipt.droppedSlowConsumers += 1
                    dropped.append(entry.subscription)
                    gone.append(id)
                case .finished:
                    gone.append(id)
                }
            }
            for id in gone { s.entries[id] = nil }
            s.delivered += UInt64(receipt.delivered)
            s.droppedSlowConsumers += UInt64(receipt.droppedSlowConsumers)
            // Finish dropped subscribers while still holding the hub lock, so nothing published
            // after this one can reach them.
            for subscription in dropped { subscription.finish(.slowConsumer) }
            return receipt
        }
        // A waiter only exists when its buffer is empty, so handing off preserves order.
        for waiter in handOffs { waiter.resume(returning: message) }
        return receipt
    }

    /// Publishes `message` to every subscriber, whatever its filter (e.g. a shutdown notice).
    @discardableResult
    public func publish(_ message: Message) -> PublishReceipt {
        publish(topic: nil, message)
    }

    /// Live subscribers.
    public var subscriberCount: Int { state.withLock { $0.entries.count } }

    /// A snapshot of the hub's counters.
    public var metrics: BroadcastMetrics {
        state.withLock { s in
            BroadcastMetrics(subscribers: s.entries.count, published: s.published, delivered: s.delivered, droppedSlowConsumers: s.droppedSlowConsumers)
        }
    }

    /// Ends every subscription with ``BroadcastFinishReason/hubFinished`` after its buffered
    /// messages; later publishes deliver nothing and later subscriptions start ended.
    public func finish() {
        let entries = state.withLock { s -> [Entry] in
            s.finished = true
            defer { s.entries.removeAll() }
            return Array(s.entries.values)
        }
        for entry in entries { entry.subscription.finish(.hubFinished) }
    }

    private func forget(_ id: UInt64) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }
}
