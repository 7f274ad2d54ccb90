import CofferBase
import HTTPTypes
import Hummingbird
import NIOCore
import Tenancy

/// A failure of the HTTP transport itself (a body too large, a method a path does not have, a
/// route that does not exist, a missing key): like every error a code and a category, plus the
/// status HTTP gives it where the category's own differs.
struct HTTPFailure: CofferError {
    let code: String
    let category: ErrorCategory
    let description: String
    var status: HTTPResponse.Status?

    init(_ category: ErrorCategory, _ code: String, _ description: String, status: HTTPResponse.Status? = nil) {
        self.category = category
        self.code = code
        self.description = description
        self.status = status
    }

    static let unauthenticated = HTTPFailure(.unauthenticated, "unauthenticated",
                                             "send an API key as `Authorization: Bearer cfr_...`; create one with `coffer apikey create`")
    static let invalidKey = HTTPFailure(.unauthenticated, "invalid-key", "the API key is unknown, revoked or expired")
}

/// An RFC 9457 problem document: what every error becomes over HTTP. `type` is stable
/// (`urn:coffer:problem:<code>`): clients branch on it (or on `code`), not on `detail`.
struct Problem: Encodable {
    let type: String
    let title: String
    let status: Int
    let detail: String
    /// The request path; always present, as every member of a response is.
    let instance: String
    let code: String
    let members: [(String, JSONValue)]

    /// The problem `error` is: its code and category for Coffer's errors; any other error is the
    /// server's own failure, whose detail is the request id only (never internals).
    init(_ error: any Error, instance: String, requestID: String) {
        let known = (error as? any CofferError) ?? HTTPFailure(.internal, "internal", "the server failed; the request id is \(requestID)")
        let status = (known as? HTTPFailure)?.status?.code ?? known.category.httpStatus
        type = "urn:coffer:problem:\(known.code)"
        title = known.category.title
        self.status = status
        detail = known.category == .internal && !(known is HTTPFailure) ? "the server failed; the request id is \(requestID)" : known.description
        self.instance = instance
        code = known.code
        members = known.problemMembers
    }

    enum CodingKeys: String, CodingKey { case type, title, status, detail, instance, code }

    struct MemberKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status, forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encode(instance, forKey: .instance)
        try container.encode(code, forKey: .code)
        var extra = encoder.container(keyedBy: MemberKey.self)
        for (name, value) in members { try extra.encode(value, forKey: MemberKey(stringValue: name)) }
    }

    var httpStatus: HTTPResponse.Status { HTTPResponse.Status(code: status) }

    /// The stored form, for Idempotency-Key replays.
    var stored: StoredResponse {
        StoredResponse(status: status, contentType: "application/problem+json", body: (try? JSONEncoding.encode(self)) ?? [])
    }

    var response: Response {
        Response(status: httpStatus, headers: [.contentType: "application/problem+json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: (try? JSONEncoding.encode(self)) ?? [])))
    }
}
