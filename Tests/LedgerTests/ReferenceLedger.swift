import Ledger

/// A deliberately simple model of the ledger's rules, written apart from `LedgerEngine`: it lists
/// every rule a transfer breaks and reports the one listed first in `TransferResult`, keeps the
/// whole ledger in plain arrays, and undoes a failed chain by restoring a full copy.
struct ReferenceLedger {
    struct Entry {
        var request: Transfer
        var debit: LedgerID
        var credit: LedgerID
        var asset: String
        var amount: UInt128
        var timestamp: UInt64
        var ended: PendingOutcome.Kind?
        /// When it ended: the post or void's timestamp, or the expiry's.
        var endedAt: UInt64?
    }

    var accounts: [Account] = []
    var entries: [Entry] = []
    var lastTimestamp: UInt64 = 0

    func accountIndex(_ id: LedgerID?) -> Int? { id.flatMap { id in accounts.firstIndex { $0.id == id } } }
    func entryIndex(_ id: LedgerID?) -> Int? { id.flatMap { id in entries.firstIndex { $0.request.id == id } } }

    static func expiry(_ entry: Entry) -> UInt64? {
        guard entry.request.flags.contains(.pending), entry.request.timeout > 0 else { return nil }
        let span = UInt128(entry.request.timeout) * 1_000_000_000 + UInt128(entry.timestamp)
        return span > UInt128(UInt64.max) ? UInt64.max : UInt64(span)
    }

    mutating func apply(_ batch: [Transfer], now: UInt64) -> [TransferResult] {
        var clock = max(now, lastTimestamp + 1)
        let due = entries.indices
            .filter { entries[$0].ended == nil && (Self.expiry(entries[$0]).map { $0 <= clock } ?? false) }
            .sorted { (Self.expiry(entries[$0])!, entries[$0].timestamp) < (Self.expiry(entries[$1])!, entries[$1].timestamp) }
        // An expiry happens at its timeout, or just after the ledger's last event if that came later.
        for index in due {
            let entry = entries[index]
            accounts[accountIndex(entry.debit)!].balances.debitsPending -= entry.amount
            accounts[accountIndex(entry.credit)!].balances.creditsPending -= entry.amount
            let at = max(Self.expiry(entry)!, lastTimestamp + 1)
            entries[index].ended = .expired
            entries[index].endedAt = at
            lastTimestamp = at
        }
        clock = max(clock, lastTimestamp + 1)
        var results: [TransferResult] = []
        var chain: (start: Int, saved: ReferenceLedger)?
        var broken = false
        for (index, transfer) in batch.enumerated() {
            let timestamp = clock
            clock += 1
            let linked = transfer.flags.contains(.linked)
            if chain == nil && linked { chain = (index, self) }
            var result: TransferResult
            if linked && index == batch.count - 1 {
                result = .linkedEventChainOpen
            } else if broken {
                result = .linkedEventFailed
            } else {
                result = decide(transfer, at: timestamp)
            }
            results.append(result)
            if let open = chain, !broken, result != .created, result != .exists {
                broken = true
                self = open.saved
                for member in open.start..<index { results[member] = .linkedEventFailed }
            }
            if !linked {
                chain = nil
                broken = false
            }
        }
        return results
    }

