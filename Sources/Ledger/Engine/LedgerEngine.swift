/// The pure core of the ledger: decides a batch of transfers against a state snapshot, with no
/// I/O and no clock of its own. Every invariant lives here, so every store enforces the same ones.
public enum LedgerEngine {
    /// The most transfers one batch may hold.
    public static let maximumBatchSize = 8_000

    /// The clock of a batch decided at `now` after a ledger whose last timestamp is `last`: every
    /// pending transfer due by it is expired first (each at the moment of its timeout, so usually
    /// earlier), and the batch's first transfer gets it unless an expiry already took it.
    public static func firstTimestamp(now: UInt64, after last: UInt64) -> UInt64 {
        max(now, last == UInt64.max ? last : last + 1)
    }

    /// Applies `batch` at clock reading `now` (nanoseconds): first releases pending transfers that
    /// expired by then, then decides each transfer in order. Linked chains succeed or fail together.
    /// An empty batch only expires: that is how the pending-expiry pulse commits (`PendingExpiryService`).
    public static func apply(_ batch: [Transfer], to state: inout LedgerState, now: UInt64) -> BatchOutcome {
        var outcome = BatchOutcome()
        outcome.created.reserveCapacity(batch.count)
        outcome.transferBalances.reserveCapacity(batch.count)
        var clock = firstTimestamp(now: now, after: state.lastTimestamp)
        if let lastExpiry = expirePending(&state, dueBy: clock, into: &outcome) {
            clock = max(clock, lastExpiry == UInt64.max ? lastExpiry : lastExpiry + 1)
        }

        var results = [TransferResult](repeating: .created, count: batch.count)
        var chainStart: Int?
        var chainFailed = false
        var undo = UndoLog(outcome: outcome, recording: false)
        for (index, transfer) in batch.enumerated() {
            let timestamp = clock
            clock = clock == UInt64.max ? clock : clock + 1
            let linked = transfer.flags.contains(.linked)
            if chainStart == nil {
                // Only a linked chain is ever rolled back (a lone transfer that fails changed
                // nothing), so only chains pay for saving what they change: recording every
                // transfer was about a quarter of `apply`'s time on batches of 8,000.
                undo = UndoLog(outcome: outcome, recording: linked)
                if linked { chainStart = index }
            }
            if linked && index == batch.count - 1 {
                results[index] = .linkedEventChainOpen
            } else if chainFailed {
                results[index] = .linkedEventFailed
            } else {
                results[index] = decide(transfer, at: timestamp, state: &state, outcome: &outcome, undo: &undo)
            }
            if let start = chainStart, !results[index].isSuccess, !chainFailed {
                chainFailed = true
                undo.rollback(&state, &outcome)
                for member in start..<index { results[member] = .linkedEventFailed }
            }
            if !linked {
                chainStart = nil
                chainFailed = false
            }
        }
        outcome.results = results
        let lastWritten = max(outcome.created.last?.timestamp ?? 0, outcome.pendingOutcomes.map(\.timestamp).max() ?? 0)
        state.lastTimestamp = max(state.lastTimestamp, lastWritten)
        return outcome
    }

    /// Releases every pending transfer whose expiry is at or before `clock` (the batch's clock),
    /// oldest expiry first, and returns the last expiry's timestamp (nil when none was due).
    ///
    /// An expiry happens at the moment of the timeout, not at the commit that notices it: its
    /// timestamp is `max(expiresAt, previous timestamp + 1)`. So timestamps stay unique and
    /// increasing in commit order (the previous one is the ledger's last, then the previous
    /// expiry's), balances at a past time and the history show the release when the hold ran out,
    /// and none exceeds the batch's clock unless several expiries queue up behind the ledger's last
    /// timestamp (each then takes the next nanosecond, as transfers do). A pulse that commits
    /// promptly after each timeout (`PendingExpiryService`) makes the timestamp the timeout itself.
    static func expirePending(_ state: inout LedgerState, dueBy clock: UInt64, into outcome: inout BatchOutcome) -> UInt64? {
        let due = state.transfers.values
            .filter { state.pendingOutcomes[$0.id] == nil && ($0.expiresAt.map { $0 <= clock } ?? false) }
            .sorted { ($0.expiresAt ?? 0, $0.timestamp) < ($1.expiresAt ?? 0, $1.timestamp) }
        var previous = state.lastTimestamp
        var last: UInt64?
        for pending in due {
            guard let expiresAt = pending.expiresAt, var debit = state.accounts[pending.debitAccountID],
                var credit = state.accounts[pending.creditAccountID]
            else { continue }
            let timestamp = max(expiresAt, previous == UInt64.max ? previous : previous + 1)
            previous = timestamp
            last = timestamp
            debit.balances.debitsPending = release(pending.amount, from: debit.balances.debitsPending)
            credit.balances.creditsPending = release(pending.amount, from: credit.balances.creditsPending)
            let record = PendingOutcome(pendingID: pending.id, kind: .expired, transferID: nil, timestamp: timestamp)
            state.accounts[debit.id] = debit
            state.accounts[credit.id] = credit
            state.pendingOutcomes[pending.id] = record
            outcome.pendingOutcomes.append(record)
            outcome.expiryBalances.append(BalanceChange(accountID: debit.id, timestamp: timestamp, balances: debit.balances))
            outcome.expiryBalances.append(BalanceChange(accountID: credit.id, timestamp: timestamp, balances: credit.balances))
        }
        return last
    }

