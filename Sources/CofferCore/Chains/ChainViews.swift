public import CofferBase

/// A chain Coffer follows, with where its syncer stands. Never the node's credentials.
public struct ChainView: Codable, Sendable, Equatable {
    public let name: String
    public let network: String
    public let family: String
    public let asset: String
    public let decimals: Int
    public let confirmations: UInt32
    public let startHeight: UInt64
    public let custodyAccount: String
    /// The last block the syncer applied (nil before the first).
    public let height: UInt64?
    public let hash: String?
    public let rpcURL: String
    public let tokens: [TokenView]

    enum CodingKeys: String, CodingKey {
        case name, network, family, asset, decimals, confirmations, startHeight = "start_height", custodyAccount = "custody_account", height, hash,
             rpcURL = "rpc_url", tokens
    }
}

/// A token contract a chain watches.
public struct TokenView: Codable, Sendable, Equatable {
    public let chain: String
    public let contract: String
    public let asset: String
    public let decimals: UInt8
}

/// A deposit address handed out and bound to an account.
public struct DepositAddressView: Codable, Sendable, Equatable {
    public let address: String
    public let path: String
    public let chain: String
    public let account: String
}

/// A deposit and how far it got. `amount` is in the asset's smallest unit.
public struct DepositView: Codable, Sendable, Equatable {
    public let chain: String
    public let txid: String
    public let index: UInt32
    public let address: String
    public let account: String
    public let asset: String
    public let amount: UInt128
    public let confirmations: UInt64
    public let status: String
    public let transferID: String?
    public let token: String?
    public let blockHeight: UInt64?
    public let blockHash: String?
    public let reversalID: String?
    public let invoiceID: String?

    enum CodingKeys: String, CodingKey {
        case chain, txid, index, address, account, asset, amount, confirmations, status, transferID = "transfer_id", token,
             blockHeight = "block_height", blockHash = "block_hash", reversalID = "reversal_id", invoiceID = "invoice_id"
    }
}

/// What `coffer chain sync --once` did.
public struct SyncView: Codable, Sendable, Equatable {
    public let chain: String
    public let height: UInt64?
    public let hash: String?
    public let deposits: Int
    public let credited: Int
    public let orphaned: Int
    public let reversed: Int

    public init(chain: String, height: UInt64?, hash: String?, deposits: Int, credited: Int, orphaned: Int, reversed: Int) {
        self.chain = chain
        self.height = height
        self.hash = hash
        self.deposits = deposits
        self.credited = credited
        self.orphaned = orphaned
        self.reversed = reversed
    }
}

/// A payment request and what arrived for it.
public struct InvoiceView: Codable, Sendable, Equatable {
    public let id: String
    public let address: String
    public let uri: String
    public let amount: UInt128
    public let asset: String
    public let status: String
    public let expiresAt: String
    public let chain: String
    public let account: String
    public let received: UInt128
    public let late: Bool
    public let memo: String?
    public let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, address, uri, amount, asset, status, expiresAt = "expires_at", chain, account, received, late, memo, createdAt = "created_at"
    }
}

/// One event of the outbox.
public struct EventView: Codable, Sendable, Equatable {
    public let sequence: Int64
    public let type: String
    public let subject: String
    public let data: JSONValue
    public let createdAt: String

    enum CodingKeys: String, CodingKey { case sequence, type, subject, data, createdAt = "created_at" }
}


/// A list answer over HTTP: `{"data": [...]}`.
public struct ListView<Item: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public let data: [Item]
    public init(_ data: [Item]) { self.data = data }
}
