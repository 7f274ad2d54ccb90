public import CofferBase

/// A block of a node's best chain, named by height and hash: a hash, not a height, says which
/// block a deposit was seen in, so a block reorganised away is recognised even at the same height.
public struct BlockRef: Sendable, Hashable, Codable {
    public let height: UInt64
    /// As the node prints it (Bitcoin: big-endian hex without prefix; EVM: 0x-prefixed lowercase hex).
    public let hash: String

    public init(height: UInt64, hash: String) {
        self.height = height
        self.hash = hash
    }
}

/// One value transfer to an address in a block or in the mempool: a transaction output on a
/// Bitcoin-like chain; a native value transfer or a token `Transfer` log on an EVM chain.
public struct ChainPayment: Sendable, Hashable {
    /// Bitcoin: the txid as the node prints it; EVM: the 0x-prefixed lowercase transaction hash.
    public let transactionID: String
    /// Bitcoin: the output's index (vout); EVM: 0 for the native value, the log's index for a token.
    public let index: UInt32
    /// The address paid, in the chain's canonical text: Bitcoin-like addresses as the network encodes
    /// them (Bech32 lowercase), EVM addresses lowercase 0x hex.
    public let address: String
    /// The token contract (lowercase 0x hex) for a token transfer; nil for the chain's native asset.
    public let token: String?
    /// In the asset's smallest unit.
    public let amount: UInt128

    public init(transactionID: String, index: UInt32, address: String, token: String?, amount: UInt128) {
        self.transactionID = transactionID
        self.index = index
        self.address = address
        self.token = token
        self.amount = amount
    }
}

/// A block as the syncer needs it: where it sits, what it builds on, and every payment in it.
public struct ChainBlock: Sendable {
    public let ref: BlockRef
    /// The hash of the block this one builds on: how the syncer notices a reorganisation.
    public let parentHash: String
    /// The block's own timestamp (seconds since 1970), as the miner wrote it.
    public let time: UInt64
    public let transactionCount: Int
    /// Every payment to any address; payments that failed on chain (a reverted EVM transaction)
    /// are not included.
    public let payments: [ChainPayment]

    public init(ref: BlockRef, parentHash: String, time: UInt64, transactionCount: Int, payments: [ChainPayment]) {
        self.ref = ref
        self.parentHash = parentHash
        self.time = time
        self.transactionCount = transactionCount
        self.payments = payments
    }
}

/// Where a transaction is now, as the node sees it.
public enum TransactionState: Sendable, Equatable {
    /// Waiting in the node's mempool.
    case mempool
    /// In a block of the node's best chain.
    case mined(BlockRef)
    /// Neither: dropped, replaced or conflicted by a double spend (or never seen).
    case unknown
}

/// What a chain syncer reads from a node. One implementation per chain family lives at the edge
/// (`ChainNodes`: Bitcoin Core JSON-RPC, Ethereum JSON-RPC); the syncer itself is pure logic over
/// this protocol. Every method throws `NodeError` on failure: retryable when the node is down,
/// slow or answers something that cannot be read, never a guess.
public protocol ChainSource: Sendable {
    /// The node's best block.
    func tip() async throws(NodeError) -> BlockRef
    /// The hash of the best chain's block at `height`; nil when the chain is shorter.
    func blockHash(at height: UInt64) async throws(NodeError) -> String?
    /// The best chain's block at `height` with every payment in it: native value, and transfers of
    /// the token contracts in `tokens` (lowercase 0x hex; ignored on chains without tokens).
    func block(at height: UInt64, tokens: Set<String>) async throws(NodeError) -> ChainBlock
    /// Where the transaction `id` is now.
    func transactionState(_ id: String) async throws(NodeError) -> TransactionState
    /// Payments in transactions waiting in the mempool (native value only: token transfers are
    /// known only once mined), so deposits can be shown as `seen` before their first block.
    func mempoolPayments() async throws(NodeError) -> [ChainPayment]
    /// What `addresses` hold on the best chain at one block: the native asset and each token
    /// contract of `tokens`, counted from mined blocks only (the mempool moves nothing here).
    /// Reconciliation compares it with the ledger's custody balances.
    func holdings(of addresses: [String], tokens: Set<String>) async throws(NodeError) -> ChainHoldings
}

/// What a set of addresses holds on a chain, read at one block so that the sums belong together.
public struct ChainHoldings: Sendable, Equatable {
    /// The block the sums were read at.
    public let at: BlockRef
    /// The native asset, in its smallest unit.
    public let native: UInt128
    /// Per token contract (lowercase 0x hex), in the token's smallest unit.
    public let tokens: [String: UInt128]

    public init(at: BlockRef, native: UInt128, tokens: [String: UInt128]) {
        self.at = at
        self.native = native
        self.tokens = tokens
    }
}

extension ChainSource {
    /// Node readers that cannot sum balances (test doubles, prefetched benchmark sources) say so.
    public func holdings(of addresses: [String], tokens: Set<String>) async throws(NodeError) -> ChainHoldings {
        throw NodeError.refused("this node reader cannot read balances")
    }
}

/// The area of errors from chain nodes.
public enum NodeDomain: ErrorDomain {}

/// A chain node failed, timed out, refused the credentials or answered something that cannot be
/// read. Such errors are `unavailable` (retryable): the syncer retries with backoff, and nothing
/// is credited from an answer that could not be read. A request the node refuses on its merits
/// (a transaction it rejects) is `rejected`.
public typealias NodeError = DomainError<NodeDomain>

extension NodeError {
    /// The node could not be reached or did not answer in time.
    public static func unreachable(_ message: String) -> NodeError { NodeError(.unavailable, "node-unavailable", message) }
    /// The node answered, but not with what the protocol promises.
    public static func garbage(_ message: String) -> NodeError { NodeError(.unavailable, "node-bad-answer", message) }
    /// The node understood and refused (an RPC error such as a rejected transaction).
    public static func refused(_ message: String) -> NodeError { NodeError(.rejected, "node-refused", message) }
}
