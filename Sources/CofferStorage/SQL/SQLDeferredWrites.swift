import Synchronization

/// Writes collected on a transaction's connection (`SQLConnection.executeLater`) until a statement
/// carries them as data-modifying `WITH` clauses: `WITH deferred_1 AS (write), ... <statement>`.
/// PostgreSQL runs each such clause exactly once, whether or not the statement reads it, but the
/// statement itself reads the snapshot taken before them; so only a statement that reads none of
/// the written tables may carry them (the ledger's commit, whose admissions write other stores'
/// tables, carries them on its snapshot read). Any other statement runs them first, alone
/// (`flushed`).
public final class SQLDeferredWrites: Sendable {
    private let writes = Mutex<[SQL]>([])

    public init() {}

    public func append(_ sql: SQL) { writes.withLock { $0.append(sql) } }

    public var isEmpty: Bool { writes.withLock { $0.isEmpty } }

    /// `statement` with every collected write in front of it as a `WITH` clause (the collection is
    /// emptied); `statement` itself unchanged when nothing was collected. `statement` must not
    /// start with a `WITH` clause of its own.
    public func carried(by statement: SQL) -> SQL {
        let taken = writes.withLock { writes in
            defer { writes.removeAll() }
            return writes
        }
        guard !taken.isEmpty else { return statement }
        let clauses = taken.enumerated().map { SQL("deferred_\($0.offset + 1) AS (") + $0.element + SQL(")") }
        return SQL("WITH ") + SQL.joined(clauses, separator: ", ") + SQL(" ") + statement
    }

    /// The collected writes as one statement of their own, or nil when there are none.
    public func flushed() -> SQL? {
        isEmpty ? nil : carried(by: "SELECT 1")
    }
}
