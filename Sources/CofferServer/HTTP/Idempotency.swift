import Crypto
import HTTPTypes
import Hummingbird
import Metrics
import NIOCore

/// The `Idempotency-Key` header (IETF draft-ietf-httpapi-idempotency-key-header) on POST:
/// the first request with a key runs and its response is stored; a repeat with the same key and
/// the same method, path and body gets that response again (`Idempotent-Replayed: true`); the same
/// key with a different request is 422; while the first is still running, 409. Keys are per tenant
/// and kept for at least 24 hours. Without the header a POST simply runs (transfers are idempotent
/// by their own id anyway).
struct IdempotentPost: Sendable {
    let store: any TenancyStore

    static let maximumKeyLength = 255

    /// What "the same request" means: SHA-256 of method, path and body bytes.
    static func fingerprint(method: String, path: String, body: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array("\(method) \(path)\n".utf8))
        hasher.update(data: body)
        return Array(hasher.finalize())
    }

    func run(
        _ request: Request, context: CofferRequestContext, body: [UInt8],
        _ handler: () async throws -> (HTTPResponse.Status, JSONValue)
    ) async throws -> Response {
        guard let key = request.headers[.idempotencyKey] else {
            let (status, json) = try await handler()
            return .json(json, status: status)
        }
        guard !key.isEmpty, key.utf8.count <= Self.maximumKeyLength, key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7f }) else {
            throw Problem.badRequest("Idempotency-Key must be 1-\(Self.maximumKeyLength) visible ASCII characters")
        }
        let tenant = try context.caller().tenantID
        let hash = Self.fingerprint(method: request.method.rawValue, path: request.uri.path, body: body)
        switch try await store.beginIdempotent(tenantID: tenant, key: key, requestHash: hash) {
        case .replay(let stored):
            Counter(label: "coffer_idempotency_replays_total").increment()
            var response = Response(status: HTTPResponse.Status(code: stored.status), headers: [.contentType: stored.contentType],
                                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.body)))
            response.headers[.idempotentReplayed] = "true"
            return response
        case .inProgress:
            throw Problem.conflict("a request with this Idempotency-Key is still being processed; retry later", slug: "idempotency-key-in-use")
        case .mismatch:
            throw Problem.unprocessable("this Idempotency-Key was used with a different request (method, path or body)", slug: "idempotency-key-reused")
        case .proceed:
            let status: HTTPResponse.Status
            let json: JSONValue
            let contentType: String
            do {
                (status, json) = try await handler()
                contentType = "application/json"
            } catch let problem as Problem where problem.status.code < 500 {
                (status, json, contentType) = (problem.status, problem.json(instance: request.uri.path), "application/problem+json")
            } catch {
                try? await store.abandonIdempotent(tenantID: tenant, key: key)
                throw error
            }
            let bytes = json.bytes
            try await store.completeIdempotent(tenantID: tenant, key: key, response: StoredResponse(status: status.code, contentType: contentType, body: bytes))
            return Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
