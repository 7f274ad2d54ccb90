import CofferBase
import Foundation
import Testing
import Vault
import WalletCore

/// A batch intent over a real PSBT: one transaction making three payments plus the wallet's own
/// (proven) change. The payload's payments must be the intent's outputs as a multiset.
struct BitcoinBatchPayloadTests {
    typealias Base = BitcoinPayloadTests

    /// A recipient other than the wallet: the p2wpkh script of key `byte` repeated, and its address.
    static func recipient(_ byte: UInt8) throws -> (script: [UInt8], address: String) {
        let key = try Secp256k1.PrivateKey([UInt8](repeating: byte, count: 32)).publicKey
        let script = BitcoinScript.p2wpkh(publicKeyHash: Hash160.hash(key.compressed))
        return (script, try #require(BitcoinAddress.address(scriptPubKey: script, network: .mainnet)))
    }

    /// The fixture's inputs paying `payments` (recipient key byte, satoshi), then change to the
    /// wallet's own m/84'/0'/0'/1/3 with its derivation record, leaving `fee` satoshi.
    static func batchPSBT(_ payments: [(UInt8, UInt64)], fee: UInt64 = 1_500) throws -> PSBT {
        let path = "m/84'/0'/0'/1/3"
        let key = try Base.walletKey(path).publicKey
        let paid = payments.reduce(0) { $0 + $1.1 }
        let total = try Base.inputTotal()
        try #require(total > paid + fee + 1_000, "the fixture's inputs must cover the batch")
        var outputs = try payments.map { BitcoinTransaction.Output(value: $0.1, scriptPubKey: try recipient($0.0).script) }
        outputs.append(BitcoinTransaction.Output(value: total - paid - fee, scriptPubKey: BitcoinScript.p2wpkh(publicKeyHash: Hash160.hash(key.compressed))))
        let change = outputs.count - 1
        let origin = PSBTKeyOrigin(masterFingerprint: Base.fingerprint, path: try DerivationPath(parsing: path))
        return try Base.psbt(outputs) { psbt in
            try psbt.updateOutput(change) { $0.addBIP32Derivation(PSBTKeyDerivation(publicKey: key.compressed, origin: origin)) }
        }
    }

    static let payments: [(UInt8, UInt64)] = [(7, 100_000), (8, 120_000), (10, 80_000)]

    /// A signing request for `psbt` whose batch intent lists `outputs` (recipient key byte, satoshi).
    static func request(_ id: String, _ psbt: PSBT, outputs: [(UInt8, UInt64)], fee: UInt128) throws -> SigningRequestDocument {
        var listed: [String] = []
        for (byte, amount) in outputs { listed.append(#"{"destination":"\#(try recipient(byte).address)","amount":"\#(amount)"}"#) }
        return try SigningRequestDocument(json: Array("""
            {"id":"\(id)","intent":{"chain":"bitcoin","wallet":"main","outputs":[\(listed.joined(separator: ","))],"asset":"BTC","fee":"\(fee)"},
             "payload":{"type":"bitcoin-psbt","network":"mainnet","psbt":"\(psbt.base64)"}}
            """.utf8))
    }

    /// The outputs in another order are the same batch: allowed, signed, and the spent total
    /// recorded for rolling limits is the batch's total.
    @Test func matchingOutputsInAnyOrderAreSignedAndTheTotalIsSpent() async throws {
        let fixture = try await Base.Fixture()
        let psbt = try Self.batchPSBT(Self.payments)
        let record = try await fixture.submitBatch("batch-1", psbt, outputs: Self.payments.reversed())
        #expect(record.status == .signed, "\(record.decision)")
        guard case .bitcoinPSBT(let result)? = record.result else { Issue.record("no bitcoin result"); return }
        #expect(result.transaction?.outputs == psbt.unsignedTransaction.outputs && result.signedInputs == [0, 1])
        #expect(try await fixture.service.store.spent(walletID: record.walletID, asset: "BTC", since: 0) == 300_000)
        let stored = try SigningRequestDocument(json: Array(try #require(try await fixture.service.store.request("batch-1")).document.utf8))
        #expect(stored.intent.isBatch && stored.intent.total == 300_000 && stored.intent.payments.count == 3)
    }

    @Test(arguments: [
        // An amount differs.
        ("amount", [(7, 100_000), (8, 120_001), (10, 80_000)], "pays 120000 to"),
        // A destination differs.
        ("destination", [(7, 100_000), (8, 120_000), (11, 80_000)], "pays 80000 to"),
        // One recipient paid twice and another not at all (as many payments, some alike).
        ("multiset", [(7, 100_000), (7, 100_000), (8, 120_000)], "does not pay output 0"),
    ] as [(String, [(UInt8, UInt64)], String)])
    func aDifferentPaymentIsDenied(kind: String, intent: [(UInt8, UInt64)], reason: String) async throws {
        let fixture = try await Base.Fixture()
        let paid: [(UInt8, UInt64)] = kind == "multiset" ? [(7, 100_000), (8, 120_000), (8, 120_000)] : Self.payments
        let record = try await fixture.submitBatch("batch-\(kind)", try Self.batchPSBT(paid), outputs: intent)
        #expect(record.status == .denied && record.decision.rule == "intent-mismatch", "\(record.decision)")
        #expect(record.decision.reason.contains("not among the intent's outputs") && record.decision.reason.contains(reason), "\(record.decision.reason)")
        #expect(record.result == nil)
        #expect(try await fixture.service.store.spent(walletID: record.walletID, asset: "BTC", since: 0) == 0)
    }

    @Test func anExtraPaymentIsDenied() async throws {
        let fixture = try await Base.Fixture()
        let record = try await fixture.submitBatch("batch-extra", try Self.batchPSBT(Self.payments + [(11, 5_000)]), outputs: Self.payments)
        #expect(record.status == .denied && record.decision.rule == "intent-mismatch")
        #expect(record.decision.reason.contains("makes 4 payments") && record.decision.reason.contains("describes 3"), "\(record.decision.reason)")
        // And one missing.
        let fewer = try await fixture.submitBatch("batch-fewer", try Self.batchPSBT(Array(Self.payments.prefix(2))), outputs: Self.payments)
        #expect(fewer.status == .denied && fewer.decision.reason.contains("makes 2 payments"), "\(fewer.decision.reason)")
        // Locked, the change cannot be proven: it is a fourth payment.
        let locked = try await fixture.submitBatch("batch-locked", try Self.batchPSBT(Self.payments), outputs: Self.payments, locked: true)
        #expect(locked.status == .denied && locked.decision.reason.contains("vault is locked"), "\(locked.decision.reason)")
    }

    /// The fee cap is the whole transaction's.
    @Test func theFeeCapCoversTheWholeTransaction() async throws {
        let fixture = try await Base.Fixture()
        let psbt = try Self.batchPSBT(Self.payments, fee: 1_500)
        let above = try await fixture.submitBatch("batch-fee", psbt, outputs: Self.payments, fee: 1_499)
        #expect(above.status == .denied && above.decision.reason.contains("up to 1500 sat"), "\(above.decision.reason)")
        #expect(try await fixture.submitBatch("batch-fee-ok", psbt, outputs: Self.payments, fee: 1_500).status == .signed)
    }

    /// The policy sees every destination of the batch: a deny-listed second recipient denies it.
    @Test func theDenyListAppliesToEveryDestination() async throws {
        let fixture = try await Base.Fixture()
        try await fixture.service.store.setTestPolicy("""
            {"rules":[{"type":"deny_destinations","name":"sanctions","chain":"bitcoin","destinations":["\(try Self.recipient(8).address)"]}]}
            """)
        let record = try await fixture.submitBatch("batch-denied", try Self.batchPSBT(Self.payments), outputs: Self.payments)
        #expect(record.status == .denied && record.decision.rule == "sanctions" && record.decision.reason.contains("output 1 of 3"), "\(record.decision)")
    }
}

extension BitcoinPayloadTests.Fixture {
    /// Submits `psbt` with a batch intent listing `outputs` (recipient key byte, satoshi), with
    /// the vault unlocked unless `locked`.
    func submitBatch(_ id: String, _ psbt: PSBT, outputs: [(UInt8, UInt64)], fee: UInt128 = 1_500, locked: Bool = false) async throws -> SigningRequestRecord {
        let document = try BitcoinBatchPayloadTests.request(id, psbt, outputs: outputs, fee: fee)
        return try await service.submit(document, unlocked: locked ? nil : unlocked)
    }
}
