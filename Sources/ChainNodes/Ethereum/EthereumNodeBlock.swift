public import CofferBase
public import Chains

/// A block as an Ethereum node returns it (`eth_getBlockByNumber`, `eth_getBlockByHash`), with
/// the fields Coffer reads. Hashes and addresses are lowercase 0x hex.
public struct EthereumNodeBlock: Sendable, Equatable {
    public let number: UInt64
    public let hash: String
    public let parentHash: String
    /// Seconds since 1970.
    public let timestamp: UInt64
    /// Wei per gas; nil before London (EIP-1559).
    public let baseFeePerGas: UInt128?
    public let gasUsed: UInt64
    public let gasLimit: UInt64
    /// The transactions' hashes in block order (always present).
    public let transactionHashes: [String]
    /// The transactions themselves when the block was read with full transactions, else nil.
    public let transactions: [EthereumNodeTransaction]?

    /// `full`: the block was asked for with full transactions (else with hashes only).
    init(_ json: JSONValue, full: Bool, context: String) throws(NodeError) {
        let block = try EthereumAnswer(json, context)
        number = try block.uint64("number")
        hash = try block.hash("hash")
        parentHash = try block.hash("parentHash")
        timestamp = try block.uint64("timestamp")
        baseFeePerGas = try block.optionalUInt128("baseFeePerGas")
        gasUsed = try block.uint64("gasUsed")
        gasLimit = try block.uint64("gasLimit")
        let items = try block.array("transactions")
        if full {
            var parsed: [EthereumNodeTransaction] = []
            for (index, item) in items.enumerated() {
                parsed.append(try EthereumNodeTransaction(item, context: "\(context): transaction \(index)"))
            }
            transactions = parsed
            transactionHashes = parsed.map(\.hash)
        } else {
            var hashes: [String] = []
            for (index, item) in items.enumerated() {
                hashes.append(try EthereumAnswer.hex(item, bytes: 32, "\(context): transaction \(index)"))
            }
            transactionHashes = hashes
            transactions = nil
        }
    }
}

/// A transaction as an Ethereum node returns it (`eth_getTransactionByHash`, or inside a block
/// read with full transactions).
public struct EthereumNodeTransaction: Sendable, Equatable {
    public let hash: String
    /// Nil while the transaction waits in the mempool (or a pending block).
    public let blockHash: String?
    public let blockNumber: UInt64?
    public let transactionIndex: UInt64?
    public let from: String
    /// Nil for a contract creation.
    public let to: String?
    /// Wei.
    public let value: UInt128
    public let nonce: UInt64
    public let input: [UInt8]
    /// The gas limit.
    public let gas: UInt64
    /// The EIP-2718 type: 0 legacy, 1 access list, 2 fee market, 3 blob, 4 set code.
    public let type: UInt8
    /// Legacy and access-list transactions: the price; fee-market ones: the effective price once mined.
    public let gasPrice: UInt128?
    public let maxFeePerGas: UInt128?
    public let maxPriorityFeePerGas: UInt128?

    init(_ json: JSONValue, context: String) throws(NodeError) {
        let transaction = try EthereumAnswer(json, context)
        hash = try transaction.hash("hash")
        blockHash = try transaction.optionalHash("blockHash")
        blockNumber = try transaction.optionalUInt64("blockNumber")
        transactionIndex = try transaction.optionalUInt64("transactionIndex")
        from = try transaction.address("from")
        to = try transaction.optionalAddress("to")
        value = try transaction.uint128("value")
        nonce = try transaction.uint64("nonce")
        input = try transaction.bytes("input")
        gas = try transaction.uint64("gas")
        // Nodes before the typed transactions (and some chains) omit `type`: legacy.
        let typeNumber = try transaction.optionalUInt64("type") ?? 0
        guard let type = UInt8(exactly: typeNumber) else { throw NodeError.garbage("\(context): type \(typeNumber) is not a transaction type") }
        self.type = type
        gasPrice = try transaction.optionalUInt128("gasPrice")
        maxFeePerGas = try transaction.optionalUInt128("maxFeePerGas")
        maxPriorityFeePerGas = try transaction.optionalUInt128("maxPriorityFeePerGas")
    }
}
