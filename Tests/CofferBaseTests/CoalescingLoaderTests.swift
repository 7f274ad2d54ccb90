import CofferBase
import Foundation
import Testing

/// `CoalescingLoader` against a model: every caller gets exactly the value of its own key (nil
/// for a key the read does not return), concurrent callers share a few reads, and a failed read
/// fails its batch only.
struct CoalescingLoaderTests {
    /// The batches a read closure was given, in order.
    final class Reads: @unchecked Sendable {
        private let lock = NSLock()
        private var batches: [[Int]] = []
        func record(_ keys: [Int]) -> Int { lock.withLock { batches.append(keys); return batches.count } }
        var all: [[Int]] { lock.withLock { batches } }
    }

    @Test func concurrentCallersShareFewReadsAndGetTheirOwnValues() async throws {
        let reads = Reads()
        // Even keys exist (value: key * 10); the first read is slow, so the others gather meanwhile.
        let loader = CoalescingLoader<Int, Int> { keys in
            if reads.record(keys) == 1 { try await Task.sleep(for: .milliseconds(300)) }
            return Dictionary(uniqueKeysWithValues: keys.filter { $0 % 2 == 0 }.map { ($0, $0 * 10) })
        }
        // 96 callers over 48 keys: every key asked for twice.
        let answers = try await withThrowingTaskGroup(of: (Int, Int?).self) { group in
            for index in 0..<96 {
                group.addTask { (index % 48, try await loader.load(index % 48)) }
            }
            return try await group.reduce(into: [(Int, Int?)]()) { $0.append($1) }
        }
        #expect(answers.count == 96)
        for (key, value) in answers {
            #expect(value == (key % 2 == 0 ? key * 10 : nil), "key \(key)")
        }
        let batches = reads.all
        #expect(batches.count <= 4, "\(batches.count) reads for 96 callers")
        // No key is read twice within one batch, and every key was read.
        #expect(batches.allSatisfy { Set($0).count == $0.count })
        #expect(Set(batches.joined()) == Set(0..<48))
    }

    @Test func aFailedReadFailsItsBatchOnlyAndLaterCallsRead() async throws {
        struct ReadFailed: Error {}
        let reads = Reads()
        let loader = CoalescingLoader<Int, Int> { keys in
            _ = reads.record(keys)
            if keys.contains(13) { throw ReadFailed() }
            return Dictionary(uniqueKeysWithValues: keys.map { ($0, $0 + 1) })
        }
        await #expect(throws: ReadFailed.self) { try await loader.load(13) }
        #expect(try await loader.load(1) == 2)
        #expect(try await loader.load(1) == 2)
        #expect(reads.all == [[13], [1], [1]])
    }

    @Test func batchesAreCappedAtTheMaximum() async throws {
        let reads = Reads()
        let loader = CoalescingLoader<Int, Int>(maximumBatch: 5) { keys in
            if reads.record(keys) == 1 { try await Task.sleep(for: .milliseconds(300)) }
            return Dictionary(uniqueKeysWithValues: keys.map { ($0, $0) })
        }
        let values = try await withThrowingTaskGroup(of: Int?.self) { group in
            for key in 0..<23 { group.addTask { try await loader.load(key) } }
            return try await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(Set(values.compactMap { $0 }) == Set(0..<23))
        #expect(reads.all.allSatisfy { $0.count <= 5 } && reads.all.joined().count == 23)
    }
}
