import ArgumentParser
import CofferStorage
import Foundation
import Ledger

extension BenchCommand {
    struct LedgerBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger",
            abstract: "Transfers per second through the ledger store vs raw inserts into the same database; commit latency.",
            discussion: """
                Every run measures, for batches of 1, 100 and 8,000: the floor (the same rows inserted raw into a copy of \
                the transfer table through one prepared statement, as many rows per transaction as the batch has; for \
                batches of 1, \(singleRowFloorCommits) one-row commits) and then the store's submit, back to back; and, \
                for the largest batch, the bulk floor (every row of the measurement in one transaction). Batches of 1 come \
                from --submitters concurrent tasks, each submitting one transfer at a time and timing each commit (so group \
                commit can merge them); larger batches come from one client submitting them one after another. Transfers \
                have fresh ids and move 1 unit between random pairs of --accounts accounts.
                """)

        @Option(help: "Transfers per measurement.") var transfers: Int = 40_000
        @Option(help: "Repetitions; medians are reported.") var runs: Int = 5
        @Option(help: "Accounts created before measuring, among which transfers pick random pairs.") var accounts: Int = 10_000
        @Option(help: "Concurrent submitters of single transfers.") var submitters: Int = 32
        @Option(name: .customLong("batch-size"), help: "Batch sizes to measure (repeat the option; default 1, 100 and 8000).")
        var batchSizes: [Int] = [1, 100, LedgerEngine.maximumBatchSize]
        @Option(help: "Scratch data directory; it must not hold a database yet (default: a temporary directory, removed afterwards).")
        var dataDir: String?
        @Option(help: "Also measure PostgreSQL: a server URL (postgres://USER@HOST:PORT/DB) where a scratch database may be created and dropped.")
        var postgres: String?

        func run() async throws {
            guard transfers > 0, runs > 0, submitters > 0, accounts >= 2 else {
                throw UsageError("--transfers, --runs and --submitters must be positive and --accounts at least 2")
            }
            guard !batchSizes.isEmpty, batchSizes.allSatisfy({ (1...LedgerEngine.maximumBatchSize).contains($0) }) else {
                throw UsageError("--batch-size must be between 1 and \(LedgerEngine.maximumBatchSize)")
            }
            let directory: URL
            if let dataDir {
                directory = URL(fileURLWithPath: dataDir)
                if FileManager.default.fileExists(atPath: DataDirectory(explicit: dataDir).databaseURL.path) {
                    throw UsageError("--data-dir \(dataDir) already holds a database; the benchmark needs a scratch directory")
                }
            } else {
                directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-bench-ledger-\(getpid())")
            }
            defer { if dataDir == nil { try? FileManager.default.removeItem(at: directory) } }
            let backend = try SQLiteLedgerBenchBackend(directory: directory.path)
            try await Self.measure(backend, options: self)
            if let postgres {
                let backend = try await PostgresLedgerBenchBackend(serverURL: postgres)
                do {
                    try await Self.measure(backend, options: self)
                } catch {
                    await backend.remove()
                    throw error
                }
                await backend.remove()
            }
        }

        /// Runs every measurement on `backend` and prints the report.
        static func measure(_ backend: any LedgerBenchBackend, options: LedgerBench) async throws {
            let report = BenchReport(runs: options.runs)
            let cores = ProcessInfo.processInfo.activeProcessorCount
            report.line("coffer bench ledger: \(backend.name), \(options.transfers) transfers per measurement, median of \(options.runs) runs, \(cores) cores")
            report.line("floor = raw inserts of the same rows, as many per transaction as the batch has; ratio = median of per-run Coffer/floor")
            let asset = try Asset(code: "BENCH", decimals: 0)
            let ids = try (0..<options.accounts).map { try LedgerID(validating: "bench-acct-\($0)") }
            let store = try await backend.makeStore(asset: asset, accounts: ids.map { Account(id: $0, asset: asset.code) })
            var generator = BenchTransferGenerator(accounts: ids, asset: asset.code)
            // One warm-up batch: the first commit pays for creating the chain and warming caches.
            let warmUp = try await store.submit(try generator.transfers(count: 100, prefix: "warm-up"))
            guard warmUp.allSatisfy({ $0 == .created }) else { throw CLIError("bench warm-up: transfers were refused: \(Set(warmUp.map(\.rawValue)).sorted())") }

            var samples: [Int: [(floor: Double, coffer: Double)]] = [:]
            var bulk: [(floor: Double, coffer: Double)] = []
            var p50s: [Double] = [], p99s: [Double] = [], floorP50s: [Double] = [], floorP99s: [Double] = []
            for run in 0..<options.runs {
                for size in options.batchSizes {
                    let floorRows = try generator.transfers(count: size == 1 ? Self.singleRowFloorCommits : options.transfers,
                                                            prefix: "floor-\(run)-\(size)").map(\.benchRow)
                    let floorCommits = try await rawInsertFloor(floorRows, rowsPerTransaction: size, backend: backend)
                    let floor = floorCommits.reduce(Duration.zero, +)
                    let batch = try generator.transfers(count: options.transfers, prefix: "run-\(run)-\(size)")
                    let elapsed: Duration
                    if size == 1 {  // single transfers: concurrent submitters, merged by group commit
                        floorP50s.append(floorCommits.percentile(50).milliseconds)
                        floorP99s.append(floorCommits.percentile(99).milliseconds)
                        let timing = try await submitConcurrently(batch, submitters: options.submitters, to: store)
                        elapsed = timing.elapsed
                        p50s.append(timing.latencies.percentile(50).milliseconds)
                        p99s.append(timing.latencies.percentile(99).milliseconds)
                    } else {
                        elapsed = try await submitInBatches(batch, size: size, to: store)
                    }
                    let sample = (floor: Double(floorRows.count) / floor.seconds, coffer: Double(options.transfers) / elapsed.seconds)
                    samples[size, default: []].append(sample)
                    if size == options.batchSizes.max() {
                        // The bulk reading: every row of the measurement in one transaction, one durable commit.
                        let rows = try generator.transfers(count: options.transfers, prefix: "bulk-\(run)").map(\.benchRow)
                        let whole = try await backend.rawInsertFloor(rows: rows)
                        bulk.append((Double(options.transfers) / whole.seconds, sample.coffer))
                    }
                }
            }
            for size in options.batchSizes {
                let runs = samples[size] ?? []
                let ratios = runs.map { $0.coffer / $0.floor }
                report.line(String(format: "batch %5d: %9.0f transfers/s   floor %9.0f rows/s   ratio %.2f   (ratios %.2f-%.2f)",
                                   size, runs.map(\.coffer).median, runs.map(\.floor).median, ratios.median,
                                   ratios.min() ?? 0, ratios.max() ?? 0))
            }
            if let largest = options.batchSizes.max(), !bulk.isEmpty {
                let ratios = bulk.map { $0.coffer / $0.floor }
                report.line(String(format: "  bulk floor: all %d rows in one transaction %9.0f rows/s; batch %d against it: ratio %.2f   (ratios %.2f-%.2f)",
                                   options.transfers, bulk.map(\.floor).median, largest, ratios.median, ratios.min() ?? 0, ratios.max() ?? 0))
            }
            if !p50s.isEmpty {
                report.line(String(format: "single transfers, %d concurrent submitters: commit latency p50 %.2f ms, p99 %.2f ms   (p99 %.2f-%.2f)",
                               options.submitters, p50s.median, p99s.median, p99s.min() ?? 0, p99s.max() ?? 0))
                report.line(String(format: "  floor: %d one-row durable commits in sequence: p50 %.2f ms, p99 %.2f ms",
                                   Self.singleRowFloorCommits, floorP50s.median, floorP99s.median))
            }
            report.line(backend is PostgresLedgerBenchBackend
                ? "target (PostgreSQL): >= 20,000 transfers/s at batch 8,000"
                : "targets (SQLite): >= 150,000 transfers/s and >= 0.5 of the floor at batch 8,000; p99 <= 10 ms")
            guard case .intact = try await store.verify() else { throw CLIError("the ledger written by the benchmark does not verify") }
        }

        /// One-row durable commits timed for the batch-1 floor (and the latency floor): enough for a
        /// stable rate without 40,000 fsyncs.
        static let singleRowFloorCommits = 1_000

        /// The floor for batches of `rowsPerTransaction`: `rows` inserted raw, that many per
        /// transaction (each with its durable commit), one after another; the time of each.
        static func rawInsertFloor(_ rows: [BenchTransferRow], rowsPerTransaction: Int, backend: any LedgerBenchBackend) async throws -> [Duration] {
            var commits: [Duration] = []
            var offset = 0
            while offset < rows.count {
                let end = min(offset + rowsPerTransaction, rows.count)
                commits.append(try await backend.rawInsertFloor(rows: Array(rows[offset..<end])))
                offset = end
            }
            return commits
        }

        /// `submitters` tasks share the transfers; each submits one at a time and times each commit.
        static func submitConcurrently(_ transfers: [Ledger.Transfer], submitters: Int, to store: any LedgerStore) async throws
            -> (elapsed: Duration, latencies: [Duration])
        {
            let clock = ContinuousClock()
            let start = clock.now
            let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
                for submitter in 0..<submitters {
                    group.addTask {
                        var latencies: [Duration] = []
                        for index in stride(from: submitter, to: transfers.count, by: submitters) {
                            let started = clock.now
                            let results = try await store.submit([transfers[index]])
                            latencies.append(clock.now - started)
                            guard results == [.created] else { throw CLIError("bench: a transfer was refused: \(results.map(\.rawValue))") }
                        }
                        return latencies
                    }
                }
                var all: [Duration] = []
                for try await part in group { all += part }
                return all
            }
            return (clock.now - start, latencies)
        }

        /// One client submitting batches of `size` one after another.
        static func submitInBatches(_ transfers: [Ledger.Transfer], size: Int, to store: any LedgerStore) async throws -> Duration {
            let clock = ContinuousClock()
            let start = clock.now
            var offset = 0
            while offset < transfers.count {
                let batch = Array(transfers[offset..<min(offset + size, transfers.count)])
                let results = try await store.submit(batch)
                guard results.allSatisfy({ $0 == .created }) else { throw CLIError("bench: transfers were refused: \(Set(results.map(\.rawValue)).sorted())") }
                offset += batch.count
            }
            return clock.now - start
        }
    }
}

