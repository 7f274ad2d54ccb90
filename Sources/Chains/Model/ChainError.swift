public import CofferBase

/// The area of errors about chains, deposits and invoices.
public enum ChainDomain: ErrorDomain {}

/// A chain, deposit or invoice request that cannot be carried out.
public typealias ChainError = DomainError<ChainDomain>

extension ChainError {
    public static func invalid(_ message: String) -> ChainError { ChainError(.invalidInput, "invalid-request", message) }
    public static func unknownChain(_ name: String) -> ChainError {
        ChainError(.notFound, "chain-not-found", "no chain \"\(name.prefix(70))\"; `coffer chain list` shows the chains")
    }
}
