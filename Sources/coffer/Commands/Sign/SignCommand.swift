import ArgumentParser

/// `coffer sign`: signing with a private key read from stdin. One subcommand per chain and kind
/// of payload; add new ones to `subcommands`.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign transactions and messages with a private key read from stdin.",
        discussion: "The private key is 64 hex digits on standard input (0x optional); it is never taken from arguments.",
        subcommands: [
            SignEthereumTransactionCommand.self,
            SignEthereumMessageCommand.self,
            SignEthereumTypedDataCommand.self,
        ]
    )
}
