/// One POST of a delivery, as the sender sends it.
public struct WebhookRequest: Sendable {
    public let url: String
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]
    /// For the whole exchange, the response's head and excerpt included.
    public let timeoutMilliseconds: Int64

    public init(url: String, headers: [(name: String, value: String)], body: [UInt8], timeoutMilliseconds: Int64) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// What came back: a status code and the first bytes of the body, or the class of the failure
/// (`timeout`, `connect`, `connection-closed`, `tls`, `cancelled`, `io`). Never the error's text:
/// a receiver's answer is not for Coffer's log beyond a short excerpt.
public struct WebhookResponse: Sendable, Equatable {
    public let statusCode: Int?
    public let errorClass: String?
    public let excerpt: String?

    public init(statusCode: Int?, errorClass: String?, excerpt: String?) {
        self.statusCode = statusCode
        self.errorClass = errorClass
        self.excerpt = excerpt
    }

    public static func failed(_ errorClass: String) -> WebhookResponse {
        WebhookResponse(statusCode: nil, errorClass: errorClass, excerpt: nil)
    }

    /// The longest excerpt kept, in characters.
    public static let excerptLength = 200

    /// At most `excerptLength` characters of `bytes` as text: invalid UTF-8 replaced, control
    /// characters (newlines included) as spaces. Nil for an empty body.
    public static func excerpt(_ bytes: [UInt8]) -> String? {
        guard !bytes.isEmpty else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(excerptLength).map {
            $0.properties.generalCategory == .control ? " " : $0
        }))
    }
}

/// How deliveries reach receivers: `HTTPWebhookSender` (async-http-client) in Coffer; tests use
/// it too, against a real receiver on loopback. Failures are answers, not errors.
public protocol WebhookSender: Sendable {
    func send(_ request: WebhookRequest) async -> WebhookResponse
}
