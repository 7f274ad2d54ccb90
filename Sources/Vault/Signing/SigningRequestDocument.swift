import CofferBase
import Crypto
import WalletCore

/// A signing request as submitted: a client-chosen id (the idempotency key), the intent, and the
/// chain payload to sign.
///
/// Its hash is SHA-256 of the RFC 8785 canonical JSON (``CanonicalJSON``) of
/// `{"id","intent","payload"}` written from the typed values: the same request gives the same
/// bytes whatever the client's whitespace, member order or spelling of equal values (a quantity
/// in hex or decimal, hex case, base64 form), and any change to what is signed or claimed changes
/// them. Approvals sign that hash; the canonical text is what the store keeps as the document.
public struct SigningRequestDocument: Sendable, Equatable, Codable {
    public let id: String
    public let intent: SigningIntent
    public let payload: SigningPayload
    /// The canonical UTF-8 text that was hashed and is stored.
    public let canonicalJSON: [UInt8]
    /// SHA-256 of ``canonicalJSON``.
    public let hash: [UInt8]

    public var hashHex: String { Hex.encode(hash) }

    /// 1-128 characters of letters, digits, `- _ . :`, optionally inside a tenant's scope.
    public static func isValid(id: String) -> Bool {
        var local = Substring(id)
        if let slash = id.firstIndex(of: "/") {
            guard TenantScope.isValid(id[..<slash]) else { return false }
            local = id[id.index(after: slash)...]
        }
        return (1...128).contains(local.count) && local.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) })
    }
    /// Token contract for token transfers (ERC-20...); nil for the chain's native asset.
    public var tokenContract: String? { intent.tokenContract }

    /// A request from typed values. The id is 1-128 characters of letters, digits, `- _ . :`,
    /// stored in a tenant's scope as `<tenant>/<id>` (see `TenantScope`).
    public init(id: String, intent: SigningIntent, payload: SigningPayload) throws(PolicyError) {
        guard Self.isValid(id: id) else {
            throw PolicyError("signing request id must be 1-128 characters of letters, digits, - _ . :")
        }
        self.id = id
        self.intent = intent
        self.payload = payload
        do {
            canonicalJSON = try CanonicalJSON.encode(.object([("id", .string(id)), ("intent", intent.json), ("payload", payload.json)]))
        } catch {
            throw PolicyError("signing request: \(error)")
        }
        hash = Array(SHA256.hash(data: canonicalJSON))
    }

    /// `{"id":"..","intent":{"chain","wallet","destination","asset","amount","fee"[,"token_contract"]},"payload":{"type":..}}`
    /// (a batch intent has `"outputs":[{"destination","amount"},...]` instead of `destination` and `amount`),
    /// read strictly: unknown members are refused and errors name the member.
    public init(json: JSONValue) throws(PolicyError) {
        let root = try JSONFields(json, context: "signing request")
        try root.allowOnly(["id", "intent", "payload"])
        let id = try root.string("id")
        let intent = try SigningIntent(json: try root.required("intent"))
        let payload = try SigningPayload(json: try root.required("payload"))
        try self.init(id: id, intent: intent, payload: payload)
    }

    /// Parses UTF-8 JSON text (a submitted request, or a stored canonical document).
    public init(json text: [UInt8]) throws(PolicyError) {
        try self.init(json: try JSONFields.parse(text, what: "signing request"))
    }

    /// The same payload under another id and source wallet (the HTTP API scopes a tenant's
    /// request: its id prefixed by the tenant, its wallet by vault id), hashed anew.
    public func with(id: String, wallet: String) throws(PolicyError) -> SigningRequestDocument {
        var intent = intent
        intent.wallet = wallet
        return try SigningRequestDocument(id: id, intent: intent, payload: payload)
    }

    /// The document as JSON: `{"id","intent","payload"}`.
    public var json: JSONValue {
        .object([("id", .string(id)), ("intent", intent.json), ("payload", payload.json)])
    }

    public init(from decoder: any Decoder) throws { try self.init(json: try JSONValue(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }

    public static func == (lhs: SigningRequestDocument, rhs: SigningRequestDocument) -> Bool {
        lhs.canonicalJSON == rhs.canonicalJSON
    }
}

/// Approvals sign this message: a domain tag and the request hash, so an approval can never be
/// replayed as a signature over anything else.
public enum ApprovalMessage {
    public static func bytes(requestHash: [UInt8]) -> [UInt8] {
        Array("coffer-approval-v1:".utf8) + Array(Hex.encode(requestHash).utf8)
    }
}
