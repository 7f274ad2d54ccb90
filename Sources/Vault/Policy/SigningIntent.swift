import CofferBase
import WalletCore

/// What a signing request claims to do. The payload must match it before any policy runs.
///
/// Two wire forms (all amounts decimal strings of smallest units), exactly one per intent:
/// - one payment: `{"chain","wallet","destination","asset","amount","fee"[,"token_contract"]}`;
/// - a batch, one transaction paying many recipients (a Bitcoin-family payout batch):
///   `{"chain","wallet","outputs":[{"destination","amount"},...],"asset","fee"[,"token_contract"]}`
///   with 1 to ``maximumOutputs`` outputs.
///
/// Both forms expose their payments as ``payments`` and their sum as ``total``; a batch of one is
/// still a batch (its canonical JSON, hence its request hash, is the batch form's).
public struct SigningIntent: Sendable, Equatable, Codable {
    /// One payment: to whom, and how much in smallest units of the intent's `asset`.
    public struct Output: Sendable, Hashable {
        public var destination: String
        public var amount: UInt128

        public init(destination: String, amount: UInt128) {
            self.destination = destination
            self.amount = amount
        }
    }

    /// The most outputs a batch may list.
    public static let maximumOutputs = 10_000

    public var chain: String
    /// Source wallet, by vault id or name.
    public var wallet: String
    /// Asset code, e.g. "ETH", "BTC", "USDT".
    public var asset: String
    /// The most the transaction may pay in fees, in the smallest unit of the chain's native coin
    /// (wei, satoshi, SUN, lamports), also when `asset` is a token: fees are always paid in the
    /// native coin. A payload that can pay more is denied (rule `intent-mismatch`). For a batch it
    /// caps the whole transaction's fee.
    public var fee: UInt128
    /// The token contract for token transfers (ERC-20, TRC-20); nil for the chain's native asset.
    public var tokenContract: String?
    /// Every payment the intent describes, in the order given: the single payment, or a batch's
    /// outputs. The intent check compares them with the payload's as a multiset.
    public private(set) var payments: [Output]
    /// Whether the intent was written as a batch (`outputs`), even of one payment.
    public private(set) var isBatch: Bool

    /// One payment of `amount` to `destination`.
    public init(chain: String, wallet: String, destination: String, asset: String, amount: UInt128, fee: UInt128, tokenContract: String? = nil) {
        self.chain = chain
        self.wallet = wallet
        self.asset = asset
        self.fee = fee
        self.tokenContract = tokenContract
        payments = [Output(destination: destination, amount: amount)]
        isBatch = false
    }

    /// A batch: one transaction making every payment of `outputs` (1 to ``maximumOutputs``, whose
    /// total must not exceed 2^128-1). Throws naming what is wrong.
    public init(chain: String, wallet: String, outputs: [Output], asset: String, fee: UInt128, tokenContract: String? = nil) throws(PolicyError) {
        guard (1...Self.maximumOutputs).contains(outputs.count) else {
            throw PolicyError("intent: \"outputs\" must list 1 to \(Self.maximumOutputs) payments, got \(outputs.count)")
        }
        var total: UInt128 = 0
        for output in outputs {
            let (sum, overflow) = total.addingReportingOverflow(output.amount)
            guard !overflow else { throw PolicyError("intent: the outputs' amounts add up to more than 2^128-1") }
            total = sum
        }
        self.chain = chain
        self.wallet = wallet
        self.asset = asset
        self.fee = fee
        self.tokenContract = tokenContract
        payments = outputs
        isBatch = true
    }

    /// The single payment's destination; nil for a batch (see ``outputs``).
    public var destination: String? { isBatch ? nil : payments[0].destination }
    /// The single payment's amount; nil for a batch (see ``outputs`` and ``total``).
    public var amount: UInt128? { isBatch ? nil : payments[0].amount }
    /// A batch's outputs; nil for a single payment.
    public var outputs: [Output]? { isBatch ? payments : nil }
    /// What the intent moves in all: the single amount, or the sum of a batch's outputs (never
    /// above 2^128-1: the initialisers refuse such batches).
    public var total: UInt128 { payments.reduce(0) { $0 + $1.amount } }

