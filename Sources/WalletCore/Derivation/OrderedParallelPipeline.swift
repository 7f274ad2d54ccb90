import Foundation

/// Runs `produce` for chunks 0..<chunkCount on worker threads and hands the results to
/// `consume` on the calling thread strictly in chunk order.
///
/// Memory stays constant: a worker may run at most `window` chunks ahead of the consumer, so a
/// million addresses never sit in memory at once. The first error (from either side) stops the
/// workers and is rethrown.
public enum OrderedParallelPipeline {
    public static func run(
        chunkCount: Int,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        window: Int? = nil,
        produce: @escaping @Sendable (Int) throws -> [UInt8],
        consume: ([UInt8]) throws -> Void
    ) throws {
        guard chunkCount > 0 else { return }
        let workerCount = max(1, min(workers, chunkCount))
        let state = PipelineState(window: max(workerCount, window ?? workerCount * 4))
        let finished = DispatchGroup()
        for _ in 0..<workerCount {
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                state.work(chunkCount: chunkCount, produce: produce)
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        defer {
            state.cancel()
            finished.wait()
        }
        for chunk in 0..<chunkCount {
            let output = try state.take(chunk)
            try consume(output)
        }
    }
}

/// Shared state of one pipeline run, guarded by one condition variable.
private final class PipelineState: @unchecked Sendable {
    private let condition = NSCondition()
    private let window: Int
    private var nextToHandOut = 0
    private var nextToConsume = 0
    private var ready: [Int: [UInt8]] = [:]
    private var failure: (any Error)?
    private var cancelled = false

    init(window: Int) { self.window = window }

    func work(chunkCount: Int, produce: (Int) throws -> [UInt8]) {
        while true {
            condition.lock()
            while !cancelled && failure == nil && nextToHandOut < chunkCount && nextToHandOut >= nextToConsume + window {
                condition.wait()
            }
            guard !cancelled, failure == nil, nextToHandOut < chunkCount else {
                condition.unlock()
                return
            }
            let chunk = nextToHandOut
            nextToHandOut += 1
            condition.unlock()

            let result = Result { try produce(chunk) }

            condition.lock()
            switch result {
            case .success(let output): ready[chunk] = output
            case .failure(let error): if failure == nil { failure = error }
            }
            condition.broadcast()
            condition.unlock()
        }
    }

    func take(_ chunk: Int) throws -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        while ready[chunk] == nil && failure == nil { condition.wait() }
        if let output = ready.removeValue(forKey: chunk) {
            nextToConsume = chunk + 1
            condition.broadcast()
            return output
        }
        throw failure!
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
