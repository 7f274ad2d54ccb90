import ChainNodes
import Chains
import CofferBase
public import Payouts
import WalletCore

/// The payout pipeline's view of a Bitcoin Core (or fork) node over JSON-RPC. Tracking a
/// transaction by txid uses `getrawtransaction`, so the node needs `-txindex=1` (or the
/// transaction still in its mempool).
public struct BitcoinRPCPayoutNode: BitcoinPayoutNode {
    public let node: BitcoinRPCNode

    public init(node: BitcoinRPCNode) { self.node = node }

    public func tip() async throws -> UInt64 { try await node.blockCount() }

    public func feeRate(blocks: Int) async throws -> UInt64? {
        try await node.estimateSmartFee(blocks: blocks)?.ratePerKilovbyte
    }

    public func send(_ raw: [UInt8]) async throws -> BroadcastResult {
        do {
            _ = try await node.sendRawTransaction(raw)
            return .accepted
        } catch {
            guard let code = error.rpcCode else { throw error }
            let message = error.description
            // -25 RPC_VERIFY_ERROR (missing or spent inputs); -26 RPC_VERIFY_REJECTED, of which
            // mempool conflicts are conflicts and the rest (fees, standardness) refusals.
            if code == -25 || message.contains("missingorspent") || message.contains("missing-inputs") || message.contains("mempool-conflict") {
                return .conflict(message)
            }
            if code == -26 { return .refused(message) }
            throw error
        }
    }

    public func state(of transactionID: String) async throws -> AttemptState {
        guard let hash = BitcoinHash(hex: transactionID) else { return .unknown }
        guard let info = try await node.transaction(hash) else { return .unknown }
        guard let blockHash = info.blockHash, let confirmations = info.confirmations, confirmations > 0 else { return .mempool }
        guard let header = try await node.blockHeader(blockHash) else { return .mempool }
        return .mined(confirmations: UInt64(confirmations), height: header.height)
    }

    public func isSpentInChain(transactionID: String, index: UInt32) async throws -> Bool {
        guard let hash = BitcoinHash(hex: transactionID) else { return false }
        return !(try await node.isUnspent(hash, index: index, includingMempool: false))
    }
}
