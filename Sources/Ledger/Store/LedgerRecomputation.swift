import CofferStorage
import Foundation
import GRDB

/// `ledger verify`: recomputes the batch hash chain from the stored transfers and pending
/// outcomes, then every account's balances by replaying them, and names the first discrepancy.
enum LedgerRecomputation {
    /// A stored batch header.
    struct StoredBatch {
        let seq: Int64
        let previousHash: [UInt8]
        let hash: [UInt8]
    }

    /// A stored transfer with its batch number and the balances its row records.
    struct StoredTransfer {
        let transfer: CommittedTransfer
        let batch: Int64
        let balances: TransferBalances
    }

    static func verify(db: Database) throws -> LedgerVerification {
        let transfers = try Row.fetchAll(db, sql: """
            SELECT \(SQLiteLedgerStore.transferColumns), batch, \(SQLiteLedgerStore.transferBalanceColumns) FROM ledger_transfers ORDER BY timestamp
            """).map { row throws in
            StoredTransfer(
                transfer: try LedgerRowDecoding.transfer(row), batch: row[16],
                balances: TransferBalances(debit: try LedgerRowDecoding.balances(row, at: 17), credit: try LedgerRowDecoding.balances(row, at: 21)))
        }
        let outcomes = try Row.fetchAll(db, sql: "SELECT \(SQLiteLedgerStore.outcomeColumns), batch FROM ledger_pending_outcomes ORDER BY timestamp")
            .map { row throws in (try LedgerRowDecoding.outcome(row), row[4] as Int64) }
        let batches = try Row.fetchAll(db, sql: "SELECT seq, prev_hash, hash FROM ledger_batches ORDER BY seq").map { row in
            StoredBatch(seq: row[0], previousHash: Array(row[1] as Data), hash: Array(row[2] as Data))
        }
        let accounts = try Row.fetchAll(db, sql: "SELECT \(SQLiteLedgerStore.accountColumns) FROM \(SQLiteLedgerStore.accountSource) ORDER BY a.id")
            .map { try LedgerRowDecoding.account($0) }
        let history = try Row.fetchAll(db, sql: "SELECT account_id, timestamp, \(SQLiteLedgerStore.balanceColumns) FROM ledger_balance_history")
            .map { row throws in
                BalanceChange(accountID: try LedgerID(validating: row.text(0), field: "account_id"), timestamp: UInt64(clamping: row.int64(1)),
                              balances: try LedgerRowDecoding.balances(row, at: 2))
            }
        return verify(transfers: transfers, outcomes: outcomes, batches: batches, accounts: accounts, history: history)
    }

