import Foundation

/// Reads that many concurrent callers need, made in batches: while one batch is being read, the
/// keys asked for meanwhile gather into the next, which is read as soon as the first returns. A
/// burst of N callers each missing its own key costs a handful of reads instead of N, as the
/// ledger's group commit turns N writes into a few commits; a lone caller waits for no one.
/// A failed read fails every caller of its batch (each may retry); a key the read does not
/// return is answered with nil.
public final class CoalescingLoader<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    public typealias Read = @Sendable ([Key]) async throws -> [Key: Value]

    private let read: Read
    private let maximumBatch: Int
    private let lock = NSLock()
    private var waiting: [Key: [CheckedContinuation<Value?, any Error>]] = [:]
    private var order: [Key] = []
    private var reading = false

    /// `read` answers a batch of distinct keys (at most `maximumBatch`).
    public init(maximumBatch: Int = 1_000, read: @escaping Read) {
        self.read = read
        self.maximumBatch = max(1, maximumBatch)
    }

    /// The value for `key`, read with whatever other keys are asked for at the same time.
    public func load(_ key: Key) async throws -> Value? {
        try await withCheckedThrowingContinuation { continuation in
            let start = lock.withLock {
                if waiting[key] == nil { order.append(key) }
                waiting[key, default: []].append(continuation)
                guard !reading else { return false }
                reading = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    /// Reads batches until no key is waiting.
    private func drain() async {
        while true {
            let batch: [(key: Key, waiters: [CheckedContinuation<Value?, any Error>])] = lock.withLock {
                let keys = order.prefix(maximumBatch)
                order.removeFirst(keys.count)
                if keys.isEmpty { reading = false }
                return keys.map { ($0, waiting.removeValue(forKey: $0) ?? []) }
            }
            guard !batch.isEmpty else { return }
            do {
                let values = try await read(batch.map(\.key))
                for (key, waiters) in batch { for waiter in waiters { waiter.resume(returning: values[key]) } }
            } catch {
                for (_, waiters) in batch { for waiter in waiters { waiter.resume(throwing: error) } }
            }
        }
    }
}
