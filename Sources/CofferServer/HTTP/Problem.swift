import HTTPTypes

/// An RFC 9457 problem document: every error the API returns is one. `type` is stable
/// (`urn:coffer:problem:<slug>`); clients branch on it, not on `detail`.
public struct Problem: Error, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let slug: String
    public let title: String
    public let detail: String
    /// Extra members, e.g. the ledger's `result` code.
    public var extensions: [(String, JSONValue)]

    public init(_ status: HTTPResponse.Status, _ slug: String, _ title: String, detail: String, extensions: [(String, JSONValue)] = []) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extensions = extensions
    }

    public var type: String { "urn:coffer:problem:\(slug)" }
    public var description: String { detail }

    public func json(instance: String?) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("type", .string(type)), ("title", .string(title)), ("status", .int(Int64(status.code))), ("detail", .string(detail)),
        ]
        if let instance { fields.append(("instance", .string(instance))) }
        return .object(fields + extensions)
    }

    public static func badRequest(_ detail: String) -> Problem { Problem(.badRequest, "invalid-request", "The request is malformed", detail: detail) }
    public static func notFound(_ detail: String) -> Problem { Problem(.notFound, "not-found", "No such resource", detail: detail) }
    public static func conflict(_ detail: String, slug: String = "conflict") -> Problem { Problem(.conflict, slug, "The request conflicts with the current state", detail: detail) }
    public static func unprocessable(_ detail: String, slug: String) -> Problem { Problem(.unprocessableContent, slug, "The request was understood but refused", detail: detail) }
    public static let unauthorized = Problem(.unauthorized, "unauthenticated", "Authentication required",
                                             detail: "send an API key as `Authorization: Bearer cfr_...`; create one with `coffer apikey create`")
    public static func forbidden(_ scope: APIScope) -> Problem {
        Problem(.forbidden, "insufficient-scope", "The API key lacks a scope", detail: "this request needs an API key with the \(scope.rawValue) scope")
    }
}
