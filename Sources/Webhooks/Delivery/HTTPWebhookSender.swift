public import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// Delivers over HTTP with async-http-client: a POST with the request's headers and body, a
/// deadline over the whole exchange, no redirects followed (a receiver that answers 3xx has not
/// taken the event), and no more of the answer read than the log's excerpt.
public struct HTTPWebhookSender: WebhookSender {
    let client: HTTPClient

    /// Uses `sharedClient` unless another client is given.
    public init(client: HTTPClient? = nil) {
        self.client = client ?? Self.sharedClient
    }

    /// The process-wide client of every delivery: connections kept alive between deliveries to
    /// the same receiver, a refused connection reported at once (the retries are the policy's),
    /// redirects refused.
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10)),
            connectionPool: .init(idleTimeout: .seconds(60)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration,
            backgroundActivityLogger: Logger(label: "coffer.webhooks", factory: { _ in SwiftLogNoOpLogHandler() }))
    }()

    public func send(_ request: WebhookRequest) async -> WebhookResponse {
        var http = HTTPClientRequest(url: request.url)
        http.method = .POST
        for header in request.headers { http.headers.add(name: header.name, value: header.value) }
        http.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let response = try await client.execute(http, timeout: .milliseconds(request.timeoutMilliseconds))
            var excerpt: [UInt8] = []
            // Only the first bytes are read; the rest of the answer is left unread.
            for try await chunk in response.body {
                excerpt += chunk.readableBytesView.prefix(4 * WebhookResponse.excerptLength - excerpt.count)
                if excerpt.count >= 4 * WebhookResponse.excerptLength { break }
            }
            return WebhookResponse(statusCode: Int(response.status.code), errorClass: nil, excerpt: WebhookResponse.excerpt(excerpt))
        } catch {
            return .failed(Self.classify(error))
        }
    }

    /// The class of a transport failure, for the log (never the error's text).
    static func classify(_ error: any Error) -> String {
        if error is CancellationError { return "cancelled" }
        if let client = error as? HTTPClientError {
            if client == .deadlineExceeded || client == .readTimeout || client == .connectTimeout || client == .writeTimeout { return "timeout" }
            if client == .remoteConnectionClosed { return "connection-closed" }
            if client == .cancelled { return "cancelled" }
        }
        let name = String(reflecting: type(of: error))
        if name.contains("NIOSSL") || name.contains("TLS") { return "tls" }
        if name.contains("NIOConnectionError") || name.contains("ConnectError") || name.contains("IOError") || name.contains("ChannelError") { return "connect" }
        return "io"
    }
}
