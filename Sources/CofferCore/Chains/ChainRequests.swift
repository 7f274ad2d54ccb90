/// `coffer chain add`, `POST /v1/chains`: a network from the chain registry, its node, and how
/// deposits on it are credited. Node credentials are named by file, never given.
public struct AddChainRequest: Codable, Sendable, Equatable {
    public var name: String
    /// A registry name (`litecoin-regtest`, `bitcoin-mainnet`, `ethereum`, ...) or `evm:<chain id>`.
    public var network: String
    public var rpcURL: String
    public var rpcCookieFile: String?
    public var rpcUser: String?
    public var rpcPasswordFile: String?
    public var confirmations: UInt32?
    public var startHeight: UInt64?
    public var custodyAccount: String?

    public init(name: String, network: String, rpcURL: String, rpcCookieFile: String? = nil, rpcUser: String? = nil, rpcPasswordFile: String? = nil,
                confirmations: UInt32? = nil, startHeight: UInt64? = nil, custodyAccount: String? = nil) {
        self.name = name
        self.network = network
        self.rpcURL = rpcURL
        self.rpcCookieFile = rpcCookieFile
        self.rpcUser = rpcUser
        self.rpcPasswordFile = rpcPasswordFile
        self.confirmations = confirmations
        self.startHeight = startHeight
        self.custodyAccount = custodyAccount
    }

    enum CodingKeys: String, CodingKey {
        case name, network, rpcURL = "rpc_url", rpcCookieFile = "rpc_cookie_file", rpcUser = "rpc_user", rpcPasswordFile = "rpc_password_file",
             confirmations, startHeight = "start_height", custodyAccount = "custody_account"
    }
}

/// `coffer chain token add`, `POST /v1/chains/{name}/tokens`: an ERC-20 contract whose transfers
/// to watched addresses are deposits of `asset`.
public struct AddTokenRequest: Codable, Sendable, Equatable {
    public var contract: String
    public var asset: String
    public var decimals: UInt8

    public init(contract: String, asset: String, decimals: UInt8) {
        self.contract = contract
        self.asset = asset
        self.decimals = decimals
    }
}

/// `coffer deposit address`, `POST /v1/deposit-addresses`: fresh addresses of a wallet on a chain,
/// each bound to a ledger account.
public struct DepositAddressRequest: Codable, Sendable, Equatable {
    public var chain: String
    public var wallet: String
    public var account: String
    /// Bitcoin-like chains: p2wpkh (default), p2sh-p2wpkh, p2pkh, p2tr.
    public var scheme: String?
    public var count: UInt32?

    public init(chain: String, wallet: String, account: String, scheme: String? = nil, count: UInt32? = nil) {
        self.chain = chain
        self.wallet = wallet
        self.account = account
        self.scheme = scheme
        self.count = count
    }
}

/// The filters of a deposit listing; they combine.
public struct DepositListQuery: Codable, Sendable, Equatable {
    public var chain: String?
    public var account: String?
    public var status: String?

    public init(chain: String? = nil, account: String? = nil, status: String? = nil) {
        self.chain = chain
        self.account = account
        self.status = status
    }
}

/// `coffer invoice create`, `POST /v1/invoices`: a payment request for `amount` (smallest units)
/// of the chain's native asset or one of its tokens, to a fresh address.
public struct CreateInvoiceRequest: Codable, Sendable, Equatable {
    public var chain: String
    public var wallet: String
    public var account: String
    public var amount: String
    public var asset: String?
    public var expiresIn: Int64?
    public var memo: String?
    public var scheme: String?

    public init(chain: String, wallet: String, account: String, amount: String, asset: String? = nil, expiresIn: Int64? = nil, memo: String? = nil,
                scheme: String? = nil) {
        self.chain = chain
        self.wallet = wallet
        self.account = account
        self.amount = amount
        self.asset = asset
        self.expiresIn = expiresIn
        self.memo = memo
        self.scheme = scheme
    }

    enum CodingKeys: String, CodingKey { case chain, wallet, account, amount, asset, expiresIn = "expires_in", memo, scheme }
}
