import CofferBase
import WalletCore

/// What a signing request claims to do. The payload must match it before any policy runs.
///
/// Wire form (all amounts decimal strings of smallest units):
/// `{"chain","wallet","destination","asset","amount","fee"[,"token_contract"]}`.
public struct SigningIntent: Sendable, Equatable, Codable {
    public var chain: String
    /// Source wallet, by vault id or name.
    public var wallet: String
    public var destination: String
    /// Asset code, e.g. "ETH", "BTC", "USDT".
    public var asset: String
    /// Smallest units of `asset`.
    public var amount: UInt128
    /// The most the transaction may pay in fees, in the smallest unit of the chain's native coin
    /// (wei, satoshi, SUN, lamports), also when `asset` is a token: fees are always paid in the
    /// native coin. A payload that can pay more is denied (rule `intent-mismatch`).
    public var fee: UInt128
    /// The token contract for token transfers (ERC-20, TRC-20); nil for the chain's native asset.
    public var tokenContract: String?

    public init(chain: String, wallet: String, destination: String, asset: String, amount: UInt128, fee: UInt128, tokenContract: String? = nil) {
        self.chain = chain
        self.wallet = wallet
        self.destination = destination
        self.asset = asset
        self.amount = amount
        self.fee = fee
        self.tokenContract = tokenContract
    }

    /// Destinations compare case-insensitively for hex chains (an EIP-55 address and its lower-case
    /// form are the same account) and exactly elsewhere (Base58 and Bech32 are case-significant or
    /// canonical lower case).
    public var normalizedDestination: String {
        Self.normalize(destination, chain: chain)
    }

    public static func normalize(_ destination: String, chain: String) -> String {
        chain == "ethereum" || destination.lowercased().hasPrefix("bc1") || destination.lowercased().hasPrefix("tb1")
            ? destination.lowercased() : destination
    }

    /// Reads the intent object strictly: every field but `token_contract` is required (`fee`
    /// included: a request must say what it is willing to pay), amounts are decimal strings of
    /// smallest units, unknown fields are refused; errors name the field.
    public init(json: JSONValue) throws(PolicyError) {
        let fields = try JSONFields(json, context: "intent")
        try fields.allowOnly(["chain", "wallet", "destination", "asset", "amount", "fee", "token_contract"])
        let chain = try fields.string("chain")
        guard Chain(rawValue: chain) != nil else {
            throw PolicyError("intent: unknown chain \"\(chain.prefix(40))\"; expected \(Chain.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.init(
            chain: chain, wallet: try fields.string("wallet"), destination: try fields.string("destination"), asset: try fields.string("asset"),
            amount: try PolicyError.amount(try fields.string("amount"), field: "intent amount"),
            fee: try PolicyError.amount(try fields.string("fee"), field: "intent fee"),
            tokenContract: try fields.optionalString("token_contract"))
    }

    /// The wire form; `token_contract` only when there is one.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("chain", .string(chain)), ("wallet", .string(wallet)), ("destination", .string(destination)), ("asset", .string(asset)),
            ("amount", .string(String(amount))), ("fee", .string(String(fee))),
        ]
        if let tokenContract { members.append(("token_contract", .string(tokenContract))) }
        return .object(members)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(json: try JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
