import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Synchronization
import NIOCore

/// Outermost: gives every response the request id (also in every log line, as `hb.request.id`),
/// turns every error into a problem document, and records request count and latency per route,
/// method and status.
struct ObservabilityMiddleware: RouterMiddleware {
    typealias Context = CofferRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.problemResponse(for: error, request: request, context: context)
        }
        response.headers[.requestID] = context.id
        let metrics = RequestMetrics.shared.handles(route: context.endpointPath ?? "unmatched", method: request.method, status: response.status.code)
        metrics.count.increment()
        let elapsed = ContinuousClock.now - start
        metrics.duration.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        return response
    }

    static func problemResponse(for error: any Error, request: Request, context: Context) -> Response {
        let problem: Problem
        switch error {
        case let known as Problem: problem = known
        case let http as HTTPError:
            switch http.status {
            case .notFound: problem = Problem.notFound("no route \(request.method.rawValue) \(request.uri.path); see /openapi.json")
            case .methodNotAllowed: problem = Problem(.methodNotAllowed, "method-not-allowed", "Method not allowed", detail: "\(request.method.rawValue) is not allowed on \(request.uri.path)")
            case .contentTooLarge: problem = Problem(.contentTooLarge, "body-too-large", "The request body is too large", detail: "request bodies are limited to \(context.bodyLimit) bytes")
            default:
                problem = Problem(http.status, "http-\(http.status.code)", http.status.reasonPhrase, detail: http.body ?? http.status.reasonPhrase)
            }
        default:
            context.logger.error("request failed", metadata: ["error": "\(String(describing: error).prefix(300))"])
            problem = Problem(.internalServerError, "internal", "Internal error", detail: "the server failed; the request id is \(context.id)")
        }
        if problem.status.code >= 500 { Counter(label: "coffer_http_server_errors_total").increment() }
        return Response.json(problem.json(instance: request.uri.path), status: problem.status, contentType: "application/problem+json")
    }
}

/// The request counter and latency timer per route, method and status, made once each: making
/// them through the metrics factory on every request (a registry lookup and label checks) cost
/// more than a small route's own work. Handles keep the factory they were made with, so the
/// metrics system is bootstrapped before serving (`coffer serve` does it first).
final class RequestMetrics: Sendable {
    static let shared = RequestMetrics()

    struct Key: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: Int
    }

    private let made = Mutex<[Key: (count: Counter, duration: Metrics.Timer)]>([:])

    func handles(route: String, method: HTTPRequest.Method, status: Int) -> (count: Counter, duration: Metrics.Timer) {
        let key = Key(route: route, method: method, status: status)
        if let known = made.withLock({ $0[key] }) { return known }
        let dimensions = [("route", route), ("method", method.rawValue), ("status", String(status))]
        let handles = (Counter(label: "coffer_http_requests_total", dimensions: dimensions),
                       Metrics.Timer(label: "coffer_http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds))
        made.withLock { made in
            // Routes are templates (`/v1/accounts/{id}`), so the keys are few; the bound only guards the unexpected.
            if made.count > 10_000 { made.removeAll() }
            made[key] = handles
        }
        return handles
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}

extension Response {
    /// A JSON response.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.bytes)))
    }
}

/// Authenticates `Authorization: Bearer <key>` on every /v1 route and sets the principal.
/// Key records are cached for one second: a revoked or expired key stops working within a second.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = CofferRequestContext
    let keys: APIKeyCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              let key = APIKey(parsing: Self.trimmed(header.dropFirst("Bearer ".count))) else {
            throw Problem.unauthorized
        }
        guard let record = try await keys.record(key.id), key.matches(record), record.isUsable(at: Date()) else {
            throw Problem(.unauthorized, "invalid-key", "The API key is not valid", detail: "the API key is unknown, revoked or expired")
        }
        var context = context
        context.principal = Principal(tenantID: record.tenantID, keyID: record.id, scopes: record.scopes)
        return try await next(request, context)
    }

    /// `text` without leading and trailing spaces and tabs (HTTP's optional whitespace); cheaper
    /// than Foundation's `trimmingCharacters(in:)`, which showed in every authenticated request.
    static func trimmed(_ text: Substring) -> Substring {
        let bytes = text.utf8
        let blank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else { return "" }
        return text[first...last]
    }
}

/// API key records by id, refreshed after one second.
final class APIKeyCache: Sendable {
    private let store: any TenancyStore
    private let entries = Mutex<[String: (record: APIKeyRecord?, fetched: ContinuousClock.Instant)]>([:])

    init(store: any TenancyStore) { self.store = store }

    func record(_ id: String) async throws -> APIKeyRecord? {
        let now = ContinuousClock.now
        if let cached = entries.withLock({ $0[id] }), now - cached.fetched < .seconds(1) { return cached.record }
        let record = try await store.key(id)
        entries.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[id] = (record, now)
        }
        return record
    }
}

/// Per-key token buckets: `rate` requests per second on average, bursts up to `burst`.
/// An empty bucket gives 429 with Retry-After.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = CofferRequestContext
    let limiter: TokenBuckets

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let principal = context.principal, let wait = limiter.take(principal.keyID) {
            var response = Response.json(
                Problem(.tooManyRequests, "rate-limited", "Too many requests",
                        detail: "this API key is limited to \(limiter.rate) requests per second; retry after \(wait) s").json(instance: request.uri.path),
                status: .tooManyRequests, contentType: "application/problem+json")
            response.headers[.retryAfter] = String(wait)
            Counter(label: "coffer_http_rate_limited_total").increment()
            return response
        }
        return try await next(request, context)
    }
}

final class TokenBuckets: Sendable {
    let rate: Int
    let burst: Int
    private let buckets = Mutex<[String: (tokens: Double, refilled: ContinuousClock.Instant)]>([:])

    init(rate: Int, burst: Int) {
        self.rate = rate
        self.burst = max(burst, 1)
    }

    /// Takes a token; nil when one was available, else the whole seconds to wait.
    func take(_ key: String) -> Int? {
        guard rate > 0 else { return nil }
        let now = ContinuousClock.now
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? (Double(burst), now)
            let elapsed = now - bucket.refilled
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(burst), bucket.tokens + seconds * Double(rate))
            bucket.refilled = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / Double(rate)).rounded(.up)))
        }
    }
}
