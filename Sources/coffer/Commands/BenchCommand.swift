import ArgumentParser
import CSecp256k1
import Foundation
import WalletCore

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Coffer against its floors (run a release build: make bench).",
        subcommands: [Derive.self, VaultBench.self, LedgerBench.self, ChainSyncBench.self, PayoutsBench.self, LimitsBench.self, MarketBench.self, ReconBench.self]
    )

    struct Derive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Address derivation and BIP39 seeds per second, each next to the bare libsecp256k1 floor.")

        @Option(help: "Addresses per measurement.")
        var count: UInt32 = 40_000

        @Option(help: "Repetitions per measurement; the median is reported.")
        var runs: Int = 5

        @Option(help: "Addresses streamed to a file in the end-to-end run (0 skips it).")
        var fileCount: UInt32 = 1_000_000

        func run() throws {
            guard count > 0, runs > 0 else { throw UsageError("--count and --runs must be positive") }
            let cores = ProcessInfo.processInfo.activeProcessorCount
            // A fixed, public test mnemonic: benchmarks never touch real keys.
            let mnemonic = try Mnemonic(phrase: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about")
            let seed = SecretBytes(mnemonic.seed())
            let p2wpkh = try AddressDeriver(seed: seed, format: .bitcoin(.p2wpkh, .mainnet))
            let ethereum = try AddressDeriver(seed: seed, format: .ethereum)

            let report = BenchReport(runs: runs)
            report.line("coffer bench derive: \(count) addresses per run, median of \(runs) runs, \(cores) cores")
            report.line("each run measures the floor and then Coffer back to back; ratios are medians of per-run ratios")
            for (name, deriver) in [("p2wpkh watch-only", p2wpkh), ("ethereum watch-only", ethereum)] {
                let one = try report.compare(
                    "\(name), 1 core", floorName: "libsecp256k1 tweak_add + serialise, 1 core", unit: "addr/s",
                    floor: { BareFloor.tweakAddRate(iterations: Int(count), threads: 1) },
                    ours: { try Self.rate(deriver, count: count, workers: 1) })
                let all = try report.compare(
                    "\(name), \(cores) cores", floorName: "libsecp256k1 tweak_add + serialise, \(cores) cores", unit: "addr/s",
                    floor: { BareFloor.tweakAddRate(iterations: Int(count), threads: cores) },
                    ours: { try Self.rate(deriver, count: count, workers: cores) })
                report.line(String(format: "  %@ speed-up on %d cores: %.2fx (target >= 1.8x)", name, cores, all / one))
            }
            _ = report.measure("BIP39 seeds (PBKDF2-HMAC-SHA512 x2048), 1 core", unit: "seeds/s") {
                let iterations = 200
                let started = DispatchTime.now()
                for i in 0..<iterations { _ = mnemonic.seed(passphrase: String(i)) }
                return Double(iterations) / seconds(since: started)
            }
            if fileCount > 0 {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-bench-\(getpid()).jsonl")
                defer { try? FileManager.default.removeItem(at: url) }
                let started = DispatchTime.now()
                try Self.streamToFile(p2wpkh, count: fileCount, url: url)
                let elapsed = seconds(since: started)
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                report.line(String(format: "%d p2wpkh addresses streamed to a file (JSON Lines, %d MB): %.1f s (%.0f addr/s; target < 25 s)",
                                   fileCount, size / 1_000_000, elapsed, Double(fileCount) / elapsed))
            }
        }

        static func rate(_ deriver: AddressDeriver, count: UInt32, workers: Int) throws -> Double {
            var batch = try AddressBatch(deriver: deriver, start: 0, count: count, format: .jsonl, metadata: AddressMetadata())
            batch.workers = workers
            var bytes = 0
            let started = DispatchTime.now()
            try batch.stream(write: { bytes += $0.count })
            precondition(bytes > 0)
            return Double(count) / seconds(since: started)
        }

        static func streamToFile(_ deriver: AddressDeriver, count: UInt32, url: URL) throws {
            let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard descriptor >= 0 else { throw CLIError("cannot create \(url.path)") }
            defer { close(descriptor) }
            let output = BufferedOutput(descriptor: descriptor)
            try AddressBatch(deriver: deriver, start: 0, count: count, format: .jsonl, metadata: AddressMetadata())
                .stream(write: { try output.write($0) })
            try output.flush()
        }
    }
}

func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// Prints measurements as aligned lines: median rate, and the ratio to a floor when given.
struct BenchReport {
    let runs: Int

    func line(_ text: String) {
        try? Terminal.print(text)
    }

    /// Measures the floor and Coffer back to back in every run (so both see the same machine
    /// state) and reports medians and the median of the per-run ratios. Returns Coffer's median.
    @discardableResult
    func compare(_ name: String, floorName: String, unit: String, floor: () throws -> Double, ours: () throws -> Double) rethrows -> Double {
        var floors: [Double] = [], results: [Double] = [], ratios: [Double] = []
        for _ in 0..<runs {
            let f = try floor()
            let o = try ours()
            floors.append(f)
            results.append(o)
            ratios.append(o / f)
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        line(String(format: "%@ %10.0f %@   floor (%@) %8.0f   ratio %.2f   (ratios %.2f-%.2f)",
                    name.padding(toLength: 38, withPad: " ", startingAt: 0), median(results), unit, floorName,
                    median(floors), median(ratios), ratios.min()!, ratios.max()!))
        return median(results)
    }

    @discardableResult
    func measure(_ name: String, unit: String, floor: Double? = nil, _ body: () throws -> Double) rethrows -> Double {
        var samples: [Double] = []
        for _ in 0..<runs { samples.append(try body()) }
        samples.sort()
        let median = samples[samples.count / 2]
        var text = name.padding(toLength: 58, withPad: " ", startingAt: 0)
        text += String(format: "%10.0f %@", median, unit)
        if let floor {
            text += String(format: "   floor %8.0f   ratio %.2f", floor, median / floor)
        }
        text += String(format: "   (min %.0f, max %.0f)", samples.first!, samples.last!)
        line(text)
        return median
    }
}

/// The bare library loop derivation is compared with: what libsecp256k1 alone does per address.
enum BareFloor {
    static func tweakAddRate(iterations: Int, threads: Int) -> Double {
        let group = DispatchGroup()
        let started = DispatchTime.now()
        for thread in 0..<threads {
            group.enter()
            Thread {
                defer { group.leave() }
                loop(iterations: iterations, seed: UInt8(thread + 1))
            }.start()
        }
        group.wait()
        return Double(iterations * threads) / seconds(since: started)
    }

    private static func loop(iterations: Int, seed: UInt8) {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { return }
        defer { secp256k1_context_destroy(context) }
        var secret = [UInt8](repeating: seed, count: 32)
        var parent = secp256k1_pubkey()
        _ = secp256k1_ec_pubkey_create(context, &parent, &secret)
        var tweak = [UInt8](repeating: 0x11, count: 32)
        var output = [UInt8](repeating: 0, count: 33)
        var checksum: UInt8 = 0
        for i in 0..<iterations {
            tweak[31] = UInt8(truncatingIfNeeded: i)
            tweak[30] = UInt8(truncatingIfNeeded: i >> 8)
            var child = parent
            _ = secp256k1_ec_pubkey_tweak_add(context, &child, &tweak)
            var length = 33
            _ = secp256k1_ec_pubkey_serialize(context, &output, &length, &child, UInt32(SECP256K1_EC_COMPRESSED))
            checksum ^= output[32]
        }
        if checksum == 0xFF && iterations < 0 { Swift.print(checksum) }  // keep the loop observable
    }
}
