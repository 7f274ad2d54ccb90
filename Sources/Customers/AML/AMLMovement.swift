/// One movement of a customer's funds as the AML rules see it: a posted ledger transfer or a
/// payout, in the asset's smallest unit, at a time in seconds since 1970.
public struct AMLMovement: Sendable, Equatable {
    /// Which way the funds went, seen from the customer; the raw values are the stored ones.
    public enum Direction: String, Sendable {
        case incoming = "in"
        case outgoing = "out"
    }

    /// The ledger transfer's or payout's id: alerts cite movements by it.
    public let id: String
    public let customer: String
    public let asset: String
    public let direction: Direction
    /// In the asset's smallest unit.
    public let amount: UInt128
    /// Seconds since 1970.
    public let at: Int64
    /// The chain address on the other side when known: a deposit's sender, a payout's destination.
    public let counterparty: String?

    public init(id: String, customer: String, asset: String, direction: Direction, amount: UInt128, at: Int64,
                counterparty: String? = nil) {
        self.id = id
        self.customer = customer
        self.asset = asset
        self.direction = direction
        self.amount = amount
        self.at = at
        self.counterparty = counterparty
    }
}
