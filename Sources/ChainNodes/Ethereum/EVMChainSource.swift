public import Chains
public import CofferBase
import WalletCore

/// The syncer's view of an EVM chain through an Ethereum JSON-RPC node.
///
/// A block's payments are
/// - native value: a transaction with a recipient (`to`) and a value above zero whose receipt
///   says it succeeded. Receipts are read in one JSON-RPC batch, only for such transactions. A
///   reverted transaction moves no value and is not a payment. Value moved by a contract (an
///   internal call) is not seen: that needs tracing, which few nodes offer.
/// - token transfers: the ERC-20 `Transfer` logs of the block, by its hash (EIP-234), emitted by
///   the contracts the syncer follows; named by the log's block-wide `logIndex`.
/// Payments are ordered as the block orders them: by transaction, its value before its logs.
public struct EVMChainSource: ChainSource {
    /// What `mempoolPayments()` reads.
    public enum Mempool: Sendable, Equatable {
        /// Nothing: `mempoolPayments()` is empty. Most nodes and providers do not expose their
        /// pending pool cheaply (`txpool_content` is an admin method, pending filters and
        /// subscriptions need a session and miss what came before), and on EVM chains a
        /// payment is final after a few seconds anyway: deposits are first seen mined.
        case ignored
        /// The node's pending block, `eth_getBlockByNumber("pending", true)`: for nodes that
        /// build one (geth with a local pending block, the test fixture). Its payments are
        /// native values only; they are not executed yet, so one may still fail.
        case pendingBlock
    }

    public let node: EthereumRPCNode
    public let mempool: Mempool
    /// Calls per JSON-RPC batch when reading holdings.
    public let holdingsBatch: Int

    public init(node: EthereumRPCNode, mempool: Mempool = .ignored, holdingsBatch: Int = 500) {
        self.node = node
        self.mempool = mempool
        self.holdingsBatch = max(1, holdingsBatch)
    }

    /// Refuses a node on another chain than `expected` (EIP-155 chain id): payments must never be
    /// credited from the wrong network.
    public func checkChainID(_ expected: UInt64) async throws(NodeError) {
        let actual = try await node.chainID()
        guard actual == expected else {
            throw NodeError(.rejected, "node-wrong-chain",
                            "\(node.client.displayURL) serves chain id \(actual), not \(expected); point Coffer at a node of the configured network")
        }
    }

    public func tip() async throws(NodeError) -> BlockRef {
        // One call for number and hash: two would race a new block.
        guard let block = try await node.block(.latest) else { throw NodeError.garbage("eth_getBlockByNumber(latest) answered null") }
        return BlockRef(height: block.number, hash: block.hash)
    }

    public func blockHash(at height: UInt64) async throws(NodeError) -> String? {
        try await node.block(.number(height))?.hash
    }

    public func block(at height: UInt64, tokens: Set<String>) async throws(NodeError) -> ChainBlock {
        guard let block = try await node.block(.number(height), fullTransactions: true), let transactions = block.transactions else {
            throw NodeError(.unavailable, "node-no-block", "\(node.client.displayURL) has no block \(height) (the chain is shorter, or was just reorganised); try again")
        }
        guard block.number == height else { throw NodeError.garbage("eth_getBlockByNumber(\(height)) answered block \(block.number)") }
        let ref = BlockRef(height: height, hash: block.hash)

        // Sorted by (transaction index, 0 for its value or 1 + log index for a transfer).
        var payments: [(transaction: UInt64, order: UInt64, payment: ChainPayment)] = []
        let valued = transactions.filter { $0.value > 0 && $0.to != nil }
        let receipts = try await node.receipts(hashes: valued.map(\.hash))
        for (transaction, receipt) in zip(valued, receipts) {
            guard let receipt, receipt.blockHash == block.hash else {
                throw Self.moved("the receipt of \(transaction.hash)", ref)
            }
            guard receipt.succeeded, let to = transaction.to else { continue }
            payments.append((receipt.transactionIndex, 0, ChainPayment(
                transactionID: transaction.hash, index: 0, address: to, token: nil, amount: transaction.value)))
        }

        let followed = Set(tokens.map { $0.lowercased() })
        if !followed.isEmpty {
            let filter = EthereumLogFilter(blocks: .hash(block.hash), addresses: followed.sorted(), topics: [[ERC20TransferLog.topic]])
            for log in try await node.logs(filter) {
                guard log.blockHash == block.hash, !log.removed else { throw Self.moved("a log", ref) }
                guard followed.contains(log.address) else { continue }
                guard let transfer = try ERC20TransferLog.decode(log) else { continue }
                guard let transactionID = log.transactionHash, let transactionIndex = log.transactionIndex,
                      let logIndex = log.logIndex, let index = UInt32(exactly: logIndex) else {
                    throw NodeError.garbage("eth_getLogs: a Transfer log of block \(block.hash) lacks its transaction or log index")
                }
                payments.append((transactionIndex, 1 + logIndex, ChainPayment(
                    transactionID: transactionID, index: index, address: transfer.to, token: log.address, amount: transfer.amount)))
            }
        }

        return ChainBlock(ref: ref, parentHash: block.parentHash, time: block.timestamp, transactionCount: transactions.count,
                          payments: payments.sorted { ($0.transaction, $0.order) < ($1.transaction, $1.order) }.map(\.payment))
    }

