/// `POST /v1/assets`, `coffer ledger asset create`.
public struct CreateAssetRequest: Codable, Sendable, Equatable {
    public var code: String
    public var decimals: UInt8
    public var chain: String?
    public var contract: String?

    public init(code: String, decimals: UInt8, chain: String? = nil, contract: String? = nil) {
        self.code = code
        self.decimals = decimals
        self.chain = chain
        self.contract = contract
    }
}

/// `POST /v1/accounts`, `coffer ledger account create`.
public struct CreateAccountRequest: Codable, Sendable, Equatable {
    public var id: String
    public var asset: String
    public var flags: [String]?
    public var owner: String?
    public var code: UInt16?
    public var metadata: String?

    public init(id: String, asset: String, flags: [String]? = nil, owner: String? = nil, code: UInt16? = nil, metadata: String? = nil) {
        self.id = id
        self.asset = asset
        self.flags = flags
        self.owner = owner
        self.code = code
        self.metadata = metadata
    }
}

/// `POST /v1/transfers/{id}/reverse`, `coffer ledger reverse`: the id of the new, reversing transfer.
public struct ReverseRequest: Codable, Sendable, Equatable {
    public var id: String

    public init(id: String) { self.id = id }
}

/// The filters of a transfer listing; they combine. Times are RFC 3339, `from` inclusive, `to` exclusive.
public struct TransferListQuery: Sendable, Equatable {
    public var account: String?
    public var reference: String?
    public var from: String?
    public var to: String?

    public init(account: String? = nil, reference: String? = nil, from: String? = nil, to: String? = nil) {
        self.account = account
        self.reference = reference
        self.from = from
        self.to = to
    }
}
