import Foundation
import Testing

/// `coffer bench ledger` runs end to end on a tiny workload (the figures themselves are not checked:
/// it is a benchmark, not a timed test) and refuses bad options and a data directory in use.
struct BenchLedgerCLITests {
    @Test func reportsEveryBatchSizeLatencyAndTheFloor() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-bench-ledger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CofferProcess.run([
            "bench", "ledger", "--runs", "1", "--transfers", "60", "--accounts", "20", "--submitters", "4",
            "--data-dir", directory.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        for size in ["batch     1:", "batch   100:", "batch  8000:"] {
            #expect(result.stdoutLines.contains { $0.hasPrefix(size) && $0.contains("transfers/s") && $0.contains("ratio") }, "\(result.stdout)")
        }
        #expect(result.stdout.contains("commit latency p50"))
        #expect(result.stdout.contains("one-row durable commits"))
        // A data directory that already holds a database is refused: the bench would write into it.
        try CofferProcess.expectRejected(["bench", "ledger", "--data-dir", directory.path], mentioning: ["already holds a database"])
    }

    @Test func badOptionsAreUsageErrors() throws {
        for arguments in [["--runs", "0"], ["--transfers", "0"], ["--accounts", "1"], ["--batch-size", "8001"], ["--batch-size", "0"]] {
            let result = try CofferProcess.run(["bench", "ledger"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderrLines.count == 1)
        }
    }
}
