import CofferBase
import CofferTestSupport
import Foundation
import Testing

/// `coffer bench chain-sync` runs end to end against a regtest node on a tiny workload (the figures
/// themselves are not checked: it is a benchmark, not a timed test) and checks the deposits it
/// credits against the watched payments.
@Suite(.serialized) struct BenchChainCLITests {
    @Test func reportsTheFloorTheSyncTheProcessingAndTheDepositsCredited() async throws {
        try await Litecoind.with { node in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-bench-chain-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            // Two blocks: three payments to watched addresses and two to others, plus the change.
            var watched: [String] = []
            for block in 0..<2 {
                for payment in 0..<(block == 0 ? 2 : 3) {
                    let address = try await node.newAddress()
                    _ = try await node.send(to: address, amount: 100_000)
                    if payment != 1 { watched.append(address) }
                }
                try await node.mine(1)
            }
            let to = try Self.integer(try await node.cli("getblockcount"))
            let watchFile = directory.appendingPathComponent("watched.txt")
            try watched.joined(separator: "\n").write(to: watchFile, atomically: true, encoding: .utf8)
            let arguments = [
                "bench", "chain-sync", "--rpc-url", node.rpcURL, "--rpc-cookie-file", node.cookiePath, "--from", String(to - 1), "--to", String(to),
                "--watch-file", watchFile.path, "--watched", "500", "--runs", "1", "--data-dir", directory.appendingPathComponent("scratch").path,
            ]
            let result = try CofferProcess.run(arguments + ["--expect-deposits", String(watched.count)])
            #expect(result.status == 0, "\(result.stderr)")
            for line in ["floor: fetch + decode", "sync: ChainSyncer against the node", "ratio sync/floor", "processing once fetched",
                         "deposits credited per sync: 3 (expected 3)"] {
                #expect(result.stdoutLines.contains { $0.hasPrefix(line) }, "\(line): \(result.stdout)")
            }
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("scratch").path))
            // A check that fails is a failure of the command.
            let wrong = try CofferProcess.run(arguments + ["--expect-deposits", "4"])
            #expect(wrong.status != 0)
            #expect(wrong.stderr.contains("not the 4 watched payments"), "\(wrong.stderr)")
        }
    }

    static func integer(_ value: JSONValue) throws -> UInt64 {
        guard case .number(let literal) = value, let number = UInt64(literal) else { throw HarnessError("not a height: \(value.text)") }
        return number
    }
}
