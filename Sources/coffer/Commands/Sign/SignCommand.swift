import ArgumentParser

/// `coffer sign`: signs transactions with keys read from stdin.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign transactions with a key read from standard input.",
        subcommands: [SignBitcoinPSBTCommand.self]
    )
}
