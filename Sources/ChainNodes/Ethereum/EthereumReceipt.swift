public import CofferBase
public import Chains

/// A mined transaction's receipt (`eth_getTransactionReceipt`).
public struct EthereumReceipt: Sendable, Equatable {
    public let transactionHash: String
    public let transactionIndex: UInt64
    public let blockHash: String
    public let blockNumber: UInt64
    public let from: String
    public let to: String?
    /// The contract a creation made, else nil.
    public let contractAddress: String?
    /// 1 success, 0 failure (reverted: no value moved, no logs); nil on blocks before
    /// Byzantium, whose receipts carry a state root instead.
    public let status: UInt8?
    public let gasUsed: UInt64
    public let cumulativeGasUsed: UInt64
    /// Wei per gas actually paid; nil from nodes that predate the field.
    public let effectiveGasPrice: UInt128?
    public let logs: [EthereumLog]

    /// Whether the transaction succeeded: its value moved and its logs count.
    public var succeeded: Bool { status == 1 }

    init(_ json: JSONValue, context: String) throws(NodeError) {
        let receipt = try EthereumAnswer(json, context)
        transactionHash = try receipt.hash("transactionHash")
        transactionIndex = try receipt.uint64("transactionIndex")
        blockHash = try receipt.hash("blockHash")
        blockNumber = try receipt.uint64("blockNumber")
        from = try receipt.address("from")
        to = try receipt.optionalAddress("to")
        contractAddress = try receipt.optionalAddress("contractAddress")
        if let status = try receipt.optionalUInt64("status") {
            guard status <= 1 else { throw NodeError.garbage("\(context): status is \(status), not 0 or 1") }
            self.status = UInt8(status)
        } else {
            self.status = nil
        }
        gasUsed = try receipt.uint64("gasUsed")
        cumulativeGasUsed = try receipt.uint64("cumulativeGasUsed")
        effectiveGasPrice = try receipt.optionalUInt128("effectiveGasPrice")
        logs = try EthereumLog.list(receipt.array("logs"), context: "\(context): log")
    }
}
