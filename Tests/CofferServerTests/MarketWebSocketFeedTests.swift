import CofferBase
import CofferCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import Market
import NIOCore
import Synchronization
import Testing

@testable import CofferServer

/// A websocket price source end to end on real sockets: a recorded exchange streams ticks over a
/// WebSocket on loopback; `MarketFeedService` connects, sends the configured subscription, reads
/// each message through the feed mapping (skipping the exchange's acknowledgement and a message
/// it cannot read), and, when the exchange drops the connection, reconnects and subscribes again.
struct MarketWebSocketFeedTests {
    /// What the exchange saw and will send: the first connection gets ticks 0-2 and is closed; the
    /// second gets ticks 3-9 and stays open.
    final class RecordedStream: Sendable {
        struct Seen: Sendable {
            var connections = 0
            var subscriptions: [String] = []
        }

        let seen = Mutex(Seen())

        static func tick(_ index: Int) -> String { #"{"ticks":[{"s":"BTC-USD","p":"\#(64_000 + 100 * index)"}]}"# }
    }

    @Test func ticksStreamInAndADroppedConnectionResubscribes() async throws {
        let logger = Logger(label: "market-websocket-feed-test")
        try await ServerBackend.sqlite.withServices { all in
            let services = all[0]
            let stream = RecordedStream()
            let router = Router(context: BasicWebSocketRequestContext.self)
            router.ws("feed") { inbound, outbound, _ in
                let connection = stream.seen.withLock { $0.connections += 1; return $0.connections }
                var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                // The client subscribes first, with both configured messages.
                for _ in 0..<2 {
                    if case let .text(text)? = try await messages.next() { stream.seen.withLock { $0.subscriptions.append(text) } }
                }
                try await outbound.write(.text(#"{"event":"subscribed","channel":"ticker"}"#))
                try await outbound.write(.text("not json"))
                let ticks = connection == 1 ? 0..<3 : 3..<10
                for index in ticks {
                    try await outbound.write(.text(RecordedStream.tick(index)))
                    try await Task.sleep(for: .milliseconds(20))
                }
                if connection == 1 { return }  // the exchange drops the first connection
                while try await messages.next() != nil {}
            }
            let port = MarketStreamTests.Box(0)
            let feed = Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: router),
                                   configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                   onServerRunning: { channel in port.value.withLock { $0 = channel.localAddress?.port ?? 0 } })
            let feedTask = Task { try await feed.run() }
            defer { feedTask.cancel() }
            let operatorCaller = try Caller.commandLine()
            let mapping = #"{"items":"ticks","pair":{"path":"s"},"price":"p"}"#
            let subscribe = #"[{"op":"subscribe","channel":"ticker","symbol":"BTC-USD"},{"op":"ping"}]"#
            let url = "ws://127.0.0.1:\(try await MarketStreamTests.waitForPort(port))/feed"
            let added = try await services.market.addSource(
                AddMarketSourceRequest(name: "streamer", kind: "websocket", url: url, mapping: mapping, subscribe: subscribe), by: operatorCaller)
            #expect(added.resource.kind == "websocket" && added.resource.url == url && added.resource.interval == nil)
            _ = try await services.market.addPair(AddMarketPairRequest(pair: "BTC/USD", maxAge: 600, deviationBps: 1), by: operatorCaller)
            let feedService = Task { try await MarketFeedService(live: services.live, logger: logger).run() }
            defer { feedService.cancel() }

            var last: String?
            for _ in 0..<400 where last != "64900" {
                last = try await services.market.quote("BTC/USD", at: nil, by: operatorCaller).price
                if last != "64900" { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(last == "64900", "the last streamed tick is the price")
            let seen = stream.seen.withLock { $0 }
            #expect(seen.connections == 2, "reconnected once after the exchange dropped the stream")
            #expect(seen.subscriptions == [#"{"op":"subscribe","channel":"ticker","symbol":"BTC-USD"}"#, #"{"op":"ping"}"#,
                                           #"{"op":"subscribe","channel":"ticker","symbol":"BTC-USD"}"#, #"{"op":"ping"}"#])
            // Every tick was observed once, from this source, in order; each publication followed it.
            let published = try await services.stores.market.prices("BTC/USD", from: 0, to: Int64.max, limit: 100).compactMap { $0.aggregate.price }
            #expect(published == (0..<10).map { UInt128(64_000 + 100 * $0) * PriceScale.one }, "\(published)")
        }
    }

    @Test func websocketSourcesAreCheckedWhenAdded() async throws {
        try await ServerBackend.sqlite.withServices { all in
            let market = all[0].market, operatorCaller = try Caller.commandLine()
            let mapping = #"{"items":"ticks","pair":{"path":"s"},"price":"p"}"#
            for (request, words) in [
                (AddMarketSourceRequest(name: "w", kind: "websocket", url: "http://127.0.0.1:1/feed", mapping: mapping), ["ws://"]),
                (AddMarketSourceRequest(name: "w", kind: "websocket", url: "ws://user:pw@127.0.0.1:1/feed", mapping: mapping), ["without credentials"]),
                (AddMarketSourceRequest(name: "w", kind: "websocket", url: "ws://127.0.0.1:1/feed"), ["mapping"]),
                (AddMarketSourceRequest(name: "w", kind: "websocket", url: "ws://127.0.0.1:1/feed", mapping: mapping, interval: 5), ["interval"]),
                (AddMarketSourceRequest(name: "w", kind: "websocket", url: "ws://127.0.0.1:1/feed", mapping: mapping, subscribe: "[1]"), ["subscribe"]),
                (AddMarketSourceRequest(name: "w", kind: "websocket", url: "ws://127.0.0.1:1/feed", mapping: mapping, subscribe: "{"), ["subscribe"]),
                (AddMarketSourceRequest(name: "w", kind: "http", url: "http://127.0.0.1:1/feed", mapping: mapping, subscribe: "{}"), ["subscribe"]),
            ] {
                do {
                    _ = try await market.addSource(request, by: operatorCaller)
                    Issue.record("accepted \(request)")
                } catch let error as ServiceError {
                    #expect(error.category == .invalidInput && words.allSatisfy { error.description.contains($0) }, "\(error.description)")
                }
            }
            #expect(try await market.sources(by: operatorCaller).isEmpty)
            let request = AddMarketSourceRequest(name: "w", kind: "websocket", url: "wss://stream.example/feed", mapping: mapping, subscribe: #"{"op":"sub"}"#)
            #expect(try await market.addSource(request, by: operatorCaller).created)
            #expect(try await market.addSource(request, by: operatorCaller).created == false)
            var other = request
            other.subscribe = #"{"op":"other"}"#
            await #expect(throws: ServiceError.self) { try await market.addSource(other, by: operatorCaller) }
        }
    }
}
