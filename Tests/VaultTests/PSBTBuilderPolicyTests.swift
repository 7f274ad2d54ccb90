import CofferBase
import Testing
import Vault
import WalletCore

/// PSBTs from ``PSBTBuilder`` through the vault's signing service: the policy sees exactly the
/// payment (the change proves itself the wallet's), and the wallet signs every input, whatever
/// the kinds of coins and of change.
struct PSBTBuilderPolicyTests {
    static func key(_ scheme: BitcoinScheme, change: Bool, index: UInt32) throws -> PSBTBuilder.WalletKey {
        try PSBTBuilder.WalletKey(master: BitcoinPayloadTests.master, path: DerivationPath(parsing: "m/\(scheme.purpose)'/0'/0'/\(change ? 1 : 0)/\(index)"))
    }

    @Test(arguments: BitcoinScheme.allCases)
    func builtPayoutIsSignedWithItsChangeRecognised(changeScheme: BitcoinScheme) async throws {
        let fixture = try await BitcoinPayloadTests.Fixture()
        let coins = try [BitcoinScheme.p2wpkh, .p2shP2wpkh, .p2tr].enumerated().map { index, scheme in
            let key = try Self.key(scheme, change: false, index: UInt32(index))
            return try PSBTBuilder.Input(
                outPoint: BitcoinTransaction.OutPoint(transactionHash: [UInt8](repeating: UInt8(index + 1), count: 32), index: 1),
                value: 300_000, scriptPubKey: try key.scriptPubKey(scheme), key: key)
        }
        let payment = BitcoinTransaction.Output(value: 750_000, scriptPubKey: BitcoinPayloadTests.outsiderScript)
        let change = try PSBTBuilder.Change(key: try Self.key(changeScheme, change: true, index: 0), scheme: changeScheme)
        let built = try PSBTBuilder.build(inputs: coins, payments: [payment], change: (change, 148_000), lockTime: 800_000)
        let document = try SigningRequestDocument(json: Array("""
            {"id":"built-\(changeScheme.rawValue)","intent":{"chain":"bitcoin","wallet":"main","destination":"\(BitcoinPayloadTests.outsiderAddress)","asset":"BTC","amount":"750000","fee":"\(built.fee)"},
             "payload":{"type":"bitcoin-psbt","network":"mainnet","psbt":"\(built.psbt.base64)"}}
            """.utf8))
        let record = try await fixture.service.submit(document, unlocked: fixture.unlocked)
        #expect(record.status == .signed, "\(record.decision)")
        guard case .bitcoinPSBT(let result)? = record.result else { Issue.record("no bitcoin result"); return }
        #expect(result.signedInputs == [0, 1, 2])
        let transaction = try #require(result.transaction)
        #expect(transaction.outputs == built.psbt.unsignedTransaction.outputs && transaction.virtualSize <= built.virtualSize)
    }
}
