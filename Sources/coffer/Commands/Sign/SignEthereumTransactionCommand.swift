import ArgumentParser
import WalletCore

/// `coffer sign ethereum-tx`: signs a type 0, 1 or 2 transaction described in a JSON file.
struct SignEthereumTransactionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ethereum-tx",
        abstract: "Sign an Ethereum (EVM) transaction; prints {\"raw\",\"hash\",\"from\"} as one JSON line.",
        discussion: """
            The file holds one JSON object, e.g. {"type":2,"nonce":0,"max_priority_fee_per_gas":"1000000000",
            "max_fee_per_gas":"30000000000","gas":21000,"to":"0x...","value":"1000000000000000000","data":"0x",
            "access_list":[]}. Type 0 and 1 use "gas_price"; "to" absent or null creates a contract; big values
            are decimal strings in wei.
            """
    )

    @Option(name: .customLong("chain-id"), help: "EIP-155 chain id, e.g. 1 (Ethereum), 137 (Polygon).")
    var chainID: String

    @Option(name: .customLong("tx-file"), help: "JSON file describing the transaction.")
    var transactionFile: String

    func validate() throws {
        _ = try parsedChainID()
    }

    private func parsedChainID() throws -> EthereumQuantity {
        let chainID: EthereumQuantity
        do { chainID = try EthereumQuantity(parsing: self.chainID) } catch { throw ValidationError("--chain-id: \(error)") }
        guard chainID != .zero else { throw ValidationError("--chain-id must be at least 1") }
        return chainID
    }

    func run() throws {
        let request = try InputFile.bytes(at: transactionFile, what: "transaction file")
        let transaction = try EthereumTransaction(json: request, chainID: try parsedChainID())
        let signed = try transaction.signed(with: try SecretInput.privateKey())
        try Terminal.print(#"{"raw":"0x\#(Hex.encode(signed.raw))","hash":"0x\#(Hex.encode(signed.hash))","from":"\#(signed.from)"}"#)
    }
}
