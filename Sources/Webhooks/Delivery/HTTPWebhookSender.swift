public import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Delivers over HTTP with async-http-client: a POST with the request's headers and body, a
/// deadline over the whole exchange, no more of the answer read than the log's excerpt. The
/// client is given: Coffer hands in the process-wide one of its node clients (ChainNodes'
/// `JSONRPCClient.sharedHTTPClient`: connections kept alive per host, a refused connection
/// reported at once, no redirect followed, so a receiver that answers 3xx has not taken the event).
public struct HTTPWebhookSender: WebhookSender {
    let client: HTTPClient

    public init(client: HTTPClient) {
        self.client = client
    }

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
