import Testing
@testable import Market

@Suite struct BroadcastHubTests {
    struct Tagged: Sendable, Hashable {
        var publisher: Int
        var index: Int
    }

    /// Many tasks publish at once; every subscriber sees the one global order the hub assigned
    /// (increasing receipt sequence), which also keeps each publisher's own order.
    @Test func orderPreservedAcrossConcurrentPublishers() async throws {
        let publishers = 4, perPublisher = 500, total = publishers * perPublisher
        let hub = BroadcastHub<Tagged>(defaultBufferCapacity: total)
        let subscriptions = (0..<3).map { _ in hub.subscribe() }
        let consumers = subscriptions.map { subscription in
            Task {
                var received: [Tagged] = []
                for await message in subscription { received.append(message) }
                return received
            }
        }
        let sequences = await withTaskGroup(of: [(Tagged, UInt64)].self) { group in
            for publisher in 0..<publishers {
                group.addTask {
                    var sent: [(Tagged, UInt64)] = []
                    for index in 0..<perPublisher {
                        let message = Tagged(publisher: publisher, index: index)
                        sent.append((message, hub.publish(message).sequence))
                        if index % 50 == 0 { await Task.yield() }
                    }
                    return sent
                }
            }
            var all: [Tagged: UInt64] = [:]
            for await sent in group { for (message, sequence) in sent { all[message] = sequence } }
            return all
        }
        #expect(Set(sequences.values) == Set(1...UInt64(total)))
        #expect(hub.metrics == BroadcastMetrics(subscribers: 3, published: UInt64(total), delivered: UInt64(3 * total), droppedSlowConsumers: 0))
        hub.finish()  // consumers drain their buffers and end, so a lost message fails instead of hanging
        var first: [Tagged]?
        for consumer in consumers {
            let received = await consumer.value
            #expect(received.count == total)
            let order = received.map { sequences[$0]! }
            #expect(order == order.sorted() && Set(order).count == total, "delivery order differs from publication order")
            for publisher in 0..<publishers {
                #expect(received.filter { $0.publisher == publisher }.map(\.index) == Array(0..<perPublisher))
            }
            if let first { #expect(received == first) } else { first = received }
        }
        for subscription in subscriptions {
            #expect(subscription.highWaterMark <= total && subscription.finishReason == .hubFinished)
        }
    }

    /// A subscriber that never reads is dropped by publish number capacity + 1; a subscriber that
    /// keeps up receives everything.
    @Test func stalledSubscriberIsDroppedFastOneGetsEverything() async throws {
        let capacity = 4
        let hub = BroadcastHub<Int>(defaultBufferCapacity: capacity)
        let stalled = hub.subscribe()
        let fast = hub.subscribe()
        var fastIterator = fast.makeAsyncIterator()
        var received: [Int] = []
        for n in 1...100 {
            let receipt = hub.publish(n)
            if n <= capacity {
                #expect(stalled.finishReason == nil && stalled.bufferedCount == n)
                #expect(receipt.delivered == 2 && receipt.droppedSlowConsumers == 0)
            } else if n == capacity + 1 {
                #expect(stalled.finishReason == .slowConsumer)
                #expect(receipt.delivered == 1 && receipt.droppedSlowConsumers == 1)
                #expect(hub.subscriberCount == 1)
            } else {
                #expect(receipt.delivered == 1 && receipt.droppedSlowConsumers == 0)
            }
            received.append(try #require(await fastIterator.next()))
        }
        #expect(received == Array(1...100))
        #expect(fast.finishReason == nil)
        // The dropped subscriber's pending messages were freed and its sequence is over.
        #expect(stalled.bufferedCount == 0 && stalled.highWaterMark == capacity)
        var stalledIterator = stalled.makeAsyncIterator()
        #expect(await stalledIterator.next() == nil)
        #expect(hub.metrics.droppedSlowConsumers == 1)
        #expect(hub.metrics.delivered == UInt64(capacity + 100))
    }

    /// A slow (not stalled) reader never holds more than its capacity; when it falls a full buffer
    /// behind it is dropped rather than the buffer growing.
    @Test func bufferNeverExceedsCapacity() async throws {
        let capacity = 8
        let hub = BroadcastHub<Int>()
        let slow = hub.subscribe(bufferCapacity: capacity)
        let idle = hub.subscribe(bufferCapacity: 1_000)  // a roomy one, to show per-subscriber capacity
        var iterator = slow.makeAsyncIterator()
        var consumed: [Int] = []
        var n = 0
        while slow.finishReason == nil, n < 1_000 {
            n += 1
            hub.publish(n)
            #expect(slow.bufferedCount <= capacity)
            if n % 3 == 0, let message = await iterator.next() { consumed.append(message) }
        }
        // It gains two messages every three publishes and is dropped by the publish that would
        // have been the ninth pending one.
        #expect(slow.finishReason == .slowConsumer)
        #expect(slow.highWaterMark == capacity)
        #expect(consumed == Array(1...consumed.count))
        #expect(n == consumed.count + capacity + 1)
        #expect(idle.bufferedCount == n && idle.finishReason == nil)
        #expect(hub.subscriberCount == 1)
    }

    @Test func topicFiltering() async throws {
        let hub = BroadcastHub<String>()
        let btc = hub.subscribe(.topics(["BTC/USD"]))
        let both = hub.subscribe(.topics(["BTC/USD", "ETH/USD"]))
        let everything = hub.subscribe()
        #expect(hub.publish(topic: "BTC/USD", "b1").delivered == 3)
        #expect(hub.publish(topic: "ETH/USD", "e1").delivered == 2)
        #expect(hub.publish(topic: "SOL/USD", "s1").delivered == 1)
        #expect(hub.publish("notice").delivered == 3)        // untopiced: everyone
        #expect(hub.setFilter(.topics(["SOL/USD"]), for: btc.id))
        #expect(hub.publish(topic: "SOL/USD", "s2").delivered == 2)
        #expect(hub.publish(topic: "BTC/USD", "b2").delivered == 2)
        hub.finish()
        #expect(await collect(btc) == ["b1", "notice", "s2"])
        #expect(await collect(both) == ["b1", "e1", "notice", "b2"])
        #expect(await collect(everything) == ["b1", "e1", "s1", "notice", "s2", "b2"])
        #expect(!hub.setFilter(.all, for: btc.id))
    }

    @Test func unsubscribeAndCancellation() async throws {
        let hub = BroadcastHub<Int>()
        let a = hub.subscribe()
        let b = hub.subscribe()
        let c = hub.subscribe()
        #expect(hub.subscriberCount == 3)
        hub.publish(1)
        #expect(hub.unsubscribe(a))
        #expect(!hub.unsubscribe(a))
        #expect(a.finishReason == .unsubscribed)
        var aIterator = a.makeAsyncIterator()
        #expect(await aIterator.next() == nil)      // pending message discarded
        b.cancel()
        #expect(b.finishReason == .unsubscribed && hub.subscriberCount == 1)

        // Cancelling the consuming task (e.g. the WebSocket closed) ends and detaches the subscription.
        let consumer = Task {
            var count = 0
            for await _ in c { count += 1 }
            return count
        }
        await eventually { c.bufferedCount == 0 }   // it has consumed message 1
        consumer.cancel()
        #expect(await consumer.value == 1)
        #expect(c.finishReason == .cancelled)
        #expect(hub.subscriberCount == 0)
        #expect(hub.publish(2).delivered == 0)
    }

    @Test func waitingConsumerIsHandedMessages() async throws {
        let hub = BroadcastHub<Int>(defaultBufferCapacity: 1)
        let subscription = hub.subscribe()
        let consumer = Task {
            var received: [Int] = []
            for await message in subscription { received.append(message) }
            return received
        }
        // Publish one at a time, each only once the consumer is waiting again: capacity 1 suffices.
        for n in 1...20 {
            guard await eventually({ subscription.bufferedCount == 0 }) else { break }
            #expect(hub.publish(n).delivered == 1)
        }
        await eventually { subscription.bufferedCount == 0 }
        hub.finish()
        #expect(await consumer.value == Array(1...20))
        #expect(subscription.finishReason == .hubFinished)
        #expect(subscription.highWaterMark <= 1)
    }

    @Test func finishDrainsAndLaterSubscriptionsStartEnded() async {
        let hub = BroadcastHub<Int>()
        let subscription = hub.subscribe()
        hub.publish(1)
        hub.publish(2)
        hub.finish()
        #expect(await collect(subscription) == [1, 2])
        #expect(subscription.finishReason == .hubFinished)
        let late = hub.subscribe()
        #expect(late.finishReason == .hubFinished)
        #expect(hub.publish(3).delivered == 0)
        #expect(await collect(late) == [])
    }

    @Test func releasingTheHubEndsSubscriptions() async {
        var hub: BroadcastHub<Int>? = BroadcastHub()
        let subscription = hub!.subscribe()
        hub!.publish(1)
        hub = nil
        #expect(await collect(subscription) == [1])
        #expect(subscription.finishReason == .hubFinished)
    }

    @Test func ringBufferWrapsAndGrows() {
        var ring = RingBuffer<Int>(capacity: 10)
        var model: [Int] = []
        var random = SplitMix64(state: 42)
        for n in 0..<2_000 {
            if Bool.random(using: &random) {
                let appended = ring.append(n)
                #expect(appended == (model.count < 10))
                if appended { model.append(n) }
            } else {
                #expect(ring.popFirst() == model.first)
                if !model.isEmpty { model.removeFirst() }
            }
            #expect(ring.count == model.count)
        }
    }

    /// Waits (at most about 5 s) for `condition`; records an issue instead of hanging.
    @discardableResult
    private func eventually(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async -> Bool {
        for _ in 0..<5_000 {
            if condition() { return true }
            try? await Task.sleep(nanoseconds: 1_000_000)
        }
        Issue.record("condition not reached within 5 s", sourceLocation: sourceLocation)
        return false
    }

    private func collect<M: Sendable>(_ subscription: BroadcastSubscription<M>) async -> [M] {
        var out: [M] = []
        for await message in subscription { out.append(message) }
        return out
    }
}
