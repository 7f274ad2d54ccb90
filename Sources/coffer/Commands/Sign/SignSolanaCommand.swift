import ArgumentParser
import WalletCore

struct SignSolanaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solana-tx",
        abstract: "Sign a Solana transaction (legacy or v0); ed25519 private keys are read from stdin, one per line.",
        discussion: """
            Each stdin line is a 32-byte seed as 64 hex digits or a Solana CLI keypair file's array of \
            64 numbers. Each key signs the slot of the required signer with its public key; a key that \
            is not a required signer is refused. Prints {"transaction":"<base64>","signature":"<base58>"}; \
            the signature is the fee payer's, the transaction id. A note on stderr lists signers still missing.
            """
    )

    @Option(help: "File holding the serialized transaction, base64 (signature slots may be empty).")
    var txFile: String?

    @Option(help: "File holding just the message, base64: the transaction is built around it.")
    var messageFile: String?

    func run() throws {
        var transaction: SolanaTransaction
        switch (txFile, messageFile) {
        case (let path?, nil):
            transaction = try SolanaTransaction(base64: try SignInputFile.text(path, what: "transaction file"))
        case (nil, let path?):
            transaction = try SolanaTransaction(messageBase64: try SignInputFile.text(path, what: "message file"))
        default:
            throw UsageError("give exactly one of --tx-file and --message-file")
        }
        let keypairs = try SecretInput.privateKeyLines(what: "ed25519 private key").enumerated().map { index, line in
            try Self.keypair(line, lineNumber: index + 1)
        }
        try transaction.sign(with: keypairs)
        try Terminal.print(#"{"transaction":"\#(transaction.base64)","signature":"\#(transaction.transactionID)"}"#)
        if !transaction.isFullySigned {
            Terminal.writeError("coffer: note: still unsigned by \(transaction.missingSigners.joined(separator: ", "))\n")
        }
    }

    static func keypair(_ line: SecretBytes, lineNumber: Int) throws -> SolanaKeypair {
        let isJSON = line.withUnsafeBytes { $0.first == UInt8(ascii: "[") }
        do {
            if isJSON {
                var json = line.copyBytes()
                defer { SecretBytes.wipe(&json) }
                return try SolanaKeypair(keypairJSON: json)
            }
            return try SolanaKeypair(seed: try SecretInput.hexPrivateKey(line, what: "key"))
        } catch {
            throw CLIError("stdin line \(lineNumber): \(error)")
        }
    }
}
