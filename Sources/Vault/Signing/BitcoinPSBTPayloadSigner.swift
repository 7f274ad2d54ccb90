import CofferBase
import WalletCore

/// Signs ``BitcoinPSBTPayload``s with an HD wallet (inputs matched by their BIP32 derivation
/// records) or a single-key wallet.
///
/// Decoding lists every output that is not provably the wallet's own change as a payment (see
/// ``PSBT/ownedOutputScheme(_:keys:)``: a derivation record with the wallet's fingerprint whose
/// key the wallet derives, and the output script exactly that key's; for single-key wallets,
/// the key's own scripts). Derivation records alone prove nothing — anyone can write them — so
/// without the wallet's public keys (vault locked) no output is change. The fee is the inputs'
/// UTXO values less the outputs, in satoshi; an input without its UTXO is refused as unverifiable.
public struct BitcoinPSBTPayloadSigner: PayloadSigner {
    public typealias Payload = BitcoinPSBTPayload

    public init() {}

    /// Always keys (possibly for no origin: a single-key wallet's change needs only its key).
    public func walletKeyOrigins(for payload: BitcoinPSBTPayload) -> [PSBTKeyOrigin]? {
        payload.psbt.outputKeyOrigins
    }

    public func decode(_ payload: BitcoinPSBTPayload, walletKeys: WalletPublicKeys?) throws(PolicyError) -> DecodedPayload {
        let psbt = payload.psbt
        let fee: UInt128
        do { fee = try psbt.fee() } catch { throw PolicyError("\(error)") }
        var transfers: [DecodedTransfer] = []
        var remarks: [String] = []
        for (index, output) in psbt.unsignedTransaction.outputs.enumerated() {
            if let walletKeys, psbt.ownedOutputScheme(index, keys: walletKeys) != nil { continue }
            let claimsChange = !psbt.outputs[index].bip32Derivations.isEmpty || !psbt.outputs[index].tapBIP32Derivations.isEmpty
            if claimsChange && walletKeys != nil {
                remarks.append("output \(index) carries derivation records, but they do not prove it is this wallet's change")
            }
            let destination = BitcoinAddress.address(scriptPubKey: output.scriptPubKey, network: payload.network)
                ?? "script:" + Hex.encode(output.scriptPubKey)
            transfers.append(DecodedTransfer(destination: destination, tokenContract: nil, amount: UInt128(output.value)))
        }
        if walletKeys == nil && transfers.count > 1 {
            remarks.append("the vault is locked, so no output could be proven to be this wallet's change; submit the request with the vault unlocked")
        }
        return DecodedPayload(transfers: transfers, maximumFee: .atMost(fee), feeUnit: "sat", remarks: remarks)
    }

    public func sign(_ payload: BitcoinPSBTPayload, secret: WalletSecret) throws -> SigningResult {
        var psbt = payload.psbt
        let key: PSBTSigningKey =
            switch secret {
            case .seed(let seed): .extendedKey(try ExtendedPrivateKey(seed: seed))
            case .privateKey(let bytes, .secp256k1): .privateKey(try Secp256k1.PrivateKey(secret: bytes))
            case .privateKey(_, .ed25519): throw PolicyError("an ed25519 key cannot sign Bitcoin inputs")
            case .watchOnly: throw VaultError.watchOnly("of this request")
            }
        let report = try psbt.sign(with: key)
        guard !report.signed.isEmpty else {
            throw PolicyError("no input of the PSBT belongs to this wallet: \(report.skipped.map { "input \($0.index): \($0.reason)" }.joined(separator: "; "))")
        }
        var finalized = psbt
        let transaction = try? finalized.finalize()
        return .bitcoinPSBT(BitcoinPSBTSigningResult(
            psbt: transaction == nil ? psbt : finalized, signedInputs: report.signed.map(\.index), transaction: transaction))
    }
}