    mutating func decide(_ t: Transfer, at timestamp: UInt64) -> TransferResult {
        var broken: [TransferResult] = []
        let f = t.flags
        let phases = [TransferFlags.pending, .postPending, .voidPending].filter { f.contains($0) }.count
        let resolves = f.contains(.postPending) || f.contains(.voidPending)
        if phases > 1 || (resolves && (f.contains(.balancingDebit) || f.contains(.balancingCredit))) { broken.append(.flagsAreMutuallyExclusive) }
        if resolves && t.pendingID == nil { broken.append(.pendingIDRequired) }
        if !resolves && t.pendingID != nil { broken.append(.pendingIDMustBeAbsent) }
        if resolves && t.pendingID == t.id { broken.append(.pendingIDMustBeDifferent) }
        if t.timeout != 0 && !f.contains(.pending) { broken.append(.timeoutReservedForPendingTransfer) }
        if !resolves && t.debitAccountID == nil { broken.append(.debitAccountRequired) }
        if !resolves && t.creditAccountID == nil { broken.append(.creditAccountRequired) }
        if !resolves && t.asset == nil { broken.append(.assetRequired) }
        if !resolves && t.amount == 0 { broken.append(.amountMustNotBeZero) }
        if t.debitAccountID != nil && t.debitAccountID == t.creditAccountID { broken.append(.accountsMustBeDifferent) }
        if let first = broken.min(by: Self.precedes) { return first }

        if let old = entryIndex(t.id).map({ entries[$0].request }) {
            let differences: [(Bool, TransferResult)] = [
                (old.flags != t.flags, .existsWithDifferentFlags), (old.pendingID != t.pendingID, .existsWithDifferentPendingID),
                (old.debitAccountID != t.debitAccountID, .existsWithDifferentDebitAccountID),
                (old.creditAccountID != t.creditAccountID, .existsWithDifferentCreditAccountID),
                (old.asset != t.asset, .existsWithDifferentAsset), (old.amount != t.amount, .existsWithDifferentAmount),
                (old.timeout != t.timeout, .existsWithDifferentTimeout), (old.code != t.code, .existsWithDifferentCode),
                (old.reference != t.reference, .existsWithDifferentReference), (old.metadata != t.metadata, .existsWithDifferentMetadata),
            ]
            return differences.filter(\.0).map(\.1).min(by: Self.precedes) ?? .exists
        }
        return resolves ? resolve(t, at: timestamp) : move(t, at: timestamp)
    }

    mutating func move(_ t: Transfer, at timestamp: UInt64) -> TransferResult {
        guard let di = accountIndex(t.debitAccountID) else { return .debitAccountNotFound }
        guard let ci = accountIndex(t.creditAccountID) else { return .creditAccountNotFound }
        let debit = accounts[di].balances, credit = accounts[ci].balances
        var broken: [TransferResult] = []
        if accounts[di].asset != accounts[ci].asset { broken.append(.accountsMustHaveTheSameAsset) }
        if t.asset != accounts[di].asset { broken.append(.transferMustHaveTheSameAssetAsAccounts) }
        if accounts[di].flags.contains(.closed) { broken.append(.debitAccountClosed) }
        if accounts[ci].flags.contains(.closed) { broken.append(.creditAccountClosed) }
        if let first = broken.min(by: Self.precedes) { return first }
        // Wide integers: a signed 256-bit-ish range is not needed, UInt128 sums are checked by hand below.
        var amount = t.amount
        if t.flags.contains(.balancingDebit) {
            let used = Wide(debit.debitsPosted) + Wide(debit.debitsPending)
            amount = min(amount, Wide(debit.creditsPosted) > used ? (Wide(debit.creditsPosted) - used).narrow : 0)
            if amount == 0 { return .exceedsCredits }
        }
        if t.flags.contains(.balancingCredit) {
            let used = Wide(credit.creditsPosted) + Wide(credit.creditsPending)
            amount = min(amount, Wide(credit.debitsPosted) > used ? (Wide(credit.debitsPosted) - used).narrow : 0)
            if amount == 0 { return .exceedsDebits }
        }
        let pending = t.flags.contains(.pending)
        let a = Wide(amount)
        if pending && Wide(debit.debitsPending) + a > .max128 { broken.append(.overflowsDebitsPending) }
        if pending && Wide(credit.creditsPending) + a > .max128 { broken.append(.overflowsCreditsPending) }
        if !pending && Wide(debit.debitsPosted) + a > .max128 { broken.append(.overflowsDebitsPosted) }
        if !pending && Wide(credit.creditsPosted) + a > .max128 { broken.append(.overflowsCreditsPosted) }
        let debits = Wide(debit.debitsPending) + Wide(debit.debitsPosted) + a
        let credits = Wide(credit.creditsPending) + Wide(credit.creditsPosted) + a
        if debits > .max128 { broken.append(.overflowsDebits) }
        if credits > .max128 { broken.append(.overflowsCredits) }
        if pending && t.timeout > 0 && UInt128(t.timeout) * 1_000_000_000 + UInt128(timestamp) >= UInt128(UInt64.max) {
            broken.append(.overflowsTimeout)
        }
        if accounts[di].flags.contains(.debitsMustNotExceedCredits) && debits > Wide(debit.creditsPosted) { broken.append(.exceedsCredits) }
        if accounts[ci].flags.contains(.creditsMustNotExceedDebits) && credits > Wide(credit.debitsPosted) { broken.append(.exceedsDebits) }
        if let first = broken.min(by: Self.precedes) { return first }
        if pending {
            accounts[di].balances.debitsPending += amount
            accounts[ci].balances.creditsPending += amount
        } else {
            accounts[di].balances.debitsPosted += amount
            accounts[ci].balances.creditsPosted += amount
        }
        entries.append(Entry(request: t, debit: accounts[di].id, credit: accounts[ci].id, asset: accounts[di].asset, amount: amount, timestamp: timestamp))
        lastTimestamp = timestamp
        return .created
    }

