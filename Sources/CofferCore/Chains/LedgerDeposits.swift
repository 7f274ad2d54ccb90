public import Chains
import CofferBase
public import CofferStorage
public import Ledger

/// The ledger side of deposits: a sync step's credits and reversals are ledger transfers, and the
/// step's own writes run as the commit's companion, in the same transaction.
public struct LedgerDeposits: DepositLedger {
    public let store: any LedgerStore

    public init(store: any LedgerStore) { self.store = store }

    public func commit(_ movements: [LedgerMovement], alongside: @escaping @Sendable ([MovementOutcome], any SQLConnection) throws -> Void) async throws {
        guard !movements.isEmpty else {
            try await store.database.write { connection in try alongside([], connection) }
            return
        }
        let transfers = try movements.map { movement in
            Transfer(
                id: try LedgerID(validating: movement.id), debitAccountID: try LedgerID(validating: movement.debitAccount, field: "custody account"),
                creditAccountID: try LedgerID(validating: movement.creditAccount, field: "account"), amount: movement.amount, asset: movement.asset,
                flags: movement.linked ? [.linked] : [], reference: movement.reference)
        }
        _ = try await store.submit(transfers) { results, connection in
            try alongside(results.map(Self.outcome), connection)
        }
    }

    /// `exists` is a credit applied before (same id, same content): as good as applied now.
    static func outcome(_ result: TransferResult) -> MovementOutcome {
        result == .created || result == .exists ? .applied : .refused(result.rawValue)
    }

    public func ensureAccount(_ id: String, asset: String, template: String) async throws {
        let accountID = try LedgerID(validating: id, field: "account")
        guard try await store.account(accountID) == nil else { return }
        let model = try await store.account(try LedgerID(validating: template, field: "account"))
        let result = try await store.createAccount(Account(
            id: accountID, asset: asset, owner: model?.owner ?? "", code: model?.code ?? 0, metadata: "", flags: model.map { $0.flags.subtracting(.closed) } ?? []))
        guard result == .created || result == .exists else {
            throw ServiceError(.rejected, "account-not-created", "cannot open account \(id) for \(asset): \(result.rawValue)")
        }
    }
}
