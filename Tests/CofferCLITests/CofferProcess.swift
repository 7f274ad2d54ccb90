import Foundation
import Testing
import CofferTestSupport

/// Runs the `coffer` binary built next to the test bundle (or $COFFER_BINARY).
struct CofferProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        var stdoutLines: [Substring] { stdout.split(separator: "\n") }
        var stderrLines: [Substring] { stderr.split(separator: "\n") }
    }

    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["COFFER_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The test runner may sit inside an .xctest bundle directory.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("coffer")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/coffer")
    }()

    @discardableResult
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let outcome = try CofferChildProcess(arguments, input: Data((stdin ?? "").utf8), environment: environment).finish()
        return Result(status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr)
    }

    /// Asserts the contract for rejected input: non-zero exit, one clear stderr line, no crash.
    static func expectRejected(
        _ arguments: [String], stdin: String? = nil, status: Int32? = nil, mentioning words: [String] = [],
        environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try run(arguments, stdin: stdin, environment: environment)
        #expect(result.status != 0, "accepted: \(arguments)", sourceLocation: sourceLocation)
        if let status { #expect(result.status == status, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation) }
        #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("coffer: error: "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(arguments) printed \(result.stdout)", sourceLocation: sourceLocation)
        for word in words {
            #expect(result.stderr.contains(word), "\(arguments): \(result.stderr) lacks \(word)", sourceLocation: sourceLocation)
        }
    }
}

/// Drains a pipe on a background thread, so a child never blocks on a full pipe; `waitForData`
/// lets a test act on the first bytes while the child still runs.
final class PipeCollector: @unchecked Sendable {
    private var data = Data()
    private var ended = false
    private var firstData: ContinuousClock.Instant?
    private let condition = NSCondition()

    init(_ handle: FileHandle) {
        Thread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                self.condition.lock()
                if count > 0 {
                    self.data.append(contentsOf: buffer[0..<count])
                    if self.firstData == nil { self.firstData = .now }
                } else {
                    self.ended = true
                }
                self.condition.broadcast()
                self.condition.unlock()
                if count <= 0 { break }
            }
            try? handle.close()
        }.start()
    }

    /// Waits until some bytes arrived or the pipe closed, at most `timeout`; true when bytes arrived.
    func waitForData(timeout: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(timeout.timeInterval)
        condition.lock()
        defer { condition.unlock() }
        while data.isEmpty && !ended && condition.wait(until: deadline) {}
        return !data.isEmpty
    }

    /// When the first bytes arrived, if they did.
    var firstDataArrival: ContinuousClock.Instant? {
        condition.lock()
        defer { condition.unlock() }
        return firstData
    }

    /// Everything the pipe carried, once its writer closed it.
    func finish() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while !ended { condition.wait() }
        return data
    }
}

/// A temporary file, removed when the test process exits.
func temporaryFile(_ contents: String) throws -> String {
    let url = TemporaryPaths.make("coffer-test")
    try Data(contents.utf8).write(to: url)
    return url.path
}
