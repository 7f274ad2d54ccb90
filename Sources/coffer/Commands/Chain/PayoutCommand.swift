import ArgumentParser
import CofferBase
import CofferCore
import Foundation
import Payouts

/// `coffer payout create | show | list | worker`: money out of customers' accounts to chains.
struct PayoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payout", abstract: "Payouts: reserve, batch, sign, broadcast, confirm, settle.", subcommands: [Create.self, Show.self, List.self, Sweep.self, Worker.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reserve a payout; prints {\"id\",\"status\",\"chain\",\"to\",\"amount\",\"asset\",...}.",
            discussion: """
                status is "reserved" (the amount and the fee hold are held on the account) or "rejected" with "reason" \
                (insufficient funds; nothing was held). The id is your idempotency key: the same id and request answers \
                where that payout stands. `coffer payout worker` takes it from there. With --chain auto (and --asset), \
                the cheapest of the chains that carry the asset and meet --deadline gets it; the choice is its "route".
                """)
        @OptionGroup var options: ServiceOptions
        @Option(help: "Your id for this payout (idempotency key).") var id: String
        @Option(help: "Chain name, or auto to route it (with --asset).") var chain: String
        @Option(help: "The customer's ledger account that pays.") var account: String
        @Option(help: "Destination address.") var to: String
        @Option(help: "Amount in the asset's smallest unit.") var amount: String
        @Option(help: "Asset (default: the chain's native asset).") var asset: String?
        @Option(help: "The most network fee this payout may be charged, smallest units (default: the hot wallet's max fee rate x 141 vB).")
        var maxFee: String?
        @Option(help: "With --chain auto: seconds within which the payout must be final.") var deadline: UInt64?

        func run() async throws {
            let request = CreatePayoutRequest(id: id, chain: chain, account: account, to: to, amount: amount, asset: asset, maxFee: maxFee, deadline: deadline)
            try Output.print(try await options.run { try await $0.payouts.create(request, by: $1).view })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One payout: {\"id\",\"status\",\"txid\",\"fee\",\"confirmations\",\"transfer_id\",...}.")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Payout id.") var id: String

        func run() async throws {
            try Output.print(try await options.run { try await $0.payouts.payout(id, by: $1) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Payouts in the order they were created, as JSON Lines.",
            discussion: "When more remain, the last line is {\"next_cursor\":\"...\"}.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Only payouts in this status.") var status: String?
        @Option(help: "Only this chain's.") var chain: String?
        @Option(help: "Payouts per page, 1-1000.") var limit: Int?
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?

        func run() async throws {
            let page = try PageRequest(limit: limit, cursor: cursor, maximum: 1000)
            try Output.print(page: try await options.run { try await $0.payouts.payouts(PayoutListQuery(status: status, chain: chain), page: page, by: $1) })
        }
    }

    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Consolidate the hot wallet's deposit addresses into the hot wallet; prints the sweep payouts as JSON Lines.",
            discussion: """
                Each sweep is a payout of its own (kind "sweep", or "top-up" for the gas an EVM token sweep needs) through \
                the same pipeline and signing policy; its fee is paid from the chain's treasury. Bitcoin-like chains: one \
                consolidation of up to --max-inputs deposit outputs, built once the network asks at most --max-fee-rate \
                sat/vB. EVM chains: per deposit address, a sweep of each asset credited there (a token's after a gas \
                top-up from the hot wallet). The id is your idempotency key.
                """)
        @OptionGroup var options: ServiceOptions
        @Option(help: "Your id for this sweep (idempotency key, at most 64 characters).") var id: String
        @Option(help: "Chain name.") var chain: String
        @Option(help: "Wait while the network asks more: sat/vB (Bitcoin-like; default the hot wallet's fallback rate) or gwei per gas (EVM).")
        var maxFeeRate: UInt64?
        @Option(help: "Bitcoin-like: the most deposit outputs one sweep spends (2-500, default 100).") var maxInputs: Int?

        func run() async throws {
            let request = SweepRequest(id: id, chain: chain, maxFeeRate: maxFeeRate, maxInputs: maxInputs)
            let views = try await options.run { try await $0.payouts.sweep(request, by: $1).views }
            for view in views { try Output.print(view) }
        }
    }

    struct Worker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the payout pipeline: batch, sign (through the vault's policy), broadcast, follow, settle or compensate.",
            discussion: """
                --once advances every payout as far as it can now, prints one line per chain and exits. Without it, runs \
                until SIGINT or SIGTERM. Every step is stored before the next, so the worker can be killed at any moment \
                (SIGKILL included) and several can run at once: a chain's pipeline is leased to one worker at a time. \
                Needs the vault passphrase (it signs).
                """)
        @OptionGroup var options: ServiceOptions
        @Flag(help: "One pass, then exit.") var once = false
        @Option(help: "Batch a chain's payouts once the oldest has waited this many seconds (default 0).") var batchWindow: Int64 = 0
        @Option(help: "Most payouts per transaction (default 500).") var maxBatch: Int = 500
        @Option(help: "Replace (RBF) a transaction unconfirmed after this many seconds (default 1800).") var replaceAfter: Int64 = 1_800
        @Option(help: "Seconds between passes (default 2).") var poll: Int = 2
        @Option(help: "Seconds a worker holds a chain's pipeline before another may take it over (default 30; renewed while it works).")
        var lease: Int64 = 30

        func run() async throws {
            guard batchWindow >= 0, (1...2_000).contains(maxBatch), replaceAfter >= 0, (1...3600).contains(poll), (1...3600).contains(lease) else {
                throw UsageError("--batch-window and --replace-after must be 0 or more, --max-batch from 1 to 2000, --poll and --lease from 1 to 3600")
            }
            let settings = PipelineSettings(batchWindow: batchWindow, maximumBatch: maxBatch, replaceAfter: replaceAfter,
                                            owner: "worker@\(ProcessInfo.processInfo.hostName):\(getpid())", leaseSeconds: lease)
            try await options.run { services, caller in
                while !Task.isCancelled {
                    let passes = try await services.payouts.pass(settings: settings, release: once, by: caller)
                    if once {
                        for pass in passes { try Output.print(pass) }
                        return
                    }
                    for pass in passes where pass.batched + pass.signed + pass.broadcast + pass.settled + pass.rejected + pass.compensated + pass.replaced > 0 || !pass.errors.isEmpty {
                        try Output.print(pass)
                    }
                    try await Task.sleep(for: .seconds(poll))
                }
            }
        }
    }
}
