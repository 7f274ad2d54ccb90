/// The accounts as of the last commit this process made, so the next commit need not load again
/// the accounts it touches (loading about 7,000 accounts took 23-46 ms of a 8,000-transfer commit).
///
/// Other processes may write the same database, so the cache is trusted only while the last
/// committed batch, read inside the commit's IMMEDIATE transaction (which holds the write lock),
/// is still the one recorded here: balances change only in commits that append a batch, and an
/// account's other attributes never change. Anything else (another writer's batch, a restored
/// file, a failed commit) empties it. Accounts created since are simply not cached yet.
/// Closing an account after creation (not built yet) must append a batch or empty the cache.
///
/// Both stores use it: on PostgreSQL the check runs under the commit's advisory lock, so
/// another process's commit empties it the same way.
///
/// A class, so a commit updates it in place instead of copying every cached account (a value
/// type captured by the commit's closure was copied on each write). Only the stores' commits
/// touch it, and the group committer runs one commit at a time, so it needs no lock.
final class LedgerAccountCache: @unchecked Sendable {
    /// The most accounts kept; past it the cache starts over (memory stays bounded).
    static let capacity = 200_000

    private(set) var accounts: [LedgerID: Account] = [:]
    /// The last batch (seq and hash) the cached balances reflect; nil for an empty ledger.
    private(set) var head: LedgerBatchHead?

    /// Drops everything unless the database's last batch is still `head`.
    func validate(against current: LedgerBatchHead?) {
        if current != head {
            accounts.removeAll()
            head = current
        }
    }

    /// Records the accounts a successful commit left at `head`.
    func committed(_ updated: [LedgerID: Account], head: LedgerBatchHead?) {
        if accounts.count + updated.count > Self.capacity { accounts.removeAll() }
        accounts.merge(updated) { _, new in new }
        self.head = head
    }

    func clear() {
        accounts.removeAll()
        head = nil
    }
}

/// The last committed batch: its number and hash.
struct LedgerBatchHead: Sendable, Equatable {
    let seq: Int64
    let hash: [UInt8]
}
