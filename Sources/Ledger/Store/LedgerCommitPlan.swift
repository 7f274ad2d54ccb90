/// The store-independent part of a group commit: which rows a snapshot must load, and what
/// deciding the batches against that snapshot writes. Stores only do the loading and writing.
struct LedgerCommitPlan {
    var results: [[TransferResult]] = []
    /// Committed transfers in timestamp order.
    var created: [CommittedTransfer] = []
    /// Posts, voids and expiries in timestamp order.
    var outcomes: [PendingOutcome] = []
    /// Both accounts' balances after each created transfer, parallel to `created`: stored in the transfer rows.
    var transferBalances: [TransferBalances] = []
    /// The balances after each expiry: the only balance-history rows stored apart from transfers.
    var expiryBalances: [BalanceChange] = []
    /// How many pending transfers each batch expired, parallel to `results`.
    var expired: [Int] = []

    /// True when the batches changed nothing (every transfer rejected or `exists`, nothing
    /// expired): no batch is written.
    var isEmpty: Bool { created.isEmpty && outcomes.isEmpty }

    /// Whether the batches created a pending transfer with a timeout.
    var createdExpiry: Bool { created.contains { $0.expiresAt != nil } }

    /// Decides `batches` in order against `state` (the snapshot the store loaded).
    init(deciding batches: [[Transfer]], against state: LedgerState, now: UInt64) {
        var state = state
        for batch in batches {
            let outcome = LedgerEngine.apply(batch, to: &state, now: now)
            results.append(outcome.results)
            expired.append(outcome.pendingOutcomes.reduce(0) { $0 + ($1.kind == .expired ? 1 : 0) })
            created += outcome.created
            outcomes += outcome.pendingOutcomes
            transferBalances += outcome.transferBalances
            expiryBalances += outcome.expiryBalances
        }
        accounts = state.accounts
    }

    /// The final balances of every changed account, each once: for a store that keeps a balances
    /// table (PostgreSQL). Computed on request, since the embedded store keeps none.
    func finalBalances() -> [(id: LedgerID, balances: AccountBalances)] {
        var seen = Set<LedgerID>(minimumCapacity: created.count * 2)
        return changedAccountIDs.compactMap { id in
            guard seen.insert(id).inserted, let balances = accounts[id]?.balances else { return nil }
            return (id, balances)
        }
    }

    /// Every account whose balances the plan changes, possibly repeated: those its rows name
    /// (both accounts of each created transfer, the account of each expiry row), which are the
    /// rows the embedded store derives balances from.
    var changedAccountIDs: [LedgerID] {
        var changed = expiryBalances.map(\.accountID)
        changed.reserveCapacity(changed.count + created.count * 2)
        for transfer in created {
            changed.append(transfer.debitAccountID)
            changed.append(transfer.creditAccountID)
        }
        return changed
    }

    /// Every account of the snapshot as the batches left it (for the store's account cache).
    private(set) var accounts: [LedgerID: Account] = [:]

    /// The ids of the transfers that were not created (rejected, or repeated within the batches).
    func rejectedIDs(_ batches: [[Transfer]]) -> [String] {
        zip(batches, results).flatMap { batch, results in
            zip(batch, results).compactMap { transfer, result in result == .created ? nil : transfer.id.value }
        }
    }

    /// The reversal references these transfers claim (see `TransferReversal.claimedReference`),
    /// whose current holders the snapshot must load; almost always none.
    static func claimedReversals(_ transfers: [Transfer]) -> [String] {
        Array(Set(transfers.compactMap(TransferReversal.claimedReference(of:))))
    }

    /// The ids of the transfers the batches name: their own (for idempotency; unless `ownIDs`
    /// is false) and the pending transfers they post or void.
    static func transferKeys(_ transfers: [Transfer], ownIDs: Bool = true) -> [String] {
        var keys = Set<String>()
        for transfer in transfers {
            if ownIDs { keys.insert(transfer.id.value) }
            if let pending = transfer.pendingID { keys.insert(pending.value) }
        }
        return Array(keys)
    }

    /// The accounts the batches and the loaded transfers (pending ones they resolve, expiries)
    /// touch: those `cached` already holds, and the ids still to load.
    static func accounts(
        _ transfers: [Transfer], loaded: [CommittedTransfer], cached: [LedgerID: Account]
    ) -> (cached: [LedgerID: Account], missing: [String]) {
        var ids = Set<LedgerID>(minimumCapacity: transfers.count * 2)
        for transfer in transfers {
            if let debit = transfer.debitAccountID { ids.insert(debit) }
            if let credit = transfer.creditAccountID { ids.insert(credit) }
        }
        for transfer in loaded {
            ids.insert(transfer.debitAccountID)
            ids.insert(transfer.creditAccountID)
        }
        var found: [LedgerID: Account] = [:]
        found.reserveCapacity(ids.count)
        var missing: [String] = []
        for id in ids {
            if let account = cached[id] { found[id] = account } else { missing.append(id.value) }
        }
        return (found, missing)
    }
}
