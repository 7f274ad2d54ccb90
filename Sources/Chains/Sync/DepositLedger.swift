public import CofferStorage

/// A ledger transfer the syncer asks for: crediting a deposit (custody → depositor), a part of its
/// split (depositor → recipient), or reversing either. Ids are derived from the deposit, so a
/// movement can never apply twice.
public struct LedgerMovement: Sendable, Equatable {
    public let id: String
    public let debitAccount: String
    public let creditAccount: String
    public let asset: String
    public let amount: UInt128
    /// The deposit's `chain:txid:index`, kept on the transfer.
    public let reference: String
    /// Succeeds or fails with the next movement (the ledger's `linked` flag): a split credit and
    /// its parts, or a split reversal, are one linked chain.
    public let linked: Bool

    public init(id: String, debitAccount: String, creditAccount: String, asset: String, amount: UInt128, reference: String, linked: Bool = false) {
        self.id = id
        self.debitAccount = debitAccount
        self.creditAccount = creditAccount
        self.asset = asset
        self.amount = amount
        self.reference = reference
        self.linked = linked
    }

    /// The same movement, linked to the next one or not.
    public func linked(_ linked: Bool) -> LedgerMovement {
        LedgerMovement(id: id, debitAccount: debitAccount, creditAccount: creditAccount, asset: asset, amount: amount, reference: reference, linked: linked)
    }
}

/// What became of a movement: applied now or before (the same id with the same content), or
/// refused by the ledger with its result code (`linked_event_failed` when another member of its
/// linked chain was refused).
public enum MovementOutcome: Sendable, Equatable {
    case applied
    case refused(String)
}

/// How the syncer moves money: the ledger, reached through the application core (Chains does not
/// depend on the ledger). `commit` applies the movements and runs `alongside` in the SAME
/// transaction with their outcomes, so a deposit is marked credited exactly when its credit is
/// durable, on either database.
public protocol DepositLedger: Sendable {
    func commit(_ movements: [LedgerMovement], alongside: @escaping @Sendable ([MovementOutcome], any SQLConnection) throws -> Void) async throws
    /// Makes sure an account exists for `asset` (the depositor's account of a token, named after
    /// its native account), created like `template`. Nothing happens when it exists.
    func ensureAccount(_ id: String, asset: String, template: String) async throws
}
