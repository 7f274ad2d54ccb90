import Foundation

/// A `coffer` process a test drives while it runs: standard input streamed into it from a
/// background thread, standard output collected as it arrives, SIGKILL at any moment.
final class CofferChildProcess: @unchecked Sendable {
    /// How the process ended and what it printed before.
    struct Outcome: Sendable {
        /// Ended by `kill()`'s SIGKILL, not by itself.
        let killed: Bool
        let status: Int32
        let stdout: String
        let stderr: String

        /// The complete lines of standard output; a last line cut short by a kill is left out.
        var lines: [Substring] {
            let complete = stdout.last == "\n" ? stdout[...] : stdout[..<(stdout.lastIndex(of: "\n").map(stdout.index(after:)) ?? stdout.startIndex)]
            return complete.split(separator: "\n")
        }
    }

    private let process = Process()
    private let output: PipeCollector
    private let errors: PipeCollector
    let started = ContinuousClock.now

    /// A write to a pipe whose reader was killed must fail with EPIPE, not end the test runner.
    private static let brokenPipesIgnored: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Starts `coffer ARGUMENTS` and streams `input` into its standard input, then closes it.
    init(_ arguments: [String], input: Data, environment: [String: String] = [:]) throws {
        Self.brokenPipesIgnored
        process.executableURL = CofferProcess.binary
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let inputPipe = Pipe(), outputPipe = Pipe(), errorPipe = Pipe()
        process.standardInput = inputPipe
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        try process.run()
        output = PipeCollector(outputPipe.fileHandleForReading)
        errors = PipeCollector(errorPipe.fileHandleForReading)
        let writer = inputPipe.fileHandleForWriting
        Thread { Self.stream(input, to: writer) }.start()
    }

    /// Writes in pieces as a producer would; stops quietly when the process is gone (EPIPE).
    private static func stream(_ input: Data, to handle: FileHandle) {
        input.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(handle.fileDescriptor, buffer.baseAddress! + offset, min(65_536, buffer.count - offset))
                if written < 0 {
                    if errno == EINTR { continue }
                    break
                }
                offset += written
            }
        }
        try? handle.close()
    }

    /// Waits until the process printed something or ended, at most `timeout`; true when it printed.
    func waitForOutput(timeout: Duration = .seconds(60)) -> Bool {
        output.waitForData(timeout: timeout)
    }

    /// Time from the start to the first byte of output, once it came.
    var timeToFirstOutput: Duration? { output.firstDataArrival.map { $0 - started } }

    /// Sends `signal` (e.g. SIGTERM for a graceful stop). Harmless once it has ended.
    func send(_ signal: Int32) {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, signal) }
    }

    /// SIGKILL: no handler, no flush, no clean-up runs in the process. Harmless once it has ended.
    func kill() {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the end of the process and of its output; with a limit, a process still running
    /// then is killed (a hung writer fails its test instead of stalling the run).
    func finish(within limit: Duration? = nil) -> Outcome {
        if let limit {
            DispatchQueue.global().asyncAfter(deadline: .now() + limit.timeInterval) { self.kill() }
        }
        process.waitUntilExit()
        return Outcome(
            killed: process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL,
            status: process.terminationStatus,
            stdout: String(decoding: output.finish(), as: UTF8.self),
            stderr: String(decoding: errors.finish(), as: UTF8.self))
    }
}

/// Runs `body(0)`, …, `body(count - 1)` at once, each on a thread of its own: the cooperative pool
/// has only as many threads as cores, so tasks blocked on child processes would run two at a time.
func onSeparateThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
    let slots = ThreadResults<T>(count)
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread {
            let result = Result { try body(index) }
            slots.lock.withLock { slots.results[index] = result }
            group.leave()
        }.start()
    }
    group.wait()
    return try slots.results.map { try $0!.get() }
}

/// What each thread of `onSeparateThreads` returned or threw, in its own slot.
private final class ThreadResults<T>: @unchecked Sendable {
    var results: [Result<T, any Error>?]
    let lock = NSLock()
    init(_ count: Int) { results = Array(repeating: nil, count: count) }
}

extension Duration {
    /// For the Foundation calls that take seconds (timeouts and sleeps, never amounts).
    var timeInterval: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
