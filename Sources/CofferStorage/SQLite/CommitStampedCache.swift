import GRDB
import Synchronization

/// Values read from the database, served again while no commit could have changed them: point
/// reads on hot paths (an account's balances for the HTTP API) skip SQLite altogether.
///
/// The cache holds values as of one `CommitStamp`, its base. A value is served only while the
/// database's current stamp is still the base, so any commit by anyone (another process, another
/// connection, a restored file) empties the cache. Commits by this database's own writer are the
/// exception that keeps it useful under load: the transaction names the keys it changes
/// (`changing(_:)`), and when it commits on top of the base, only those keys are dropped and the
/// base moves to the new stamp. A value is stored only if the stamp was the same before and after
/// reading it, so it is the value at that stamp.
///
/// Without a stamp (a database not in WAL mode, or a header caught mid-commit) every read goes to
/// the database.
public final class CommitStampedCache<Key: Hashable & Sendable, Value: Sendable>: WriterCommitListener {
    private struct State {
        var base: CommitStamp?
        var values: [Key: Value] = [:]
        /// Keys the writer's open transaction changes, dropped when it commits.
        var changing: Set<Key> = []

        /// Forgets every value; the next read that sees no commit meanwhile sets a new base.
        mutating func forgetValues() {
            values.removeAll()
            base = nil
        }
    }

    private let state = Mutex(State())
    private let header: WALIndexHeader?
    /// The most values kept; past it the cache starts over, so memory stays bounded.
    let capacity: Int

    init(header: WALIndexHeader?, capacity: Int) {
        self.header = header
        self.capacity = capacity
    }

    /// The value for `key`: the cached one if no commit changed it since it was read, else what
    /// `read` returns now (cached when no commit ran meanwhile). Nil values are not cached.
    public func value(for key: Key, read: () throws -> Value?) rethrows -> Value? {
        guard let before = header?.stamp() else { return try read() }
        if let cached = state.withLock({ $0.base == before ? $0.values[key] : nil }) { return cached }
        guard let value = try read() else { return nil }
        guard header?.stamp() == before else { return value }
        state.withLock { state in
            if state.base != before {
                state.values.removeAll()
                state.base = before
            }
            if state.values.count >= capacity { state.values.removeAll() }
            state.values[key] = value
        }
        return value
    }

    /// Names keys whose values the writer's current transaction changes: call it inside that
    /// transaction, on this database's writer, before it commits. Every write that changes a
    /// cached value must call it; naming keys that did not change only costs their next read.
    public func changing(_ keys: some Sequence<Key>) {
        state.withLock { state in state.changing.formUnion(keys) }
    }

    func writerCommitted(from before: CommitStamp?, to after: CommitStamp?) {
        state.withLock { state in
            let changed = state.changing
            state.changing.removeAll()
            guard let before, let after, state.base == before else { return state.forgetValues() }
            for key in changed { state.values[key] = nil }
            state.base = after
        }
    }

    func writerRolledBack() {
        state.withLock { state in
            state.changing.removeAll()
            state.forgetValues()
        }
    }
}

/// Told of every transaction the database's writer connection ends.
protocol WriterCommitListener: AnyObject, Sendable {
    /// A transaction committed; the stamps are the header just before its commit (under its write
    /// lock, so the state it started from) and just after.
    func writerCommitted(from before: CommitStamp?, to after: CommitStamp?)
    func writerRolledBack()
}

/// Registered on the writer connection: reads the stamp around each commit and tells the listeners.
final class WriterCommitObserver: TransactionObserver, @unchecked Sendable {
    private let header: WALIndexHeader
    private let listeners = Mutex<[any WriterCommitListener]>([])
    /// The stamp read when the writer's transaction began to commit; touched only on the writer.
    private var beforeCommit: CommitStamp?

    init(header: WALIndexHeader) { self.header = header }

    func add(_ listener: any WriterCommitListener) {
        listeners.withLock { $0.append(listener) }
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}

    func databaseWillCommit() throws {
        beforeCommit = header.stamp()
    }

    func databaseDidCommit(_ db: Database) {
        let before = beforeCommit, after = header.stamp()
        beforeCommit = nil
        for listener in listeners.withLock({ $0 }) { listener.writerCommitted(from: before, to: after) }
    }

    func databaseDidRollback(_ db: Database) {
        beforeCommit = nil
        for listener in listeners.withLock({ $0 }) { listener.writerRolledBack() }
    }
}
