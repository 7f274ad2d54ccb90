import CofferBase
import Foundation
import WalletCore

/// One chain's payload type: its wire name, its chain, and its strict JSON form. Each is parsed
/// completely when the request is read, so a stored request always holds a payload that parses.
public protocol ChainSigningPayload: Sendable, Equatable {
    /// The payload's `"type"` on the wire, e.g. `"ethereum-tx"`.
    static var type: String { get }
    /// The intent's chain this payload signs on, e.g. `"ethereum"`.
    static var chain: String { get }
    /// Reads the payload object (with its `"type"` member); unknown members are refused and
    /// errors name the member.
    init(json: JSONValue) throws(PolicyError)
    /// The payload object as it travels, `"type"` included. Reading it back gives an equal value.
    var json: JSONValue { get }
    /// This payload in the closed enum of all payloads.
    var signingPayload: SigningPayload { get }
    /// This payload type's case of `payload`, or nil for another type.
    init?(_ payload: SigningPayload)
}

/// The chain payload of a signing request: what the vault will sign, one case per payload type.
///
/// The wire form is the one requests have always used, an object with a `"type"` discriminator:
///
///     {"type":"ethereum-tx","chain_id":1,"path":"m/44'/60'/0'/0/0","tx":{…}}
///     {"type":"bitcoin-psbt","network":"mainnet","psbt":"<base64>"}
///     {"type":"tron-tx","raw_data_hex":"0a02…","path":"m/44'/195'/0'/0/0"}
///     {"type":"solana-tx","transaction":"<base64>"|"message":"<base64>","path":"m/44'/501'/0'/0'"}
///
/// Reading it is strict (unknown members, wrong types and malformed transactions are refused
/// with the member's name); writing it gives a normal form — quantities as decimal strings, hex
/// in lower case, base64 re-encoded — that reads back to the same value, so the request hash
/// commits to what is signed and not to how the client spelled it.
public enum SigningPayload: Sendable, Equatable, Codable {
    case ethereumTx(EthereumTransactionPayload)
    case bitcoinPSBT(BitcoinPSBTPayload)
    case tronTx(TronTransactionPayload)
    case solanaTx(SolanaTransactionPayload)

    /// Every payload type, by wire name.
    public static let types: [String] = [
        EthereumTransactionPayload.type, BitcoinPSBTPayload.type, TronTransactionPayload.type, SolanaTransactionPayload.type,
    ]

    /// The wire `"type"`.
    public var type: String {
        switch self {
        case .ethereumTx: EthereumTransactionPayload.type
        case .bitcoinPSBT: BitcoinPSBTPayload.type
        case .tronTx: TronTransactionPayload.type
        case .solanaTx: SolanaTransactionPayload.type
        }
    }

    /// The chain it signs on.
    public var chain: String {
        switch self {
        case .ethereumTx: EthereumTransactionPayload.chain
        case .bitcoinPSBT: BitcoinPSBTPayload.chain
        case .tronTx: TronTransactionPayload.chain
        case .solanaTx: SolanaTransactionPayload.chain
        }
    }

    /// Reads a payload object, dispatching on its `"type"`.
    public init(json: JSONValue) throws(PolicyError) {
        let fields = try JSONFields(json, context: "payload")
        let type = try fields.string("type")
        switch type {
        case EthereumTransactionPayload.type: self = .ethereumTx(try EthereumTransactionPayload(json: json))
        case BitcoinPSBTPayload.type: self = .bitcoinPSBT(try BitcoinPSBTPayload(json: json))
        case TronTransactionPayload.type: self = .tronTx(try TronTransactionPayload(json: json))
        case SolanaTransactionPayload.type: self = .solanaTx(try SolanaTransactionPayload(json: json))
        default:
            throw PolicyError("payload: type \"\(type.prefix(40))\" is not supported; supported: \(Self.types.joined(separator: ", "))")
        }
    }

    public var json: JSONValue {
        switch self {
        case .ethereumTx(let payload): payload.json
        case .bitcoinPSBT(let payload): payload.json
        case .tronTx(let payload): payload.json
        case .solanaTx(let payload): payload.json
        }
    }

