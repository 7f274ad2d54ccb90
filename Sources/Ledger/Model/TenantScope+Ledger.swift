public import CofferBase

/// The tenant-scoping rule (`TenantScope`) applied to the ledger's values: a tenant's assets,
/// accounts and transfers are stored as `<tenant>/<code or id>`, so two tenants may both have an
/// account "acct-a".
extension TenantScope {
    /// The stored id of a tenant's id; throws if the tenant wrote a scoped one.
    public func id(_ local: LedgerID, field: String = "id") throws(LedgerError) -> LedgerID {
        guard local.namespace == nil else { throw LedgerError("\(field) \"\(local.value.prefix(70))\" is not an id: use 1-64 characters from A-Za-z0-9._:-") }
        return LedgerID(scope: self, local: local)
    }

    /// The stored asset code of a tenant's code; throws if malformed or scoped.
    public func assetCode(_ code: String) throws(LedgerError) -> String {
        guard Asset.isValidLocal(code: code) else { throw LedgerError("asset code \"\(code.prefix(40))\" is not valid: use 1-32 characters from A-Za-z0-9._-") }
        return scoped(code)
    }

    /// A tenant's transfer as stored: every id and the asset moved into this scope.
    public func enter(_ transfer: Transfer) throws(LedgerError) -> Transfer {
        var stored = transfer
        stored.id = try id(transfer.id)
        stored.debitAccountID = try transfer.debitAccountID.map { id throws(LedgerError) in try self.id(id, field: "debit") }
        stored.creditAccountID = try transfer.creditAccountID.map { id throws(LedgerError) in try self.id(id, field: "credit") }
        stored.pendingID = try transfer.pendingID.map { id throws(LedgerError) in try self.id(id, field: "pending_id") }
        stored.asset = try transfer.asset.map { code throws(LedgerError) in try assetCode(code) }
        return stored
    }

    /// A stored id as the tenant wrote it.
    public func local(_ id: LedgerID) -> LedgerID {
        LedgerID(unchecked: local(id.value) ?? id.value)
    }

    /// A stored transfer request as the tenant wrote it.
    public func local(_ transfer: Transfer) -> Transfer {
        var local = transfer
        local.id = self.local(transfer.id)
        local.debitAccountID = transfer.debitAccountID.map(self.local)
        local.creditAccountID = transfer.creditAccountID.map(self.local)
        local.pendingID = transfer.pendingID.map(self.local)
        local.asset = transfer.asset.map { self.local($0) ?? $0 }
        return local
    }

    /// A committed transfer as the tenant wrote it.
    public func local(_ committed: CommittedTransfer) -> CommittedTransfer {
        CommittedTransfer(
            request: local(committed.request), debitAccountID: local(committed.debitAccountID),
            creditAccountID: local(committed.creditAccountID), asset: local(committed.asset) ?? committed.asset,
            amount: committed.amount, timestamp: committed.timestamp)
    }
}
