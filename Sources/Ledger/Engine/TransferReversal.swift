import CofferBase
/// Corrections in an append-only ledger: nothing committed changes, so a mistaken transfer is
/// undone by a new transfer in the opposite direction.
public enum TransferReversal {
    /// The reference every reversal carries, so it can be found from the original.
    public static func reference(reversing id: LedgerID) -> String { prefix + id.value }

    static let prefix = "reversal:"

    /// The reversal reference `transfer` claims, if any: `reversal:<id>` naming an id in the
    /// transfer's own namespace (so one tenant cannot block another's reversal by writing its
    /// reference). At most one committed transfer may carry each; the engine refuses a second
    /// (`already_reversed`) inside the commit, so concurrent reversals cannot both succeed.
    public static func claimedReference(of transfer: Transfer) -> String? {
        let reference = transfer.reference
        guard reference.utf8.starts(with: prefix.utf8),
              let reversed = LedgerID(String(Substring(reference.utf8.dropFirst(prefix.utf8.count)))),
              reversed.namespace == transfer.id.namespace
        else { return nil }
        return reference
    }

    /// The transfer that undoes `original`: debit and credit swapped, same resolved amount, asset
    /// and code, reference `reversal:<original id>`. Only posted movements can be reversed: a
    /// pending transfer is voided instead, and a void moved nothing. Errors say why without naming
    /// the transfer (callers name it as their caller knows it).
    public static func reversal(of original: CommittedTransfer, id: LedgerID) throws(LedgerError) -> Transfer {
        if original.flags.contains(.pending) {
            throw LedgerError(.rejected, "not-reversible", "it is pending, not posted; void it (void_pending) or reverse the transfer that posted it")
        }
        if original.flags.contains(.voidPending) {
            throw LedgerError(.rejected, "not-reversible", "it voided a pending transfer and moved nothing; there is nothing to reverse")
        }
        guard id != original.id else { throw LedgerError("the reversal needs a new id, not the id of the transfer it reverses") }
        return Transfer(
            id: id, debitAccountID: original.creditAccountID, creditAccountID: original.debitAccountID, amount: original.amount,
            asset: original.asset, code: original.request.code, reference: reference(reversing: original.id))
    }
}
