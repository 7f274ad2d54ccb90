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
        try await run(request, context: context, body: body, recording: { _ in
            let (status, json) = try await handler()
            return (StoredResponse(status: status.code, contentType: "application/json", body: json.bytes), recorded: false)
        })
    }

    /// `run` for a handler that can store the response in its own commit: it gets a recorder
    /// (nil without an Idempotency-Key, or where the store cannot lend one) and reports whether its
    /// commit stored the response with it, so no second commit is needed.
    func run(
        _ request: Request, context: CofferRequestContext, body: [UInt8],
        recording handler: (IdempotentResponseRecorder?) async throws -> (StoredResponse, recorded: Bool)
    ) async throws -> Response {
        guard let key = request.headers[.idempotencyKey] else {
            return Self.response(try await handler(nil).0)
        }
        guard !key.isEmpty, key.utf8.count <= Self.maximumKeyLength, key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7f }) else {
            throw Problem.badRequest("Idempotency-Key must be 1-\(Self.maximumKeyLength) visible ASCII characters")
        }
        let tenant = try context.caller().tenantID
        let hash = Self.fingerprint(method: request.method.rawValue, path: request.uri.path, body: body)
        switch try await store.beginIdempotent(tenantID: tenant, key: key, requestHash: hash) {
        case .replay(let stored):
            Counter(label: "coffer_idempotency_replays_total").increment()
            var response = Self.response(stored)
            response.headers[.idempotentReplayed] = "true"
            return response
        case .inProgress:
            throw Problem.conflict("a request with this Idempotency-Key is still being processed; retry later", slug: "idempotency-key-in-use")
        case .mismatch:
            throw Problem.unprocessable("this Idempotency-Key was used with a different request (method, path or body)", slug: "idempotency-key-reused")
        case .proceed:
            let recorder = store.responseRecorder(tenantID: tenant, key: key)
            var recorded = false
            let stored: StoredResponse
            do {
                (stored, recorded) = try await handler(recorder)
            } catch let problem as Problem where problem.status.code < 500 {
                stored = problem.stored(instance: request.uri.path)  // a client's mistake is replayed too
            } catch {
                try? await store.abandonIdempotent(tenantID: tenant, key: key)
                throw error
            }
            if recorded, let recorder {
                recorder.release()
            } else {
                try await store.completeIdempotent(tenantID: tenant, key: key, response: stored)
            }
            return Self.response(stored)
        }
    }

    /// What `body` returns, or the problem document a client error (a `Problem` below 500) becomes;
    /// anything else is thrown on.
    static func catchingClientErrors(path: String, _ body: () throws -> StoredResponse) throws -> StoredResponse {
        do {
            return try body()
        } catch let problem as Problem where problem.status.code < 500 {
            return problem.stored(instance: path)
        }
    }

    static func response(_ stored: StoredResponse) -> Response {
        Response(status: HTTPResponse.Status(code: stored.status), headers: [.contentType: stored.contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.body)))
    }
}

extension Problem {
    /// This problem as the response a client gets and a replay repeats.
    func stored(instance path: String) -> StoredResponse {
        StoredResponse(status: status.code, contentType: "application/problem+json", body: json(instance: path).bytes)
    }
}