    /// Destinations compare case-insensitively for hex chains (an EIP-55 address and its lower-case
    /// form are the same account) and exactly elsewhere (Base58 and Bech32 are case-significant or
    /// canonical lower case).
    public static func normalize(_ destination: String, chain: String) -> String {
        chain == "ethereum" || destination.lowercased().hasPrefix("bc1") || destination.lowercased().hasPrefix("tb1")
            ? destination.lowercased() : destination
    }

    /// The payments with their destinations normalised for ``chain`` (``normalize(_:chain:)``).
    public var normalizedPayments: [Output] {
        payments.map { Output(destination: Self.normalize($0.destination, chain: chain), amount: $0.amount) }
    }

    /// Reads the intent object strictly: every field but `token_contract` is required (`fee`
    /// included: a request must say what it is willing to pay), with either `destination` and
    /// `amount` or `outputs`, never both; amounts are decimal strings of smallest units, unknown
    /// fields are refused; errors name the field.
    public init(json: JSONValue) throws(PolicyError) {
        let fields = try JSONFields(json, context: "intent")
        let batch = fields.has("outputs")
        if batch, let clash = ["destination", "amount"].first(where: fields.has) {
            throw PolicyError("intent: give \"outputs\" (a batch) or \"destination\" and \"amount\" (one payment), not both; remove \"\(clash)\"")
        }
        if !batch, !fields.has("destination"), !fields.has("amount") {
            throw PolicyError("intent: \"destination\" and \"amount\" (one payment) or \"outputs\" (a batch) are required")
        }
        let common = ["chain", "wallet", "asset", "fee", "token_contract"]
        try fields.allowOnly(Set(common + (batch ? ["outputs"] : ["destination", "amount"])))
        let chain = try fields.string("chain")
        guard Chain(rawValue: chain) != nil else {
            throw PolicyError("intent: unknown chain \"\(chain.prefix(40))\"; expected \(Chain.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let wallet = try fields.string("wallet")
        if batch {
            let outputs = try Self.outputs(try fields.required("outputs"))
            try self.init(
                chain: chain, wallet: wallet, outputs: outputs, asset: try fields.string("asset"),
                fee: try PolicyError.amount(try fields.string("fee"), field: "intent fee"), tokenContract: try fields.optionalString("token_contract"))
        } else {
            self.init(
                chain: chain, wallet: wallet, destination: try fields.string("destination"), asset: try fields.string("asset"),
                amount: try PolicyError.amount(try fields.string("amount"), field: "intent amount"),
                fee: try PolicyError.amount(try fields.string("fee"), field: "intent fee"),
                tokenContract: try fields.optionalString("token_contract"))
        }
    }

    /// `"outputs"`: an array of 1 to ``maximumOutputs`` `{"destination","amount"}` objects.
    private static func outputs(_ value: JSONValue) throws(PolicyError) -> [Output] {
        guard case .array(let elements) = value else {
            throw PolicyError("intent: \"outputs\" must be an array of {\"destination\",\"amount\"} objects, got \(value.kindName)")
        }
        guard (1...maximumOutputs).contains(elements.count) else {
            throw PolicyError("intent: \"outputs\" must list 1 to \(maximumOutputs) payments, got \(elements.count)")
        }
        var outputs: [Output] = []
        outputs.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let context = "intent.outputs[\(index)]"
            let fields = try JSONFields(element, context: context)
            try fields.allowOnly(["destination", "amount"])
            outputs.append(Output(
                destination: try fields.string("destination"),
                amount: try PolicyError.amount(try fields.string("amount"), field: "\(context) amount")))
        }
        return outputs
    }

    /// The wire form: the single form's members exactly as before batches existed (so its
    /// canonical JSON and request hash are unchanged), or `outputs` for a batch; `token_contract`
    /// only when there is one.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("chain", .string(chain)), ("wallet", .string(wallet))]
        if isBatch {
            members.append(("outputs", .array(payments.map { .object([("destination", .string($0.destination)), ("amount", .string(String($0.amount)))]) })))
            members.append(("asset", .string(asset)))
        } else {
            members += [("destination", .string(payments[0].destination)), ("asset", .string(asset)), ("amount", .string(String(payments[0].amount)))]
        }
        members.append(("fee", .string(String(fee))))
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
