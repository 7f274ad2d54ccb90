import ArgumentParser
import CofferBase
import Foundation
import Reconciliation

extension BenchCommand {
    struct ReconBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recon",
            abstract: "Reconciliation of N ledger rows against N statement rows, next to pandas' merge on the exact keys of the same data.",
            discussion: """
                Data (seeded, not timed): per N ledger rows 90 % exact pairs (same asset, reference and amount, booked up to \
                two days apart), 5 % drifted pairs (amount up to 40 bps off, up to 20 h apart, another reference, a similar \
                description), 2 % members of one-to-many splits (2-4 transfers paid as one statement line) and 3 % unmatched; \
                the statement holds the counterparts, one line per split and unmatched lines up to N. Both sides are shuffled. \
                The floor is pandas' merge on (asset, reference, amount) of the same rows written as CSV (--python: an \
                interpreter with pandas; scripts/bench-recon installs one), timed inside Python after loading. Coffer's exact \
                figure is the whole engine with the exact rule alone (canonical order, indexes, matching, exception \
                classification), and within it the exact rule's own work on the prepared tables (its index and matching, what pandas' merge does on its prepared frames); then the full run with the issue's four rules. Peak memory is the process's VmHWM \
                (generated input included). Made by scripts/bench-recon.
                """)

        @Option(help: "Rows on each side.") var rows = 1_000_000
        @Option(help: "Repetitions; medians are reported.") var runs = 3
        @Option(help: "A Python interpreter with pandas, for the floor.") var python: String?
        @Option(help: "Scratch directory for the CSV files (default: a temporary one, removed afterwards).") var scratch: String?

        static let allRules = """
            [{"name":"exact","match":{"reference":"exact","amount":"exact"}},
             {"name":"drift","match":{"amount":{"tolerance_bps":50},"time":{"window_seconds":86400},"description":{"min_similarity":0.8}}},
             {"name":"split","group":"one_to_many","match":{"reference":"exact","amount":"sum_exact","time":{"window_seconds":172800}}},
             {"name":"merge","group":"many_to_one","match":{"reference":"exact","amount":"sum_exact","time":{"window_seconds":172800}}}]
            """

        func run() async throws {
            guard rows >= 100, runs > 0 else { throw UsageError("--rows must be at least 100 and --runs positive") }
            let report = BenchReport(runs: runs)
            let started = DispatchTime.now()
            let data = ReconBenchData.generate(rows: rows, seed: 42)
            report.line("coffer bench recon: \(rows) ledger × \(rows) statement rows (\(data.splits) splits), median of \(runs) runs, "
                        + "\(ProcessInfo.processInfo.activeProcessorCount) cores; generated in \(String(format: "%.1f", seconds(since: started))) s")

            var pandas: [Double] = []
            if let python {
                let directory = URL(fileURLWithPath: scratch ?? NSTemporaryDirectory() + "coffer-bench-recon-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                defer { if scratch == nil { try? FileManager.default.removeItem(at: directory) } }
                try ReconBenchData.writeCSV(data.ledger, to: directory.appendingPathComponent("ledger.csv"))
                try ReconBenchData.writeCSV(data.statement, to: directory.appendingPathComponent("statement.csv"))
                pandas = try Self.pandasMerge(python: python, directory: directory, runs: runs)
            } else {
                report.line("(no --python: the pandas floor is not measured)")
            }

            let exactOnly = try ReconRuleSet.decode(json: #"[{"name":"exact","match":{"reference":"exact","amount":"exact"}}]"#)
            let all = try ReconRuleSet.decode(json: Self.allRules)
            var exactSeconds: [Double] = [], tableSeconds: [Double] = [], exactRuleSeconds: [Double] = [], fullSeconds: [Double] = []
            var result: ReconResult?
            var ruleSeconds: [String: [Double]] = [:]
            for _ in 0..<runs {
                var start = DispatchTime.now()
                var mark = start
                _ = try Reconciler.reconcile(ledger: data.ledger, statement: data.statement, rules: exactOnly, tablesReady: {
                    tableSeconds.append(seconds(since: start))
                    mark = DispatchTime.now()
                }, ruleFinished: { _ in exactRuleSeconds.append(seconds(since: mark)) })
                exactSeconds.append(seconds(since: start))
                start = DispatchTime.now()
                var last = start
                result = try Reconciler.reconcile(ledger: data.ledger, statement: data.statement, rules: all, tablesReady: { last = DispatchTime.now() }) { stat in
                    ruleSeconds[stat.name, default: []].append(seconds(since: last))
                    last = DispatchTime.now()
                }
                fullSeconds.append(seconds(since: start))
            }
            let median = { (values: [Double]) in values.sorted()[values.count / 2] }
            report.line(String(format: "tables (both sides in canonical order, references interned)  %7.3f s", median(tableSeconds)))
            if !pandas.isEmpty {
                report.line(String(format: "exact rule (index + match on the tables)  %7.3f s   floor (pandas merge on asset, reference, amount)  %7.3f s   speed ratio %.2f",
                                   median(exactRuleSeconds), median(pandas), median(pandas) / median(exactRuleSeconds)))
                report.line(String(format: "exact rule, whole engine (tables, rule, exceptions)  %7.3f s   ratio to the pandas merge %.2f",
                                   median(exactSeconds), median(pandas) / median(exactSeconds)))
            } else {
                report.line(String(format: "exact rule (index + match on the tables)  %7.3f s; whole engine %7.3f s", median(exactRuleSeconds), median(exactSeconds)))
            }
            report.line(String(format: "all four rules, whole engine  %7.3f s   (target < 60 s)", median(fullSeconds)))
            for stat in result?.perRule ?? [] {
                report.line(String(format: "  rule %-8@ %8d matches (%d ledger, %d statement rows)  %6.3f s",
                                   stat.name, stat.matches, stat.ledgerRows, stat.statementRows, median(ruleSeconds[stat.name] ?? [0])))
            }
            var kinds: [String: Int] = [:]
            for exception in result?.exceptions ?? [] { kinds[exception.kind.rawValue, default: 0] += 1 }
            report.line("  exceptions: " + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            report.line("peak memory (VmHWM) \(Self.peakMemory()) (target < 2 GiB)")
        }

        /// Runs scripts/bench-recon-pandas.py: loads both CSV files, then times the merge `runs` times.
        static func pandasMerge(python: String, directory: URL, runs: Int) throws -> [Double] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["scripts/bench-recon-pandas.py", directory.path, String(runs)]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw BenchFailure("the pandas floor failed (status \(process.terminationStatus))") }
            let seconds = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line -> Double? in
                line.hasPrefix("merge ") ? Double(line.dropFirst(6)) : nil
            }
            guard seconds.count == runs else { throw BenchFailure("the pandas floor printed \(seconds.count) timings for \(runs) runs") }
            return seconds
        }

        static func peakMemory() -> String {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                  let kib = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") else { return "n/a" }
            return String(format: "%.0f MiB", Double(kib) / 1024)
        }
    }
}

