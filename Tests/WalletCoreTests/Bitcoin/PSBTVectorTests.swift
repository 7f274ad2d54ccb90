import Foundation
import Testing
import WalletCore

/// The test vectors of BIP174 (PSBT) and BIP371 (taproot fields), read from the copied
/// specifications in Tests/Vectors.
struct PSBTVectorTests {
    struct Vector: CustomStringConvertible {
        let name: String
        let bytes: [UInt8]
        let base64: String
        var description: String { name }
    }

    /// The cases between `start` and `end` ("* Case: ..." with hex and base64 forms).
    static func cases(_ file: String, from start: String, to end: String) throws -> [Vector] {
        let text = try TestVectors.text(file)
        let section = try #require(text.range(of: start).flatMap { begin in
            text[begin.upperBound...].range(of: end).map { text[begin.upperBound..<$0.lowerBound] }
        })
        return section.components(separatedBy: "* Case:").dropFirst().map { block in
            let name = block.prefix { $0 != "\n" }.trimmingCharacters(in: .whitespaces)
            let blocks = preBlocks(block)
            return Vector(name: name, bytes: hex(blocks[0]), base64: blocks[1])
        }
    }

    /// `<pre>...</pre>` contents, cleaned of the stray angle brackets some vectors carry.
    static func preBlocks(_ text: some StringProtocol) -> [String] {
        text.components(separatedBy: "<pre>").dropFirst().map { part in
            String(part.components(separatedBy: "</pre>")[0].filter { $0 != "<" && $0 != ">" && !$0.isWhitespace })
        }
    }

    /// The first base64 PSBT after `marker` in BIP174.
    static func base64(after marker: String) throws -> String {
        let text = try TestVectors.text("bip-0174.mediawiki")
        let start = try #require(text.range(of: marker))
        let rest = text[start.upperBound...]
        let base64Start = try #require(rest.range(of: "Base64 String: <pre>"))
        return preBlocks(rest[base64Start.lowerBound...])[0]
    }

    static let bip174Invalid = (try? cases("bip-0174.mediawiki", from: "The following are invalid PSBTs:", to: "The following are valid PSBTs:")) ?? []
    static let bip174Valid = (try? cases("bip-0174.mediawiki", from: "The following are valid PSBTs:", to: "Fails Signer checks")) ?? []
    static let bip174SignerChecks = (try? cases("bip-0174.mediawiki", from: "Fails Signer checks", to: "The private keys in the tests below")) ?? []
    static let bip371Invalid = (try? cases("bip-0371.mediawiki", from: "The following are invalid PSBTs:", to: "The following are valid PSBTs:")) ?? []
    static let bip371Valid = (try? cases("bip-0371.mediawiki", from: "The following are valid PSBTs:", to: "==Rationale==")) ?? []

    @Test func vectorCounts() {
        #expect(Self.bip174Invalid.count == 20)
        #expect(Self.bip174Valid.count == 10)
        #expect(Self.bip174SignerChecks.count == 4)
        #expect(Self.bip371Invalid.count == 11)
        #expect(Self.bip371Valid.count == 6)
    }

    @Test(arguments: bip174Invalid + bip371Invalid)
    func invalidPSBTIsRejected(_ vector: Vector) throws {
        #expect(Data(vector.bytes).base64EncodedString() == vector.base64, "the vector's hex and base64 disagree")
        #expect(throws: PSBTError.self, "\(vector.name)") { try PSBT(serialized: vector.bytes) }
        #expect(throws: PSBTError.self, "\(vector.name)") { try PSBT(base64: vector.base64) }
        do {
            _ = try PSBT(serialized: vector.bytes)
        } catch {
            #expect(!error.description.contains("\n"))
        }
    }

    @Test(arguments: bip174Valid + bip371Valid + bip174SignerChecks)
    func validPSBTRoundTrips(_ vector: Vector) throws {
        let psbt = try PSBT(serialized: vector.bytes)
        #expect(psbt.serialized == vector.bytes)
        #expect(psbt.base64 == vector.base64)
        #expect(try PSBT(base64: vector.base64) == psbt)
        #expect(psbt.inputs.count == psbt.unsignedTransaction.inputs.count)
        #expect(psbt.outputs.count == psbt.unsignedTransaction.outputs.count)
    }

    /// BIP174 signer checks: a signer must not sign these. Ours signs nothing and either skips
    /// every input or refuses the PSBT.
    @Test(arguments: bip174SignerChecks)
    func signerChecksSignNothing(_ vector: Vector) throws {
        var psbt = try PSBT(serialized: vector.bytes)
        let master = try Self.bip174MasterKey()
        do {
            let report = try psbt.sign(with: .extendedKey(master), allowedSighashTypes: SighashType.validTaproot)
            #expect(report.signed.isEmpty, "\(vector.name)")
        } catch {
            #expect(!error.description.isEmpty)
        }
        #expect(psbt.serialized == vector.bytes)
    }

    static func bip174MasterKey() throws -> ExtendedPrivateKey {
        let text = try TestVectors.text("bip-0174.mediawiki")
        let line = try #require(text.components(separatedBy: "\n").first { $0.contains("Extended Private Key:") })
        guard case .privateKey(let key, _) = try ExtendedKey(parsing: preBlocks(line)[0]) else {
            Issue.record("BIP174's master key is not a private key")
            throw CancellationError()
        }
        return key
    }

    /// BIP174's signer example: the p2sh-p2wsh input's signatures are BIP143 sighashes signed
    /// with RFC 6979; the WIF keys are the master key's children at the stated paths. Our PSBT
    /// signer does not sign multisig, so it must skip both inputs and change nothing.
    @Test func bip174SignerExample() throws {
        let updated = try PSBT(base64: try Self.base64(after: "An updater which adds SIGHASH_ALL to the above PSBT must create this PSBT:"))
        let firstSigner = try PSBT(base64: try Self.base64(after: "a signer that supports SIGHASH_ALL for P2PKH and P2WPKH spends"))
        let secondSigner = try PSBT(base64: try Self.base64(after: "Given the above updated PSBT, a signer with the following keys:"))
        let master = try Self.bip174MasterKey()
        let input = updated.inputs[1]
        let witnessScript = try #require(input.witnessScript)
        let amount = try #require(input.witnessUTXO).value
        for (wif, path, signed) in [
            ("cR6SXDoyfQrcp4piaiHE97Rsgta9mNhGTen9XeonVgwsh4iSgw6d", "m/0'/0'/2'", firstSigner),
            ("cNBc3SWUip9PPm1GjRoLEJT6T41iNzCYtD7qro84FMnM5zEqeJsE", "m/0'/0'/3'", secondSigner),
        ] {
            #expect(try TestVectors.text("bip-0174.mediawiki").contains(wif))
            let decoded = try WIF.decode(wif)
            #expect(decoded.network == .testnet && decoded.compressed)
            let derived = try master.derive(path: DerivationPath(parsing: path)).privateKey
            #expect(derived.secret == decoded.privateKey.secret, "\(path)")
            let digest = try updated.unsignedTransaction.segwitV0SignatureHash(inputIndex: 1, scriptCode: witnessScript, amount: amount, sighashType: .all)
            let signature = try decoded.privateKey.signRecoverable(digest: digest).der + [0x01]
            let expected = signed.inputs[1].partialSignatures.first { $0.publicKey == decoded.privateKey.publicKey.compressed }
            #expect(expected?.signature == signature, "\(path)")
        }
        var attempt = updated
        let report = try attempt.sign(with: .extendedKey(master))
        #expect(report.signed.isEmpty)
        #expect(report.skipped.map(\.index) == [0, 1])
        #expect(attempt == updated)
    }

    /// The finalised PSBT of BIP174 extracts to the published network transaction, and
    /// finalising it again changes nothing.
    @Test func bip174Extractor() throws {
        var finalized = try PSBT(base64: try Self.base64(after: "Given the above PSBT, an input finalizer must create this PSBT:"))
        let text = try TestVectors.text("bip-0174.mediawiki")
        let marker = try #require(text.range(of: "a transaction extractor must create this Bitcoin transaction:"))
        let expected = Self.preBlocks(text[marker.upperBound...])[0]
        #expect(Hex.encode(try finalized.extractTransaction().serialized()) == expected)
        let before = finalized
        #expect(Hex.encode(try finalized.finalize().serialized()) == expected)
        #expect(finalized == before)
    }

    @Test func typedFieldsOfTheTaprootVectors() throws {
        let withSignature = try #require(Self.bip371Valid.first { $0.name.contains("internal key, its derivation path, and signature") })
        let psbt = try PSBT(serialized: withSignature.bytes)
        let input = psbt.inputs[0]
        #expect(input.tapKeySignature?.count == 64)
        #expect(input.tapInternalKey.map { Hex.encode($0) } == "fe349064c98d6e2a853fa3c9b12bd8b304a19c195c60efa7ee2393046d3fa232")
        let derivation = try #require(input.tapBIP32Derivations.first)
        #expect(derivation.leafHashes.isEmpty)
        #expect(derivation.origin.description == "[772b2da7/86'/1'/0'/1/0]")
        #expect(input.witnessUTXO?.value == 5_000_000_000)
        // The signature verifies against the output key under SIGHASH_DEFAULT.
        let spent = try #require(input.witnessUTXO)
        let digest = try psbt.unsignedTransaction.taprootSignatureHash(inputIndex: 0, spentOutputs: [spent], sighashType: .default)
        #expect(Secp256k1.isValidSchnorrSignature(try #require(input.tapKeySignature), message: digest, xOnlyPublicKey: Array(spent.scriptPubKey.dropFirst(2))))
        var finalized = psbt
        let transaction = try finalized.finalize()
        #expect(transaction.inputs[0].witness == [try #require(input.tapKeySignature)])
        #expect(finalized.inputs[0].tapKeySignature == nil && finalized.inputs[0].tapInternalKey == nil)
        #expect(finalized.inputs[0].witnessUTXO == spent)
    }
}