    /// Decides one transfer; on success applies it to `state` and records it in `outcome`.
    static func decide(
        _ transfer: Transfer, at timestamp: UInt64, state: inout LedgerState, outcome: inout BatchOutcome, undo: inout UndoLog
    ) -> TransferResult {
        if let rejection = validate(transfer) { return rejection }
        if let existing = state.transfers[transfer.id] { return compare(transfer, with: existing.request) }
        // Another transfer carries this reversal reference. (The same id carrying it is a
        // resubmission whose row the snapshot may not have loaded: idempotency decides it.)
        if let claimed = TransferReversal.claimedReference(of: transfer), let holder = state.reversals[claimed], holder != transfer.id {
            return .alreadyReversed
        }
        if transfer.flags.contains(.postPending) || transfer.flags.contains(.voidPending) {
            return resolvePending(transfer, at: timestamp, state: &state, outcome: &outcome, undo: &undo)
        }
        return move(transfer, at: timestamp, state: &state, outcome: &outcome, undo: &undo)
    }

    /// Checks that need nothing but the transfer itself.
    static func validate(_ transfer: Transfer) -> TransferResult? {
        let flags = transfer.flags
        let phases = [flags.contains(.pending), flags.contains(.postPending), flags.contains(.voidPending)].filter { $0 }.count
        let resolves = flags.contains(.postPending) || flags.contains(.voidPending)
        let balancing = flags.contains(.balancingDebit) || flags.contains(.balancingCredit)
        if phases > 1 || (resolves && balancing) { return .flagsAreMutuallyExclusive }
        if resolves {
            guard let pendingID = transfer.pendingID else { return .pendingIDRequired }
            if pendingID == transfer.id { return .pendingIDMustBeDifferent }
        } else if transfer.pendingID != nil {
            return .pendingIDMustBeAbsent
        }
        if transfer.timeout != 0 && !flags.contains(.pending) { return .timeoutReservedForPendingTransfer }
        if !resolves {
            if transfer.debitAccountID == nil { return .debitAccountRequired }
            if transfer.creditAccountID == nil { return .creditAccountRequired }
            if transfer.asset == nil { return .assetRequired }
            if transfer.amount == 0 { return .amountMustNotBeZero }
        }
        if let debit = transfer.debitAccountID, debit == transfer.creditAccountID { return .accountsMustBeDifferent }
        return nil
    }

    /// Idempotency: `exists` for an identical resubmission, else the first field that differs.
    static func compare(_ transfer: Transfer, with existing: Transfer) -> TransferResult {
        if transfer.flags != existing.flags { return .existsWithDifferentFlags }
        if transfer.pendingID != existing.pendingID { return .existsWithDifferentPendingID }
        if transfer.debitAccountID != existing.debitAccountID { return .existsWithDifferentDebitAccountID }
        if transfer.creditAccountID != existing.creditAccountID { return .existsWithDifferentCreditAccountID }
        if transfer.asset != existing.asset { return .existsWithDifferentAsset }
        if transfer.amount != existing.amount { return .existsWithDifferentAmount }
        if transfer.timeout != existing.timeout { return .existsWithDifferentTimeout }
        if transfer.code != existing.code { return .existsWithDifferentCode }
        if transfer.reference != existing.reference { return .existsWithDifferentReference }
        if transfer.metadata != existing.metadata { return .existsWithDifferentMetadata }
        return .exists
    }

