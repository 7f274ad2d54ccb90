import CofferTestSupport
import Foundation
import Testing

/// `coffer bench payouts` runs end to end against a regtest node on a tiny workload (the figures
/// themselves are not checked: it is a benchmark, not a timed test): it names Coffer's rate, the
/// floor's and their ratio, and removes its scratch directory.
// Nested in ReceiveLitecoinCLITests (serialized), as the other chain CLI suites are.
extension ReceiveLitecoinCLITests {
@Suite(.serialized) struct BenchPayoutsCLITests {
    @Test func reportsCofferTheFloorAndTheRatio() async throws {
        try await Litecoind.with { node in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-bench-payouts-\(UUID().uuidString)")
            let result = try CofferProcess.run([
                "bench", "payouts", "--rpc-url", node.rpcURL, "--rpc-cookie-file", node.cookiePath, "--count", "12", "--deposits", "10",
                "--submitters", "4", "--runs", "1", "--floor-repeats", "2", "--data-dir", directory.path,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            for line in ["Coffer: reserve + batch + sign", "floor: WalletCore signs", "ratio Coffer/floor", "Coffer's time, medians"] {
                #expect(result.stdoutLines.contains { $0.hasPrefix(line) }, "\(line): \(result.stdout)")
            }
            #expect(!FileManager.default.fileExists(atPath: directory.path))
        }
    }
}
}
