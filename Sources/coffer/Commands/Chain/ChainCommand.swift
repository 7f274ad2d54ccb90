import ArgumentParser
import Chains
import CofferBase
import CofferCore
import Foundation

/// `coffer chain add | list | sync | token add`: the chains Coffer follows.
struct ChainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain", abstract: "Chains Coffer follows to receive deposits: their nodes, tokens and sync.",
        subcommands: [Add.self, List.self, Sync.self, TokenCommand.self, HotWallet.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow a chain: a network of the chain registry and its node's JSON-RPC endpoint.",
            discussion: """
                Creates the network's native asset in the ledger if missing (code and decimals from the registry) and the custody \
                account. Node credentials come from a file: --rpc-cookie-file (Bitcoin Core's .cookie), or --rpc-user with \
                --rpc-password-file; never from an argument.
                """)
        @OptionGroup var options: ServiceOptions
        @Option(help: "Name of the chain in Coffer (1-64 characters from a-z0-9._-).") var name: String
        @Option(help: "A registry network (litecoin-regtest, bitcoin-mainnet, ethereum, bsc, ...) or evm:<chain id>.") var network: String
        @Option(help: "The node's JSON-RPC URL, http://host:port (no credentials in it).") var rpcUrl: String
        @Option(help: "Bitcoin Core cookie file (user:password).") var rpcCookieFile: String?
        @Option(help: "RPC user name (with --rpc-password-file).") var rpcUser: String?
        @Option(help: "File whose first line is the RPC password.") var rpcPasswordFile: String?
        @Option(help: "Confirmations that make a deposit final (default: the network's).") var confirmations: UInt32?
        @Option(help: "First block height to scan (default 0).") var startHeight: UInt64?
        @Option(help: "Ledger account standing for what Coffer holds on this chain (default custody:<name>).") var custodyAccount: String?

        func run() async throws {
            let request = AddChainRequest(
                name: name, network: network, rpcURL: rpcUrl, rpcCookieFile: rpcCookieFile, rpcUser: rpcUser, rpcPasswordFile: rpcPasswordFile,
                confirmations: confirmations, startHeight: startHeight, custodyAccount: custodyAccount)
            try Output.print(try await options.run { try await $0.chains.add(request, by: $1) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The chains, one JSON object per line, with each syncer's height.")
        @OptionGroup var options: ServiceOptions

        func run() async throws {
            for chain in try await options.run({ try await $0.chains.chains(by: $1) }) { try Output.print(chain) }
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow a chain's tip, crediting deposits; --once scans to the current tip and exits.",
            discussion: """
                With --once prints {"chain","height","hash","deposits","credited",...}. Without it, follows the tip until \
                SIGINT or SIGTERM, printing a line for every block that changed a deposit. Every block is applied in one \
                transaction, so the process can be killed at any moment and resumes where it stopped. `coffer serve` does the \
                same for every chain.
                """)
        @OptionGroup var options: ServiceOptions
        @Option(help: "Chain name.") var chain: String
        @Flag(help: "Scan to the node's current tip, then exit.") var once = false
        @Option(help: "Seconds between polls at the tip (default 1).") var poll: Int = 1

        func run() async throws {
            if once {
                try Output.print(try await options.run { try await $0.chains.syncOnce(chain, by: $1) })
                return
            }
            guard (1...3600).contains(poll) else { throw UsageError("--poll must be from 1 to 3600 seconds") }
            try await options.run { services, caller in
                let config = try await services.chains.find(chain, by: caller)
                let syncer = try services.chains.syncer(config, owner: ChainService.commandLineOwner)
                var backoff = Duration.seconds(1)
                while !Task.isCancelled {
                    let step: ChainSyncer.Step
                    do {
                        step = try await syncer.step()
                        backoff = .seconds(1)
                    } catch where ErrorClassification.isRetryable(error) {
                        // A node that is down, or another syncer that moved first: say so and go on.
                        FileHandle.standardError.write(Data("coffer: warning: \(error); retrying in \(backoff)\n".utf8))
                        try await Task.sleep(for: backoff)
                        backoff = min(backoff * 2, .seconds(60))
                        continue
                    }
                    if step.deposits + step.credited + step.orphaned + step.reversed > 0 || step.kind == .rewound {
                        try Output.print(SyncView(
                            chain: chain, height: step.block?.height, hash: step.block?.hash, deposits: step.deposits, credited: step.credited,
                            orphaned: step.orphaned, reversed: step.reversed))
                    }
                    if step.kind == .atTip || step.kind == .notLeader { try await Task.sleep(for: .seconds(poll)) }
                }
            }
        }
    }

    struct HotWallet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hot-wallet",
            abstract: "Name the vault wallet that pays on a chain; prints {\"chain\",\"wallet\",\"address\",...}.",
            discussion: """
                address is where to fund it: payments to it credit the chain's treasury account (the operator's own money). \
                Payouts spend the wallet's credited deposits and change; change goes back to fresh addresses of the wallet. \
                Run again with the same wallet to change the fee rates.
                """)
        @OptionGroup var options: ServiceOptions
        @Option(help: "Chain name.") var chain: String
        @Option(help: "Wallet name or id (an HD wallet in the vault).") var wallet: String
        @Option(help: "Fee rate when the node has no estimate, sat/vB (default 10).") var fallbackFeeRate: UInt64?
        @Option(help: "Never pay more than this fee rate, sat/vB (default 100).") var maxFeeRate: UInt64?

        func run() async throws {
            let request = HotWalletRequest(wallet: wallet, fallbackFeeRate: fallbackFeeRate, maxFeeRate: maxFeeRate)
            try Output.print(try await options.run { try await $0.payouts.setHotWallet(chain: chain, request, by: $1) })
        }
    }

    struct TokenCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "token", abstract: "Tokens of an EVM chain.", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Watch an ERC-20 token: its Transfer logs to deposit addresses are deposits of ASSET.")
            @OptionGroup var options: ServiceOptions
            @Option(help: "Chain name.") var chain: String
            @Option(help: "Token contract address (0x...).") var contract: String
            @Option(help: "Ledger asset code of the token (created if missing).") var asset: String
            @Option(help: "The token's decimals.") var decimals: UInt8

            func run() async throws {
                let request = AddTokenRequest(contract: contract, asset: asset, decimals: decimals)
                try Output.print(try await options.run { try await $0.chains.addToken(chain: chain, request, by: $1) })
            }
        }
    }
}