    /// A single-phase or pending transfer between two accounts.
    static func move(
        _ transfer: Transfer, at timestamp: UInt64, state: inout LedgerState, outcome: inout BatchOutcome, undo: inout UndoLog
    ) -> TransferResult {
        guard let debitID = transfer.debitAccountID, let creditID = transfer.creditAccountID, let asset = transfer.asset else {
            return .debitAccountRequired  // unreachable: validate() checked
        }
        guard var debit = state.accounts[debitID] else { return .debitAccountNotFound }
        guard var credit = state.accounts[creditID] else { return .creditAccountNotFound }
        if debit.asset != credit.asset { return .accountsMustHaveTheSameAsset }
        if asset != debit.asset { return .transferMustHaveTheSameAssetAsAccounts }
        if debit.flags.contains(.closed) { return .debitAccountClosed }
        if credit.flags.contains(.closed) { return .creditAccountClosed }

        var amount = transfer.amount
        if transfer.flags.contains(.balancingDebit) {
            amount = min(amount, available(debit.balances.creditsPosted, minus: debit.balances.debitsPosted, debit.balances.debitsPending))
            if amount == 0 { return .exceedsCredits }
        }
        if transfer.flags.contains(.balancingCredit) {
            amount = min(amount, available(credit.balances.debitsPosted, minus: credit.balances.creditsPosted, credit.balances.creditsPending))
            if amount == 0 { return .exceedsDebits }
        }
        let pending = transfer.flags.contains(.pending)
        var d = debit.balances, c = credit.balances
        if pending {
            guard let sum = add(d.debitsPending, amount) else { return .overflowsDebitsPending }
            d.debitsPending = sum
            guard let sum = add(c.creditsPending, amount) else { return .overflowsCreditsPending }
            c.creditsPending = sum
        } else {
            guard let sum = add(d.debitsPosted, amount) else { return .overflowsDebitsPosted }
            d.debitsPosted = sum
            guard let sum = add(c.creditsPosted, amount) else { return .overflowsCreditsPosted }
            c.creditsPosted = sum
        }
        guard let debits = add(d.debitsPending, d.debitsPosted) else { return .overflowsDebits }
        guard let credits = add(c.creditsPending, c.creditsPosted) else { return .overflowsCredits }
        let committed = CommittedTransfer(
            request: transfer, debitAccountID: debitID, creditAccountID: creditID, asset: asset, amount: amount, timestamp: timestamp)
        if committed.expiresAt == UInt64.max { return .overflowsTimeout }
        if debit.flags.contains(.debitsMustNotExceedCredits) && debits > d.creditsPosted { return .exceedsCredits }
        if credit.flags.contains(.creditsMustNotExceedDebits) && credits > c.debitsPosted { return .exceedsDebits }

        undo.saveAccounts(debit, credit)
        debit.balances = d
        credit.balances = c
        commit(committed, debit: debit, credit: credit, resolving: nil, state: &state, outcome: &outcome, undo: &undo)
        return .created
    }

    /// Posts (fully or partially) or voids a pending transfer.
    static func resolvePending(
        _ transfer: Transfer, at timestamp: UInt64, state: inout LedgerState, outcome: inout BatchOutcome, undo: inout UndoLog
    ) -> TransferResult {
        guard let pendingID = transfer.pendingID, let pending = state.transfers[pendingID] else { return .pendingTransferNotFound }
        guard pending.flags.contains(.pending) else { return .pendingTransferNotPending }
        if let debit = transfer.debitAccountID, debit != pending.debitAccountID { return .pendingTransferHasDifferentDebitAccountID }
        if let credit = transfer.creditAccountID, credit != pending.creditAccountID { return .pendingTransferHasDifferentCreditAccountID }
        if let asset = transfer.asset, asset != pending.asset { return .pendingTransferHasDifferentAsset }
        let posting = transfer.flags.contains(.postPending)
        let amount: UInt128
        if posting {
            if transfer.amount > pending.amount { return .exceedsPendingTransferAmount }
            amount = transfer.amount == 0 ? pending.amount : transfer.amount
        } else {
            if transfer.amount != 0 && transfer.amount != pending.amount { return .pendingTransferHasDifferentAmount }
            amount = pending.amount
        }
        switch state.pendingOutcomes[pendingID]?.kind {
        case .posted: return .pendingTransferAlreadyPosted
        case .voided: return .pendingTransferAlreadyVoided
        case .expired: return .pendingTransferExpired
        case nil: break
        }
        if let expiry = pending.expiresAt, expiry <= timestamp { return .pendingTransferExpired }
        guard var debit = state.accounts[pending.debitAccountID] else { return .debitAccountNotFound }
        guard var credit = state.accounts[pending.creditAccountID] else { return .creditAccountNotFound }
        var d = debit.balances, c = credit.balances
        d.debitsPending = release(pending.amount, from: d.debitsPending)  // the pending amount is part of these totals
        c.creditsPending = release(pending.amount, from: c.creditsPending)
        if posting {
            guard let sum = add(d.debitsPosted, amount) else { return .overflowsDebitsPosted }
            d.debitsPosted = sum
            guard let sum = add(c.creditsPosted, amount) else { return .overflowsCreditsPosted }
            c.creditsPosted = sum
        }
        let committed = CommittedTransfer(
            request: transfer, debitAccountID: pending.debitAccountID, creditAccountID: pending.creditAccountID,
            asset: pending.asset, amount: amount, timestamp: timestamp)
        undo.saveAccounts(debit, credit)
        debit.balances = d
        credit.balances = c
        let record = PendingOutcome(pendingID: pendingID, kind: posting ? .posted : .voided, transferID: transfer.id, timestamp: timestamp)
        commit(committed, debit: debit, credit: credit, resolving: record, state: &state, outcome: &outcome, undo: &undo)
        return .created
    }

