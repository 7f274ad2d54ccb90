import CofferBase
import Foundation
import WalletCore

/// What signing a request produced, one case per payload type.
///
/// The wire form keeps the members results have always had, plus a `"type"` discriminator (the
/// payload's) and, for every chain, `"hash"`: the transaction hash when it is known.
///
///     {"type":"ethereum-tx","raw":"0x…","hash":"0x…","from":"0x…"}
///     {"type":"bitcoin-psbt","psbt":"<base64>","signed_inputs":"0,1"[,"tx":"<hex>","hash":"<txid>"]}
///     {"type":"tron-tx","txID":"<hex>","signature":"<hex r||s||v>","hash":"<txID>"}
///     {"type":"solana-tx","transaction":"<base64>","signature":"<base58>","hash":"<signature>"}
public enum SigningResult: Sendable, Equatable, Codable {
    case ethereumTx(EthereumSigningResult)
    case bitcoinPSBT(BitcoinPSBTSigningResult)
    case tronTx(TronSigningResult)
    case solanaTx(SolanaSigningResult)

    /// The payload type it answers.
    public var type: String {
        switch self {
        case .ethereumTx: EthereumTransactionPayload.type
        case .bitcoinPSBT: BitcoinPSBTPayload.type
        case .tronTx: TronTransactionPayload.type
        case .solanaTx: SolanaTransactionPayload.type
        }
    }

    /// The transaction's hash as its chain shows it (`0x…` Keccak-256, Bitcoin txid, TRON txID,
    /// Solana signature); nil for a PSBT that is not complete yet.
    public var transactionHash: String? {
        switch self {
        case .ethereumTx(let result): "0x" + Hex.encode(result.hash)
        case .bitcoinPSBT(let result): result.txid
        case .tronTx(let result): Hex.encode(result.txID)
        case .solanaTx(let result): result.signature
        }
    }

    /// The wire members in order, all strings: `type` first, then the chain's, then `hash`.
    public var fields: [(key: String, value: String)] {
        var fields: [(key: String, value: String)] = [("type", type)]
        switch self {
        case .ethereumTx(let result):
            fields += [("raw", "0x" + Hex.encode(result.raw)), ("from", result.from)]
        case .bitcoinPSBT(let result):
            fields += [("psbt", result.psbt.base64), ("signed_inputs", result.signedInputs.map(String.init).joined(separator: ","))]
            if let transaction = result.transaction { fields.append(("tx", Hex.encode(transaction.serialized()))) }
        case .tronTx(let result):
            fields += [("txID", Hex.encode(result.txID)), ("signature", Hex.encode(result.signature))]
        case .solanaTx(let result):
            fields += [("transaction", result.transaction.base64), ("signature", result.signature)]
        }
        if let transactionHash { fields.append(("hash", transactionHash)) }
        return fields
    }

    public var json: JSONValue { .object(fields.map { ($0.key, .string($0.value)) }) }

