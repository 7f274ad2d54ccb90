public import CofferBase

/// Which block a read refers to: a number, or one of the node's named blocks.
public enum EthereumBlockTag: Sendable, Hashable {
    case number(UInt64)
    /// The newest block of the best chain.
    case latest
    /// The node's pending block (transactions it would mine next); not every node builds one.
    case pending
    case safe
    case finalized
    case earliest

    /// The block parameter as JSON-RPC takes it.
    public var parameter: JSONValue {
        switch self {
        case .number(let number): quantityParameter(number)
        case .latest: .string("latest")
        case .pending: .string("pending")
        case .safe: .string("safe")
        case .finalized: .string("finalized")
        case .earliest: .string("earliest")
        }
    }
}
