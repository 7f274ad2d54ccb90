import ArgumentParser
import WalletCore

/// `coffer sign ethereum-typed-data`: EIP-712 (eth_signTypedData_v4) signing.
struct SignEthereumTypedDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ethereum-typed-data",
        abstract: "Sign EIP-712 typed data; prints {\"signature\",\"hash\"} as one JSON line.",
        discussion: """
            The file is the standard JSON {"types":{...,"EIP712Domain":[...]},"primaryType":"...","domain":{...},
            "message":{...}}. The hash is keccak256(0x1901 || domainSeparator || hashStruct(message)); the
            signature is r || s || v with v = 27 or 28.
            """
    )

    @Option(name: .customLong("file"), help: "JSON file with the typed data.")
    var file: String

    func run() throws {
        let typedData = try EIP712TypedData(json: try InputFile.bytes(at: file, what: "typed data file"))
        let signature = try typedData.sign(with: try SecretInput.privateKey())
        try Terminal.print(#"{"signature":"0x\#(Hex.encode(signature.rsv))","hash":"0x\#(Hex.encode(typedData.signingHash()))"}"#)
    }
}