    /// Reads a result object strictly. A stored result from before results had a `"type"` is
    /// recognised by its members (`raw`, `psbt`, `txID`, `transaction`).
    public init(json: JSONValue) throws(PolicyError) {
        let fields = try JSONFields(json, context: "result")
        let type: String
        if let declared = try fields.optionalString("type") {
            type = declared
        } else if let legacy = [("raw", EthereumTransactionPayload.type), ("psbt", BitcoinPSBTPayload.type),
                                ("txID", TronTransactionPayload.type), ("transaction", SolanaTransactionPayload.type)]
            .first(where: { fields.has($0.0) })?.1 {
            type = legacy
        } else {
            throw PolicyError("result: \"type\" is required")
        }
        func bytes(_ key: String) throws(PolicyError) -> [UInt8] {
            do { return try Hex.decode(try fields.string(key)) } catch let error as PolicyError { throw error } catch {
                throw PolicyError("result: \"\(key)\": \(error)")
            }
        }
        switch type {
        case EthereumTransactionPayload.type:
            try fields.allowOnly(["type", "raw", "hash", "from"])
            self = .ethereumTx(EthereumSigningResult(raw: try bytes("raw"), from: try fields.string("from")))
        case BitcoinPSBTPayload.type:
            try fields.allowOnly(["type", "psbt", "signed_inputs", "tx", "hash"])
            let indices = try fields.string("signed_inputs").split(separator: ",", omittingEmptySubsequences: false)
            var signed: [Int] = []
            for index in indices {
                guard let number = Int(index), number >= 0 else { throw PolicyError("result: \"signed_inputs\" must be input numbers separated by commas") }
                signed.append(number)
            }
            do {
                let transaction = try fields.optionalString("tx").map { text throws(BitcoinEncodingError) in try BitcoinTransaction(hex: text) }
                self = .bitcoinPSBT(BitcoinPSBTSigningResult(psbt: try PSBT(base64: try fields.string("psbt")), signedInputs: signed, transaction: transaction))
            } catch let error as PolicyError { throw error } catch {
                throw PolicyError("result: \(error)")
            }
        case TronTransactionPayload.type:
            try fields.allowOnly(["type", "txID", "signature", "hash"])
            self = .tronTx(TronSigningResult(txID: try bytes("txID"), signature: try bytes("signature")))
        case SolanaTransactionPayload.type:
            try fields.allowOnly(["type", "transaction", "signature", "hash"])
            do {
                self = .solanaTx(SolanaSigningResult(transaction: try SolanaTransaction(base64: try fields.string("transaction"))))
            } catch let error as PolicyError { throw error } catch {
                throw PolicyError("result: \"transaction\": \(error)")
            }
            guard try fields.string("signature") == transactionHash else { throw PolicyError("result: \"signature\" is not the transaction's first signature") }
        default:
            throw PolicyError("result: unknown type \"\(type.prefix(40))\"")
        }
        if let hash = try fields.optionalString("hash"), hash != transactionHash {
            throw PolicyError("result: \"hash\" does not match the transaction")
        }
    }

    public init(from decoder: any Decoder) throws { try self.init(json: try JSONValue(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

/// A signed Ethereum transaction: the raw bytes to broadcast, their Keccak-256 hash, the sender.
public struct EthereumSigningResult: Sendable, Equatable {
    public let raw: [UInt8]
    public let hash: [UInt8]
    /// EIP-55 checksummed sender address.
    public let from: String

    /// `hash` is computed from `raw`.
    public init(raw: [UInt8], from: String) {
        self.raw = raw
        hash = Keccak256.hash(raw)
        self.from = from
    }

    public init(_ signed: SignedEthereumTransaction) {
        self.init(raw: signed.raw, from: signed.from)
    }
}

/// A PSBT after this wallet signed its inputs, and the final transaction when every input is.
public struct BitcoinPSBTSigningResult: Sendable, Equatable {
    /// The PSBT with this wallet's signatures (finalised when `transaction` is set).
    public let psbt: PSBT
    /// The inputs this wallet signed, by index.
    public let signedInputs: [Int]
    /// The complete transaction, when the PSBT could be finalised.
    public let transaction: BitcoinTransaction?

    public init(psbt: PSBT, signedInputs: [Int], transaction: BitcoinTransaction?) {
        self.psbt = psbt
        self.signedInputs = signedInputs
        self.transaction = transaction
    }

    /// The final transaction's id; nil while the PSBT is incomplete.
    public var txid: String? { transaction?.txid }
}

/// A TRON signature: the txID (SHA-256 of raw_data) and r||s||v, v = 27 or 28, as TronWeb writes it.
public struct TronSigningResult: Sendable, Equatable {
    public let txID: [UInt8]
    public let signature: [UInt8]

    public init(txID: [UInt8], signature: [UInt8]) {
        self.txID = txID
        self.signature = signature
    }
}

/// A Solana transaction with this wallet's signature in its slot.
public struct SolanaSigningResult: Sendable, Equatable {
    public let transaction: SolanaTransaction

    public init(transaction: SolanaTransaction) { self.transaction = transaction }

    /// The first signature (the fee payer's), in base58: the transaction id.
    public var signature: String { transaction.transactionID }
}
