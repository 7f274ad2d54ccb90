import CofferBase
import Testing
import Vault
import WalletCore

/// WalletCore's payout transactions are exactly what the vault's `ethereum-tx` payload carries:
/// its signer reads each back as the one transfer the payout makes, with the fee the intent
/// must allow, and the policy-checked request signs it.
struct EthereumPayoutSigningTests {
    static let usdt = "0xdAC17F958D2ee523a2206206994597C13D831ec7"

    static func payouts() throws -> [EthereumPayout] {
        let fees = try EIP1559Fees(maxPriorityFeePerGas: 1_000_000_000, maxFeePerGas: 30_000_000_000)
        return [
            try EthereumPayout(chainID: 1, nonce: 0, fees: fees, gasLimit: EthereumPayout.nativeTransferGas, recipient: SigningServiceTests.alice, amount: 500_000_000_000_000_000),
            try EthereumPayout(chainID: 1, nonce: 1, fees: fees, gasLimit: 65_000, recipient: SigningServiceTests.alice, amount: 100_000_000, tokenContract: Self.usdt),
        ]
    }

    @Test func theSignerReadsBackEachPayout() throws {
        for payout in try Self.payouts() {
            let payload = try EthereumTransactionPayload(transaction: payout.transaction, path: nil)
            let decoded = try EthereumTransactionPayloadSigner().decode(payload, walletKeys: nil)
            #expect(decoded.transfers == [DecodedTransfer(destination: payout.destination, tokenContract: payout.tokenContract, amount: payout.amount)])
            #expect(decoded.maximumFee == .atMost(try #require(payout.maximumFee)))
            // Through the wire form and back, as a request carries it.
            #expect(try EthereumTransactionPayload(json: payload.json) == payload)
        }
    }

    @Test func aRequestBuiltFromAPayoutIsSigned() async throws {
        let fixture = try await SigningServiceTests.Fixture(policy: #"{"rules":[{"type":"max_per_transaction","asset":"ETH","amount":"1000000000000000000"}]}"#)
        let key = try Secp256k1.PrivateKey(hex(SigningServiceTests.keyHex))
        for (index, payout) in try Self.payouts().enumerated() {
            let intent = SigningIntent(chain: "ethereum", wallet: "hot", destination: payout.destination, asset: payout.tokenContract == nil ? "ETH" : "USDT",
                                       amount: payout.amount, fee: try #require(payout.maximumFee), tokenContract: payout.tokenContract)
            let document = try SigningRequestDocument(id: "payout-\(index)", intent: intent,
                                                      payload: .ethereumTx(try EthereumTransactionPayload(transaction: payout.transaction, path: nil)))
            let record = try await fixture.service.submit(document, unlocked: fixture.unlocked)
            #expect(record.status == .signed, "\(record.decision)")
            #expect(record.result?.wire["raw"] == "0x" + Hex.encode(try payout.transaction.signed(with: key).raw))
        }
    }
}
