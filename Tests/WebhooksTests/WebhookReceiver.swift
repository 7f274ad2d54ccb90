import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Webhooks

/// A webhook receiver on a free loopback port (Hummingbird), as a customer would run one: it
/// verifies every delivery's signature with `WebhookSignature.verify` against the secret it was
/// given, answers with the status `answer` picks for the n-th request (0-based), and records
/// everything it saw. `stop()` it when done.
final class WebhookReceiver: Sendable {
    /// One request as it arrived.
    struct Request: Sendable {
        let eventID: String
        let sequence: Int64
        let type: String
        let body: [UInt8]
        let signature: String
        /// Whether the signature verified against the receiver's secret at the receiver's `now`.
        let verified: Bool
        /// What the receiver answered.
        let status: Int
    }

    struct State {
        var requests: [Request] = []
        var secret: String?
        var arrivals = 0
        var inFlight = 0
        var mostInFlight = 0
    }

    final class Recorder: Sendable {
        let state = Mutex(State())
    }

    let port: Int
    let recorder: Recorder

    private let running: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)/hook" }
    var requests: [Request] { recorder.state.withLock { $0.requests } }
    /// The requests answered 2xx, in arrival order.
    var accepted: [Request] { requests.filter { (200..<300).contains($0.status) } }

    /// Starts listening. `now` is the receiver's clock (seconds), `delay` how long it takes to
    /// answer each request.
    static func start(now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }, delay: Duration = .zero,
                      answer: @escaping @Sendable (Int) -> Int = { _ in 200 }) async throws -> WebhookReceiver {
        let recorder = Recorder()
        let router = Router()
        router.post("hook") { request, context -> Response in
            let body = Array((try await request.body.collect(upTo: 1 << 20)).readableBytesView)
            let signature = request.headers[HTTPField.Name("Coffer-Signature")!] ?? ""
            let (index, secret) = recorder.state.withLock { state -> (Int, String?) in
                state.inFlight += 1
                state.mostInFlight = max(state.mostInFlight, state.inFlight)
                state.arrivals += 1
                return (state.arrivals - 1, state.secret)
            }
            if delay > .zero { try await Task.sleep(for: delay) }
            var verified = false
            if let secret { verified = (try? WebhookSignature.verify(header: signature, body: body, secret: secret, now: now())) != nil }
            let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
            let status = answer(index)
            recorder.state.withLock { state in
                state.inFlight -= 1
                state.requests.append(Request(
                    eventID: request.headers[HTTPField.Name("Coffer-Event-Id")!] ?? "", sequence: (json["sequence"] as? NSNumber)?.int64Value ?? -1,
                    type: json["type"] as? String ?? "", body: body, signature: signature, verified: verified, status: status))
            }
            return Response(status: .init(code: status), headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: status < 300 ? "ok" : "busy\nretry later")))
        }
        let bound = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in bound.continuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "webhook-receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await application.runService(gracefulShutdownSignals: []) }
        var iterator = bound.stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            running.cancel()
            throw CancellationError()
        }
        return WebhookReceiver(port: port, recorder: recorder, running: running)
    }

    private init(port: Int, recorder: Recorder, running: Task<Void, any Error>) {
        self.port = port
        self.recorder = recorder
        self.running = running
    }

    /// The secret signatures are checked against (from the endpoint's creation or rotation).
    func expect(secret: String?) { recorder.state.withLock { $0.secret = secret } }
    var mostInFlight: Int { recorder.state.withLock { $0.mostInFlight } }

    func stop() { running.cancel() }

    deinit { running.cancel() }
}
