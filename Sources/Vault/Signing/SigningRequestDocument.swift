import Crypto
import Foundation
import WalletCore

/// A signing request as submitted: a client-chosen id (the idempotency key), the intent, and the
/// chain payload to sign. Its hash covers a canonical form of all three; approvals sign that hash.
public struct SigningRequestDocument: Sendable {
    public let id: String
    public let intent: SigningIntent
    /// Token contract for token transfers (ERC-20...); nil for the chain's native asset.
    public let tokenContract: String?
    /// The payload object, re-serialised canonically (sorted keys).
    public let payloadJSON: [UInt8]
    /// SHA-256 of the canonical document.
    public let hash: [UInt8]
    public let canonicalJSON: [UInt8]

    public var hashHex: String { Hex.encode(hash) }

    /// `{"id":"..","intent":{"chain","wallet","destination","asset","amount","fee"[,"token_contract"]},"payload":{"type":..}}`
    public init(json: [UInt8]) throws(PolicyError) {
        let root = try JSONObject.parse(json, what: "signing request")
        try JSONObject.allowOnly(["id", "intent", "payload"], in: root, context: "signing request")
        let id = try JSONObject.string("id", in: root, context: "signing request")
        guard (1...128).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) else {
            throw PolicyError("signing request id must be 1-128 characters of letters, digits, - _ . :")
        }
        guard let intent = root["intent"] as? [String: Any] else { throw PolicyError("signing request: \"intent\" must be an object") }
        let context = "intent"
        try JSONObject.allowOnly(["chain", "wallet", "destination", "asset", "amount", "fee", "token_contract"], in: intent, context: context)
        let chain = try JSONObject.string("chain", in: intent, context: context)
        guard Chain(rawValue: chain) != nil else {
            throw PolicyError("intent: unknown chain \"\(chain)\"; expected \(Chain.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.intent = SigningIntent(
            chain: chain,
            wallet: try JSONObject.string("wallet", in: intent, context: context),
            destination: try JSONObject.string("destination", in: intent, context: context),
            asset: try JSONObject.string("asset", in: intent, context: context),
            amount: try AmountText.parse(try JSONObject.string("amount", in: intent, context: context), field: "intent amount"),
            fee: try AmountText.parse(try JSONObject.optionalString("fee", in: intent, context: context) ?? "0", field: "intent fee"))
        tokenContract = try JSONObject.optionalString("token_contract", in: intent, context: context)
        guard let payload = root["payload"] as? [String: Any] else { throw PolicyError("signing request: \"payload\" must be an object") }
        _ = try JSONObject.string("type", in: payload, context: "payload")
        self.id = id
        do {
            payloadJSON = Array(try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes]))
            canonicalJSON = Array(try JSONSerialization.data(withJSONObject: ["id": id, "intent": intent, "payload": payload], options: [.sortedKeys, .withoutEscapingSlashes]))
        } catch {
            throw PolicyError("signing request cannot be serialised: \(error)")
        }
        hash = Array(SHA256.hash(data: canonicalJSON))
    }

    public var payload: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(payloadJSON))) as? [String: Any] ?? [:]
    }
}

/// What a payload would actually do once signed, decoded by the chain's signer.
public struct DecodedTransfer: Sendable, Equatable {
    public var destination: String
    /// nil for the native asset.
    public var tokenContract: String?
    public var amount: UInt128

    public init(destination: String, tokenContract: String?, amount: UInt128) {
        self.destination = destination
        self.tokenContract = tokenContract
        self.amount = amount
    }
}

/// Decodes and signs one payload type for one chain. Registered with the signing service.
public protocol PayloadSigner: Sendable {
    /// The payload's "type", e.g. "ethereum-tx".
    var payloadType: String { get }
    var chain: String { get }
    /// What the payload moves, for the intent check.
    func decodeTransfer(_ payload: [String: Any]) throws -> DecodedTransfer
    /// Signs with the wallet's secret; returns the result object (raw transaction, hash...).
    func sign(_ payload: [String: Any], secret: WalletSecret) throws -> [String: String]
}

/// Approvals sign this message: a domain tag and the request hash, so an approval can never be
/// replayed as a signature over anything else.
public enum ApprovalMessage {
    public static func bytes(requestHash: [UInt8]) -> [UInt8] {
        Array("coffer-approval-v1:".utf8) + Array(Hex.encode(requestHash).utf8)
    }
}
