import ArgumentParser
import WalletCore

struct AddressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address",
        abstract: "Work with addresses.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate an address: exit 0 and what it is, or exit 1 and why not.")

        @Option(help: "ethereum, bitcoin, tron or solana.")
        var chain: Chain

        @Option(help: "Bitcoin only: require this network.")
        var network: BitcoinNetwork?

        @Argument(help: "The address to check.")
        var address: String

        func run() throws {
            if network != nil && chain != .bitcoin {
                throw UsageError("--network applies to bitcoin only")
            }
            try Terminal.print(try AddressValidator.validate(address, chain: chain, network: network))
        }
    }
}
