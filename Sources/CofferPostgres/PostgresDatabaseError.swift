import PostgresNIO

/// A PostgreSQL failure in words an operator can act on. postgres-nio's own errors describe
/// themselves generically on purpose (a query's values could be secret); this keeps the server's
/// message, SQLSTATE and the operation, never the bound values or the password.
public struct PostgresDatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    /// The server's SQLSTATE, when the server reported the failure (e.g. "40001", "23505").
    public let sqlState: String?

    public init(_ description: String, sqlState: String? = nil) {
        self.description = description
        self.sqlState = sqlState
    }

    public init(_ error: any Error, doing what: String) {
        if String(describing: error).contains("connectionCreationCircuitBreakerTripped") {
            self.init("could not connect while \(what): check that the server is running, the database exists and the user may log in")
            return
        }
        guard let error = error as? PSQLError else {
            self.init("PostgreSQL failed while \(what): \(error)")
            return
        }
        if let server = error.serverInfo {
            let message = server[.message] ?? "no message"
            let detail = server[.detail].map { " (\($0))" } ?? ""
            self.init("PostgreSQL refused \(what): \(message)\(detail) [SQLSTATE \(server[.sqlState] ?? "?")]", sqlState: server[.sqlState])
            return
        }
        let underlying = error.underlying.map { ": \($0)" } ?? ""
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed:
            self.init("lost or could not open the connection to PostgreSQL while \(what)\(underlying); is the server running and the URL right?")
        default:
            self.init("PostgreSQL failed while \(what): \(error.code)\(underlying)")
        }
    }
}
