import CofferBase
import CofferStorage
import CofferTestSupport
import Foundation
import GRDB
import Ledger
import Testing

/// Not a timed test: run with LEDGER_SNAPSHOT_BENCHMARK=1 to print the throughput of 8,000-transfer
/// batches, fresh (snapshot loads the accounts) and resubmitted (snapshot also loads 8,000 transfers).
struct LedgerSnapshotBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LEDGER_SNAPSHOT_BENCHMARK"] != nil))
    func batchesOf8000() async throws {
        let ledger = try await TemporaryLedger(.sqlite)
        #expect(try await ledger.store.createAsset(try Asset(code: "USDT", decimals: 6)))
        let accountCount = 4_000
        let created = try await ledger.store.createAccounts((0..<accountCount).map { Account(id: LedgerID("acct-\($0)")!, asset: "USDT") })
        #expect(created.allSatisfy { $0 == .created })
        let rounds = 5
        let batches = (0..<rounds).map { round in
            (0..<LedgerEngine.maximumBatchSize).map { index in
                transfer("b\(round)-\(index)", "acct-\(index % accountCount)", "acct-\((index * 7 + 1 + round) % accountCount == index % accountCount ? (index + 1) % accountCount : (index * 7 + 1 + round) % accountCount)", 1)
            }
        }
        for (label, expected) in [("fresh", TransferResult.created), ("resubmitted", TransferResult.exists)] {
            let clock = ContinuousClock()
            var elapsed = Duration.zero
            for batch in batches {
                let start = clock.now
                let results = try await ledger.store.submit(batch)
                elapsed += clock.now - start
                #expect(results.allSatisfy { $0 == expected })
            }
            let seconds = elapsed.components.seconds, attoseconds = elapsed.components.attoseconds
            let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
            let perSecond = Int64(rounds * LedgerEngine.maximumBatchSize) * 1_000_000 / max(1, micros)
            print("ledger snapshot benchmark: \(label): \(rounds) batches of \(LedgerEngine.maximumBatchSize) in \(micros / 1000) ms, \(perSecond) transfers/s")
        }
    }
}
