import AsyncHTTPClient
import ChainNodes
import CofferBase
import Foundation
import HummingbirdWSClient
public import Logging
import Market
import NIOCore
import NIOHTTP1
public import ServiceLifecycle
import Synchronization

/// Polls every `http` price source while `coffer serve` runs, one loop per source, each every
/// `interval` seconds, and keeps every `websocket` source connected (its subscription sent on
/// each connection, each message read as it arrives): bodies and messages are read through the
/// source's feed mapping and the observations go to `MarketLive`. A websocket message the
/// mapping cannot read (an exchange's acknowledgement, a heartbeat) is skipped, not fatal; a
/// dropped connection is reconnected with the same backoff. A source that fails (unreachable, an HTTP error, a body the
/// mapping refuses) is logged and retried with backoff (doubling to a minute): its observations
/// just age out, so quorum and staleness decide what is published, never a guess. Every second
/// the pairs' clocks move on, so sources go stale on time. Sources added while it runs are picked
/// up within `refresh`. The same tick drives the monitoring rules (`MarketMonitor`).
public struct MarketFeedService: Service {
    let live: MarketLive
    let logger: Logger
    let client: HTTPClient
    let refresh: Duration
    let clock: @Sendable () -> Int64

    public init(live: MarketLive, logger: Logger, refresh: Duration = .seconds(10),
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.live = live
        self.logger = logger
        self.refresh = refresh
        self.clock = clock
        client = JSONRPCClient.sharedHTTPClient
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await tick() }
                var running: Set<String> = []
                while !Task.isCancelled {
                    do {
                        for source in try await live.store.sources() where source.kind != .replay && !running.contains(source.name) {
                            running.insert(source.name)
                            if source.kind == .http {
                                group.addTask { await poll(source) }
                            } else {
                                group.addTask { await stream(source) }
                            }
                        }
                    } catch {
                        logger.warning("listing price sources failed; retrying", metadata: ["error": "\(String(describing: error).prefix(200))"])
                    }
                    try? await Task.sleep(for: refresh)
                }
                group.cancelAll()
            }
        }
    }

    /// Every second: the pairs' clocks move to now, then the monitoring rules' (stale sources,
    /// windows, the ledger's new transfers).
    func tick() async {
        while !Task.isCancelled {
            let now = clock()
            do { try await live.advance(to: now) } catch {
                logger.warning("advancing market prices failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
            }
            await live.monitor?.tick(now: now)
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// One source's loop, until cancelled.
    func poll(_ source: MarketSource) async {
        let metadata: Logger.Metadata = ["source": "\(source.name)"]
        let mapping: FeedMapping
        do { mapping = try FeedMapping(json: source.mapping ?? "") } catch {
            logger.error("price source has an unusable mapping; not polled", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return
        }
        let interval = Duration.seconds(max(source.interval ?? 10, 1))
        var backoff = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                let observations = try await fetch(source, mapping)
                try await live.ingest(observations)
                backoff = .seconds(1)
                try? await Task.sleep(for: interval)
            } catch {
                logger.warning("price source poll failed; retrying", metadata: metadata.merging([
                    "error": "\(String(describing: error).prefix(200))", "retry_in": "\(backoff)"]) { $1 })
                try? await Task.sleep(for: max(backoff, interval))
                backoff = min(backoff * 2, .seconds(60))
            }
        }
    }

    /// One websocket source's loop, until cancelled: connect, subscribe, read every message;
    /// reconnect after a failure or a close with backoff (reset once a connection delivered).
    func stream(_ source: MarketSource) async {
        let metadata: Logger.Metadata = ["source": "\(source.name)"]
        let mapping: FeedMapping
        let messages: [String]
        do {
            mapping = try FeedMapping(json: source.mapping ?? "")
            messages = try source.subscribe.map { try MarketService.subscriptionMessages($0).messages } ?? []
        } catch {
            logger.error("price source has an unusable mapping or subscription; not connected", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return
        }
        var backoff = Duration.seconds(1)
        while !Task.isCancelled {
            let delivered = DeliveryFlag()
            do {
                try await WebSocketClient.connect(url: source.location, logger: logger) { inbound, outbound, _ in
                    for message in messages { try await outbound.write(.text(message)) }
                    for try await message in inbound.messages(maxSize: mapping.maxBodyBytes) {
                        let bytes: [UInt8]
                        switch message {
                        case let .text(text): bytes = Array(text.utf8)
                        case let .binary(buffer): bytes = Array(buffer.readableBytesView)
                        }
                        let observations: [MarketObservation]
                        do { observations = try observe(source, mapping, bytes) } catch {
                            logger.debug("price source message skipped", metadata: metadata.merging(["error": "\(String(describing: error).prefix(200))"]) { $1 })
                            continue
                        }
                        try await live.ingest(observations)
                        delivered.value.withLock { $0 = true }
                    }
                }
                logger.info("price source closed its stream; reconnecting", metadata: metadata)
            } catch {
                logger.warning("price source stream failed; reconnecting", metadata: metadata.merging([
                    "error": "\(String(describing: error).prefix(200))", "retry_in": "\(backoff)"]) { $1 })
            }
            if delivered.value.withLock({ $0 }) { backoff = .seconds(1) }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(60))
        }
    }

    /// One poll: GET the source's URL, read the body through its mapping.
    func fetch(_ source: MarketSource, _ mapping: FeedMapping) async throws -> [MarketObservation] {
        var request = HTTPClientRequest(url: source.location)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await client.execute(request, timeout: .seconds(10))
        guard (200..<300).contains(response.status.code) else { throw MarketInputError("\(source.name) answered HTTP \(response.status.code)") }
        let body = try await response.body.collect(upTo: mapping.maxBodyBytes)
        return try observe(source, mapping, Array(body.readableBytesView))
    }

    /// A body or message read through the source's mapping, received now.
    func observe(_ source: MarketSource, _ mapping: FeedMapping, _ bytes: [UInt8]) throws -> [MarketObservation] {
        let received = clock()
        return try mapping.observations(from: bytes, receivedAt: received).map { feed in
            MarketObservation(
                source: source.name, pair: feed.pair, price: try MarketScale.units(try Price(parsing: feed.price, field: "price"), field: "price"),
                volume: try feed.volume.map { try MarketScale.units(try Price(parsing: $0, field: "volume"), field: "volume") },
                sourceTime: feed.sourceTime, receivedAt: received, weight: source.weight)
        }
    }
}

/// Whether a connection delivered observations (then the backoff starts over).
final class DeliveryFlag: Sendable {
    let value = Mutex(false)
}
