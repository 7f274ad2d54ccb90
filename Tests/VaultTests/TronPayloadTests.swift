import Foundation
import Testing
import Vault
import WalletCore

/// TRON requests through the policy: the raw_data's TransferContract must match the intent.
struct TronPayloadTests {
    /// A published TRX transfer (tronpy fixture): 10 TRX to 41d0b696...
    static let rawData = "0a02193b2208aaecd88e4e0e752840e098909f9b305a68080112640a2d747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412330a154198927ffb9f554dc4a453c64b2e553a02d6df514b121541d0b69631440f0a494bb51f7eee68ff5c593c00f01880ade20470b4d58c9f9b30"
    static let destination = Base58.encodeCheck(hex("41d0b69631440f0a494bb51f7eee68ff5c593c00f0"))

    @Test func transferIsDecoded() throws {
        let transfer = try TronTransfer(rawData: hex(Self.rawData))
        #expect(transfer.destination == Self.destination && transfer.tokenContract == nil)
        #expect(transfer.amount.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } == 10_000_000)
        #expect(throws: TronTransactionError.self) { try TronTransfer(rawData: hex("0a02193b")) }
    }

    @Test func signedThroughThePolicy() async throws {
        let temporary = try await TemporaryVault()
        let store = SigningStore(database: temporary.database)
        let service = SigningService(vault: temporary.vault, store: store, signers: [TronPayloadSigner()])
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        _ = try await unlocked.addWallet(name: "tron", secret: .privateKey(SecretBytes([UInt8](repeating: 0, count: 31) + [1]), curve: .secp256k1), origin: "test")
        _ = try await store.setPolicy(document: #"{"rules":[{"type":"max_per_transaction","asset":"TRX","amount":"100000000"}]}"#, actor: "t",
                                audit: AuditEvent(actor: "t", action: "policy.set", subject: "policy", outcome: "ok"), at: VaultClock.format(Date()))
        func request(_ id: String, amount: String, destination: String = Self.destination, fee: String = "0", rawData: String = Self.rawData) throws -> SigningRequestDocument {
            try SigningRequestDocument(json: Array("""
                {"id":"\(id)","intent":{"chain":"tron","wallet":"tron","destination":"\(destination)","asset":"TRX","amount":"\(amount)","fee":"\(fee)"},
                 "payload":{"type":"tron-tx","raw_data_hex":"\(rawData)"}}
                """.utf8))
        }
        let signed = try await service.submit(try request("trx-1", amount: "10000000"), unlocked: unlocked)
        #expect(signed.status == .signed)
        #expect(signed.result?.wire["txID"] == "c558bd35978267d8999baf6148703cbc94786f3f2e22893637588ca05437d7f0")
        #expect(signed.result?.transactionHash == "c558bd35978267d8999baf6148703cbc94786f3f2e22893637588ca05437d7f0")
        // tronpy writes v = recid (0/1); TronWeb and coffer write recid + 27: r||s agree.
        #expect(signed.result?.wire["signature"]?.prefix(128) == "f7d510ac953368b66a2cced47f98d2030b61839b86b1c716f5fd40ddc479489315b7c5380ca2efd00d6e56802ba2efdc6bed895c0313a4fb28e6d3912dc26e18")
        #expect(try await service.submit(try request("trx-2", amount: "9999999"), unlocked: unlocked).decision.rule == "intent-mismatch")
        #expect(try await service.submit(try request("trx-3", amount: "10000000", destination: "TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC"), unlocked: unlocked).decision.rule == "intent-mismatch")

        // The fee is raw_data's fee_limit (field 18, here 15 TRX); without one it is 0.
        let withFeeLimit = Self.rawData + "9001" + "c0c39307"
        #expect(try TronRawData(hex(withFeeLimit)).feeLimit == 15_000_000)
        let above = try await service.submit(try request("trx-4", amount: "10000000", fee: "14999999", rawData: withFeeLimit), unlocked: unlocked)
        #expect(above.decision.rule == "intent-mismatch" && above.decision.reason.contains("15000000 SUN"), "\(above.decision)")
        #expect(try await service.submit(try request("trx-5", amount: "10000000", fee: "15000000", rawData: withFeeLimit), unlocked: unlocked).status == .signed)
    }
}
