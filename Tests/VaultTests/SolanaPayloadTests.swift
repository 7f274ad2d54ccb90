import Foundation
import Testing
import Vault
import WalletCore

/// Solana requests through the policy, against the solders fixture.
struct SolanaPayloadTests {
    static func fixture() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Vectors/generated/solana_transactions_solders.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try #require((root["cases"] as? [[String: Any]])?.first { $0["name"] as? String == "legacy transfer, one signer" })
    }

    @Test func solTransferSignedThroughThePolicy() throws {
        let fixture = try Self.fixture()
        let message = try #require(fixture["message"] as? String)
        let transfer = try SolanaTransfer(message: SolanaTransaction(messageBase64: message).message)
        #expect(transfer.source == "AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9")
        let temporary = try TemporaryVault()
        let store = SigningStore(database: temporary.database)
        let service = SigningService(vault: temporary.vault, store: store, signers: [SolanaPayloadSigner()])
        let unlocked = try temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        _ = try unlocked.addWallet(name: "sol", secret: .privateKey(SecretBytes([UInt8](repeating: 1, count: 32)), curve: .ed25519), origin: "test")
        _ = try store.setPolicy(document: #"{"rules":[{"type":"max_per_transaction","asset":"SOL","amount":"5000000000"}]}"#, actor: "t",
                                audit: AuditEvent(actor: "t", action: "policy.set", subject: "policy", outcome: "ok"), at: VaultClock.format(Date()))
        func request(_ id: String, amount: UInt64) throws -> SigningRequestDocument {
            try SigningRequestDocument(json: Array("""
                {"id":"\(id)","intent":{"chain":"solana","wallet":"sol","destination":"\(transfer.destination)","asset":"SOL","amount":"\(amount)"},
                 "payload":{"type":"solana-tx","message":"\(message)"}}
                """.utf8))
        }
        let signed = try service.submit(try request("sol-1", amount: transfer.lamports), unlocked: unlocked)
        #expect(signed.status == .signed)
        #expect(signed.result?["transaction"] == fixture["signed_transaction"] as? String)
        #expect(signed.result?["signature"] == fixture["signature"] as? String)
        #expect(try service.submit(try request("sol-2", amount: transfer.lamports + 1), unlocked: unlocked).decision.rule == "intent-mismatch")
    }
}
