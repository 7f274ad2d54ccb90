public import Chains
import CofferBase
public import WalletCore

/// `ChainSource` for Bitcoin-like chains over a Bitcoin Core (or fork) node: blocks fetched raw
/// (`getblock <hash> 0`) and decoded here rather than read from the node's verbose JSON; payments
/// are outputs with an address; where a transaction is comes from the node's transaction index
/// (run the node with `-txindex=1`) and its mempool.
///
/// Litecoin's MWEB is not read: a block with MWEB data does not decode (`node-bad-answer`).
public struct BitcoinChainSource: ChainSource {
    public let node: BitcoinRPCNode
    public let addresses: BitcoinAddressEncoding
    /// At most this many mempool transactions are read by `mempoolPayments` (in the node's order).
    public let mempoolLimit: Int
    /// Raw transactions per JSON-RPC batch in `mempoolPayments`.
    public let batchSize: Int

    public init(node: BitcoinRPCNode, addresses: BitcoinAddressEncoding, mempoolLimit: Int = 5_000, batchSize: Int = 500) {
        self.node = node
        self.addresses = addresses
        self.mempoolLimit = max(0, mempoolLimit)
        self.batchSize = max(1, batchSize)
    }

    public func tip() async throws(NodeError) -> BlockRef {
        // One call, so height and hash are of the same block.
        let info = try await node.blockchainInfo()
        return BlockRef(height: info.blocks, hash: info.bestBlockHash.hex)
    }

    public func blockHash(at height: UInt64) async throws(NodeError) -> String? {
        try await node.blockHash(at: height)?.hex
    }

    public func block(at height: UInt64, tokens: Set<String>) async throws(NodeError) -> ChainBlock {
        let block = try await decodedBlock(at: height)
        // The transactions read are the ones the header, and so the block hash, commits to.
        guard block.computedMerkleRoot() == block.header.merkleRoot else {
            throw NodeError.garbage("block \(block.hash.hex) at height \(height) from \(node.client.displayURL): its transactions do not match its merkle root")
        }
        var payments: [ChainPayment] = []
        payments.reserveCapacity(block.transactions.count * 2)
        for transaction in block.transactions {
            appendPayments(of: transaction, to: &payments)
        }
        return ChainBlock(
            ref: BlockRef(height: height, hash: block.hash.hex),
            parentHash: block.header.previousBlockHash.hex,
            time: UInt64(block.header.time),
            transactionCount: block.transactions.count,
            payments: payments)
    }

    /// The best chain's block at `height`, fetched and decoded and nothing more: the floor a
    /// sync benchmark compares `block(at:tokens:)` with. Above the tip (the chain may have just
    /// become shorter) it is a retryable `node-no-block`.
    public func decodedBlock(at height: UInt64) async throws(NodeError) -> BitcoinBlock {
        guard let hash = try await node.blockHash(at: height) else {
            throw NodeError(.unavailable, "node-no-block", "\(node.client.displayURL) has no block at height \(height) (yet)")
        }
        // A reorganisation between the two calls is harmless: the block is the one named by the
        // hash, and the syncer checks each block's parent.
        guard let block = try await node.block(hash) else {
            throw NodeError(.unavailable, "node-no-block", "\(node.client.displayURL) no longer knows block \(hash.hex) at height \(height)")
        }
        return block
    }

    public func transactionState(_ id: String) async throws(NodeError) -> TransactionState {
        guard let txid = BitcoinHash(hex: id) else {
            throw NodeError(.invalidInput, "invalid-txid", "\"\(id.prefix(70))\" is not a txid (64 hex digits)")
        }
        // The node answers from its mempool first, then from its transaction index.
        guard let found = try await node.transaction(txid) else { return .unknown }
        guard let blockHash = found.blockHash else { return .mempool }
        if let header = try await node.blockHeader(blockHash), header.isOnBestChain {
            return .mined(BlockRef(height: header.height, hash: blockHash.hex))
        }
        // The index still names a block that was reorganised away: back in the mempool, or
        // dropped, replaced or conflicted.
        return try await node.mempoolEntry(txid) == nil ? .unknown : .mempool
    }

    public func mempoolPayments() async throws(NodeError) -> [ChainPayment] {
        let txids = try await node.rawMempool().prefix(mempoolLimit)
        var payments: [ChainPayment] = []
        var start = txids.startIndex
        while start < txids.endIndex {
            let chunk = txids[start..<min(start + batchSize, txids.endIndex)]
            start = chunk.endIndex
            let answers = try await node.client.batchResults(chunk.map { ("getrawtransaction", [.string($0.hex), .bool(false)]) })
            for (txid, answer) in zip(chunk, answers) {
                let value: NodeAnswer
                switch answer {
                case .success(let result): value = NodeAnswer(result, context: "getrawtransaction \(txid.hex) on \(node.client.displayURL)")
                case .failure(let error) where error.rpcCode == -5: continue  // left the mempool since
                case .failure(let error): throw error
                }
                let transaction = try BitcoinRPCNode.decodeTransaction(try value.hexBytes(), expected: txid, context: value.context)
                appendPayments(of: transaction, to: &payments)
            }
        }
        return payments
    }

    /// The UTXO set's outputs paying `addresses` at the node's best block (`scantxoutset`). Each
    /// output's script must encode one of the addresses asked about: a node that answers with
    /// other outputs is not believed. Tokens do not exist here.
    public func holdings(of addresses: [String], tokens: Set<String>) async throws(NodeError) -> ChainHoldings {
        guard !addresses.isEmpty else { return ChainHoldings(at: try await tip(), native: 0, tokens: [:]) }
        let scan = try await node.scanUnspent(addresses: addresses)
        let asked = Set(addresses)
        var total: UInt128 = 0
        var seen = Set<String>()
        for output in scan.outputs {
            guard let address = self.addresses.address(of: output.scriptPubKey[...]), asked.contains(address) else {
                throw NodeError.garbage("scantxoutset on \(node.client.displayURL) answered output \(output.txid.hex):\(output.index), which pays none of the addresses asked about")
            }
            guard seen.insert("\(output.txid.hex):\(output.index)").inserted else {
                throw NodeError.garbage("scantxoutset on \(node.client.displayURL) answered output \(output.txid.hex):\(output.index) twice")
            }
            guard output.height <= scan.height else {
                throw NodeError.garbage("scantxoutset on \(node.client.displayURL) answered an output of block \(output.height), above its best block \(scan.height)")
            }
            total += UInt128(output.amount)
        }
        return ChainHoldings(at: BlockRef(height: scan.height, hash: scan.bestBlock.hex), native: total, tokens: [:])
    }

    private func appendPayments(of transaction: BitcoinBlock.Transaction, to payments: inout [ChainPayment]) {
        var txid: String?
        for (index, output) in transaction.outputs.enumerated() {
            guard let address = addresses.address(of: output.scriptPubKey) else { continue }
            if txid == nil { txid = transaction.txid.hex }
            payments.append(ChainPayment(transactionID: txid!, index: UInt32(index), address: address, token: nil, amount: UInt128(output.value)))
        }
    }
}
