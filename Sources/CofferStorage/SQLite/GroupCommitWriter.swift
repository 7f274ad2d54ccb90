import Foundation
public import GRDB

/// Merges concurrent small writes into shared transactions: callers' closures that queue up while
/// a transaction is being committed run one after another in the next single transaction, each inside
/// its own savepoint unless it is a single statement (so one failing closure rolls back only its own
/// changes), and every caller gets its result after that transaction committed. With `synchronous=FULL` a commit costs an
/// fsync; sharing it is what lets many requests per second each make a durable write.
public actor GroupCommitWriter {
    public typealias Work = @Sendable (Database) throws -> any Sendable

    private struct Pending {
        let work: Work
        let savepoint: Bool
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private let database: CofferDatabase
    private let maximumGroup: Int
    private var queue: [Pending] = []
    private var draining = false

    /// No timer gathers callers: under load they queue while the previous commit waits for its
    /// fsync, so groups grow with the load and an idle writer adds no latency.
    public init(database: CofferDatabase, maximumGroup: Int = 512) {
        self.database = database
        self.maximumGroup = maximumGroup
    }

    /// Runs `work` in the next group transaction and returns its result once committed.
    /// `savepoint: false` skips the savepoint around `work` (two statements SQLite prepares
    /// anew each time): only for work that leaves nothing behind when it throws, such as a single
    /// statement, whose failure SQLite undoes by itself.
    public func write<T: Sendable>(savepoint: Bool = true, _ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result = try await withCheckedThrowingContinuation { continuation in
            queue.append(Pending(work: { db in try work(db) }, savepoint: savepoint, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
        guard let typed = result as? T else { throw StorageError("a grouped write returned an unexpected type") }
        return typed
    }

    private func drain() async {
        while !queue.isEmpty {
            let group = Array(queue.prefix(maximumGroup))
            queue.removeFirst(group.count)
            do {
                let outcomes = try await database.pool.write { db in
                    var outcomes: [Result<any Sendable, any Error>] = []
                    for pending in group {
                        do {
                            guard pending.savepoint else {
                                outcomes.append(.success(try pending.work(db)))
                                continue
                            }
                            var value: (any Sendable)?
                            try db.inSavepoint {
                                value = try pending.work(db)
                                return .commit
                            }
                            outcomes.append(.success(value ?? ()))
                        } catch {
                            outcomes.append(.failure(error))
                        }
                    }
                    return outcomes
                }
                for (pending, outcome) in zip(group, outcomes) { pending.continuation.resume(with: outcome) }
            } catch {
                for pending in group { pending.continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}
