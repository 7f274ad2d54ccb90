import ArgumentParser
import ChainNodes
import Chains
import CofferBase
import CofferCore
import CofferStorage
import Foundation
import GRDB
import Payouts
import Synchronization
import Vault
import WalletCore

extension BenchCommand {
    struct PayoutsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "payouts",
            abstract: "Payouts per second through reserve, batch and sign (broadcast excluded) vs signing the same transaction alone.",
            discussion: """
                Sets up a scratch SQLite database once (not timed): a vault with a generated HD wallet, a signing policy \
                (a cap per transaction and a rolling 24h limit), a chain of --network on the node with one confirmation, \
                the wallet as its hot wallet, a customer account that cannot go negative, and --deposits deposit addresses \
                of the hot wallet bound to that account; the node's wallet pays each of them --deposit-amount in one \
                transaction (sendmany), mines it, and the chain syncer credits the deposits (the customer's money and the \
                hot wallet's spendable outputs). Every run, on a fresh copy of that database, times: --count \
                PayoutService.create calls (the reservation: two pending ledger transfers and the payout row in one \
                commit) from --submitters concurrent callers, then one worker pass (PayoutService.pass: coin selection \
                and the PSBT of one transaction paying all of them, the batch stored, the vault's signing request with \
                policy, audit log, signatures and finalisation, the signed bytes stored) up to the moment the pipeline \
                hands the signed transaction to the node's send, which is not broadcast. Then the floor: the same \
                unsigned PSBT signed and finalised by WalletCore with the wallet's master key in memory (no database, no \
                policy), --floor-repeats times (the median counts); its transaction must be byte for byte the one Coffer \
                signed, and the node must accept it (testmempoolaccept, not timed). Reports payouts per second of both, \
                the median of the per-run ratios and where Coffer's time went. Made by scripts/bench-payouts.
                """)

        @Option(help: "The node's JSON-RPC URL, http://host:port; its wallet must hold mature coins.") var rpcUrl: String
        @Option(help: "The node's cookie file.") var rpcCookieFile: String
        @Option(help: "A Bitcoin-like network of the chain registry.") var network = "litecoin-regtest"
        @Option(help: "Payouts per run, all in one batch.") var count = 1_000
        @Option(help: "Confirmed deposits to the hot wallet (its spendable outputs).") var deposits = 1_000
        @Option(help: "Smallest units per deposit.") var depositAmount: UInt64 = 2_000_000
        @Option(help: "Smallest units per payout (payout i pays this plus i).") var payoutAmount: UInt64 = 1_000_000
        @Option(help: "Concurrent callers of PayoutService.create.") var submitters = 32
        @Option(help: "Repetitions; medians are reported.") var runs = 3
        @Option(help: "Floor signings per run; their median is the run's floor.") var floorRepeats = 5
        @Option(help: "Scratch directory, which must not exist yet; removed afterwards (default: a temporary one).") var dataDir: String?

        func run() async throws {
            guard runs > 0, count > 0, deposits > 0, submitters > 0, floorRepeats > 0 else {
                throw UsageError("--runs, --count, --deposits, --submitters and --floor-repeats must be positive")
            }
            let registry = try ChainNetwork.named(network)
            guard let bitcoin = registry.bitcoin else { throw UsageError("--network must be a Bitcoin-like network of the registry") }
            let node = try BitcoinRPCNode(url: rpcUrl, credentials: .cookieFile(path: rpcCookieFile))
            let scratch = URL(fileURLWithPath: dataDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("coffer-bench-payouts-\(getpid())").path)
            guard !FileManager.default.fileExists(atPath: scratch.path) else { throw UsageError("\(scratch.path) exists already; give a new scratch directory") }
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }

            let setupStarted = DispatchTime.now()
            let setup = try await Setup.make(self, in: scratch, node: node)
            let destinations = try Self.destinations(count, hrp: bitcoin.bech32HRP)
            let requests = destinations.enumerated().map { index, address in
                CreatePayoutRequest(id: "bench-\(index)", chain: Setup.chainName, account: Setup.customer, to: address,
                                    amount: String(payoutAmount + UInt64(index)))
            }

            let report = BenchReport(runs: runs)
            report.line("coffer bench payouts: \(registry.name), \(count) payouts in one batch from \(submitters) concurrent callers, \(deposits) confirmed deposits of \(depositAmount) to the hot wallet, SQLite, median of \(runs) runs, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            report.line(String(format: "setup (not timed): vault, wallet, chain, hot wallet, %d deposits mined and credited by the syncer in %.1f s", deposits, seconds(since: setupStarted)))
            report.line("each run: Coffer (create x \(count), then one worker pass up to the node's send) on a fresh copy of the database, then the floor (WalletCore signs and finalises the same PSBT, median of \(floorRepeats)); ratio = median of per-run Coffer / floor")

            var ours: [Double] = [], floors: [Double] = [], ratios: [Double] = []
            var stages: [Stages] = []
            for run in 0..<runs {
                let measured = try await Self.measure(setup, requests: requests, submitters: submitters, into: scratch.appendingPathComponent("run-\(run)"))
                let floorSeconds = try Self.floor(measured.unsigned, key: setup.signingKey, expected: measured.raw, repeats: floorRepeats)
                let accepted = try await node.testMempoolAccept([measured.raw])
                guard let verdict = accepted.first, verdict.allowed else {
                    throw CLIError("the node refuses the transaction Coffer signed: \(accepted.first?.rejectReason ?? "no answer")")
                }
                ours.append(Double(count) / measured.stages.total)
                floors.append(Double(count) / floorSeconds)
                ratios.append(ours.last! / floors.last!)
                stages.append(measured.stages)
                let s = measured.stages
                report.line(String(format: "  run %d: Coffer %.0f payouts/s (%.0f ms: reserve %.0f, prepare %.0f, build %.0f, store + sign %.0f; CPU %.0f ms), floor %.0f payouts/s (%.1f ms for %d inputs, %d outputs), ratio %.3f",
                                   run + 1, ours.last!, s.total * 1000, s.reserve * 1000, s.prepare * 1000, s.build * 1000, s.sign * 1000, s.cpu * 1000,
                                   floors.last!, floorSeconds * 1000, measured.inputs, measured.outputs, ratios.last!))
            }
            report.line(String(format: "Coffer: reserve + batch + sign (broadcast excluded)       %9.0f payouts/s   (min %.0f, max %.0f)", ours.median, ours.min()!, ours.max()!))
            report.line(String(format: "floor: WalletCore signs + finalises the same PSBT         %9.0f payouts/s   (min %.0f, max %.0f)", floors.median, floors.min()!, floors.max()!))
            report.line(String(format: "ratio Coffer/floor %.3f (ratios %.3f-%.3f); target >= 0.3", ratios.median, ratios.min()!, ratios.max()!))
            report.line(String(format: "Coffer's time, medians (ms): reserve %.1f (%.0f creates/s), prepare %.1f, build %.1f, store + sign %.1f; CPU %.1f of %.1f wall",
                               stages.map(\.reserve).median * 1000, Double(count) / stages.map(\.reserve).median, stages.map(\.prepare).median * 1000,
                               stages.map(\.build).median * 1000, stages.map(\.sign).median * 1000, stages.map(\.cpu).median * 1000, stages.map(\.total).median * 1000))
            report.line("every run's transaction: signed identically by Coffer and the floor, accepted by the node's testmempoolaccept (not broadcast)")
        }

        /// Payout destinations: p2wpkh addresses of random programs (nobody holds their keys; the
        /// transaction is never broadcast).
        static func destinations(_ count: Int, hrp: String) throws -> [String] {
            var generator = SplitMix64(seed: 0x9A10)
            return try (0..<count).map { _ in
                var program: [UInt8] = []
                for _ in 0..<3 { withUnsafeBytes(of: generator.next()) { program += $0 } }
                return try SegwitAddress.encode(hrp: hrp, version: 0, program: Array(program.prefix(20)))
            }
        }

        // MARK: Setup

        /// The template database every run copies, and what the runs need besides.
        struct Setup {
            static let chainName = "bench"
            static let customer = "customer"
            static let wallet = "hot"

            /// A copy of the set-up database (`VACUUM INTO`: one file, no write-ahead log, nothing
            /// writing to it), which every run copies.
            let snapshot: String
            let passphraseFile: String
            /// The hot wallet's master key, for the floor only.
            let signingKey: PSBTSigningKey

            static func make(_ options: PayoutsBench, in scratch: URL, node: BitcoinRPCNode) async throws -> Setup {
                // A random passphrase in a file of the scratch directory (never an argument).
                let passphraseFile = scratch.appendingPathComponent("vault-passphrase").path
                var passphrase = [UInt8](repeating: 0, count: 24)
                for index in passphrase.indices { passphrase[index] = UInt8.random(in: 0x61...0x7A) }
                guard FileManager.default.createFile(atPath: passphraseFile, contents: Data(passphrase), attributes: [.posixPermissions: 0o600]) else {
                    throw CLIError("cannot write \(passphraseFile)")
                }
                let template = DataDirectory(explicit: scratch.appendingPathComponent("template").path)
                try template.create()
                let database = try CofferDatabase(directory: template, migrations: CofferStores.sqliteMigrations)
                let stores = CofferStores(embedded: database)
                let vault = try await VaultAccess.unlock(stores.vault, passphraseFile: passphraseFile, createWith: .default)
                let services = CofferServices(stores: stores, vault: vault, signers: CofferServices.payloadSigners)
                let caller = try Caller.commandLine()

                let wallet = try await services.wallets.create(CreateWalletRequest(name: wallet), by: caller)
                let tip = try await node.blockCount()
                let chain = try await services.chains.add(
                    AddChainRequest(name: chainName, network: options.network, rpcURL: options.rpcUrl, rpcCookieFile: options.rpcCookieFile,
                                    confirmations: 1, startHeight: tip + 1), by: caller)
                _ = try await services.ledger.createAccount(
                    CreateAccountRequest(id: customer, asset: chain.asset, flags: ["debits-must-not-exceed-credits"]), by: caller)
                _ = try await services.payouts.setHotWallet(chain: chainName, HotWalletRequest(wallet: Self.wallet), by: caller)
                // A policy with work to do: a cap per transaction and a rolling daily limit (both far above the benchmark's sums).
                _ = try await services.signing.setPolicy(try JSONValue(parsing: """
                    {"rules":[{"type":"max_per_transaction","asset":"\(chain.asset)","amount":"100000000000000"},
                              {"type":"rolling_limit","asset":"\(chain.asset)","window":"24h","amount":"1000000000000000"}]}
                    """), wallet: nil, by: caller)

                var addresses: [String] = []
                while addresses.count < options.deposits {
                    let batch = UInt32(min(options.deposits - addresses.count, Int(WalletService.maximumAddresses)))
                    addresses += try await services.chains.depositAddresses(
                        DepositAddressRequest(chain: chainName, wallet: Self.wallet, account: customer, count: batch), by: caller).map(\.address)
                }
                // The node's wallet pays every address in one transaction, mined into one block.
                let amounts = JSONValue.object(addresses.map { (key: $0, value: BitcoinAmount.literal(options.depositAmount)) })
                _ = try await node.client.call("sendmany", [.string(""), amounts])
                let miner = try await node.client.call("getnewaddress")
                _ = try await node.client.call("generatetoaddress", [.number("1"), miner])
                let synced = try await services.chains.syncOnce(chainName, by: caller)
                guard synced.credited == options.deposits else {
                    throw CLIError("the syncer credited \(synced.credited) deposits, not \(options.deposits)")
                }
                let snapshot = scratch.appendingPathComponent("template.sqlite").path
                try await BenchSnapshot.write(database, to: snapshot)

                let master = try await vault.unlocked(for: caller).withSecret(of: wallet.id) { secret, _ throws -> ExtendedPrivateKey in
                    guard case .seed(let seed) = secret else { throw CLIError("the generated wallet is not an HD wallet") }
                    return try ExtendedPrivateKey(seed: seed)
                }
                return Setup(snapshot: snapshot, passphraseFile: passphraseFile, signingKey: .extendedKey(master))
            }
        }

        // MARK: Measurements

        /// Where a run's time went (seconds): the reservations; the pass up to the transaction
        /// builder (lease, hot wallet, queued payouts, the node's fee estimate and tip, spendable
        /// outputs, a change address, the account keys from the vault); the builder (coin
        /// selection, keys, PSBT); and the rest up to the node's send (batch stored, signing
        /// request: policy, audit, signatures, finalisation; signed bytes stored).
        struct Stages {
            var reserve: Double
            var prepare: Double
            var build: Double
            var sign: Double
            var cpu: Double
            var total: Double { reserve + prepare + build + sign }
        }

        struct Measured {
            let stages: Stages
            let unsigned: PSBT
            let raw: [UInt8]
            let inputs: Int
            let outputs: Int
        }

        static func measure(_ setup: Setup, requests: [CreatePayoutRequest], submitters: Int, into path: URL) async throws -> Measured {
            defer { try? FileManager.default.removeItem(at: path) }
            let directory = try BenchSnapshot.copy(URL(fileURLWithPath: setup.snapshot), into: path)
            let database = try CofferDatabase(directory: directory, migrations: CofferStores.sqliteMigrations)
            let stores = CofferStores(embedded: database)
            let vault = try await VaultAccess.unlock(stores.vault, passphraseFile: setup.passphraseFile)
            let probe = PayoutProbe()
            let services = CofferServices(stores: stores, vault: vault, signers: CofferServices.payloadSigners, payoutEdges: { chain, hot, vault, change in
                guard case .bitcoin(let edge) = try await PayoutEdges.make(chain, hot: hot, vault: vault, changeAddresses: change) else {
                    throw CLIError("the payout benchmark runs on a Bitcoin-like chain")
                }
                return .bitcoin(BitcoinRail(node: ProbedPayoutNode(node: edge.node, probe: probe), builder: ProbedBuilder(builder: edge.builder, probe: probe),
                                            changeAddresses: edge.changeAddresses))
            })
            let caller = try Caller.commandLine()
            let settings = PipelineSettings(batchWindow: 0, maximumBatch: requests.count, owner: "bench")

            let cpu = processCPUSeconds()
            let started = DispatchTime.now()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for submitter in 0..<min(submitters, requests.count) {
                    group.addTask {
                        for index in stride(from: submitter, to: requests.count, by: submitters) {
                            let (view, created) = try await services.payouts.create(requests[index], by: caller)
                            guard created, view.status == "reserved" else { throw CLIError("payout \(view.id) is \(view.status): \(view.reason ?? "")") }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let reserved = DispatchTime.now()
            let passes = try await services.payouts.pass(settings: settings, by: caller)
            let cpuSeconds = processCPUSeconds() - cpu
            let marks = probe.marks
            guard let pass = passes.first, pass.batched == requests.count, pass.signed == requests.count, pass.errors.isEmpty,
                  let buildStarted = marks.buildStarted, let buildEnded = marks.buildEnded, let sent = marks.sent, let raw = marks.raw else {
                throw CLIError("the worker pass did not batch and sign all \(requests.count) payouts at once: \(passes)")
            }
            guard let batch = try await stores.payouts.openBatches(chain: Setup.chainName).first,
                  let attempt = try await stores.payouts.attempts(batch: batch.id).first else {
                throw CLIError("the pass stored no batch")
            }
            let unsigned = try PSBT(base64: attempt.unsigned)
            let interval = { (from: UInt64, to: UInt64) in Double(to - from) / 1e9 }
            let stages = Stages(reserve: interval(started.uptimeNanoseconds, reserved.uptimeNanoseconds), prepare: interval(reserved.uptimeNanoseconds, buildStarted),
                                build: interval(buildStarted, buildEnded),
                                sign: interval(buildEnded, sent), cpu: cpuSeconds)
            return Measured(stages: stages, unsigned: unsigned, raw: raw, inputs: unsigned.inputs.count, outputs: unsigned.unsignedTransaction.outputs.count)
        }

        /// Signing the same transaction alone: WalletCore's PSBT signer with the master key in
        /// memory, then finalisation and serialisation; the median of `repeats` (seconds). Each
        /// result must be the transaction Coffer signed.
        static func floor(_ unsigned: PSBT, key: PSBTSigningKey, expected: [UInt8], repeats: Int) throws -> Double {
            var samples: [Double] = []
            for _ in 0..<repeats {
                let started = DispatchTime.now()
                var psbt = unsigned
                try psbt.sign(with: key)
                let raw = try psbt.finalize().serialized()
                samples.append(seconds(since: started))
                guard raw == expected else { throw CLIError("the floor signed another transaction than Coffer's") }
            }
            return samples.median
        }
    }
}

/// The moments a worker pass reaches, recorded by the edges the benchmark hands it.
final class PayoutProbe: Sendable {
    struct Marks: Sendable {
        /// `DispatchTime.uptimeNanoseconds` of each moment.
        var buildStarted: UInt64?
        var buildEnded: UInt64?
        var sent: UInt64?
        var raw: [UInt8]?
    }

    private let state = Mutex(Marks())

    var marks: Marks { state.withLock { $0 } }

    func buildStarted() { let now = DispatchTime.now().uptimeNanoseconds; state.withLock { $0.buildStarted = now } }
    func buildEnded() { let now = DispatchTime.now().uptimeNanoseconds; state.withLock { $0.buildEnded = now } }
    func sent(_ raw: [UInt8]) { let now = DispatchTime.now().uptimeNanoseconds; state.withLock { $0.sent = now; $0.raw = raw } }
}

/// The pipeline's node with `send` cut off: it records the moment the signed transaction is
/// handed over (where the benchmark's clock stops) and broadcasts nothing; the rest is the node's.
struct ProbedPayoutNode: BitcoinPayoutNode {
    let node: any BitcoinPayoutNode
    let probe: PayoutProbe

    func tip() async throws -> UInt64 { try await node.tip() }
    func feeRate(blocks: Int) async throws -> UInt64? { try await node.feeRate(blocks: blocks) }
    func send(_ raw: [UInt8]) async throws -> BroadcastResult {
        probe.sent(raw)
        return .accepted
    }
    func state(of transactionID: String) async throws -> AttemptState { try await node.state(of: transactionID) }
    func isSpentInChain(transactionID: String, index: UInt32) async throws -> Bool { try await node.isSpentInChain(transactionID: transactionID, index: index) }
}

/// The pipeline's transaction builder, timed.
struct ProbedBuilder: BatchTransactionBuilder {
    let builder: any BatchTransactionBuilder
    let probe: PayoutProbe

    func build(payments: [PaymentOutput], candidates: [SpendableOutput], feeRate: UInt64, change: ChangeAddress, maximumFee: UInt128, lockTime: UInt32) throws
        -> BuiltTransaction
    {
        probe.buildStarted()
        defer { probe.buildEnded() }
        return try builder.build(payments: payments, candidates: candidates, feeRate: feeRate, change: change, maximumFee: maximumFee, lockTime: lockTime)
    }

    func replace(_ attempt: PayoutAttempt, inputs: [SpendableOutput], feeRate: UInt64, maximumFee: UInt128) throws -> BuiltTransaction {
        try builder.replace(attempt, inputs: inputs, feeRate: feeRate, maximumFee: maximumFee)
    }

    func consolidate(_ candidates: [SpendableOutput], feeRate: UInt64, destination: ChangeAddress, maximumFee: UInt128, maximumInputs: Int,
                     lockTime: UInt32) throws -> BuiltTransaction {
        try builder.consolidate(candidates, feeRate: feeRate, destination: destination, maximumFee: maximumFee, maximumInputs: maximumInputs, lockTime: lockTime)
    }
}
