import CofferBase
import PostgresNIO

extension StorageError {
    /// PostgreSQL's failure while doing `what`, in words an operator can act on. postgres-nio's own
    /// errors describe themselves generically on purpose (a query's values could be secret); this
    /// keeps the server's message, SQLSTATE and the operation, never a bound value or the password.
    public init(postgres error: any Error, doing what: String) {
        if let storage = error as? StorageError {
            self = storage
            return
        }
        if String(describing: error).contains("connectionCreationCircuitBreakerTripped") {
            self.init("could not connect while \(what): check that the server is running, the database exists and the user may log in", kind: .unavailable)
            return
        }
        guard let error = error as? PSQLError else {
            self.init("PostgreSQL failed while \(what): \(error)", kind: .unavailable)
            return
        }
        if let server = error.serverInfo {
            let state = server[.sqlState] ?? "?"
            let message = server[.message] ?? "no message"
            let detail = server[.detail].map { " (\($0))" } ?? ""
            let kind: Kind =
                switch state {
                case "23505": .uniqueViolation
                case "40001", "40P01": .serialization
                case _ where state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300": .unavailable
                default: .failure
                }
            self.init("PostgreSQL refused \(what): \(message)\(detail) [SQLSTATE \(state)]", kind: kind, engineCode: state)
            return
        }
        let underlying = error.underlying.map { ": \($0)" } ?? ""
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed:
            self.init("lost or could not open the connection to PostgreSQL while \(what)\(underlying); is the server running and the URL right?", kind: .unavailable)
        default:
            self.init("PostgreSQL failed while \(what): \(error.code)\(underlying)")
        }
    }
}