    public init(from decoder: any Decoder) throws { try self.init(json: try JSONValue(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

/// `{"type":"ethereum-tx","chain_id":1,"path":"m/44'/60'/0'/0/0","tx":{…}}`: `tx` is the
/// transaction object of `coffer sign ethereum-tx` (types 0, 1 and 2); `path` is required for HD
/// wallets and refused for single-key ones (at signing).
public struct EthereumTransactionPayload: ChainSigningPayload {
    public static let type = "ethereum-tx"
    public static let chain = "ethereum"

    /// The transaction, its chain id included.
    public let transaction: EthereumTransaction
    public let path: DerivationPath?

    /// The EIP-155 chain id, at most 2^53 (the JSON number range every reader agrees on).
    public var chainID: UInt64 { transaction.chainID.uint64 ?? 0 }

    public init(transaction: EthereumTransaction, path: DerivationPath?) throws(PolicyError) {
        guard let chainID = transaction.chainID.uint64, chainID <= CanonicalJSON.maximumMagnitude else {
            throw PolicyError("payload: \"chain_id\" \(transaction.chainID) is above 2^53")
        }
        self.transaction = transaction
        self.path = path
    }

    public init(json: JSONValue) throws(PolicyError) {
        let fields = try PayloadFields(json, type: Self.type, allowed: ["chain_id", "path", "tx"])
        let chainID = try fields.fields.integer("chain_id", range: 1...Int64(CanonicalJSON.maximumMagnitude))
        let path = try fields.path()
        let tx = try fields.fields.object("tx", context: "payload.tx")
        let transaction: EthereumTransaction
        do {
            let text = try CanonicalJSON.encode(.object(tx.members), path: "payload.tx")
            transaction = try EthereumTransaction(json: text, chainID: EthereumQuantity(UInt64(chainID)))
        } catch let error as JSONError {
            throw PolicyError(error.description)
        } catch {
            let message = String(describing: error)
            throw PolicyError("payload.tx: " + (message.hasPrefix("transaction: ") ? String(message.dropFirst(13)) : message))
        }
        try self.init(transaction: transaction, path: path)
    }

    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("type", .string(Self.type)), ("chain_id", .number(String(chainID)))]
        if let path { members.append(("path", .string(path.description))) }
        members.append(("tx", Self.json(transaction)))
        return .object(members)
    }

    /// The transaction in the request format, quantities as decimal strings.
    static func json(_ transaction: EthereumTransaction) -> JSONValue {
        func quantity(_ value: EthereumQuantity) -> JSONValue { .string(value.description) }
        var members: [(key: String, value: JSONValue)] = [("type", .number(String(transaction.type))), ("nonce", quantity(transaction.nonce))]
        switch transaction.fees {
        case .legacy(let gasPrice), .accessList(let gasPrice):
            members.append(("gas_price", quantity(gasPrice)))
        case .dynamic(let maxPriorityFeePerGas, let maxFeePerGas):
            members += [("max_priority_fee_per_gas", quantity(maxPriorityFeePerGas)), ("max_fee_per_gas", quantity(maxFeePerGas))]
        }
        members.append(("gas", quantity(transaction.gasLimit)))
        if let to = transaction.to { members.append(("to", .string(EthereumAddress.checksummed(to)))) }
        members += [("value", quantity(transaction.value)), ("data", .string("0x" + Hex.encode(transaction.data)))]
        if transaction.type != 0 {
            members.append(("access_list", .array(transaction.accessList.map { entry in
                .object([
                    ("address", .string(EthereumAddress.checksummed(entry.address))),
                    ("storage_keys", .array(entry.storageKeys.map { .string("0x" + Hex.encode($0)) })),
                ])
            })))
        }
        return .object(members)
    }

    public var signingPayload: SigningPayload { .ethereumTx(self) }
    public init?(_ payload: SigningPayload) {
        guard case .ethereumTx(let payload) = payload else { return nil }
        self = payload
    }
}

/// `{"type":"bitcoin-psbt","network":"mainnet","psbt":"<base64>"}`. `network` is any Bitcoin-like
/// network of the registry by its name or registry name ("testnet", "bitcoin-regtest",
/// "litecoin-mainnet"; default mainnet) and is kept by its name. The PSBT is kept as parsed; it
/// serialises back byte for byte.
public struct BitcoinPSBTPayload: ChainSigningPayload {
    public static let type = "bitcoin-psbt"
    public static let chain = "bitcoin"

    public let network: BitcoinNetwork
    public let psbt: PSBT

    public init(network: BitcoinNetwork, psbt: PSBT) {
        self.network = network
        self.psbt = psbt
    }

    public init(json: JSONValue) throws(PolicyError) {
        let fields = try PayloadFields(json, type: Self.type, allowed: ["network", "psbt"])
        let networkName = try fields.fields.optionalString("network") ?? BitcoinNetwork.mainnet.name
        let network: BitcoinNetwork
        do { network = try BitcoinNetwork(parsing: networkName) } catch { throw PolicyError("payload: \"network\": \(error)") }
        do {
            self.init(network: network, psbt: try PSBT(base64: try fields.fields.string("psbt")))
        } catch let error as PolicyError {
            throw error
        } catch {
            throw PolicyError("payload: \"psbt\": \(error)")
        }
    }

    public var json: JSONValue {
        .object([("type", .string(Self.type)), ("network", .string(network.name)), ("psbt", .string(psbt.base64))])
    }

    public var signingPayload: SigningPayload { .bitcoinPSBT(self) }
    public init?(_ payload: SigningPayload) {
        guard case .bitcoinPSBT(let payload) = payload else { return nil }
        self = payload
    }
}

/// `{"type":"tron-tx","raw_data_hex":"0a02…","path":"m/44'/195'/0'/0/0"}`: the protobuf
/// `Transaction.raw` a TRON node returns, in hex.
public struct TronTransactionPayload: ChainSigningPayload {
    public static let type = "tron-tx"
    public static let chain = "tron"

    /// The serialised `raw_data`: what the txID hashes and the signature covers.
    public let rawData: [UInt8]
    public let path: DerivationPath?

    public init(rawData: [UInt8], path: DerivationPath?) throws(PolicyError) {
        do { _ = try TronRawData(rawData) } catch { throw PolicyError("payload: \"raw_data_hex\": \(error)") }
        self.rawData = rawData
        self.path = path
    }

    public init(json: JSONValue) throws(PolicyError) {
        let fields = try PayloadFields(json, type: Self.type, allowed: ["raw_data_hex", "path"])
        let rawData: [UInt8]
        do { rawData = try Hex.decode(try fields.fields.string("raw_data_hex")) } catch let error as PolicyError { throw error } catch {
            throw PolicyError("payload: \"raw_data_hex\": \(error)")
        }
        try self.init(rawData: rawData, path: try fields.path())
    }

    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("type", .string(Self.type)), ("raw_data_hex", .string(Hex.encode(rawData)))]
        if let path { members.append(("path", .string(path.description))) }
        return .object(members)
    }

