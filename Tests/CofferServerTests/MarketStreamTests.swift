import CofferBase
import CofferCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Hummingbird
import HummingbirdWSClient
import Ledger
import Logging
import Market
import NIOWebSocket
import Synchronization
import Tenancy
import Testing

@testable import CofferServer

/// Live prices end to end on real sockets: a recorded exchange served over HTTP on loopback,
/// polled by `MarketFeedService` through a feed mapping, aggregated and pushed by `coffer serve`'s
/// `/v1/stream` WebSocket to two clients: one reads everything in order, one stalls and is
/// dropped while the other keeps receiving.
struct MarketStreamTests {
    /// Each GET /ticker answers the next `batch` recorded ticks (prices rising), then an
    /// empty list once `total` ticks were served.
    final class RecordedExchange: Sendable {
        let batch: Int, total: Int
        let served = Mutex(0)

        init(batch: Int, total: Int) {
            self.batch = batch
            self.total = total
        }

        func body() -> String {
            let range = served.withLock { count -> Range<Int> in
                let next = min(count + batch, total)
                defer { count = next }
                return count..<next
            }
            return #"{"ticks":["# + range.map { #"{"s":"BTC-USD","p":"\#(MarketStreamTests.price($0))"}"# }.joined(separator: ",") + "]}"
        }
    }

    /// The `index`th recorded price: rising by 100 (at least 1.7 bps), above the pair's 1 bps threshold.
    static func price(_ index: Int) -> Int { 64_000 + 100 * index }

    final class Box<T: Sendable>: Sendable {
        let value: Mutex<T>
        init(_ value: T) { self.value = Mutex(value) }
    }

