import CofferBase
import Foundation
import Vault
import WalletCore

/// Signing requests for each payload type that a server signs for real, built from the
/// published vectors in Tests/Vectors/generated (the same ones VaultTests use).
enum SigningFixtures {
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Vectors/generated")

    static func vector(_ file: String, case name: String) throws -> JSONValue {
        let root = try JSONValue(parsing: Array(try Data(contentsOf: vectors.appendingPathComponent(file))))
        guard case .array(let cases)? = root["cases"], let found = cases.first(where: { $0["name"] == .string(name) }) else {
            throw PolicyError("vector \(name) is missing from \(file)")
        }
        return found
    }

    static func string(_ value: JSONValue?) throws -> String {
        guard case .string(let text)? = value else { throw PolicyError("a vector string is missing") }
        return text
    }

    /// The embit PSBT whose two inputs belong to the "abandon ... about" wallet.
    static func bitcoinVector() throws -> (psbt: PSBT, tx: String) {
        let vector = try vector("bitcoin-psbt-embit.json", case: "p2wpkh-two-inputs")
        return (try PSBT(base64: try string(vector["psbt"])), try string(vector["tx"]))
    }

    /// A PSBT spending the vector's inputs to one outsider's output, 1,000 sat of fee, and the
    /// intent that matches it, for an HD wallet of the "abandon ... about" mnemonic named `wallet`.
    static func bitcoin(id: String, wallet: String) throws -> String {
        let source = try bitcoinVector().psbt
        let outsider = try Secp256k1.PrivateKey([UInt8](repeating: 7, count: 32)).publicKey
        let script = BitcoinScript.p2wpkh(publicKeyHash: Hash160.hash(outsider.compressed))
        guard let destination = BitcoinAddress.address(scriptPubKey: script, network: .mainnet) else { throw PolicyError("no outsider address") }
        var total: UInt64 = 0
        for input in source.inputs {
            guard let utxo = input.witnessUTXO else { throw PolicyError("the vector's input has no UTXO") }
            total += utxo.value
        }
        var transaction = source.unsignedTransaction
        transaction.outputs = [BitcoinTransaction.Output(value: total - 1_000, scriptPubKey: script)]
        var psbt = try PSBT(unsignedTransaction: transaction)
        for index in source.inputs.indices {
            try psbt.updateInput(index) { input in
                input.witnessUTXO = source.inputs[index].witnessUTXO
                for derivation in source.inputs[index].bip32Derivations { input.addBIP32Derivation(derivation) }
            }
        }
        return """
            {"id":"\(id)","intent":{"chain":"bitcoin","wallet":"\(wallet)","destination":"\(destination)","asset":"BTC","amount":"\(total - 1_000)","fee":"1000"},
             "payload":{"type":"bitcoin-psbt","network":"mainnet","psbt":"\(psbt.base64)"}}
            """
    }

    /// tronpy's published TRX transfer of 10 TRX, signed by the key 0x00...01.
    static let tronRawData = "0a02193b2208aaecd88e4e0e752840e098909f9b305a68080112640a2d747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412330a154198927ffb9f554dc4a453c64b2e553a02d6df514b121541d0b69631440f0a494bb51f7eee68ff5c593c00f01880ade20470b4d58c9f9b30"
    static let tronKey = String(repeating: "0", count: 63) + "1"

    static func tron(id: String, wallet: String) throws -> String {
        let destination = Base58.encodeCheck(try Hex.decode("41d0b69631440f0a494bb51f7eee68ff5c593c00f0"))
        return """
            {"id":"\(id)","intent":{"chain":"tron","wallet":"\(wallet)","destination":"\(destination)","asset":"TRX","amount":"10000000","fee":"0"},
             "payload":{"type":"tron-tx","raw_data_hex":"\(tronRawData)","path":null}}
            """
    }

    /// solders' one-signer SOL transfer, signed by the ed25519 seed 0x01...01.
    static let solanaKey = String(repeating: "01", count: 32)

    static func solana(id: String, wallet: String) throws -> String {
        let message = try string(try vector("solana_transactions_solders.json", case: "legacy transfer, one signer")["message"])
        let transfer = try SolanaTransfer(message: SolanaTransaction(messageBase64: message).message)
        return """
            {"id":"\(id)","intent":{"chain":"solana","wallet":"\(wallet)","destination":"\(transfer.destination)","asset":"SOL",
                                   "amount":"\(transfer.lamports)","fee":"5000","token_contract":null},
             "payload":{"type":"solana-tx","message":"\(message)"}}
            """
    }

    /// One signed result of each payload type, as the vault makes them (for encoding samples).
    static func results() throws -> [SigningResult] {
        let bitcoin = try bitcoinVector()
        let signed = try string(try vector("solana_transactions_solders.json", case: "legacy transfer, one signer")["signed_transaction"])
        return [
            .ethereumTx(EthereumSigningResult(raw: [0x02, 0xf8, 0x6c, 0x01], from: Known.privateKeyAddress)),
            .bitcoinPSBT(BitcoinPSBTSigningResult(psbt: bitcoin.psbt, signedInputs: [0, 1], transaction: try BitcoinTransaction(hex: bitcoin.tx))),
            .bitcoinPSBT(BitcoinPSBTSigningResult(psbt: bitcoin.psbt, signedInputs: [], transaction: nil)),
            .tronTx(TronSigningResult(txID: [UInt8](repeating: 0xab, count: 32), signature: [UInt8](repeating: 0x1b, count: 65))),
            .solanaTx(SolanaSigningResult(transaction: try SolanaTransaction(base64: signed))),
        ]
    }
}
