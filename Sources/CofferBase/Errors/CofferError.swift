/// What kind of failure an error is. The category alone decides the HTTP status of the problem
/// document, the CLI's exit status and whether retrying can help: this is the one table that
/// maps errors to the edges (see docs/api.md, "Errors").
public enum ErrorCategory: String, Sendable, CaseIterable, Codable {
    /// The request is malformed: a field is missing, has the wrong type or an impossible value.
    case invalidInput = "invalid_input"
    /// The request is well formed but a rule or the current state refuses it (a ledger result
    /// code, a wallet that cannot do what was asked).
    case rejected
    /// What the request names does not exist (or belongs to someone else).
    case notFound = "not_found"
    /// The request collides with something that exists or is in progress (a name taken, an id
    /// used for another request).
    case conflict
    /// No valid credentials were presented.
    case unauthenticated
    /// The caller is known but may not do this.
    case forbidden
    /// A limit was reached (requests per second, a spending window).
    case limit
    /// A dependency is down, locked or busy: the same request may succeed later.
    case unavailable
    /// Coffer itself failed; the request may have been fine.
    case `internal`

    /// The HTTP status of the RFC 9457 problem document.
    public var httpStatus: Int {
        switch self {
        case .invalidInput: 400
        case .rejected: 422
        case .notFound: 404
        case .conflict: 409
        case .unauthenticated: 401
        case .forbidden: 403
        case .limit: 429
        case .unavailable: 503
        case .internal: 500
        }
    }

    /// The CLI's exit status: 1 for anything the caller can fix, 75 (EX_TEMPFAIL) when a retry
    /// may succeed, 70 (EX_SOFTWARE) for Coffer's own failures. 2 stays reserved for usage errors.
    public var exitStatus: Int32 {
        switch self {
        case .unavailable: 75
        case .internal: 70
        default: 1
        }
    }

    /// The title of problem documents in this category.
    public var title: String {
        switch self {
        case .invalidInput: "The request is malformed"
        case .rejected: "The request was understood but refused"
        case .notFound: "No such resource"
        case .conflict: "The request conflicts with the current state"
        case .unauthenticated: "Authentication required"
        case .forbidden: "Not allowed"
        case .limit: "A limit was reached"
        case .unavailable: "Temporarily unavailable"
        case .internal: "Internal error"
        }
    }

    /// Whether repeating the same request later can succeed without changing it.
    public var isRetryable: Bool { self == .unavailable }
}

/// An error every edge can report the same way: a stable `code` clients and scripts branch on
/// (kebab-case, never reworded), a `category` that decides status and retry, and a message a
/// person can act on (`description`; it never holds a secret). Nothing matches on message text.
public protocol CofferError: Error, Sendable, CustomStringConvertible {
    var code: String { get }
    var category: ErrorCategory { get }
    /// Extra members of the problem document (e.g. the ledger's `result`); empty by default.
    var problemMembers: [(String, JSONValue)] { get }
}

extension CofferError {
    public var problemMembers: [(String, JSONValue)] { [] }
    public var isRetryable: Bool { category.isRetryable }
}

/// The area an error comes from. Each area's errors are a type of their own
/// (`DomainError<LedgerDomain>`, spelled `LedgerError`), so a `throws(LedgerError)` signature says
/// where a failure can come from, while every area shares one implementation.
public protocol ErrorDomain: Sendable {}

/// An error of one area, with its code, category and message given where it happens, and extra
/// problem members when a client needs more than the code (the ledger's `result`).
public struct DomainError<Domain: ErrorDomain>: CofferError, Equatable {
    public let code: String
    public let category: ErrorCategory
    public let description: String
    public let members: [String: JSONValue]

    /// Input that cannot be used (the default): the message names the field and what is wrong.
    public init(_ description: String) {
        self.init(.invalidInput, "invalid-request", description)
    }

    public init(_ category: ErrorCategory, _ code: String, _ description: String, members: [String: JSONValue] = [:]) {
        self.category = category
        self.code = code
        self.description = description
        self.members = members
    }

    public var problemMembers: [(String, JSONValue)] { members.keys.sorted().map { ($0, members[$0]!) } }
}

/// Services and adapters whose errors need no area of their own.
public enum ServiceDomain: ErrorDomain {}

/// A failure reported by an application service or an adapter.
public typealias ServiceError = DomainError<ServiceDomain>

extension ServiceError {
    /// A malformed request, naming what is wrong.
    public static func invalid(_ message: String, code: String = "invalid-request") -> ServiceError {
        ServiceError(.invalidInput, code, message)
    }

    public static func notFound(_ message: String, code: String = "not-found") -> ServiceError {
        ServiceError(.notFound, code, message)
    }
}

/// Retry policy questions asked of any error, Coffer's or not.
public enum ErrorClassification {
    /// The category of `error`: its own for Coffer errors, `internal` for anything else.
    public static func category(of error: any Error) -> ErrorCategory {
        (error as? any CofferError)?.category ?? .internal
    }

    /// Whether a retry loop should repeat the operation that failed with `error`.
    public static func isRetryable(_ error: any Error) -> Bool {
        category(of: error).isRetryable
    }
}
