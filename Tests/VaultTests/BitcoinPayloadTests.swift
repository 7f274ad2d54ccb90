import Foundation
import Testing
import Vault
import WalletCore

/// Policy-checked signing of PSBTs from a vault HD wallet.
struct BitcoinPayloadTests {
    static func fixturePSBT() throws -> PSBT {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Vectors/generated/bitcoin-psbt-embit.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        return try PSBT(base64: try #require(cases.first { $0["name"] as? String == "p2wpkh-two-inputs" }?["psbt"] as? String))
    }

    /// The fixture's inputs (from the "abandon ... about" wallet) paying one external output.
    static func payment() throws -> (psbt: PSBT, address: String, value: UInt64) {
        let source = try fixturePSBT()
        var transaction = source.unsignedTransaction
        transaction.outputs = [transaction.outputs[0]]
        var psbt = try PSBT(unsignedTransaction: transaction)
        for index in source.inputs.indices {
            try psbt.updateInput(index) { input in
                input.witnessUTXO = source.inputs[index].witnessUTXO
                for derivation in source.inputs[index].bip32Derivations { input.addBIP32Derivation(derivation) }
            }
        }
        let output = transaction.outputs[0]
        return (psbt, try #require(BitcoinAddress.address(scriptPubKey: output.scriptPubKey, network: .mainnet)), output.value)
    }

    static func request(id: String, psbt: PSBT, destination: String, amount: UInt64) throws -> SigningRequestDocument {
        try SigningRequestDocument(json: Array("""
            {"id":"\(id)","intent":{"chain":"bitcoin","wallet":"main","destination":"\(destination)","asset":"BTC","amount":"\(amount)","fee":"1000"},
             "payload":{"type":"bitcoin-psbt","network":"mainnet","psbt":"\(psbt.base64)"}}
            """.utf8))
    }

    @Test func hdWalletSignsAMatchingPSBT() throws {
        let temporary = try TemporaryVault()
        let store = SigningStore(database: temporary.database)
        let service = SigningService(vault: temporary.vault, store: store, signers: [BitcoinPSBTPayloadSigner()])
        let unlocked = try temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let seed = try Mnemonic(phrase: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about").seed()
        _ = try unlocked.addWallet(name: "main", secret: .seed(SecretBytes(seed)), origin: "bip39")
        _ = try store.setPolicy(document: #"{"rules":[{"type":"max_per_transaction","asset":"BTC","amount":"1000000"}]}"#, actor: "t",
                                audit: AuditEvent(actor: "t", action: "policy.set", subject: "policy", outcome: "ok"), at: VaultClock.format(Date()))
        let (psbt, address, value) = try Self.payment()
        let record = try service.submit(try Self.request(id: "btc-1", psbt: psbt, destination: address, amount: value), unlocked: unlocked)
        #expect(record.status == .signed, "\(record.decision)")
        #expect(record.result?["signed_inputs"] == "0,1")
        let tx = try BitcoinTransaction(hex: try #require(record.result?["tx"]))
        #expect(tx.txid == record.result?["hash"])
        #expect(tx.outputs.count == 1 && tx.hasWitness)
        let wrongAmount = try service.submit(try Self.request(id: "btc-2", psbt: psbt, destination: address, amount: value - 1), unlocked: unlocked)
        #expect(wrongAmount.status == .denied && wrongAmount.decision.rule == "intent-mismatch")
    }

    @Test func outputsMustBeDestinationOrDeclaredChange() throws {
        // In the fixture both outputs carry derivation records (both are the wallet's own), so
        // there is no destination at all: not a payment an intent can describe.
        #expect(throws: PolicyError.self) {
            try BitcoinPSBTPayloadSigner().decodeTransfer(["type": "bitcoin-psbt", "network": "mainnet", "psbt": try Self.fixturePSBT().base64])
        }
        let (psbt, address, value) = try Self.payment()
        let decoded = try BitcoinPSBTPayloadSigner().decodeTransfer(["type": "bitcoin-psbt", "psbt": psbt.base64])
        #expect(decoded == DecodedTransfer(destination: address, tokenContract: nil, amount: UInt128(value)))
        #expect(throws: (any Error).self) { try BitcoinPSBTPayloadSigner().decodeTransfer(["type": "bitcoin-psbt", "psbt": "not base64!"]) }
    }
}
