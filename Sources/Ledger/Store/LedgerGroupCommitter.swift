import CofferBase
import CofferStorage
import Foundation
import GRDB

/// The single writer of a store in this process: decides queued callers' batches (up to 8,000 transfers) in arrival order in
/// one IMMEDIATE transaction and answers every caller only after that transaction committed.
///
/// Batches that arrive while a commit is in flight (mostly waiting for fsync) queue up and go
/// into the next one, so the group grows with the load and no timer adds latency. The commit
/// runs on GRDB's writer queue, not on this actor, so callers can queue during it. (It used to
/// sleep 0.5 ms to gather callers and commit on the actor: with 32 concurrent submitters of
/// single transfers that gave p50 5.6 ms / p99 40-64 ms; see docs/ledger.md for the figures now.)
///
/// A batch of no transfers is the pending-expiry pulse (`PendingExpiryStore.expireDue()`): it
/// queues like any other, so an expiry never races a client batch of the same process. After a
/// commit that created a pending transfer with a timeout, the committer fires `signal`.
actor LedgerGroupCommitter {
    private struct Request {
        let transfers: [Transfer]
        let admission: LedgerCommitAdmission?
        let companion: LedgerCommitCompanion?
        let continuation: CheckedContinuation<LedgerCommittedBatch, any Error>
    }

    /// Decides and durably commits the merged batches at `now`, running each batch's companion
    /// (if any) in the same transaction, each batch only if its admission (if any) admits it.
    typealias Commit = @Sendable (
        _ batches: [[Transfer]], _ admissions: [LedgerCommitAdmission?], _ companions: [LedgerCommitCompanion?], _ now: UInt64
    ) async throws -> LedgerCommitResult

    private let commit: Commit
    private let clock: @Sendable () -> UInt64
    private let signal: PendingExpirySignal
    private var queue: [Request] = []
    private var draining = false

    init(clock: @escaping @Sendable () -> UInt64, signal: PendingExpirySignal, commit: @escaping Commit) {
        self.commit = commit
        self.clock = clock
        self.signal = signal
    }

    func submit(_ transfers: [Transfer], admission: LedgerCommitAdmission? = nil, companion: LedgerCommitCompanion? = nil) async throws -> LedgerCommittedBatch {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Request(transfers: transfers, admission: admission, companion: companion, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            var group: [Request] = []
            var count = 0
            while let next = queue.first, group.isEmpty || count + next.transfers.count <= LedgerEngine.maximumBatchSize {
                group.append(next)
                count += next.transfers.count
                queue.removeFirst()
            }
            do {
                let committed = try await commit(group.map(\.transfers), group.map(\.admission), group.map(\.companion), clock())
                guard committed.results.count == group.count, committed.expired.count == group.count else {
                    throw LedgerError("the ledger commit answered \(committed.results.count) of \(group.count) batches; this is a bug")
                }
                for (index, request) in group.enumerated() {
                    request.continuation.resume(returning: LedgerCommittedBatch(
                        results: committed.results[index], expired: committed.expired[index], admitted: committed.admitted[index]))
                }
                if committed.createdExpiry { signal.signal() }
            } catch {
                for request in group { request.continuation.resume(throwing: error) }
            }
            await letAnsweredCallersQueue(expecting: group.count + queue.count)
        }
        draining = false
    }

    /// Callers just answered often submit again at once. Committing only the few batches that
    /// arrived during the last commit would make them wait for that small commit, then form a big
    /// one, and so on (with 32 submitters of single transfers the groups alternated 31, 1, 31, 1,
    /// halving throughput). So while the queue is shorter than `count` (the last group plus the
    /// callers who queued during its commit), this yields to the other tasks (no timer: a few
    /// microseconds per yield) until the queue stops growing for `idleYields` yields in a row.
    /// Counting those who queued during the commit matters when callers prepare for a while: half
    /// of them in flight, the other half queued meanwhile, would otherwise be committed at once
    /// and the two halves would go on alternating in groups of half the size.
    private func letAnsweredCallersQueue(expecting count: Int) async {
        var seen = queue.count
        var idle = 0
        while seen < count {
            await Task.yield()
            if queue.count > seen {
                seen = queue.count
                idle = 0
            } else {
                idle += 1
                guard idle < Self.idleYields else { return }
            }
        }
    }

    /// How many yields in a row may find no new caller before the commit goes ahead without the
    /// rest: callers that do work of their own between commits (a limit check's preparation) do
    /// not all queue within one yield.
    static let idleYields = 3
}

/// What a group commit decided, batch by batch in the order given.
struct LedgerCommitResult: Sendable {
    /// One result per transfer, per batch.
    var results: [[TransferResult]]
    /// How many pending transfers each batch expired.
    var expired: [Int]
    /// Whether the commit created a pending transfer with a timeout: the pulse must look again.
    var createdExpiry: Bool
    /// Per batch, whether its admission (if any) let it in.
    var admitted: [Bool]

    init(_ plan: LedgerCommitPlan, admitted: [Bool]) {
        results = plan.results
        expired = plan.expired
        createdExpiry = plan.createdExpiry
        self.admitted = admitted
    }
}

/// One caller's batch once committed: its results, and how many pending transfers it expired.
struct LedgerCommittedBatch: Sendable {
    let results: [TransferResult]
    let expired: Int
    var admitted = true
}

/// The batches as their admissions decided: a refused batch is left out (decided as no
/// transfers), in its place so results stay aligned with callers.
enum LedgerAdmissions {
    /// The runs of consecutive admissions that share an admitter, each decided by one call.
    static func runs(_ admissions: [LedgerCommitAdmission?], batches: Int) -> [(range: Range<Int>, admitter: any LedgerGroupAdmitter)] {
        var runs: [(range: Range<Int>, admitter: any LedgerGroupAdmitter)] = []
        var index = 0
        let count = min(admissions.count, batches)
        while index < count {
            guard let first = admissions[index] else {
                index += 1
                continue
            }
            var end = index + 1
            while end < count, let next = admissions[end], next.admitter === first.admitter { end += 1 }
            runs.append((index..<end, first.admitter))
            index = end
        }
        return runs
    }

    /// What the first run's admitter asks the commit to read for it (see `LedgerGroupAdmitter.prelude`).
    static func prelude(_ batches: [[Transfer]], _ admissions: [LedgerCommitAdmission?], dialect: SQLDialect) -> CofferStorage.SQL? {
        guard let first = runs(admissions, batches: batches.count).first else { return nil }
        return first.admitter.prelude(for: admissions[first.range].map { $0!.token }, dialect: dialect)
    }

    /// `prelude`: the rows of the first run's prelude, when the commit ran it.
    static func apply(
        _ batches: [[Transfer]], _ admissions: [LedgerCommitAdmission?], prelude: [any SQLRow]? = nil, connection: any SQLConnection
    ) throws -> (batches: [[Transfer]], admitted: [Bool]) {
        var admitted = Array(repeating: true, count: batches.count)
        var decided = batches
        for (number, run) in runs(admissions, batches: batches.count).enumerated() {
            let tokens = admissions[run.range].map { $0!.token }
            let answers = try run.admitter.admit(tokens, prelude: number == 0 ? prelude : nil, on: connection)
            guard answers.count == run.range.count else { throw LedgerError.internalFailure("an admitter answered \(answers.count) of \(run.range.count) batches") }
            for (offset, admit) in answers.enumerated() where !admit {
                admitted[run.range.lowerBound + offset] = false
                decided[run.range.lowerBound + offset] = []
            }
        }
        return (decided, admitted)
    }
}