    public var signingPayload: SigningPayload { .tronTx(self) }
    public init?(_ payload: SigningPayload) {
        guard case .tronTx(let payload) = payload else { return nil }
        self = payload
    }
}

/// `{"type":"solana-tx","transaction":"<base64>","path":"m/44'/501'/0'/0'"}`, or `"message"`
/// (an unsigned message) instead of `"transaction"` (possibly carrying other signers'
/// signatures); exactly one of the two.
public struct SolanaTransactionPayload: ChainSigningPayload {
    public static let type = "solana-tx"
    public static let chain = "solana"

    /// Which member carried it, so it is written back the same way.
    public enum Form: String, Sendable, Equatable {
        case transaction, message
    }

    public let transaction: SolanaTransaction
    public let form: Form
    public let path: DerivationPath?

    public init(transaction: SolanaTransaction, form: Form, path: DerivationPath?) {
        self.transaction = transaction
        self.form = form
        self.path = path
    }

    public init(json: JSONValue) throws(PolicyError) {
        let fields = try PayloadFields(json, type: Self.type, allowed: ["transaction", "message", "path"])
        let transaction: SolanaTransaction
        let form: Form
        switch (try fields.fields.optionalString("transaction"), try fields.fields.optionalString("message")) {
        case (let text?, nil):
            do { transaction = try SolanaTransaction(base64: text) } catch { throw PolicyError("payload: \"transaction\": \(error)") }
            form = .transaction
        case (nil, let text?):
            do { transaction = try SolanaTransaction(messageBase64: text) } catch { throw PolicyError("payload: \"message\": \(error)") }
            form = .message
        case (nil, nil):
            throw PolicyError("payload: \"transaction\" or \"message\" is required")
        case (_?, _?):
            throw PolicyError("payload: give \"transaction\" or \"message\", not both")
        }
        self.init(transaction: transaction, form: form, path: try fields.path())
    }

    public var json: JSONValue {
        let content = switch form {
        case .transaction: transaction.base64
        case .message: Data(transaction.message.serialized).base64EncodedString()
        }
        var members: [(key: String, value: JSONValue)] = [("type", .string(Self.type)), (form.rawValue, .string(content))]
        if let path { members.append(("path", .string(path.description))) }
        return .object(members)
    }

    public var signingPayload: SigningPayload { .solanaTx(self) }
    public init?(_ payload: SigningPayload) {
        guard case .solanaTx(let payload) = payload else { return nil }
        self = payload
    }
}

/// A payload object's members once its `"type"` is checked: the shared part of each reader.
struct PayloadFields {
    let fields: JSONFields

    init(_ json: JSONValue, type: String, allowed: Set<String>) throws(PolicyError) {
        fields = try JSONFields(json, context: "payload")
        try fields.allowOnly(allowed.union(["type"]))
        let actual = try fields.string("type")
        guard actual == type else { throw PolicyError("payload: \"type\" is \"\(actual.prefix(40))\", expected \"\(type)\"") }
    }

    /// The optional `"path"` member, a BIP32/SLIP-10 derivation path.
    func path() throws(PolicyError) -> DerivationPath? {
        guard let text = try fields.optionalString("path") else { return nil }
        do { return try DerivationPath(parsing: text) } catch { throw PolicyError("payload: \"path\": \(error)") }
    }
}
