/// Why a TRON transaction could not be signed or a signature not checked. Never contains key material.
public struct TronTransactionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