/// The benchmark's synthetic books: seeded, so every run and the pandas floor see the same rows.
enum ReconBenchData {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let words = ["invoice", "acme", "corporation", "payout", "rent", "office", "supplies", "consulting", "march", "services", "gmbh", "ltd"]

    static func generate(rows n: Int, seed: UInt64) -> (ledger: [ReconRow], statement: [ReconRow], splits: Int) {
        var g = SplitMix(state: seed)
        var ledger: [ReconRow] = [], statement: [ReconRow] = []
        ledger.reserveCapacity(n)
        statement.reserveCapacity(n)
        let t0: Int64 = 1_767_225_600  // 2026-01-01
        func asset() -> String { Int.random(in: 0..<10, using: &g) < 7 ? "EUR" : "USD" }
        func time() -> Int64 { t0 + Int64.random(in: 0..<(30 * 86_400), using: &g) }
        func amount() -> Int128 { Int128(Int.random(in: 100...10_000_000, using: &g)) * (Int.random(in: 0..<10, using: &g) == 0 ? -1 : 1) }
        func text() -> String { (0..<4).map { _ in words[Int.random(in: 0..<words.count, using: &g)] }.joined(separator: " ") }

        let exact = n * 90 / 100, drift = n * 5 / 100, splitRows = n * 2 / 100
        var i = 0
        for _ in 0..<exact {
            let a = asset(), t = time(), amt = amount(), ref = "TRX\(i)"
            ledger.append(ReconRow(id: "L\(i)", amount: amt, asset: a, time: t, reference: ref, description: ref))
            statement.append(ReconRow(id: "S\(i)", amount: amt, asset: a, time: t + Int64.random(in: 0...172_800, using: &g), reference: ref, description: ref))
            i += 1
        }
        for _ in 0..<drift {
            let a = asset(), t = time(), amt = amount(), desc = text() + " \(i)"
            let drifted = amt + amt * Int128(Int.random(in: 0...40, using: &g)) / 10_000
            ledger.append(ReconRow(id: "L\(i)", amount: amt, asset: a, time: t, reference: "TRX\(i)", description: desc))
            statement.append(ReconRow(id: "S\(i)", amount: drifted, asset: a, time: t + Int64.random(in: -72_000...72_000, using: &g),
                                      reference: "BANK\(i)", description: desc.uppercased() + "."))
            i += 1
        }
        var splits = 0, used = 0
        while used + 2 <= splitRows {
            let parts = min(Int.random(in: 2...4, using: &g), splitRows - used)
            let a = asset(), t = time(), ref = "SPL\(i)"
            var sum: Int128 = 0
            for p in 0..<parts {
                let amt = Int128(Int.random(in: 100...1_000_000, using: &g))
                sum += amt
                ledger.append(ReconRow(id: "L\(i).\(p)", amount: amt, asset: a, time: t + Int64.random(in: 0...86_400, using: &g), reference: ref, description: ""))
            }
            statement.append(ReconRow(id: "S\(i)", amount: sum, asset: a, time: t, reference: ref, description: ref))
            used += parts
            splits += 1
            i += 1
        }
        while ledger.count < n {
            ledger.append(ReconRow(id: "L\(i)", amount: amount(), asset: asset(), time: time(), reference: "LN\(i)", description: text()))
            i += 1
        }
        while statement.count < n {
            statement.append(ReconRow(id: "S\(i)", amount: amount(), asset: asset(), time: time(), reference: "SN\(i)", description: text()))
            i += 1
        }
        ledger.shuffle(using: &g)
        statement.shuffle(using: &g)
        return (ledger, statement, splits)
    }

    /// `id,asset,reference,amount,time` (ids and references need no quoting here).
    static func writeCSV(_ rows: [ReconRow], to url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer: [UInt8] = Array("id,asset,reference,amount,time\n".utf8)
        buffer.reserveCapacity(1 << 20)
        for row in rows {
            buffer += "\(row.id),\(row.asset),\(row.reference),\(row.amount),\(row.time)\n".utf8
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
    }
}
