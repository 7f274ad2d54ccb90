import ArgumentParser
import ChainNodes
import Chains
import CofferBase
import CofferCore
import CofferStorage
import Foundation
import GRDB
import Ledger
import WalletCore

extension BenchCommand {
    struct ChainSyncBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "chain-sync",
            abstract: "Chain sync throughput against a Bitcoin-like node vs fetching and decoding the same blocks; processing time per block.",
            discussion: """
                Sets up a scratch SQLite database once (not timed): the chain (1 confirmation, starting at --from), the \
                deposit account, the addresses of --watch-file bound to it and random p2wpkh filler addresses up to \
                --watched. Every run then measures, back to back: the floor (getblockhash, raw getblock and decoding, \
                block by block from --from to --to, nothing else); what the syncer reads (the same and the merkle root \
                check and the payments' addresses, for information); the syncer from --from to --to against the node (fetch, \
                decode, match, write, credit), on a fresh copy of the scratch database; the floor again (the ratio is \
                against the mean of the two floors around the sync); and the syncer's steps over the \
                same blocks prefetched into memory, timed per block (nothing read ahead: each step does all of its \
                block's work), on another fresh copy. Reports medians, the median of the per-run ratios sync/floor, the \
                CPU time per block (every thread of this process), and the deposits credited; each sync's ledger must \
                verify. Made by scripts/bench-chain.
                """)

        @Option(help: "The node's JSON-RPC URL, http://host:port.") var rpcUrl: String
        @Option(help: "The node's cookie file.") var rpcCookieFile: String
        @Option(help: "A Bitcoin-like network of the chain registry.") var network = "litecoin-regtest"
        @Option(help: "First block height measured.") var from: UInt64
        @Option(help: "Last block height measured.") var to: UInt64
        @Option(help: "Addresses to watch (one per line): the benchmark blocks' watched recipients.") var watchFile: String
        @Option(help: "Watched addresses in all: the file's and random filler addresses.") var watched = 1_000_000
        @Option(help: "Repetitions; medians are reported.") var runs = 3
        @Option(help: "Deposits every sync must credit (the watched payments in the blocks); checked when given.") var expectDeposits: Int?
        @Option(help: "Measure only this part (floor, sync or processing; repeat the option), e.g. under a profiler.") var only: [Part] = []
        @Option(help: "Blocks the measured syncer reads ahead (default: the syncer's own).") var readAhead: Int?
        @Option(help: "Scratch directory, which must not exist yet; removed afterwards (default: a temporary one).") var dataDir: String?

        enum Part: String, ExpressibleByArgument, CaseIterable { case floor, sync, processing }

        func run() async throws {
            let parts = Set(only.isEmpty ? Part.allCases : only)
            guard runs > 0, from <= to, watched >= 0 else { throw UsageError("--runs must be positive and --from at most --to") }
            let registry = try ChainNetwork.named(network)
            guard let bitcoin = registry.bitcoin else { throw UsageError("--network must be a Bitcoin-like network of the registry") }
            let node = try BitcoinRPCNode(url: rpcUrl, credentials: .cookieFile(path: rpcCookieFile))
            let source = BitcoinChainSource(node: node, addresses: BitcoinAddressEncoding(bitcoin))
            let tip = try await source.tip()
            guard tip.height >= to else { throw UsageError("the node's tip is at height \(tip.height), below --to \(to)") }
            let fileAddresses = try String(contentsOfFile: watchFile, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)

            let scratch = URL(fileURLWithPath: dataDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("coffer-bench-chain-\(getpid())").path)
            guard !FileManager.default.fileExists(atPath: scratch.path) else { throw UsageError("\(scratch.path) exists already; give a new scratch directory") }
            defer { try? FileManager.default.removeItem(at: scratch) }
            let template = DataDirectory(explicit: scratch.appendingPathComponent("template").path)
            let setup = try await Self.makeTemplate(
                template, network: registry.name, rpcURL: rpcUrl, cookieFile: rpcCookieFile, startHeight: from,
                fileAddresses: fileAddresses, watched: max(watched, fileAddresses.count), hrp: bitcoin.bech32HRP)

            // The blocks once, for the processing measurement (and their sizes for the report).
            var prefetched: [ChainBlock] = []
            for height in from...to { prefetched.append(try await source.block(at: height, tokens: [])) }
            let memory = PrefetchedChainSource(prefetched)
            let transactions = prefetched.reduce(0) { $0 + $1.transactionCount }
            let payments = prefetched.reduce(0) { $0 + $1.payments.count }

            let report = BenchReport(runs: runs)
            report.line("coffer bench chain-sync: \(registry.name) blocks \(from)-\(to) (\(prefetched.count) blocks, \(transactions) transactions, \(payments) outputs with an address), \(max(watched, fileAddresses.count)) watched addresses (\(fileAddresses.count) from the file), SQLite, median of \(runs) runs, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            report.line(String(format: "setup (not timed in the figures): watched addresses inserted in %.1f s", setup))
            report.line("each run: floor, read, sync against the node, floor again, processing of prefetched blocks; ratio = median of per-run sync / mean of the run's two floors")

            var floors: [Double] = [], reads: [Double] = [], syncs: [Double] = [], ratios: [Double] = []
            var syncCPU: [Double] = [], processingCPU: [Double] = []
            var blockMilliseconds: [Double] = [], runMedians: [Double] = []
            var credited: [Int] = []
            for run in 0..<runs {
                var line = "  run \(run + 1):"
                if parts.contains(.floor) {
                    let floor = try await Self.floor(source, from: from, to: to)
                    let read = try await Self.read(source, from: from, to: to)
                    floors.append(Double(floor.transactions) / floor.seconds)
                    reads.append(Double(transactions) / read)
                    line += String(format: " floor %.0f tx/s, read %.0f tx/s,", floors.last!, reads.last!)
                }
                if parts.contains(.sync) {
                    let sync = try await Self.sync(template, into: scratch.appendingPathComponent("run-\(run)-sync"), to: to, readAhead: readAhead, sources: ChainSources.make)
                    syncs.append(Double(transactions) / sync.seconds)
                    credited.append(sync.credited)
                    syncCPU.append(sync.cpuSeconds * 1000 / Double(prefetched.count))
                    line += String(format: " sync %.0f tx/s (%.1f ms per block, CPU %.1f ms per block),", syncs.last!, sync.stepMilliseconds.median,
                                   syncCPU.last!)
                    if let before = floors.last {
                        // The floor again right after: the ratio is against the mean of the floors
                        // on either side, as this machine's speed drifts within seconds.
                        let again = try await Self.floor(source, from: from, to: to)
                        floors.append(Double(again.transactions) / again.seconds)
                        ratios.append(syncs.last! / ((before + floors.last!) / 2))
                        line += String(format: " floor after %.0f tx/s, ratio %.2f,", floors.last!, ratios.last!)
                    }
                }
                if parts.contains(.processing) {
                    let processing = try await Self.sync(template, into: scratch.appendingPathComponent("run-\(run)-processing"), to: to, readAhead: 0, sources: { _ in memory })
                    blockMilliseconds += processing.stepMilliseconds
                    runMedians.append(processing.stepMilliseconds.median)
                    credited.append(processing.credited)
                    processingCPU.append(processing.cpuSeconds * 1000 / Double(prefetched.count))
                    line += String(format: " processing median %.1f ms, max %.1f ms per block (first %.1f ms; CPU %.1f ms per block)",
                                   processing.stepMilliseconds.median, processing.stepMilliseconds.max() ?? 0, processing.stepMilliseconds.first ?? 0,
                                   processingCPU.last!)
                }
                report.line(line)
            }
            if !floors.isEmpty {
                report.line(String(format: "floor: fetch + decode (getblockhash, raw getblock, decode)          %9.0f tx/s   (min %.0f, max %.0f)",
                                   floors.median, floors.min()!, floors.max()!))
                report.line(String(format: "read: the syncer's block(at:) (the floor + merkle root + addresses) %9.0f tx/s   (min %.0f, max %.0f)",
                                   reads.median, reads.min()!, reads.max()!))
            }
            if !syncs.isEmpty {
                report.line(String(format: "sync: ChainSyncer against the node (fetch, decode, match, write)    %9.0f tx/s   (min %.0f, max %.0f); CPU %.1f ms per block",
                                   syncs.median, syncs.min()!, syncs.max()!, syncCPU.median))
            }
            if !ratios.isEmpty {
                report.line(String(format: "ratio sync/floor %.2f (ratios %.2f-%.2f); target >= 0.5", ratios.median, ratios.min()!, ratios.max()!))
            }
            if !blockMilliseconds.isEmpty {
                report.line(String(format: "processing once fetched, per block of %.0f transactions: median %.1f ms (run medians %@), max %.1f ms; CPU %.1f ms per block; target < 100 ms",
                                   Double(transactions) / Double(prefetched.count), blockMilliseconds.median,
                                   runMedians.map { String(format: "%.1f", $0) }.joined(separator: ", "), blockMilliseconds.max() ?? 0, processingCPU.median))
            }
            let expected = expectDeposits.map { " (expected \($0))" } ?? ""
            report.line("deposits credited per sync: \(Set(credited).sorted().map(String.init).joined(separator: ", "))\(expected)")
            if let expectDeposits, credited.contains(where: { $0 != expectDeposits }) {
                throw CLIError("a sync credited \(credited) deposits, not the \(expectDeposits) watched payments")
            }
        }

        // MARK: Setup

        static let chainName = "bench"
        static let accountName = "bench-deposits"

        /// The scratch database every run copies: the chain, the deposit account and the watched
        /// addresses (the file's first, then random filler), checkpointed into the database file.
        /// Returns the seconds the watched addresses took to insert.
        static func makeTemplate(_ directory: DataDirectory, network: String, rpcURL: String, cookieFile: String, startHeight: UInt64,
                                 fileAddresses: [String], watched: Int, hrp: String) async throws -> Double {
            let database = try CofferDatabase(directory: directory, migrations: CofferStores.sqliteMigrations)
            let stores = CofferStores(embedded: database)
            let services = CofferServices(stores: stores, vault: .locked(stores.vault, reason: "the benchmark needs no keys"), signers: [])
            let caller = try Caller.commandLine()
            let chain = try await services.chains.add(
                AddChainRequest(name: chainName, network: network, rpcURL: rpcURL, rpcCookieFile: cookieFile, confirmations: 1, startHeight: startHeight),
                by: caller)
            _ = try await services.ledger.createAccount(CreateAccountRequest(id: accountName, asset: chain.asset), by: caller)

            // Filler: p2wpkh addresses of random programs (a seeded generator: a million addresses
            // from the system's generator would cost millions of system calls).
            var generator = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
            var addresses = fileAddresses
            addresses.reserveCapacity(watched)
            while addresses.count < watched {
                var program: [UInt8] = []
                program.reserveCapacity(24)
                for _ in 0..<3 { withUnsafeBytes(of: generator.next()) { program += $0 } }
                program.removeLast(4)
                addresses.append(try SegwitAddress.encode(hrp: hrp, version: 0, program: program))
            }
            let all = addresses
            let started = DispatchTime.now()
            // One transaction, one prepared statement: setup, not what is measured.
            try await database.pool.write { db in
                let statement = try db.makeStatement(sql: """
                    INSERT INTO chain_watch (chain, lookup, address, account, wallet_id, path, invoice_id) VALUES (?, ?, ?, ?, 'bench', ?, NULL)
                    """)
                for (index, address) in all.enumerated() {
                    try statement.execute(arguments: [chainName, WatchedAddress.lookupKey(address), address, accountName, "m/0/\(index)"])
                }
            }
            let insertSeconds = seconds(since: started)
            try await BenchSnapshot.write(database, to: snapshot(of: directory).path)
            return insertSeconds
        }

        // MARK: Measurements

        /// Fetches and decodes every block, nothing more.
        static func floor(_ source: BitcoinChainSource, from: UInt64, to: UInt64) async throws -> (transactions: Int, seconds: Double) {
            var transactions = 0
            let started = DispatchTime.now()
            for height in from...to {
                transactions += try await source.decodedBlock(at: height).transactions.count
            }
            return (transactions, seconds(since: started))
        }

        /// What the syncer reads per block: fetched, decoded, merkle root checked, payments listed.
        static func read(_ source: BitcoinChainSource, from: UInt64, to: UInt64) async throws -> Double {
            let started = DispatchTime.now()
            for height in from...to { _ = try await source.block(at: height, tokens: []) }
            return seconds(since: started)
        }

        /// The template's snapshot (`VACUUM INTO`: one file, nothing writing to it).
        static func snapshot(of template: DataDirectory) -> URL {
            template.databaseURL.deletingLastPathComponent().appendingPathComponent("template-snapshot.sqlite")
        }

        /// A syncer on a fresh copy of the template stepping from its start height through `to`;
        /// each step timed. With `readAhead` 0 each step reads its block itself (and so its time
        /// is all the work of one block).
        static func sync(_ template: DataDirectory, into path: URL, to: UInt64, readAhead: Int?, sources: @escaping ChainSourceFactory) async throws
            -> (seconds: Double, stepMilliseconds: [Double], credited: Int, cpuSeconds: Double)
        {
            defer { try? FileManager.default.removeItem(at: path) }
            let directory = try BenchSnapshot.copy(snapshot(of: template), into: path)
            let database = try CofferDatabase(directory: directory, migrations: CofferStores.sqliteMigrations)
            let stores = CofferStores(embedded: database)
            let services = CofferServices(stores: stores, vault: .locked(stores.vault, reason: "the benchmark needs no keys"), signers: [], sources: sources)
            guard let chain = try await stores.chains.chain(chainName) else { throw CLIError("the scratch database has no chain \(chainName)") }
            var syncer = try services.chains.syncer(chain, owner: "bench")
            if let readAhead { syncer.readAhead = readAhead }
            var steps: [Double] = []
            var credited = 0
            let cpu = processCPUSeconds()
            let started = DispatchTime.now()
            while true {
                let stepStarted = DispatchTime.now()
                let step = try await syncer.step()
                steps.append(seconds(since: stepStarted) * 1000)
                guard step.kind == .connected, let block = step.block else {
                    throw CLIError("the syncer stopped with \(step.kind) at \(step.block.map { String($0.height) } ?? "no block") before height \(to)")
                }
                credited += step.credited
                if !step.refused.isEmpty { throw CLIError("the ledger refused credits: \(step.refused.prefix(3))") }
                if block.height >= to { break }
            }
            let elapsed = seconds(since: started), cpuSeconds = processCPUSeconds() - cpu
            guard case .intact = try await stores.ledger.verify() else { throw CLIError("the ledger written by the sync does not verify") }
            return (elapsed, steps, credited, cpuSeconds)
        }
    }
}

/// User and system CPU time of this process so far, every thread.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Blocks fetched before the measurement, served from memory: what the syncer does once a block
/// is fetched, without the node.
struct PrefetchedChainSource: ChainSource {
    let blocks: [UInt64: ChainBlock]
    let last: BlockRef

    init(_ blocks: [ChainBlock]) {
        self.blocks = Dictionary(uniqueKeysWithValues: blocks.map { ($0.ref.height, $0) })
        last = blocks.max(by: { $0.ref.height < $1.ref.height })!.ref
    }

    func tip() async throws(NodeError) -> BlockRef { last }

    func blockHash(at height: UInt64) async throws(NodeError) -> String? { blocks[height]?.ref.hash }

    func block(at height: UInt64, tokens: Set<String>) async throws(NodeError) -> ChainBlock {
        guard let block = blocks[height] else { throw NodeError.garbage("block \(height) was not prefetched") }
        return block
    }

    func transactionState(_ id: String) async throws(NodeError) -> TransactionState { .unknown }

    func mempoolPayments() async throws(NodeError) -> [ChainPayment] { [] }
}

/// SplitMix64: a fast seeded generator for filler data (not for anything secret).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
