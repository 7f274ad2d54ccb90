import CofferBase

/// A database failure in words an operator can act on, from either engine: the operation, the
/// engine's own message and code, never a bound value (it could be secret) or a password.
public struct StorageError: CofferError, Equatable {
    /// What kind of failure it is, which decides its category.
    public enum Kind: String, Sendable, Equatable {
        /// The database cannot be reached, is busy or was shut down: retry later.
        case unavailable
        /// A unique index refused a row (the store usually knows what that means and says so).
        case uniqueViolation = "unique_violation"
        /// Two transactions collided (PostgreSQL serialization failure or deadlock): retry.
        case serialization
        /// The configuration is wrong (a malformed database URL, a data directory that cannot be made).
        case configuration
        /// Anything else: the database or its contents are not as Coffer expects.
        case failure
    }

    public let kind: Kind
    public let description: String
    /// The engine's code (a SQLSTATE such as "23505", or SQLite's extended result code).
    public let engineCode: String?

    public init(_ description: String, kind: Kind = .failure, engineCode: String? = nil) {
        self.kind = kind
        self.description = description
        self.engineCode = engineCode
    }

    public var code: String {
        switch kind {
        case .unavailable: "database-unavailable"
        case .uniqueViolation: "conflict"
        case .serialization: "database-busy"
        case .configuration: "invalid-configuration"
        case .failure: "database-failure"
        }
    }

    public var category: ErrorCategory {
        switch kind {
        case .unavailable, .serialization: .unavailable
        case .uniqueViolation: .conflict
        case .configuration: .invalidInput
        case .failure: .internal
        }
    }

    /// A stored value that does not decode: the database was changed outside Coffer.
    public static func corrupt(_ what: String) -> StorageError {
        StorageError("corrupt database: \(what)")
    }
}