    mutating func resolve(_ t: Transfer, at timestamp: UInt64) -> TransferResult {
        guard let pi = entryIndex(t.pendingID) else { return .pendingTransferNotFound }
        let p = entries[pi]
        let posting = t.flags.contains(.postPending)
        var broken: [TransferResult] = []
        if !p.request.flags.contains(.pending) { broken.append(.pendingTransferNotPending) }
        if t.debitAccountID != nil && t.debitAccountID != p.debit { broken.append(.pendingTransferHasDifferentDebitAccountID) }
        if t.creditAccountID != nil && t.creditAccountID != p.credit { broken.append(.pendingTransferHasDifferentCreditAccountID) }
        if t.asset != nil && t.asset != p.asset { broken.append(.pendingTransferHasDifferentAsset) }
        if posting && t.amount > p.amount { broken.append(.exceedsPendingTransferAmount) }
        if !posting && t.amount != 0 && t.amount != p.amount { broken.append(.pendingTransferHasDifferentAmount) }
        if p.ended == .posted { broken.append(.pendingTransferAlreadyPosted) }
        if p.ended == .voided { broken.append(.pendingTransferAlreadyVoided) }
        if p.ended == .expired || (Self.expiry(p).map { $0 <= timestamp } ?? false) { broken.append(.pendingTransferExpired) }
        let amount = posting ? (t.amount == 0 ? p.amount : t.amount) : p.amount
        let di = accountIndex(p.debit)!, ci = accountIndex(p.credit)!
        if posting && Wide(accounts[di].balances.debitsPosted) + Wide(amount) > .max128 { broken.append(.overflowsDebitsPosted) }
        if posting && Wide(accounts[ci].balances.creditsPosted) + Wide(amount) > .max128 { broken.append(.overflowsCreditsPosted) }
        if let first = broken.min(by: Self.precedes) { return first }
        accounts[di].balances.debitsPending -= p.amount
        accounts[ci].balances.creditsPending -= p.amount
        if posting {
            accounts[di].balances.debitsPosted += amount
            accounts[ci].balances.creditsPosted += amount
        }
        entries[pi].ended = posting ? .posted : .voided
        entries[pi].endedAt = timestamp
        entries.append(Entry(request: t, debit: p.debit, credit: p.credit, asset: p.asset, amount: amount, timestamp: timestamp))
        lastTimestamp = timestamp
        return .created
    }

    static func precedes(_ a: TransferResult, _ b: TransferResult) -> Bool {
        TransferResult.allCases.firstIndex(of: a)! < TransferResult.allCases.firstIndex(of: b)!
    }
}

/// A 129-bit-plus integer for the model's overflow checks: a pair of UInt128 words.
struct Wide: Comparable {
    var high: UInt128
    var low: UInt128
    init(_ value: UInt128) { high = 0; low = value }
    init(high: UInt128, low: UInt128) { self.high = high; self.low = low }
    static let max128 = Wide(UInt128.max)
    var narrow: UInt128 { low }
    static func + (a: Wide, b: Wide) -> Wide {
        let (low, carry) = a.low.addingReportingOverflow(b.low)
        return Wide(high: a.high + b.high + (carry ? 1 : 0), low: low)
    }
    static func - (a: Wide, b: Wide) -> Wide {
        let (low, borrow) = a.low.subtractingReportingOverflow(b.low)
        return Wide(high: a.high - b.high - (borrow ? 1 : 0), low: low)
    }
    static func < (a: Wide, b: Wide) -> Bool { (a.high, a.low) < (b.high, b.low) }
}
