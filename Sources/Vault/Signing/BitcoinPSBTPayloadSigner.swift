import WalletCore

/// Payload `{"type":"bitcoin-psbt","network":"mainnet"|"testnet","psbt":"<base64>"}` signed by an
/// HD wallet (inputs matched by their BIP32 derivation records) or a single-key wallet.
///
/// The intent check: every output is either declared change (it carries a BIP32 or taproot
/// derivation record, as wallets write for their own outputs) or pays the intent's destination;
/// exactly one destination output, whose value is the intent's amount.
public struct BitcoinPSBTPayloadSigner: PayloadSigner {
    public let payloadType = "bitcoin-psbt"
    public let chain = "bitcoin"

    public init() {}

    public func decodeTransfer(_ payload: [String: Any]) throws -> DecodedTransfer {
        let (psbt, network) = try Self.parse(payload)
        var payments: [(address: String, value: UInt64)] = []
        for (index, output) in psbt.unsignedTransaction.outputs.enumerated() {
            let declaredChange = !psbt.outputs[index].bip32Derivations.isEmpty || !psbt.outputs[index].tapBIP32Derivations.isEmpty
            if declaredChange { continue }
            guard let address = BitcoinAddress.address(scriptPubKey: output.scriptPubKey, network: network) else {
                throw PolicyError("output \(index) pays a script with no address (and is not declared change)")
            }
            payments.append((address, output.value))
        }
        guard payments.count == 1, let payment = payments.first else {
            throw PolicyError("the PSBT must pay exactly one destination besides declared change outputs; it pays \(payments.count)")
        }
        return DecodedTransfer(destination: payment.address, tokenContract: nil, amount: UInt128(payment.value))
    }

    public func sign(_ payload: [String: Any], secret: WalletSecret) throws -> [String: String] {
        var (psbt, _) = try Self.parse(payload)
        let key: PSBTSigningKey =
            switch secret {
            case .seed(let seed): .extendedKey(try ExtendedPrivateKey(seed: seed))
            case .privateKey(let bytes, .secp256k1): .privateKey(try Secp256k1.PrivateKey(secret: bytes))
            case .privateKey(_, .ed25519): throw PolicyError("an ed25519 key cannot sign Bitcoin inputs")
            }
        let report = try psbt.sign(with: key)
        guard !report.signed.isEmpty else {
            throw PolicyError("no input of the PSBT belongs to this wallet: \(report.skipped.map { "input \($0.index): \($0.reason)" }.joined(separator: "; "))")
        }
        var result = ["psbt": psbt.base64, "signed_inputs": report.signed.map { String($0.index) }.joined(separator: ",")]
        if let transaction = try? psbt.finalize() {
            result["tx"] = Hex.encode(transaction.serialized())
            result["hash"] = transaction.txid
            result["psbt"] = psbt.base64
        }
        return result
    }

    static func parse(_ payload: [String: Any]) throws -> (PSBT, BitcoinNetwork) {
        try JSONObject.allowOnly(["type", "network", "psbt"], in: payload, context: "payload")
        let network = try BitcoinNetwork(parsing: try JSONObject.optionalString("network", in: payload, context: "payload") ?? "mainnet")
        let text = try JSONObject.string("psbt", in: payload, context: "payload")
        return (try PSBT(base64: text), network)
    }
}
