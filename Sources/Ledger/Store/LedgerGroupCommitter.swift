import CofferStorage
import Foundation
import GRDB

/// The single writer: collects concurrent callers' batches for up to about a millisecond (or
/// until 8,000 transfers wait), decides them in arrival order in one IMMEDIATE transaction, and
/// answers every caller only after that transaction committed.
actor LedgerGroupCommitter {
    private struct Request {
        let transfers: [Transfer]
        let continuation: CheckedContinuation<[TransferResult], any Error>
    }

    private let database: CofferDatabase
    private let clock: @Sendable () -> UInt64
    private var queue: [Request] = []
    private var draining = false
    private var accounts = LedgerAccountCache()

    init(database: CofferDatabase, clock: @escaping @Sendable () -> UInt64) {
        self.database = database
        self.clock = clock
    }

    func submit(_ transfers: [Transfer]) async throws -> [TransferResult] {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Request(transfers: transfers, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            if queue.reduce(0, { $0 + $1.transfers.count }) < LedgerEngine.maximumBatchSize {
                try? await Task.sleep(for: .microseconds(500))  // the group-commit window
            }
            var group: [Request] = []
            var count = 0
            while let next = queue.first, group.isEmpty || count + next.transfers.count <= LedgerEngine.maximumBatchSize {
                group.append(next)
                count += next.transfers.count
                queue.removeFirst()
            }
            do {
                let results = try LedgerCommit.commit(group.map(\.transfers), database: database, now: clock(), cache: &accounts)
                for (request, result) in zip(group, results) { request.continuation.resume(returning: result) }
            } catch {
                for request in group { request.continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}