    static func waitForPort(_ box: Box<Int>) async throws -> Int {
        for _ in 0..<200 {
            let port = box.value.withLock { $0 }
            if port != 0 { return port }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw ServiceError.invalid("a server did not start")
    }

    @Test func pricesArriveInOrderAndAStalledClientIsDropped() async throws {
        let logger = Logger(label: "market-stream-test")
        try await ServerBackend.sqlite.withServices { all in
            let services = all[0]
            // Bursts of 250 a second: well within a connection's 1,024-message buffer, so a client
            // that reads keeps up even on a loaded machine; one that does not falls behind by the
            // socket buffers plus 1,024 and is dropped.
            let total = 5_000
            let exchange = RecordedExchange(batch: 250, total: total)
            let feedRouter = Router()
            feedRouter.get("ticker") { _, _ in exchange.body() }
            let feedPort = Box(0), serverPort = Box(0)
            let feed = Application(router: feedRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                   onServerRunning: { channel in feedPort.value.withLock { $0 = channel.localAddress?.port ?? 0 } })
            var settings = ServerSettings()
            settings.host = "127.0.0.1"
            settings.port = 0
            settings.rateLimit = 0
            let server = CofferServer.application(settings: settings, services: services, readiness: [], logger: logger,
                                                  onRunning: { port in serverPort.value.withLock { $0 = port } })
            let feedTask = Task { try await feed.run() }
            let serverTask = Task { try await server.run() }
            defer {
                feedTask.cancel()
                serverTask.cancel()
            }
            let operatorCaller = try Caller.commandLine()
            let mapping = #"{"items":"ticks","pair":{"path":"s"},"price":"p"}"#
            _ = try await services.market.addSource(AddMarketSourceRequest(
                name: "exchange", kind: "http", url: "http://127.0.0.1:\(try await Self.waitForPort(feedPort))/ticker", mapping: mapping, interval: 1),
                by: operatorCaller)
            _ = try await services.market.addPair(AddMarketPairRequest(pair: "BTC/USD", maxAge: 600, deviationBps: 1), by: operatorCaller)
            let tenant = try await services.stores.tenancy.createTenant(name: "A")
            let key = try await services.stores.tenancy.createKey(tenantID: tenant.id, scopes: [.read], label: "stream", expiresAt: nil)
            // Alice, a customer of the tenant, holds 0.5 BTC: her portfolio follows the price.
            let writer = Caller(tenant: try TenantScope(tenant.id), scopes: [.read, .write], actor: "test")
            _ = try await services.ledger.createAsset(CreateAssetRequest(code: "BTC", decimals: 8), by: writer)
            _ = try await services.ledger.createAccount(CreateAccountRequest(id: "treasury", asset: "BTC"), by: writer)
            _ = try await services.ledger.createAccount(CreateAccountRequest(id: "alice-btc", asset: "BTC", owner: "alice"), by: writer)
            let funded = try await services.ledger.submit([Transfer(id: try LedgerID(validating: "fund"), debitAccountID: try LedgerID(validating: "treasury"),
                                                                    creditAccountID: try LedgerID(validating: "alice-btc"), amount: 50_000_000, asset: "BTC")],
                                                          by: writer)
            try #require(funded.first?.result == "created")
            let url = "ws://127.0.0.1:\(try await Self.waitForPort(serverPort))/v1/stream"
            let configuration = WebSocketClientConfiguration(additionalHeaders: [.authorization: "Bearer \(key.text)"])

            // A plain GET is a problem document; a bad key gets no stream.
            let plain = try await ServeCLITestsLite.get("http://127.0.0.1:\(try await Self.waitForPort(serverPort))/v1/stream", key: key.text)
            #expect(plain.status == 400 && plain.body.contains("upgrade-required"), "\(plain)")

            let subscribed = Box(0)
            let stalledDone = Box<(received: Int, ended: Bool)>((0, false))
            // The stalled client subscribes, then reads nothing until the fast one is done.
            let fastDone = Box(false)
            let stalled = Task {
                try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                    try await outbound.write(.text(#"{"type":"subscribe","pairs":["BTC/USD"]}"#))
                    subscribed.value.withLock { $0 += 1 }
                    while !fastDone.value.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(50)) }
                    var received = 0
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        if case .text(let text) = message, text.contains(#""type":"price""#) { received += 1 }
                    }
                    stalledDone.value.withLock { $0 = (received, true) }
                }
            }
            let received = Box<[Int]>([])
            let valuations = Box<[String]>([])
            let fast = try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"type":"subscribe","pairs":["BTC/USD"]}"#))
                try await outbound.write(.text(#"{"type":"valuation","currency":"USD","customer":"alice"}"#))
                subscribed.value.withLock { $0 += 1 }
                // Only now may the exchange be polled: both clients are listening.
                while subscribed.value.withLock({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
                let feedService = Task { try await MarketFeedService(live: services.live, logger: logger).run() }
                // Fails rather than hangs: the connection is closed after two minutes whatever happened.
                let watchdog = Task {
                    try await Task.sleep(for: .seconds(120))
                    try await outbound.close(.goingAway, reason: "test timed out")
                }
                defer {
                    feedService.cancel()
                    watchdog.cancel()
                }
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    guard case .text(let text) = message, let data = text.data(using: .utf8),
                          let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
                    if object["type"] as? String == "valuation", let value = (object["valuation"] as? [String: Any])?["total"] as? String {
                        valuations.value.withLock { $0.append(value) }
                        // The valuation after the last burst comes after its last price.
                        if value == "\(Self.price(total - 1) / 2).00" { break }
                    }
                    guard object["type"] as? String == "price",
                          let price = (object["price"] as? [String: Any])?["price"] as? String, let whole = Int(price) else { continue }
                    let count = received.value.withLock { prices in
                        prices.append(whole)
                        return prices.count
                    }
                    if count > total { break }
                }
                fastDone.value.withLock { $0 = true }
                try await outbound.close(.normalClosure, reason: nil)
            }
            _ = fast
            let prices = received.value.withLock { $0 }
            // The fast client saw every publication, in order.
            #expect(prices.count == total, "received \(prices.count) of \(total)")
            let expected = (0..<prices.count).map(Self.price)
            #expect(prices == expected, "out of order or missing: first difference at \(prices.indices.first { prices[$0] != expected[$0] } ?? -1)")
            // Her portfolio was valued at once (no price yet: 0.00) and again as the price moved:
            // the last value is 0.5 BTC at the last price.
            let totals = valuations.value.withLock { $0 }
            // (The first is sent when the request is read: before any price, 0.00, or, when the
            // first burst got in first, half of a price already published.)
            #expect(totals.count >= 2 && (totals.first == "0.00" || prices.contains { "\($0 / 2).00" == totals.first }), "\(totals.prefix(3)) … \(totals.count)")
            #expect(totals.last == "\(Self.price(total - 1) / 2).00", "\(totals.suffix(3))")
            // The stalled one was dropped: the hub says so, and its connection ended with fewer.
            _ = try? await stalled.value
            let ended = stalledDone.value.withLock { $0 }
            #expect(services.live.hub.metrics.droppedSlowConsumers == 1)
            #expect(ended.ended && ended.received < total, "\(ended)")
            // History: every publication is stored before it is pushed.
            let reader = Caller(tenant: try TenantScope(tenant.id), scopes: [.read], actor: "test")
            #expect(try await services.market.quote("BTC/USD", at: nil, by: reader).price == "\(Self.price(total - 1))")
        }
    }
}

/// A minimal HTTP GET for the stream's non-upgrade answer.
enum ServeCLITestsLite {
    static func get(_ url: String, key: String) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