    public func transactionState(_ id: String) async throws(NodeError) -> TransactionState {
        guard let transaction = try await node.transaction(hash: id) else { return .unknown }
        guard let number = transaction.blockNumber, let hash = transaction.blockHash else { return .mempool }
        // A node may still name a block it has since reorganised away: believe the best chain.
        guard try await blockHash(at: number) == hash else { return .unknown }
        return .mined(BlockRef(height: number, hash: hash))
    }

    public func mempoolPayments() async throws(NodeError) -> [ChainPayment] {
        switch mempool {
        case .ignored:
            return []
        case .pendingBlock:
            return try await node.pendingTransactions().compactMap { transaction in
                guard transaction.value > 0, let to = transaction.to else { return nil }
                return ChainPayment(transactionID: transaction.hash, index: 0, address: to, token: nil, amount: transaction.value)
            }
        }
    }

    /// Native balances (`eth_getBalance`) and ERC-20 `balanceOf` of every address, all read at
    /// the number of the block that was the tip when the reading began, so every sum is of one
    /// state even while new blocks arrive. That block must still be the best chain's afterwards.
    /// The calls go in JSON-RPC batches of `holdingsBatch`.
    public func holdings(of addresses: [String], tokens: Set<String>) async throws(NodeError) -> ChainHoldings {
        let ref = try await tip()
        let tag = EthereumBlockTag.number(ref.height).parameter
        let contracts = tokens.sorted()
        var calls: [(method: String, params: [JSONValue])] = []
        for address in addresses {
            let owner = try EthereumRPCNode.address(address)
            calls.append(("eth_getBalance", [.string(owner), tag]))
            for token in contracts {
                calls.append(("eth_call", [try EthereumCall(to: token, input: try Self.balanceOfCall(owner)).parameter(), tag]))
            }
        }
        var native: UInt128 = 0
        var sums: [String: UInt128] = [:]
        var start = 0
        while start < calls.count {
            let end = min(calls.count, start + holdingsBatch)
            let answers = try await node.client.batch(Array(calls[start..<end]))
            for (offset, answer) in answers.enumerated() {
                // Each address's calls are its balance, then one per token in `contracts` order.
                let slot = (start + offset) % (1 + contracts.count)
                if slot == 0 {
                    native = try Self.add(native, try EthereumAnswer.uint128(answer, "eth_getBalance"), "the native balance")
                } else {
                    let token = contracts[slot - 1]
                    let balance = try Self.word(try EthereumAnswer.bytes(answer, "balanceOf of \(token)"), "balanceOf of \(token)")
                    sums[token] = try Self.add(sums[token] ?? 0, balance, "the balance of \(token)")
                }
            }
            start = end
        }
        guard try await blockHash(at: ref.height) == ref.hash else { throw Self.moved("the balances read", ref) }
        return ChainHoldings(at: ref, native: native, tokens: sums)
    }

    /// `balanceOf(address)` (selector 0x70a08231) with the 20-byte address as one word.
    static func balanceOfCall(_ address: String) throws(NodeError) -> [UInt8] {
        guard address.hasPrefix("0x"), let bytes = try? Hex.decode(address.dropFirst(2)), bytes.count == 20 else {
            throw NodeError(.invalidInput, "invalid-request", "\(address.prefix(50)) is not a 0x-prefixed 20-byte address")
        }
        return [0x70, 0xA0, 0x82, 0x31] + [UInt8](repeating: 0, count: 12) + bytes
    }

    /// A uint256 return word that fits 128 bits.
    static func word(_ data: [UInt8], _ what: String) throws(NodeError) -> UInt128 {
        guard data.count == 32 else { throw NodeError.garbage("\(what) answered \(data.count) bytes, not one 32-byte word") }
        guard data.prefix(16).allSatisfy({ $0 == 0 }) else { throw NodeError.garbage("\(what) is above 2^128") }
        return data.suffix(16).reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }

    static func add(_ sum: UInt128, _ value: UInt128, _ what: String) throws(NodeError) -> UInt128 {
        let (total, overflow) = sum.addingReportingOverflow(value)
        guard !overflow else { throw NodeError.garbage("\(what) summed over the addresses is above 2^128") }
        return total
    }

    /// The block changed while it was being read (a reorganisation): retry.
    private static func moved(_ what: String, _ ref: BlockRef) -> NodeError {
        NodeError(.unavailable, "node-block-changed", "\(what) is no longer in block \(ref.height) (\(ref.hash)): the chain was reorganised while it was read; try again")
    }
}
