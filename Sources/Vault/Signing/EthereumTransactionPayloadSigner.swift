import Foundation
import WalletCore

/// Payload `{"type":"ethereum-tx","chain_id":1,"path":"m/44'/60'/0'/0/0","tx":{...}}`, where `tx` is
/// the transaction object of `coffer sign ethereum-tx` and `path` is required for HD wallets.
/// The transfer it makes is the native `value` to `to`, or, when `data` is an ERC-20
/// `transfer(address,uint256)` call, that amount of the token at `to` to the call's recipient.
public struct EthereumTransactionPayloadSigner: PayloadSigner {
    public let payloadType = "ethereum-tx"
    public let chain = "ethereum"

    public init() {}

    static let transferSelector: [UInt8] = [0xA9, 0x05, 0x9C, 0xBB]

    public func decodeTransfer(_ payload: [String: Any]) throws -> DecodedTransfer {
        let transaction = try Self.transaction(payload)
        guard let to = transaction.to else { throw PolicyError("a contract creation is not a transfer; it cannot match an intent") }
        let data = transaction.data
        if data.isEmpty {
            return DecodedTransfer(destination: EthereumAddress.checksummed(to), tokenContract: nil, amount: try Self.amount(transaction.value.minimalBytes))
        }
        guard data.count == 68, Array(data[0..<4]) == Self.transferSelector, data[4..<16].allSatisfy({ $0 == 0 }) else {
            throw PolicyError("the transaction calls a contract with data that is not an ERC-20 transfer(address,uint256); only plain and ERC-20 transfers can be checked against an intent")
        }
        guard transaction.value == .zero else { throw PolicyError("an ERC-20 transfer must not also send ether (value must be 0)") }
        let recipient = Array(data[16..<36])
        let amountWord = data[36..<68].drop(while: { $0 == 0 })
        return DecodedTransfer(
            destination: EthereumAddress.checksummed(recipient), tokenContract: EthereumAddress.checksummed(to),
            amount: try Self.amount(Array(amountWord)))
    }

    public func sign(_ payload: [String: Any], secret: WalletSecret) throws -> [String: String] {
        let transaction = try Self.transaction(payload)
        let path = try (payload["path"] as? String).map { try DerivationPath(parsing: $0) }
        let signer = try WalletSigner.key(from: secret, curve: .secp256k1, path: path, walletID: "")
        guard let key = signer.secp256k1Key else { throw PolicyError("no secp256k1 key") }
        let signed = try transaction.signed(with: key)
        return ["raw": "0x" + Hex.encode(signed.raw), "hash": "0x" + Hex.encode(signed.hash), "from": signed.from]
    }

    static func transaction(_ payload: [String: Any]) throws -> EthereumTransaction {
        try JSONObject.allowOnly(["type", "chain_id", "path", "tx"], in: payload, context: "payload")
        guard let chainNumber = payload["chain_id"] as? NSNumber, !JSONObject.isBoolean(chainNumber), chainNumber.int64Value > 0,
              chainNumber.doubleValue == Double(chainNumber.int64Value)
        else { throw PolicyError("payload: \"chain_id\" must be a positive whole number") }
        guard let tx = payload["tx"] as? [String: Any] else { throw PolicyError("payload: \"tx\" must be an object") }
        let bytes = try JSONSerialization.data(withJSONObject: tx, options: [.sortedKeys])
        return try EthereumTransaction(json: [UInt8](bytes), chainID: EthereumQuantity(UInt64(chainNumber.int64Value)))
    }

    static func amount(_ bigEndian: [UInt8]) throws(PolicyError) -> UInt128 {
        guard bigEndian.count <= 16 else { throw PolicyError("the amount exceeds 2^128-1 smallest units") }
        return bigEndian.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }
}
