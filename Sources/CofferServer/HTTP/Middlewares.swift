import CofferBase
import CofferCore
import Tenancy
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
        let failure: any Error
        switch error {
        case let http as HTTPError:
            switch http.status {
            case .notFound: failure = HTTPFailure(.notFound, "not-found", "no route \(request.method.rawValue) \(request.uri.path); see /openapi.json")
            case .methodNotAllowed:
                failure = HTTPFailure(.invalidInput, "method-not-allowed", "\(request.method.rawValue) is not allowed on \(request.uri.path)", status: .methodNotAllowed)
            case .contentTooLarge:
                failure = HTTPFailure(.invalidInput, "body-too-large", "request bodies are limited to \(context.bodyLimit) bytes", status: .contentTooLarge)
            default:
                failure = HTTPFailure(http.status.code >= 500 ? .internal : .invalidInput, "http-\(http.status.code)", http.body ?? http.status.reasonPhrase,
                                      status: http.status)
            }
        default: failure = error
        }
        let problem = Problem(failure, instance: request.uri.path, requestID: context.id)
        if problem.status >= 500 {
            Counter(label: "coffer_http_server_errors_total").increment()
            if ErrorClassification.category(of: failure) == .internal {
                context.logger.error("request failed", metadata: ["error": "\(String(describing: failure).prefix(300))"])
            }
        }
        return problem.response
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
    /// A JSON response: `value` written by `JSONEncoding`.
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoding.encode(value))))
    }
}

/// Authenticates `Authorization: Bearer <key>` on every /v1 route and sets the caller.
/// Key records are cached for one second: a revoked or expired key stops working within a second.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = CofferRequestContext
    let keys: APIKeyCache
    let tenancy: TenancyService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              let key = APIKey(parsing: Self.trimmed(header.dropFirst("Bearer ".count))) else {
            throw HTTPFailure.unauthenticated
        }
        guard let caller = try tenancy.authenticate(key, record: try await keys.record(key.id)) else { throw HTTPFailure.invalidKey }
        var context = context
        context.caller = caller
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
        if let caller = context.caller, let wait = limiter.take(caller.actor) {
            var response = Problem(
                HTTPFailure(.limit, "rate-limited", "this API key is limited to \(limiter.rate) requests per second; retry after \(wait) s"),
                instance: request.uri.path, requestID: context.id).response
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
