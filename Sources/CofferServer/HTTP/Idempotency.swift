import CofferBase
import CofferCore
import Crypto
import HTTPTypes
import Hummingbird
import Metrics
import NIOCore
import Tenancy

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

    /// Runs `handler` under the request's Idempotency-Key, if any. A member named in
    /// `shownOnce` (a secret the answer shows once) is stored as null: a replay answers
    /// everything else as it was, never the secret.
    func run(
        _ request: Request, context: CofferRequestContext, body: [UInt8], shownOnce: String? = nil, _ handler: () async throws -> StoredResponse
    ) async throws -> Response {
        try await run(request, context: context, body: body, storing: { response in shownOnce.map { response.withNull($0) } ?? response },
                      recording: { _ in (try await handler(), recorded: false) })
    }

    /// `run` for a handler that can store the response in its own commit: it gets a recorder
    /// (nil without an Idempotency-Key, or where the store cannot lend one) and reports whether its
    /// commit stored the response with it, so no second commit is needed.
    func run(
        _ request: Request, context: CofferRequestContext, body: [UInt8], storing storedForm: (StoredResponse) -> StoredResponse = { $0 },
        recording handler: (IdempotentResponseRecorder?) async throws -> (StoredResponse, recorded: Bool)
    ) async throws -> Response {
        guard let key = request.headers[.idempotencyKey] else {
            return Self.response(try await handler(nil).0)
        }
        guard !key.isEmpty, key.utf8.count <= Self.maximumKeyLength, key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7f }) else {
            throw ServiceError.invalid("Idempotency-Key must be 1-\(Self.maximumKeyLength) visible ASCII characters")
        }
        let caller = try context.requireCaller()
        let tenant = caller.tenant?.tenantID ?? ""
        let hash = Self.fingerprint(method: request.method.rawValue, path: request.uri.path, body: body)
        switch try await store.beginIdempotent(tenantID: tenant, key: key, requestHash: hash) {
        case .replay(let stored):
            Counter(label: "coffer_idempotency_replays_total").increment()
            var response = Self.response(stored)
            response.headers[.idempotentReplayed] = "true"
            return response
        case .inProgress:
            throw ServiceError(.conflict, "idempotency-key-in-use", "a request with this Idempotency-Key is still being processed; retry later")
        case .mismatch:
            throw ServiceError(.rejected, "idempotency-key-reused", "this Idempotency-Key was used with a different request (method, path or body)")
        case .proceed:
            let recorder = store.responseRecorder(tenantID: tenant, key: key)
            var recorded = false
            let response: StoredResponse
            do {
                (response, recorded) = try await handler(recorder)
            } catch where Self.isClientError(error) {
                response = Problem(error, instance: request.uri.path, requestID: context.id).stored  // a client's mistake is replayed too
            } catch {
                try? await store.abandonIdempotent(tenantID: tenant, key: key)
                recorder?.release()
                throw error
            }
            if recorded, let recorder {
                recorder.release()
            } else {
                try await store.completeIdempotent(tenantID: tenant, key: key, response: storedForm(response))
            }
            return Self.response(response)
        }
    }

    /// A client's mistake (below 500): its response is as final as a success.
    static func isClientError(_ error: any Error) -> Bool {
        guard let known = error as? any CofferError else { return false }
        return known.category.httpStatus < 500
    }

    /// What `body` returns, or the problem document a client error becomes (for responses made
    /// inside a commit, which must be final before the commit is).
    static func catchingClientErrors(path: String, requestID: String, _ body: () throws -> StoredResponse) throws -> StoredResponse {
        do {
            return try body()
        } catch where isClientError(error) {
            return Problem(error, instance: path, requestID: requestID).stored
        }
    }

    static func response(_ stored: StoredResponse) -> Response {
        Response(status: HTTPResponse.Status(code: stored.status), headers: [.contentType: stored.contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.body)))
    }
}

extension StoredResponse {
    /// `value` as a JSON response with `status`.
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> StoredResponse {
        StoredResponse(status: status.code, contentType: "application/json", body: try JSONEncoding.encode(value))
    }

    /// The same response with the JSON object member `name` set to null (a problem document, or
    /// a body that is no object, is kept as it is).
    func withNull(_ name: String) -> StoredResponse {
        guard case .object(let members)? = try? JSONValue(parsing: body), members.contains(where: { $0.key == name }) else { return self }
        return StoredResponse(status: status, contentType: contentType,
                              body: JSONValue.object(members.map { $0.key == name ? ($0.key, .null) : $0 }).bytes)
    }
}
