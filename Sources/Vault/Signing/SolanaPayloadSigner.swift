import WalletCore

/// Payload `{"type":"solana-tx","transaction":"<base64>","path":"m/44'/501'/0'/0'"}` (or `"message"`
/// instead of `"transaction"`): one SOL transfer, checked against the intent, signed with the
/// wallet's ed25519 key in its required-signer slot.
public struct SolanaPayloadSigner: PayloadSigner {
    public let payloadType = "solana-tx"
    public let chain = "solana"

    public init() {}

    public func decodeTransfer(_ payload: [String: Any]) throws -> DecodedTransfer {
        let transfer = try SolanaTransfer(message: try Self.transaction(payload).message)
        return DecodedTransfer(destination: transfer.destination, tokenContract: nil, amount: UInt128(transfer.lamports))
    }

    public func sign(_ payload: [String: Any], secret: WalletSecret) throws -> [String: String] {
        var transaction = try Self.transaction(payload)
        let path = try (payload["path"] as? String).map { try DerivationPath(parsing: $0) }
        let seed: SecretBytes
        switch secret {
        case .seed(let masterSeed):
            guard let path else { throw PolicyError("an HD wallet needs a \"path\" such as m/44'/501'/0'/0'") }
            seed = try Ed25519HDKey(seed: masterSeed).derive(path: path).privateKey
        case .privateKey(let key, .ed25519):
            seed = key
        case .privateKey(_, .secp256k1):
            throw PolicyError("a secp256k1 key cannot sign Solana transactions")
        }
        try transaction.sign(with: [try SolanaKeypair(seed: seed)])
        return ["transaction": transaction.base64, "signature": transaction.transactionID, "hash": transaction.transactionID]
    }

    static func transaction(_ payload: [String: Any]) throws -> SolanaTransaction {
        try JSONObject.allowOnly(["type", "transaction", "message", "path"], in: payload, context: "payload")
        if let message = try JSONObject.optionalString("message", in: payload, context: "payload") {
            return try SolanaTransaction(messageBase64: message)
        }
        return try SolanaTransaction(base64: try JSONObject.string("transaction", in: payload, context: "payload"))
    }
}
