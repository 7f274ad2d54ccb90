import ChainNodes
import Chains
import CofferBase
public import Payouts
import WalletCore

/// The payout pipeline's view of an EVM node over JSON-RPC (geth's answers and error texts, which
/// Nethermind, Erigon and Besu share for these calls).
public struct EthereumRPCPayoutNode: EVMPayoutNode {
    public let node: EthereumRPCNode
    /// Blocks of `eth_feeHistory` the fee suggestion looks at, and the tip percentile it takes.
    public let feeHistoryBlocks: UInt64
    public let tipPercentile: UInt8

    public init(node: EthereumRPCNode, feeHistoryBlocks: UInt64 = 20, tipPercentile: UInt8 = 50) {
        self.node = node
        self.feeHistoryBlocks = feeHistoryBlocks
        self.tipPercentile = tipPercentile
    }

    public func tip() async throws -> UInt64 { try await node.blockNumber() }

    public func send(_ raw: [UInt8]) async throws -> BroadcastResult {
        do {
            _ = try await node.sendRawTransaction(raw)
            return .accepted
        } catch {
            guard error.category == .rejected else { throw error }
            let message = error.description.lowercased()
            // Known already (in the pool, or a resend of the same bytes): it is out there.
            if message.contains("already known") || message.contains("known transaction") { return .accepted }
            // Its nonce was consumed by a mined transaction (ours, or someone else's).
            if message.contains("nonce too low") { return .conflict(error.description) }
            return .refused(error.description)
        }
    }

    public func state(of transactionID: String) async throws -> AttemptState {
        if let receipt = try await node.receipt(hash: transactionID) {
            let tip = try await node.blockNumber()
            return .mined(confirmations: tip >= receipt.blockNumber ? tip - receipt.blockNumber + 1 : 0, height: receipt.blockNumber)
        }
        return try await node.transaction(hash: transactionID) == nil ? .unknown : .mempool
    }

    public func account(_ address: String) async throws -> EVMAccountState {
        let mined = try await node.nonce(of: address, at: .latest)
        let pending = try await node.nonce(of: address, at: .pending)
        let balance = try await node.balance(of: address, at: .pending)
        return EVMAccountState(minedNonce: mined, pendingNonce: max(mined, pending), balance: balance)
    }

    public func suggestedFees(cap: UInt128, minimumTip: UInt128) async throws -> EIP1559Fees {
        let history = try await node.feeHistory(blockCount: feeHistoryBlocks, newest: .latest, rewardPercentiles: [tipPercentile])
        return try history.suggestedFees(percentileIndex: 0, minimumPriorityFeePerGas: minimumTip, cap: cap)
    }

    /// The most gas a payout's transfer may use: the estimate's upper bound. Without it a node may
    /// ask the sender to afford its block gas limit (eth-tester does), which a freshly topped-up
    /// deposit address cannot; a plain or ERC-20 transfer needs far less.
    public static let estimateGasCap: UInt64 = 500_000

    public func estimateGas(_ call: EVMGasQuery) async throws -> UInt64 {
        try await node.estimateGas(EthereumCall(from: call.from, to: call.to, value: call.value, input: call.data, gas: Self.estimateGasCap))
    }

    public func receipt(of transactionID: String) async throws -> EVMPaidFee? {
        guard let receipt = try await node.receipt(hash: transactionID) else { return nil }
        guard let price = receipt.effectiveGasPrice else {
            throw NodeError.garbage("the receipt of \(transactionID) has no effectiveGasPrice: the fee paid is unknown")
        }
        let (fee, overflow) = UInt128(receipt.gasUsed).multipliedReportingOverflow(by: price)
        guard !overflow else { throw NodeError.garbage("the receipt of \(transactionID) claims a fee beyond 2^128-1 wei") }
        return EVMPaidFee(fee: fee, succeeded: receipt.succeeded)
    }
}
