/// A chain an operator (or a tenant) follows: which network, which node, how many confirmations
/// make a deposit final, where scanning starts, and the ledger accounts deposits move between.
/// Node credentials are never stored: only the path of the file that holds them.
public struct ChainConfig: Sendable, Equatable {
    /// The stored name (`<tenant>/<name>` for a tenant's chain, see `TenantScope`).
    public let name: String
    /// The tenant the chain belongs to, or "" for the operator's.
    public let scope: String
    /// The chain registry's name of the network (`litecoin-regtest`, `ethereum`, `evm:1337`).
    public let network: String
    public let rpcURL: String
    /// A Bitcoin Core cookie file, or nil.
    public let cookieFile: String?
    /// A node user name whose password is the first line of `passwordFile`, or nil.
    public let rpcUser: String?
    public let passwordFile: String?
    public let confirmations: UInt32
    public let startHeight: UInt64
    /// The stored ledger asset code of the chain's native asset.
    public let asset: String
    /// The stored ledger id of the account that stands for what Coffer holds on this chain: every
    /// credit is a transfer from it to the depositor's account.
    public let custodyAccount: String
    public let createdAt: String

    public init(name: String, scope: String, network: String, rpcURL: String, cookieFile: String?, rpcUser: String?, passwordFile: String?,
                confirmations: UInt32, startHeight: UInt64, asset: String, custodyAccount: String, createdAt: String) {
        self.name = name
        self.scope = scope
        self.network = network
        self.rpcURL = rpcURL
        self.cookieFile = cookieFile
        self.rpcUser = rpcUser
        self.passwordFile = passwordFile
        self.confirmations = confirmations
        self.startHeight = startHeight
        self.asset = asset
        self.custodyAccount = custodyAccount
        self.createdAt = createdAt
    }
}

/// A token contract whose transfers to watched addresses are deposits of a ledger asset.
public struct ChainToken: Sendable, Equatable {
    public let chain: String
    /// Lowercase 0x hex.
    public let contract: String
    /// The stored ledger asset code.
    public let asset: String
    public let decimals: UInt8

    public init(chain: String, contract: String, asset: String, decimals: UInt8) {
        self.chain = chain
        self.contract = contract
        self.asset = asset
        self.decimals = decimals
    }
}

/// Where a chain's syncer stands: the next height to read and the hash of the block below it
/// (nil before the first block read), which the next block must build on.
public struct SyncCursor: Sendable, Equatable {
    public let nextHeight: UInt64
    public let lastHash: String?

    public init(nextHeight: UInt64, lastHash: String?) {
        self.nextHeight = nextHeight
        self.lastHash = lastHash
    }

    /// The height of the last block read, nil before the first.
    public var height: UInt64? { lastHash == nil || nextHeight == 0 ? nil : nextHeight - 1 }
}

/// A deposit address bound to a ledger account (and, for an invoice's address, to the invoice).
public struct WatchedAddress: Sendable, Equatable {
    public let chain: String
    public let address: String
    /// The stored ledger id credited for payments to this address.
    public let account: String
    public let walletID: String
    public let path: String
    public let invoiceID: String?

    public init(chain: String, address: String, account: String, walletID: String, path: String, invoiceID: String?) {
        self.chain = chain
        self.address = address
        self.account = account
        self.walletID = walletID
        self.path = path
        self.invoiceID = invoiceID
    }

    /// How a watched address is matched against payments: EVM addresses in lowercase (their
    /// case is only an EIP-55 checksum); every other address exactly as derived, which is the
    /// canonical form nodes' outputs are encoded in (Bech32 in lowercase, Base58 as it is).
    public static func lookupKey(_ address: String) -> String {
        address.hasPrefix("0x") || address.hasPrefix("0X") ? address.lowercased() : address
    }
}
