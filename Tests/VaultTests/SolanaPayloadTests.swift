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

    @Test func solTransferSignedThroughThePolicy() async throws {
        let fixture = try Self.fixture()
        let message = try #require(fixture["message"] as? String)
        let transfer = try SolanaTransfer(message: SolanaTransaction(messageBase64: message).message)
        #expect(transfer.source == "AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9")
        let temporary = try await TemporaryVault()
        let store = SigningStore(database: temporary.database)
        let service = SigningService(vault: temporary.vault, store: store, signers: [SolanaPayloadSigner()])
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        _ = try await unlocked.addWallet(name: "sol", secret: .privateKey(SecretBytes([UInt8](repeating: 1, count: 32)), curve: .ed25519), origin: "test")
        _ = try await store.setPolicy(document: #"{"rules":[{"type":"max_per_transaction","asset":"SOL","amount":"5000000000"}]}"#, actor: "t",
                                audit: AuditEvent(actor: "t", action: "policy.set", subject: "policy", outcome: "ok"), at: VaultClock.format(Date()))
        func request(_ id: String, amount: UInt64) throws -> SigningRequestDocument {
            try SigningRequestDocument(json: Array("""
                {"id":"\(id)","intent":{"chain":"solana","wallet":"sol","destination":"\(transfer.destination)","asset":"SOL","amount":"\(amount)","fee":"5000"},
                 "payload":{"type":"solana-tx","message":"\(message)"}}
                """.utf8))
        }
        let signed = try await service.submit(try request("sol-1", amount: transfer.lamports), unlocked: unlocked)
        #expect(signed.status == .signed)
        #expect(signed.result?.wire["transaction"] == fixture["signed_transaction"] as? String)
        #expect(signed.result?.wire["signature"] == fixture["signature"] as? String)
        #expect(signed.result?.transactionHash == fixture["signature"] as? String)
        #expect(try await service.submit(try request("sol-2", amount: transfer.lamports + 1), unlocked: unlocked).decision.rule == "intent-mismatch")
    }

    static let computeBudget: [UInt8] = try! Base58.decode("ComputeBudget111111111111111111111111111111")

    /// A legacy message from `payer`: the given ComputeBudget instructions (discriminator and
    /// little-endian argument), then one System Program transfer of `lamports`.
    static func message(payer: [UInt8], lamports: UInt64, computeBudget instructions: [[UInt8]]) throws -> SolanaMessage {
        let destination = [UInt8](repeating: 3, count: 32)
        var bytes: [UInt8] = [1, 0, 2, 4] + payer + destination + [UInt8](repeating: 0, count: 32) + Self.computeBudget
        bytes += [UInt8](repeating: 5, count: 32)  // recent blockhash
        bytes.append(UInt8(instructions.count + 1))
        for data in instructions { bytes += [3, 0, UInt8(data.count)] + data }
        bytes += [2, 2, 0, 1, 12, 2, 0, 0, 0] + withUnsafeBytes(of: lamports.littleEndian, Array.init)
        return try SolanaMessage(serialized: bytes)
    }

    static func limit(_ units: UInt32) -> [UInt8] { [2] + withUnsafeBytes(of: units.littleEndian, Array.init) }
    static func price(_ microLamports: UInt64) -> [UInt8] { [3] + withUnsafeBytes(of: microLamports.littleEndian, Array.init) }

    static func fee(_ instructions: [[UInt8]]) throws -> MaximumFee {
        let message = try Self.message(payer: [UInt8](repeating: 1, count: 32), lamports: 1, computeBudget: instructions)
        let payload = SolanaTransactionPayload(transaction: try SolanaTransaction(message: message), form: .message, path: nil)
        return try SolanaPayloadSigner().decode(payload, walletKeys: nil).maximumFee
    }

    /// 5,000 lamports per signature, plus price × limit / 10^6 rounded up; the limit defaults
    /// to 200,000 per non-ComputeBudget instruction.
    @Test func feeIsBaseFeePlusPriorityFee() throws {
        #expect(try Self.fee([]) == .atMost(5_000))
        #expect(try Self.fee([Self.limit(300_000)]) == .atMost(5_000))
        #expect(try Self.fee([Self.limit(300_000), Self.price(1_000_001)]) == .atMost(5_000 + 300_001))
        #expect(try Self.fee([Self.price(1_000_000)]) == .atMost(5_000 + 200_000))
        #expect(try Self.fee([Self.price(1), Self.limit(1)]) == .atMost(5_001))
        #expect(try Self.fee([Self.price(UInt64.max), Self.limit(UInt32.max)]) == .atMost(5_000 + (UInt128(UInt64.max) * UInt128(UInt32.max) + 999_999) / 1_000_000))
        #expect(throws: PolicyError.self) { try Self.fee([Self.price(1), Self.price(2)]) }
        #expect(throws: PolicyError.self) { try Self.fee([[9]]) }
    }

    @Test func priorityFeeAboveTheIntentIsDeniedAndEqualIsSigned() async throws {
        let temporary = try await TemporaryVault()
        let store = SigningStore(database: temporary.database)
        let service = SigningService(vault: temporary.vault, store: store, signers: [SolanaPayloadSigner()])
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let seed = SecretBytes([UInt8](repeating: 1, count: 32))
        _ = try await unlocked.addWallet(name: "sol", secret: .privateKey(seed, curve: .ed25519), origin: "test")
        try await store.setTestPolicy(#"{"rules":[{"type":"max_per_transaction","asset":"SOL","amount":"5000000000"}]}"#)
        let message = try Self.message(payer: try SolanaKeypair(seed: seed).publicKey, lamports: 1_000, computeBudget: [Self.limit(10_000), Self.price(50_000)])
        let base64 = Data(message.serialized).base64EncodedString()
        func request(_ id: String, fee: String) throws -> SigningRequestDocument {
            try SigningRequestDocument(json: Array("""
                {"id":"\(id)","intent":{"chain":"solana","wallet":"sol","destination":"\(SolanaAddress.encode(publicKey: [UInt8](repeating: 3, count: 32)))","asset":"SOL","amount":"1000","fee":"\(fee)"},
                 "payload":{"type":"solana-tx","message":"\(base64)"}}
                """.utf8))
        }
        let above = try await service.submit(try request("p1", fee: "5499"), unlocked: unlocked)
        #expect(above.decision.rule == "intent-mismatch" && above.decision.reason.contains("5500 lamports"), "\(above.decision)")
        let equal = try await service.submit(try request("p2", fee: "5500"), unlocked: unlocked)
        #expect(equal.status == .signed, "\(equal.decision)")
    }
}
