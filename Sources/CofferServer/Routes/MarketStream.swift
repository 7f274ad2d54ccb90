import CofferBase
import CofferCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import Market
import NIOCore
import NIOWebSocket
import Synchronization
import Tenancy

/// `GET /v1/stream` upgraded to a WebSocket: published prices and the caller's portfolio
/// valuations, live. Authenticated like every /v1 route (`Authorization: Bearer cfr_...` on the
/// upgrade request). The client sends JSON text messages:
/// - `{"type":"subscribe","pairs":["BTC/USD","ETH/USD"]}` (or `["*"]` for every pair): from then
///   on each publication of those pairs arrives as `{"type":"price","price":{...}}`;
/// - `{"type":"valuation","currency":"EUR","customer":"alice"}` (`customer` optional: every
///   customer of the tenant): valued at once, then again after publications (once per burst: when
///   nothing more is waiting) and sent as `{"type":"valuation","valuation":{...}}` when it changed.
/// Each is answered `{"type":"subscribed",...}` or `{"type":"error","message":...}`.
///
/// Back-pressure: each connection reads the price hub through a buffer of 1,024 messages (and a
/// 64 KiB socket send buffer); a client that falls that far behind is dropped (closed with 1008,
/// policy violation) instead of growing the server's memory, and the others keep receiving.
struct MarketStream: Sendable {
    static let path = "/v1/stream"
    let services: CofferServices
    let keys: APIKeyCache

    func shouldUpgrade(_ request: HTTPRequest, _ channel: any Channel, _ logger: Logger) async throws
        -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>>
    {
        guard request.path?.split(separator: "?").first.map(String.init) == Self.path,
              let header = request.headerFields[.authorization], header.hasPrefix("Bearer "),
              let key = APIKey(parsing: AuthenticationMiddleware.trimmed(header.dropFirst("Bearer ".count)[...])),
              let caller = try? services.tenancy.authenticate(key, record: try await keys.record(key.id)),
              (try? caller.require(APIScope.read)) != nil
        else {
            // Not a stream request, or not allowed: the router answers it (401, 403, or 400 upgrade-required).
            return .dontUpgrade
        }
        // A small kernel send buffer per stream: a client that stops reading is noticed after
        // kilobytes, not megabytes, and costs the server that much at most.
        try? await channel.setOption(ChannelOptions.socketOption(.so_sndbuf), value: 64 * 1024).get()
        let services = services
        return .upgrade([:]) { inbound, outbound, _ in
            let session = StreamSession(services: services, caller: caller, outbound: outbound, channel: channel)
            try await session.run(inbound)
        }
    }
}

/// One WebSocket connection of `/v1/stream`.
final class StreamSession: Sendable {
    let services: CofferServices
    let caller: Caller
    let outbound: WebSocketOutboundWriter
    let channel: any Channel
    let subscription: BroadcastSubscription<PublishedPriceView>
    /// The valuation asked for, and the last one sent.
    let valuation = Mutex<(currency: String, customer: String?, last: PortfolioView?)?>(nil)
    /// The pairs whose publications the client asked for (nil: every pair).
    let pairs = Mutex<Set<String>?>([])

    init(services: CofferServices, caller: Caller, outbound: WebSocketOutboundWriter, channel: any Channel) {
        self.services = services
        self.caller = caller
        self.outbound = outbound
        self.channel = channel
        subscription = services.live.hub.subscribe(.topics([]))
    }