/// Fresh transfers of 1 unit between random distinct accounts.
struct BenchTransferGenerator {
    let accounts: [LedgerID]
    let asset: String
    var random = SystemRandomNumberGenerator()

    mutating func transfers(count: Int, prefix: String) throws -> [Ledger.Transfer] {
        try (0..<count).map { index throws in
            let debit = Int.random(in: 0..<accounts.count, using: &random)
            let offset = Int.random(in: 1..<accounts.count, using: &random)
            return Ledger.Transfer(
                id: try LedgerID(validating: "\(prefix)-\(index)"), debitAccountID: accounts[debit],
                creditAccountID: accounts[(debit + offset) % accounts.count], amount: 1, asset: asset)
        }
    }
}

extension Ledger.Transfer {
    /// The floor's row for this transfer.
    var benchRow: BenchTransferRow {
        BenchTransferRow(id: id.value, debit: debitAccountID?.value ?? "", credit: creditAccountID?.value ?? "", asset: asset ?? "", amount: String(amount))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
}

extension Array where Element == Duration {
    /// The value below which `percent` % of the samples lie (nearest rank).
    func percentile(_ percent: Int) -> Duration {
        let sorted = self.sorted()
        guard !sorted.isEmpty else { return .zero }
        let rank = (percent * sorted.count + 99) / 100
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }
}

extension Array where Element == Double {
    var median: Double { isEmpty ? 0 : sorted()[count / 2] }
}