    static func commit(
        _ committed: CommittedTransfer, debit: Account, credit: Account, resolving record: PendingOutcome?,
        state: inout LedgerState, outcome: inout BatchOutcome, undo: inout UndoLog
    ) {
        state.accounts[debit.id] = debit
        state.accounts[credit.id] = credit
        state.transfers[committed.id] = committed
        undo.inserted(transfer: committed.id)
        if let claimed = TransferReversal.claimedReference(of: committed.request) {
            state.reversals[claimed] = committed.id
            undo.inserted(reversal: claimed)
        }
        outcome.created.append(committed)
        if let record {
            state.pendingOutcomes[record.pendingID] = record
            undo.inserted(outcome: record.pendingID)
            outcome.pendingOutcomes.append(record)
        }
        outcome.transferBalances.append(TransferBalances(debit: debit.balances, credit: credit.balances))
    }

    /// `total - a - b`, or 0 when that would be negative.
    static func available(_ total: UInt128, minus a: UInt128, _ b: UInt128) -> UInt128 {
        guard total >= a else { return 0 }
        let rest = total - a
        return rest >= b ? rest - b : 0
    }

    /// `total - amount`; a state that does not hold the amount (only a corrupted store can give one)
    /// saturates at zero instead of trapping, and `verify` reports the discrepancy.
    static func release(_ amount: UInt128, from total: UInt128) -> UInt128 {
        total >= amount ? total - amount : 0
    }

    static func add(_ a: UInt128, _ b: UInt128) -> UInt128? {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : sum
    }
}

/// What a linked chain changed so far, to undo it when a later member fails.
struct UndoLog {
    var accounts: [LedgerID: Account] = [:]
    var insertedTransfers: [LedgerID] = []
    var insertedOutcomes: [LedgerID] = []
    var insertedReversals: [String] = []
    let createdCount: Int
    let outcomesCount: Int
    /// False outside linked chains: nothing is saved, and `rollback` must not be called.
    let recording: Bool

    init(outcome: BatchOutcome, recording: Bool) {
        createdCount = outcome.created.count
        outcomesCount = outcome.pendingOutcomes.count
        self.recording = recording
    }

    /// Keeps the first saved version of each account: the one from before the chain.
    mutating func saveAccounts(_ debit: Account, _ credit: Account) {
        guard recording else { return }
        if accounts[debit.id] == nil { accounts[debit.id] = debit }
        if accounts[credit.id] == nil { accounts[credit.id] = credit }
    }

    mutating func inserted(transfer id: LedgerID) {
        if recording { insertedTransfers.append(id) }
    }

    mutating func inserted(outcome id: LedgerID) {
        if recording { insertedOutcomes.append(id) }
    }

    mutating func inserted(reversal reference: String) {
        if recording { insertedReversals.append(reference) }
    }

    func rollback(_ state: inout LedgerState, _ outcome: inout BatchOutcome) {
        for (id, account) in accounts { state.accounts[id] = account }
        for id in insertedTransfers { state.transfers[id] = nil }
        for id in insertedOutcomes { state.pendingOutcomes[id] = nil }
        for reference in insertedReversals { state.reversals[reference] = nil }
        outcome.created.removeSubrange(createdCount...)
        outcome.transferBalances.removeSubrange(createdCount...)
        outcome.pendingOutcomes.removeSubrange(outcomesCount...)
    }
}