    /// Recomputes from stored rows: transfers and outcomes in timestamp order with their batch
    /// numbers, batch headers in sequence order, accounts in id order, the expiries' history rows
    /// in any order. Besides the chain and the final balances, every balance a transfer row or a
    /// history row records must be the replayed one (they are not covered by the batch hashes).
    static func verify(
        transfers stored: [StoredTransfer], outcomes storedOutcomes: [(PendingOutcome, Int64)],
        batches: [StoredBatch], accounts: [Account], history: [BalanceChange]
    ) -> LedgerVerification {
        let transfers = stored.map(\.transfer)
        var transfersByBatch: [Int64: [CommittedTransfer]] = [:]
        for row in stored { transfersByBatch[row.batch, default: []].append(row.transfer) }
        var recorded: [LedgerID: TransferBalances] = [:]
        for row in stored { recorded[row.transfer.id] = row.balances }
        struct HistoryKey: Hashable { let account: LedgerID, timestamp: UInt64 }
        var historyRows: [HistoryKey: AccountBalances] = [:]
        for row in history { historyRows[HistoryKey(account: row.accountID, timestamp: row.timestamp)] = row.balances }
        let outcomes = storedOutcomes.map(\.0)
        var outcomesByBatch: [Int64: [PendingOutcome]] = [:]
        for (outcome, batch) in storedOutcomes { outcomesByBatch[batch, default: []].append(outcome) }

        // The hash chain.
        var previous = LedgerBatchHash.genesis
        var expectedSeq: Int64 = 1
        for batch in batches {
            let seq = batch.seq, prevHash = batch.previousHash, hash = batch.hash
            guard seq == expectedSeq else { return .broken("batch \(expectedSeq) is missing (next stored batch is \(seq))") }
            guard prevHash == previous else { return .broken("batch \(seq): its previous hash does not match batch \(seq - 1)") }
            let recomputed = LedgerBatchHash.compute(
                previous: previous, seq: seq, transfers: transfersByBatch[seq] ?? [], outcomes: outcomesByBatch[seq] ?? [])
            guard recomputed == hash else { return .broken("batch \(seq): its transfers or pending outcomes do not match its hash") }
            previous = hash
            expectedSeq += 1
        }
        if let orphan = transfersByBatch.keys.first(where: { $0 < 1 || $0 >= expectedSeq }) {
            return .broken("transfers reference batch \(orphan), which is not in the chain")
        }

        // The balances, replayed in commit order.
        var byID: [LedgerID: CommittedTransfer] = [:]
        for transfer in transfers { byID[transfer.id] = transfer }
        var balances: [LedgerID: AccountBalances] = [:]
        enum Event { case transfer(CommittedTransfer), expiry(PendingOutcome) }
        let events = (transfers.map { ($0.timestamp, Event.transfer($0)) }
            + outcomes.filter { $0.kind == .expired }.map { ($0.timestamp, Event.expiry($0)) }).sorted { $0.0 < $1.0 }
        for (_, event) in events {
            switch event {
            case .transfer(let transfer):
                let flags = transfer.flags
                if flags.contains(.postPending) || flags.contains(.voidPending) {
                    guard let pendingID = transfer.request.pendingID, let pending = byID[pendingID] else {
                        return .broken("transfer \(transfer.id) resolves a pending transfer that is not stored")
                    }
                    guard release(pending, in: &balances) else { return .broken("transfer \(transfer.id) releases more than is pending") }
                    if flags.contains(.postPending) {
                        guard post(transfer.amount, transfer, in: &balances, pending: false) else { return .broken("transfer \(transfer.id) overflows a balance") }
                    }
                } else {
                    guard post(transfer.amount, transfer, in: &balances, pending: flags.contains(.pending)) else {
                        return .broken("transfer \(transfer.id) overflows a balance")
                    }
                }
                if let stored = recorded[transfer.id] {
                    for (side, account, value) in [("debit", transfer.debitAccountID, stored.debit), ("credit", transfer.creditAccountID, stored.credit)]
                    where (balances[account] ?? .zero) != value {
                        return .broken("transfer \(transfer.id): the \(side) account's balances it records are not the ones its transfers give")
                    }
                }
            case .expiry(let outcome):
                guard let pending = byID[outcome.pendingID], release(pending, in: &balances) else {
                    return .broken("the expiry of \(outcome.pendingID) releases a pending transfer that is not stored or not pending")
                }
                for account in [pending.debitAccountID, pending.creditAccountID] {
                    let key = HistoryKey(account: account, timestamp: outcome.timestamp)
                    guard historyRows.removeValue(forKey: key) == (balances[account] ?? .zero) else {
                        return .broken("the expiry of \(outcome.pendingID): the balance history of \(account) is missing or wrong")
                    }
                }
            }
        }
        if let stray = historyRows.keys.min(by: { ($0.timestamp, $0.account) < ($1.timestamp, $1.account) }) {
            return .broken("balance history of \(stray.account) at \(stray.timestamp) matches no expiry")
        }
        var sums: [String: (debits: LedgerSum, credits: LedgerSum)] = [:]
        for account in accounts {
            let expected = balances[account.id] ?? .zero
            for (name, stored, computed) in [
                ("debits_pending", account.balances.debitsPending, expected.debitsPending),
                ("debits_posted", account.balances.debitsPosted, expected.debitsPosted),
                ("credits_pending", account.balances.creditsPending, expected.creditsPending),
                ("credits_posted", account.balances.creditsPosted, expected.creditsPosted),
            ] where stored != computed {
                return .broken("account \(account.id): stored \(name) \(stored) but the transfers give \(computed)")
            }
            balances[account.id] = nil
            var sum = sums[account.asset] ?? (LedgerSum(), LedgerSum())
            sum.debits.add(account.balances.debitsPosted)
            sum.credits.add(account.balances.creditsPosted)
            sums[account.asset] = sum
        }
        if let stray = balances.keys.sorted().first { return .broken("transfers move account \(stray), which is not stored") }
        for (asset, sum) in sums.sorted(by: { $0.key < $1.key }) where sum.debits != sum.credits {
            return .broken("asset \(asset): the sum of posted debits differs from the sum of posted credits")
        }
        return .intact(batches: batches.count, transfers: transfers.count, head: previous)
    }

    private static func post(_ amount: UInt128, _ transfer: CommittedTransfer, in balances: inout [LedgerID: AccountBalances], pending: Bool) -> Bool {
        var d = balances[transfer.debitAccountID] ?? .zero, c = balances[transfer.creditAccountID] ?? .zero
        let (dv, o1) = (pending ? d.debitsPending : d.debitsPosted).addingReportingOverflow(amount)
        let (cv, o2) = (pending ? c.creditsPending : c.creditsPosted).addingReportingOverflow(amount)
        guard !o1, !o2 else { return false }
        if pending { d.debitsPending = dv; c.creditsPending = cv } else { d.debitsPosted = dv; c.creditsPosted = cv }
        balances[transfer.debitAccountID] = d
        balances[transfer.creditAccountID] = c
        return true
    }

    private static func release(_ pending: CommittedTransfer, in balances: inout [LedgerID: AccountBalances]) -> Bool {
        guard pending.flags.contains(.pending) else { return false }
        var d = balances[pending.debitAccountID] ?? .zero, c = balances[pending.creditAccountID] ?? .zero
        guard d.debitsPending >= pending.amount, c.creditsPending >= pending.amount else { return false }
        d.debitsPending -= pending.amount
        c.creditsPending -= pending.amount
        balances[pending.debitAccountID] = d
        balances[pending.creditAccountID] = c
        return true
    }
}
