/// Why a ledger request was refused before anything was written: bad input or a store failure.
public struct LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
