import ArgumentParser
import WalletCore

/// `coffer sign ethereum-message`: EIP-191 personal_sign over a file's exact bytes.
struct SignEthereumMessageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ethereum-message",
        abstract: "personal_sign (EIP-191) a file's exact bytes; prints {\"signature\",\"address\"} as one JSON line.",
        discussion: "The signature is 65 bytes r || s || v with v = 27 or 28, as wallets return it."
    )

    @Option(name: .customLong("message-file"), help: "File whose bytes are the message (nothing is trimmed).")
    var messageFile: String

    func run() throws {
        let message = try InputFile.bytes(at: messageFile, what: "message file")
        let key = try SecretInput.privateKey()
        let signature = try EthereumMessage.personalSign(message, key: key)
        let address = EthereumAddress.encode(key.publicKey)
        try Terminal.print(#"{"signature":"0x\#(Hex.encode(signature.rsv))","address":"\#(address)"}"#)
    }
}
