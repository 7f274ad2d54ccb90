import CofferBase
import Foundation
import Testing
import Vault
import WalletCore

/// Policy-checked signing of PSBTs: which outputs are change (only those the wallet proves are
/// its own), the fee (inputs' UTXOs less outputs), and signing with HD and single-key wallets.
struct BitcoinPayloadTests {
    static let seed = try! Mnemonic(phrase: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about").seed()
    static let master = try! ExtendedPrivateKey(seed: SecretBytes(seed))
    static let fingerprint = master.privateKey.publicKey.fingerprint
    /// Someone else's key and the p2wpkh output that pays it.
    static let outsider = try! Secp256k1.PrivateKey([UInt8](repeating: 7, count: 32)).publicKey
    static let outsiderScript = BitcoinScript.p2wpkh(publicKeyHash: Hash160.hash(outsider.compressed))
    static let outsiderAddress = BitcoinAddress.address(scriptPubKey: outsiderScript, network: .mainnet)!
    static let policy = #"{"rules":[{"type":"max_per_transaction","asset":"BTC","amount":"1000000"}]}"#

    static func walletKey(_ path: String) throws -> Secp256k1.PrivateKey {
        try master.derive(path: DerivationPath(parsing: path)).privateKey
    }

    static func fixturePSBT() throws -> PSBT {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Vectors/generated/bitcoin-psbt-embit.json")
        let root = try JSONValue(parsing: Array(try Data(contentsOf: url)))
        guard case .array(let cases)? = root["cases"],
              case .string(let base64)? = cases.first(where: { $0["name"] == .string("p2wpkh-two-inputs") })?["psbt"]
        else { throw PolicyError("fixture p2wpkh-two-inputs is missing") }
        return try PSBT(base64: base64)
    }

    /// The fixture's two inputs (the "abandon ... about" wallet's, with UTXOs and derivation
    /// records) paying `outputs`; `edit` then adds what the test needs (change records...).
    static func psbt(_ outputs: [BitcoinTransaction.Output], edit: (inout PSBT) throws -> Void = { _ in }) throws -> PSBT {
        let source = try fixturePSBT()
        var transaction = source.unsignedTransaction
        transaction.outputs = outputs
        var psbt = try PSBT(unsignedTransaction: transaction)
        for index in source.inputs.indices {
            try psbt.updateInput(index) { input in
                input.witnessUTXO = source.inputs[index].witnessUTXO
                for derivation in source.inputs[index].bip32Derivations { input.addBIP32Derivation(derivation) }
            }
        }
        try edit(&psbt)
        return psbt
    }

    /// What the fixture's inputs hold, in satoshi.
    static func inputTotal() throws -> UInt64 {
        try fixturePSBT().inputs.reduce(0) { $0 + (try #require($1.witnessUTXO)).value }
    }

    /// A payment to the outsider, change of `change` satoshi to `changeScript` (when given), 1,000 sat fee.
    static func payment(change: UInt64 = 30_000, changeScript: [UInt8]?, edit: (inout PSBT) throws -> Void = { _ in }) throws -> PSBT {
        let total = try inputTotal()
        var outputs = [BitcoinTransaction.Output(value: total - (changeScript == nil ? 0 : change) - 1_000, scriptPubKey: outsiderScript)]
        if let changeScript { outputs.append(BitcoinTransaction.Output(value: change, scriptPubKey: changeScript)) }
        return try psbt(outputs, edit: edit)
    }

    struct Fixture {
        let temporary: TemporaryVault
        let service: SigningService
        let unlocked: UnlockedVault

        init(secret: WalletSecret = .seed(SecretBytes(BitcoinPayloadTests.seed))) async throws {
            temporary = try await TemporaryVault()
            let store = SigningStore(database: temporary.database)
            service = SigningService(vault: temporary.vault, store: store, signers: [BitcoinPSBTPayloadSigner()])
            unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
            _ = try await unlocked.addWallet(name: "main", secret: secret, origin: "test")
            try await store.setTestPolicy(BitcoinPayloadTests.policy)
        }

        /// Submits `psbt` with an intent paying its first output to the outsider; the fee the
        /// intent allows defaults to what the PSBT pays.
        func submit(_ id: String, _ psbt: PSBT, fee: UInt128? = nil, locked: Bool = false) async throws -> SigningRequestRecord {
            let amount = psbt.unsignedTransaction.outputs[0].value
            let document = try SigningRequestDocument(json: Array("""
                {"id":"\(id)","intent":{"chain":"bitcoin","wallet":"main","destination":"\(BitcoinPayloadTests.outsiderAddress)","asset":"BTC","amount":"\(amount)","fee":"\(try fee ?? psbt.fee())"},
                 "payload":{"type":"bitcoin-psbt","network":"mainnet","psbt":"\(psbt.base64)"}}
                """.utf8))
            return try await service.submit(document, unlocked: locked ? nil : unlocked)
        }
    }

    @Test func hdWalletSignsAMatchingPSBT() async throws {
        let fixture = try await Fixture()
        let psbt = try Self.payment(changeScript: nil)
        let record = try await fixture.submit("btc-1", psbt)
        #expect(record.status == .signed, "\(record.decision)")
        guard case .bitcoinPSBT(let result)? = record.result else { Issue.record("no bitcoin result"); return }
        #expect(result.signedInputs == [0, 1])
        let tx = try #require(result.transaction)
        #expect(tx.outputs.count == 1 && tx.hasWitness)
        #expect(record.result?.wire["hash"] == tx.txid && record.result?.wire["signed_inputs"] == "0,1")
        #expect(record.result?.wire["tx"] == Hex.encode(tx.serialized()) && record.result?.transactionHash == tx.txid)
        let wrongAmount = try await fixture.service.submit(try SigningRequestDocument(json: Array("""
            {"id":"btc-2","intent":{"chain":"bitcoin","wallet":"main","destination":"\(Self.outsiderAddress)","asset":"BTC","amount":"1","fee":"1000"},
             "payload":{"type":"bitcoin-psbt","psbt":"\(psbt.base64)"}}
            """.utf8)), unlocked: fixture.unlocked)
        #expect(wrongAmount.status == .denied && wrongAmount.decision.rule == "intent-mismatch")
    }

    /// Change the wallet proves is its own (its fingerprint, a key it derives at the record's
    /// path, the output script exactly that key's): not a payment, so the request is allowed.
    @Test(arguments: ["p2wpkh", "p2sh-p2wpkh", "p2pkh", "p2tr"])
    func genuineChangeIsAllowedAndSigned(scheme: String) async throws {
        let fixture = try await Fixture()
        let purpose = ["p2wpkh": "84", "p2sh-p2wpkh": "49", "p2pkh": "44", "p2tr": "86"][scheme]!
        let path = "m/\(purpose)'/0'/0'/1/3"
        let key = try Self.walletKey(path).publicKey
        let origin = PSBTKeyOrigin(masterFingerprint: Self.fingerprint, path: try DerivationPath(parsing: path))
        let hash = Hash160.hash(key.compressed)
        let script: [UInt8] =
            switch scheme {
            case "p2wpkh": BitcoinScript.p2wpkh(publicKeyHash: hash)
            case "p2sh-p2wpkh": BitcoinScript.p2sh(scriptHash: Hash160.hash(BitcoinScript.p2wpkh(publicKeyHash: hash)))
            case "p2pkh": BitcoinScript.p2pkh(publicKeyHash: hash)
            default: BitcoinScript.p2tr(outputKey: try key.taprootOutputKey())
            }
        let psbt = try Self.payment(changeScript: script) { psbt in
            try psbt.updateOutput(1) { output in
                if scheme == "p2tr" {
                    output.tapInternalKey = key.xOnly
                    output.addTapBIP32Derivation(PSBTTapKeyDerivation(xOnlyPublicKey: key.xOnly, origin: origin))
                } else {
                    output.addBIP32Derivation(PSBTKeyDerivation(publicKey: key.compressed, origin: origin))
                }
            }
        }
        let record = try await fixture.submit("change-\(scheme)", psbt)
        #expect(record.status == .signed, "\(record.decision)")
        guard case .bitcoinPSBT(let result)? = record.result else { Issue.record("no bitcoin result"); return }
        #expect(result.transaction?.outputs == psbt.unsignedTransaction.outputs)
    }

    /// Derivation records are claims anyone can write: a record that does not prove the output is
    /// the wallet's makes it a payment, and two payments are not the one the intent describes.
    @Test(arguments: ["foreign key", "foreign script", "foreign fingerprint", "script tree", "wrong path"])
    func fakeChangeToAnOutsiderIsDenied(kind: String) async throws {
        let fixture = try await Fixture()
        let path = try DerivationPath(parsing: "m/84'/0'/0'/1/0")
        let walletKey = try Self.walletKey("m/84'/0'/0'/1/0").publicKey
        let stranger = try Secp256k1.PrivateKey([UInt8](repeating: 9, count: 32)).publicKey
        let strangerScript = BitcoinScript.p2wpkh(publicKeyHash: Hash160.hash(stranger.compressed))
        let psbt: PSBT
        switch kind {
        case "foreign key":
            // The wallet's fingerprint and a change path, but the stranger's key (which the script pays).
            psbt = try Self.payment(changeScript: strangerScript) { psbt in
                try psbt.updateOutput(1) { $0.addBIP32Derivation(PSBTKeyDerivation(publicKey: stranger.compressed, origin: PSBTKeyOrigin(masterFingerprint: Self.fingerprint, path: path))) }
            }
        case "foreign script":
            // The wallet's real key at that path, but the output pays the stranger.
            psbt = try Self.payment(changeScript: strangerScript) { psbt in
                try psbt.updateOutput(1) { $0.addBIP32Derivation(PSBTKeyDerivation(publicKey: walletKey.compressed, origin: PSBTKeyOrigin(masterFingerprint: Self.fingerprint, path: path))) }
            }
        case "foreign fingerprint":
            // A record that is true of some other wallet.
            psbt = try Self.payment(changeScript: strangerScript) { psbt in
                try psbt.updateOutput(1) { $0.addBIP32Derivation(PSBTKeyDerivation(publicKey: stranger.compressed, origin: PSBTKeyOrigin(masterFingerprint: 0xDEAD_BEEF, path: path))) }
            }
        case "script tree":
            // The wallet's key as taproot internal key, but the output commits to a script tree
            // (someone else's script could spend it).
            let tweaked = try walletKey.taprootOutputKey(merkleRoot: [UInt8](repeating: 0x42, count: 32))
            psbt = try Self.payment(changeScript: BitcoinScript.p2tr(outputKey: tweaked)) { psbt in
                try psbt.updateOutput(1) { output in
                    output.tapInternalKey = walletKey.xOnly
                    output.addTapBIP32Derivation(PSBTTapKeyDerivation(xOnlyPublicKey: walletKey.xOnly, origin: PSBTKeyOrigin(masterFingerprint: Self.fingerprint, path: path)))
                }
            }
        default:
            // The wallet's key and script, but the record names another path (the key is not the
            // one the wallet derives there).
            let other = try DerivationPath(parsing: "m/84'/0'/0'/1/1")
            psbt = try Self.payment(changeScript: BitcoinScript.p2wpkh(publicKeyHash: Hash160.hash(walletKey.compressed))) { psbt in
                try psbt.updateOutput(1) { $0.addBIP32Derivation(PSBTKeyDerivation(publicKey: walletKey.compressed, origin: PSBTKeyOrigin(masterFingerprint: Self.fingerprint, path: other))) }
            }
        }
        let record = try await fixture.submit("fake-\(kind.replacingOccurrences(of: " ", with: "-"))", psbt)
        #expect(record.status == .denied && record.decision.rule == "intent-mismatch", "\(record.decision)")
        #expect(record.decision.reason.contains("2 payments") && record.decision.reason.contains("do not prove"), "\(record.decision.reason)")
        #expect(record.result == nil)
        #expect(try await fixture.temporary.auditActions().contains("sign.decision:denied"))
        #expect(!(try await fixture.temporary.auditActions().contains { $0.hasPrefix("sign.signature") }))
    }

    /// Locked, the vault cannot prove anything is change: the change output counts as a payment.
    @Test func lockedVaultCountsChangeAsAPayment() async throws {
        let fixture = try await Fixture()
        let key = try Self.walletKey("m/84'/0'/0'/1/0").publicKey
        let psbt = try Self.payment(changeScript: BitcoinScript.p2wpkh(publicKeyHash: Hash160.hash(key.compressed))) { psbt in
            try psbt.updateOutput(1) { $0.addBIP32Derivation(PSBTKeyDerivation(publicKey: key.compressed, origin: PSBTKeyOrigin(masterFingerprint: Self.fingerprint, path: try! DerivationPath(parsing: "m/84'/0'/0'/1/0")))) }
        }
        let locked = try await fixture.submit("locked", psbt, locked: true)
        #expect(locked.status == .denied && locked.decision.rule == "intent-mismatch" && locked.decision.reason.contains("vault is locked"), "\(locked.decision)")
        #expect(try await fixture.submit("unlocked", psbt).status == .signed)
    }

    /// A single-key wallet's change is an output paying that key's own script.
    @Test func singleKeyWalletRecognisesItsOwnChange() async throws {
        let source = try Self.fixturePSBT()
        let inputPath = try #require(source.inputs[0].bip32Derivations.first).origin.path
        let key = try Self.master.derive(path: inputPath).privateKey
        let fixture = try await Fixture(secret: .privateKey(key.secret, curve: .secp256k1))
        let change = BitcoinScript.p2wpkh(publicKeyHash: Hash160.hash(key.publicKey.compressed))
        let record = try await fixture.submit("single", try Self.payment(changeScript: change))
        #expect(record.status == .signed, "\(record.decision)")
        guard case .bitcoinPSBT(let result)? = record.result else { Issue.record("no bitcoin result"); return }
        #expect(result.signedInputs == [0] && result.transaction == nil && record.result?.transactionHash == nil)
        // Someone else's key in the same place is a second payment.
        #expect(try await fixture.submit("single-2", try Self.payment(changeScript: Self.outsiderScript)).status == .denied)
    }

    @Test func feeAboveTheIntentIsDeniedAndEqualIsSigned() async throws {
        let fixture = try await Fixture()
        let psbt = try Self.payment(changeScript: nil)
        #expect(try psbt.fee() == 1_000)
        let above = try await fixture.submit("fee-above", psbt, fee: 999)
        #expect(above.status == .denied && above.decision.rule == "intent-mismatch")
        #expect(above.decision.reason.contains("1000 sat") && above.decision.reason.contains("999 sat"), "\(above.decision.reason)")
        #expect(try await fixture.submit("fee-equal", psbt, fee: 1_000).status == .signed)
    }

    @Test func inputWithoutItsUTXOIsRefusedAsUnverifiable() async throws {
        let fixture = try await Fixture()
        let psbt = try Self.payment(changeScript: nil) { psbt in try psbt.updateInput(1) { $0.witnessUTXO = nil } }
        await #expect {
            try await fixture.submit("no-utxo", psbt, fee: 1_000)
        } throws: { error in
            "\(error)".contains("input 1 carries no UTXO")
        }
        #expect(try await fixture.service.store.request("no-utxo") == nil)
    }

    @Test func decodeListsEveryPaymentAndTheFee() throws {
        let psbt = try Self.payment(changeScript: BitcoinScript.p2pkh(publicKeyHash: [UInt8](repeating: 1, count: 20)))
        let payload = BitcoinPSBTPayload(network: .mainnet, psbt: psbt)
        let decoded = try BitcoinPSBTPayloadSigner().decode(payload, walletKeys: nil)
        #expect(decoded.transfers.map(\.destination) == [Self.outsiderAddress, BitcoinAddress.address(scriptPubKey: psbt.unsignedTransaction.outputs[1].scriptPubKey, network: .mainnet)!])
        #expect(decoded.maximumFee == .atMost(1_000) && decoded.feeUnit == "sat")
        let opReturn = try Self.psbt([BitcoinTransaction.Output(value: try Self.inputTotal() - 500, scriptPubKey: [0x6A, 0x01, 0x00])])
        #expect(try BitcoinPSBTPayloadSigner().decode(BitcoinPSBTPayload(network: .mainnet, psbt: opReturn), walletKeys: nil).transfers.first?.destination == "script:6a0100")
        #expect(throws: PolicyError.self) { try BitcoinPSBTPayload(json: JSONValue(parsing: #"{"type":"bitcoin-psbt","psbt":"not base64!"}"#)) }
    }

    /// The payload's network (any registry name) decides how destinations are written; it is kept by its name.
    @Test func destinationsAreWrittenForThePayloadsNetwork() throws {
        let psbt = try Self.payment(changeScript: BitcoinScript.p2pkh(publicKeyHash: [UInt8](repeating: 1, count: 20)))
        for (name, network) in [("litecoin-mainnet", BitcoinNetwork.litecoinMainnet), ("bitcoin-regtest", .regtest), ("LITECOIN-REGTEST", .litecoinRegtest)] {
            let payload = try BitcoinPSBTPayload(json: JSONValue(parsing: #"{"type":"bitcoin-psbt","network":"\#(name)","psbt":"\#(psbt.base64)"}"#))
            #expect(payload.network == network && payload.json["network"] == .string(network.name))
            let decoded = try BitcoinPSBTPayloadSigner().decode(payload, walletKeys: nil)
            let expected = psbt.unsignedTransaction.outputs.map { BitcoinAddress.address(scriptPubKey: $0.scriptPubKey, network: network) }
            #expect(decoded.transfers.map(\.destination) == expected.compactMap { $0 })
            #expect(decoded.transfers.allSatisfy { (try? BitcoinAddress.decode($0.destination, network: network)) != nil })
        }
    }
}
