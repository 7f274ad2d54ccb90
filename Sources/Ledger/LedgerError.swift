public import CofferBase

/// Why a ledger request was refused before anything was written, or why the ledger failed: a
/// stable code, a category and a message a user can act on. (Transfers that are decided but
/// rejected are not errors: they get a `TransferResult`.)
public typealias LedgerError = DomainError<LedgerDomain>

/// The ledger.
public enum LedgerDomain: ErrorDomain {}

extension LedgerError {
    /// Stored ledger data that does not decode or add up: the database was altered outside Coffer.
    public static func corrupt(_ what: String) -> LedgerError {
        LedgerError(.internal, "ledger-corrupt", "corrupt ledger database: \(what)")
    }

    /// A store broke its own contract (no result for a submitted transfer, and the like).
    public static func internalFailure(_ what: String) -> LedgerError {
        LedgerError(.internal, "internal", what)
    }

    /// Runs `body`, reporting a malformed amount as a ledger input error.
    public static func checking<T>(_ body: () throws(AmountError) -> T) throws(LedgerError) -> T {
        do { return try body() } catch { throw LedgerError(error.description) }
    }
}
