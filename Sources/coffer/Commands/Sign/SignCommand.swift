import ArgumentParser

/// `coffer sign`: sign transactions prepared elsewhere, with keys read from standard input.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign prepared transactions with private keys read from standard input.",
        subcommands: [SignTronCommand.self, SignSolanaCommand.self]
    )
}
