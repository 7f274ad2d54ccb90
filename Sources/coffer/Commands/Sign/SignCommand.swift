import ArgumentParser

/// `coffer sign`: policy-checked signing with vault wallets (request, approve, status) and direct
/// signing with a private key read from stdin. One subcommand per chain and kind of payload.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign through the vault's policy, or directly with a private key read from stdin.",
        discussion: "Direct signing reads the private key as 64 hex digits on standard input (0x optional); it is never taken from arguments.",
        subcommands: [
            SignRequestCommand.self,
            SignApproveCommand.self,
            SignStatusCommand.self,
            SignEthereumTransactionCommand.self,
            SignEthereumMessageCommand.self,
            SignEthereumTypedDataCommand.self,
            SignBitcoinPSBTCommand.self,
            SignTronCommand.self,
            SignSolanaCommand.self,
        ]
    )
}
