import CofferBase
import Customers
public import CofferStorage
public import Ledger
public import Payouts

/// The ledger side of payouts. A hold is two pending transfers: the amount from the customer's
/// account to custody, and the fee hold to the fee account (from the customer's account, or from
/// the treasury for a token payout whose fee is paid in the native coin). Settlement posts the amount, posts the
/// fee hold for the fee actually charged (the rest is released) and moves that fee from the fee
/// account to custody (it left custody for the network), so custody follows the chain and the
/// fee account's debits are every fee paid. Every transfer's id derives from the payout, so a
/// step repeated after a crash finds its transfers (`exists`) instead of moving money twice.
public struct LedgerPayouts: PayoutLedger {
    public let store: any LedgerStore

    public init(store: any LedgerStore) { self.store = store }

    public func reserve(_ payout: Payout, transfers: PayoutTransfers, custody: String, feeAccount: String, feeSource: FeeSource,
                        alongside: @escaping @Sendable (String?, any SQLConnection) throws -> Void) async throws {
        _ = try await reserve(payout, transfers: transfers, custody: custody, feeAccount: feeAccount, feeSource: feeSource, admission: nil, alongside: alongside)
    }

    /// `reserve` with an admission (a customer's limit check) deciding inside the commit whether
    /// the holds go in at all; false when it refused them (nothing written, `alongside` not run).
    public func reserve(_ payout: Payout, transfers: PayoutTransfers, custody: String, feeAccount: String, feeSource: FeeSource,
                        admission: LedgerCommitAdmission?, alongside: @escaping @Sendable (String?, any SQLConnection) throws -> Void) async throws -> Bool {
        var holds = [
            Transfer(id: try LedgerID(validating: transfers.holdAmount), debitAccountID: try LedgerID(validating: payout.account),
                     creditAccountID: try LedgerID(validating: custody), amount: payout.amount, asset: payout.asset, flags: [.linked, .pending],
                     reference: payout.id),
            Transfer(id: try LedgerID(validating: transfers.holdFee), debitAccountID: try LedgerID(validating: feeSource.account),
                     creditAccountID: try LedgerID(validating: feeAccount), amount: payout.feeHold, asset: feeSource.asset, flags: [.pending],
                     reference: payout.id),
        ]
        // A sweep or top-up moves Coffer's own coins: only its fee is held.
        if !payout.kind.holdsAmount { holds.removeFirst() }
        let committed = try await store.submit(holds, admission: admission) { results, connection in
            guard !results.isEmpty else { return }
            let failure = results.first { $0 != .created && $0 != .exists && $0 != .linkedEventFailed } ?? results.first { $0 != .created && $0 != .exists }
            try alongside(failure.map(Self.reason), connection)
        }
        return committed.admitted
    }

    /// What a customer is told when the hold is refused.
    static func reason(_ result: TransferResult) -> String {
        switch result {
        case .exceedsCredits: "insufficient funds: the account's balance does not cover the amount and the fee hold"
        case .debitAccountNotFound: "the paying account does not exist"
        case .debitAccountClosed: "the paying account is closed"
        default: "the ledger refused the hold: \(result.rawValue)"
        }
    }

    public func settle(_ settlements: [Settlement], custody: String, feeAccount: String, feeAsset: String,
                       alongside: @escaping @Sendable (any SQLConnection) throws -> Void) async throws {
        var transfers: [Transfer] = []
        for settlement in settlements {
            let ids = settlement.transfers
            if settlement.payout.kind.holdsAmount {
                transfers.append(Transfer(id: try LedgerID(validating: settlement.delivered ? ids.postAmount : ids.voidAmount), debitAccountID: nil, creditAccountID: nil,
                                          amount: 0, asset: nil, flags: settlement.delivered ? .postPending : .voidPending,
                                          pendingID: try LedgerID(validating: ids.holdAmount), reference: settlement.payout.id))
            }
            if settlement.fee == 0 {
                transfers.append(Transfer(id: try LedgerID(validating: ids.voidFee), debitAccountID: nil, creditAccountID: nil, amount: 0, asset: nil,
                                          flags: .voidPending, pendingID: try LedgerID(validating: ids.holdFee), reference: settlement.payout.id))
                continue
            }
            transfers.append(Transfer(id: try LedgerID(validating: ids.postFee), debitAccountID: nil, creditAccountID: nil, amount: settlement.fee,
                                      asset: nil, flags: .postPending, pendingID: try LedgerID(validating: ids.holdFee), reference: settlement.payout.id))
            transfers.append(Transfer(id: try LedgerID(validating: ids.feePaid), debitAccountID: try LedgerID(validating: feeAccount),
                                      creditAccountID: try LedgerID(validating: custody), amount: settlement.fee, asset: feeAsset,
                                      reference: settlement.payout.id))
        }
        let posted = settlements.filter { $0.payout.kind.holdsAmount && $0.delivered }
        let voided = settlements.filter { $0.payout.kind.holdsAmount && !$0.delivered }
        try await commitAll(transfers, what: "settlement") { connection in
            // A customer's limit window keeps a delivered payout and gets a failed one back.
            try LimitReservations.finish(posted.map(\.transfers.holdAmount), payouts: posted.map(\.payout.id), as: .posted, on: connection)
            try LimitReservations.finish(voided.map(\.transfers.holdAmount), payouts: voided.map(\.payout.id), as: .voided, on: connection)
            try alongside(connection)
        }
    }

    public func release(_ payouts: [(Payout, PayoutTransfers)], alongside: @escaping @Sendable (any SQLConnection) throws -> Void) async throws {
        var transfers: [Transfer] = []
        for (payout, ids) in payouts {
            if payout.kind.holdsAmount {
                transfers.append(Transfer(id: try LedgerID(validating: ids.voidAmount), debitAccountID: nil, creditAccountID: nil, amount: 0, asset: nil,
                                          flags: .voidPending, pendingID: try LedgerID(validating: ids.holdAmount), reference: payout.id))
            }
            transfers.append(Transfer(id: try LedgerID(validating: ids.voidFee), debitAccountID: nil, creditAccountID: nil, amount: 0, asset: nil,
                                      flags: .voidPending, pendingID: try LedgerID(validating: ids.holdFee), reference: payout.id))
        }
        let released = payouts.filter { $0.0.kind.holdsAmount }
        try await commitAll(transfers, what: "release") { connection in
            try LimitReservations.finish(released.map(\.1.holdAmount), payouts: released.map(\.0.id), as: .voided, on: connection)
            try alongside(connection)
        }
    }

    /// Commits `transfers` in one transaction with `alongside`; any refusal (other than a
    /// transfer that exists already, from a step repeated after a crash) rolls everything back.
    func commitAll(_ transfers: [Transfer], what: String, alongside: @escaping @Sendable (any SQLConnection) throws -> Void) async throws {
        guard transfers.count <= LedgerEngine.maximumBatchSize else {
            throw PayoutError(.internal, "batch-too-large", "a payout \(what) of \(transfers.count) ledger transfers exceeds one ledger commit")
        }
        _ = try await store.submit(transfers) { results, connection in
            if let (index, result) = results.enumerated().first(where: { $0.element != .created && $0.element != .exists }) {
                throw PayoutError(.internal, "ledger-refused", "the ledger refused the payout \(what) (transfer \(transfers[index].id.value): \(result.rawValue))")
            }
            try alongside(connection)
        }
    }
}
