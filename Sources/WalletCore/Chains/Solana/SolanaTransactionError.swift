/// Why a Solana transaction or message was refused, or could not be signed. Names positions,
/// counts and public addresses, never key material.
public struct SolanaTransactionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }

    static func truncated(_ what: String) -> SolanaTransactionError {
        SolanaTransactionError("transaction is truncated: it ends inside \(what)")
    }
}