    func run(_ inbound: WebSocketInboundStream) async throws {
        defer { subscription.cancel() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.read(inbound) }
            group.addTask { try await self.write() }
            // A client stuck so long that a write blocks while the hub drops it: close the socket.
            group.addTask {
                while self.subscription.finishReason == nil { try await Task.sleep(for: .milliseconds(100)) }
                if self.subscription.finishReason == .slowConsumer { try? await self.channel.close() }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    struct Subscribe: Decodable {
        let type: String
        let pairs: [String]?
        let currency: String?
        let customer: String?
    }

    func read(_ inbound: WebSocketInboundStream) async throws {
        for try await message in inbound.messages(maxSize: 64 * 1024) {
            guard case .text(let text) = message else {
                try await send(["type": "error", "message": "send JSON text messages"])
                continue
            }
            do {
                let request = try JSONDecoder().decode(Subscribe.self, from: Data(text.utf8))
                switch request.type {
                case "subscribe":
                    let pairs = request.pairs ?? []
                    guard !pairs.isEmpty, pairs.count <= 1_000 else { throw ServiceError.invalid("pairs: 1 to 1000 pairs, or [\"*\"]") }
                    if pairs == ["*"] {
                        self.pairs.withLock { $0 = nil }
                    } else {
                        var names: Set<String> = []
                        for text in pairs {
                            do { names.insert(try MarketPairName(parsing: text).description) } catch { throw ServiceError.invalid(error.description) }
                        }
                        self.pairs.withLock { $0 = names }
                    }
                    updateFilter()
                    try await send(["type": "subscribed", "pairs": pairs.joined(separator: ",")])
                case "valuation":
                    guard let currency = request.currency else { throw ServiceError.invalid("currency is required, e.g. USD") }
                    // Valued once now: a bad currency or customer is refused here.
                    let view = try await services.market.portfolio(customer: request.customer, currency: currency, at: nil, locale: nil, by: caller)
                    valuation.withLock { $0 = (currency, request.customer, nil) }
                    updateFilter()
                    try await send(["type": "subscribed", "valuation": currency])
                    try await sendValuation(view)
                default:
                    throw ServiceError.invalid("type must be subscribe or valuation")
                }
            } catch let error as any CofferError {
                try await send(["type": "error", "message": error.description])
            } catch {
                try await send(["type": "error", "message": "not a subscription message: \(String(describing: error).prefix(200))"])
            }
        }
        subscription.cancel()
    }

    /// What the hub sends this connection: every publication while a valuation is asked for (any
    /// price may change it), else the pairs asked for.
    func updateFilter() {
        let wanted = pairs.withLock { $0 }
        let valuing = valuation.withLock { $0 != nil }
        services.live.hub.setFilter(valuing || wanted == nil ? .all : .topics(wanted ?? []), for: subscription.id)
    }

    func write() async throws {
        for await price in subscription {
            if pairs.withLock({ $0.map { $0.contains(price.pair) } ?? true }) {
                try await outbound.writeTextMessage(try Self.text(PriceMessage(price: price)))
            }
            // Conflated: valued once a burst is drained (nothing more buffered), so a busy pair
            // costs one valuation per burst, not one per publication.
            if subscription.bufferedCount == 0, let asked = valuation.withLock({ $0 }) {
                let view = try await services.market.portfolio(customer: asked.customer, currency: asked.currency, at: nil, locale: nil, by: caller)
                // Publications that arrived while valuing may already be in it (they are stored
                // before they are pushed): send it only if none is waiting, so a valuation never
                // overtakes the prices it reflects; the next drained burst values again.
                if subscription.bufferedCount == 0 { try await sendValuation(view) }
            }
        }
        if subscription.finishReason == .slowConsumer {
            try? await outbound.close(.policyViolation, reason: "too far behind: dropped")
        }
    }

    /// Sends the valuation when it differs from the last one sent.
    func sendValuation(_ view: PortfolioView) async throws {
        let changed = valuation.withLock { state -> Bool in
            guard var current = state, current.last != view else { return false }
            current.last = view
            state = current
            return true
        }
        if changed { try await outbound.writeTextMessage(try Self.text(ValuationMessage(valuation: view))) }
    }

    func send(_ fields: [String: String]) async throws {
        try await outbound.writeTextMessage(try Self.text(fields))
    }

    struct PriceMessage: Encodable {
        let type = "price"
        let price: PublishedPriceView
    }

    struct ValuationMessage: Encodable {
        let type = "valuation"
        let valuation: PortfolioView
    }

    /// The API's own JSON (members in declaration order, nulls written), as every route answers.
    static func text(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoding.encode(value), as: UTF8.self)
    }
}
