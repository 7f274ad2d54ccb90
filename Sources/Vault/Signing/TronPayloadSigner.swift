import WalletCore

/// Payload `{"type":"tron-tx","raw_data_hex":"0a02...","path":"m/44'/195'/0'/0/0"}`: a TRX
/// transfer or a TRC-20 `transfer`, checked against the intent (`token_contract` for TRC-20),
/// signed as TronWeb does (txID = SHA-256(raw_data), r||s||v with v = 27/28).
public struct TronPayloadSigner: PayloadSigner {
    public let payloadType = "tron-tx"
    public let chain = "tron"

    public init() {}

    public func decodeTransfer(_ payload: [String: Any]) throws -> DecodedTransfer {
        let transfer = try TronTransfer(rawData: try Self.rawData(payload))
        guard transfer.amount.count <= 16 else { throw PolicyError("the amount exceeds 2^128-1 smallest units") }
        return DecodedTransfer(
            destination: transfer.destination, tokenContract: transfer.tokenContract,
            amount: transfer.amount.reduce(UInt128(0)) { $0 << 8 | UInt128($1) })
    }

    public func sign(_ payload: [String: Any], secret: WalletSecret) throws -> [String: String] {
        let rawData = try Self.rawData(payload)
        let path = try (payload["path"] as? String).map { try DerivationPath(parsing: $0) }
        guard let key = try WalletSigner.key(from: secret, curve: .secp256k1, path: path, walletID: "").secp256k1Key else {
            throw PolicyError("no secp256k1 key")
        }
        let signature = try TronTransactionSigner.sign(rawData: rawData, with: key)
        return ["txID": signature.txIDHex, "signature": signature.signatureHex, "hash": signature.txIDHex]
    }

    static func rawData(_ payload: [String: Any]) throws -> [UInt8] {
        try JSONObject.allowOnly(["type", "raw_data_hex", "path"], in: payload, context: "payload")
        do {
            return try Hex.decode(try JSONObject.string("raw_data_hex", in: payload, context: "payload"))
        } catch let error as PolicyError {
            throw error
        } catch {
            throw PolicyError("payload raw_data_hex: \(error)")
        }
    }
}
