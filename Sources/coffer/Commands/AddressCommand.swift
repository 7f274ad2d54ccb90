import ArgumentParser
import CofferBase
import CofferCore
import WalletCore

struct AddressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address",
        abstract: "Work with addresses: check one, or hand out a tenant's deposit addresses from a vault wallet.",
        subcommands: [Check.self, Allocate.self, List.self, Show.self]
    )

    struct Allocate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hand out the next unused deposit addresses of a tenant's HD wallet (as POST /v1/wallets/{id}/addresses).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Wallet id or name.") var wallet: String
        @Option(help: "ethereum, bitcoin, tron or solana.") var chain: String
        @Option(help: "How many, 1-1000.") var count: UInt32
        @Option(help: "Bitcoin address type: p2pkh, p2sh-p2wpkh, p2wpkh (default) or p2tr.") var scheme: String?
        @Option(help: NetworkOption.help) var network: String?
        @Option(help: "A label kept with the addresses.") var label: String?
        @Option(help: "Who the addresses are for (your customer id).") var ownerID: String?
        @Option(help: "What they are for, e.g. deposit.") var purpose: String?

        func run() async throws {
            let request = AllocateAddressesRequest(
                chain: chain, count: count, label: label, ownerID: ownerID, purpose: purpose, scheme: scheme, network: network)
            try Output.print(try await options.run { try await $0.wallets.allocate(wallet, request, by: $1) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A tenant's deposit addresses in the order they were handed out, as JSON Lines.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Only this wallet's (id or name).") var wallet: String?
        @Option(help: "Only this chain's.") var chain: String?
        @Option(help: "Only this owner's.") var ownerID: String?
        @Option(help: "Only those with this purpose.") var purpose: String?
        @Option(help: "Addresses per page, 1-1000.") var limit: Int?
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?

        func run() async throws {
            let page = try PageRequest(limit: limit, cursor: cursor, maximum: 1_000)
            let query = AddressListQuery(wallet: wallet, chain: chain, ownerID: ownerID, purpose: purpose)
            try Output.print(page: try await options.run { try await $0.wallets.addresses(query, page: page, by: $1) })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Which of a tenant's wallets an address belongs to, at which path, for whom.")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "The address.") var address: String

        func run() async throws { try Output.print(try await options.run { try await $0.wallets.address(address, by: $1) }) }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate an address: exit 0 and what it is, or exit 1 and why not.")

        @Option(help: "ethereum, bitcoin, tron or solana (implied by --network).")
        var chain: Chain?

        @Option(help: ArgumentHelp("Require an address of this network (any EVM network checks Ethereum's format). \(NetworkOption.help.abstract)", valueName: "network"))
        var network: String?

        @Argument(help: "The address to check.")
        var address: String

        func run() throws {
            let resolved = try NetworkOption.resolve(network, chain: chain)
            if network == nil {
                // A chain alone restricts nothing more: a Bitcoin address of any registry network passes.
                try Terminal.print(try AddressValidator.validate(address, chain: resolved.chain))
            } else {
                try Terminal.print(try AddressValidator.validate(address, network: resolved))
            }
        }
    }
}
