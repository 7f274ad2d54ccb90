public import CofferBase
public import Chains

/// An event log (`eth_getLogs`, or in a receipt).
public struct EthereumLog: Sendable, Equatable {
    /// The contract that emitted it.
    public let address: String
    /// topic 0 is the event's signature hash (for non-anonymous events).
    public let topics: [String]
    public let data: [UInt8]
    /// Nil for a log of a pending transaction.
    public let blockHash: String?
    public let blockNumber: UInt64?
    public let transactionHash: String?
    public let transactionIndex: UInt64?
    /// The log's position in its block (not in its receipt): what a token payment is named by.
    public let logIndex: UInt64?
    /// True when the node reports the log's block as reorganised away (log subscriptions).
    public let removed: Bool

    init(_ json: JSONValue, context: String) throws(NodeError) {
        let log = try EthereumAnswer(json, context)
        address = try log.address("address")
        var topics: [String] = []
        for (index, topic) in try log.array("topics").enumerated() {
            topics.append(try EthereumAnswer.hex(topic, bytes: 32, "\(context): topic \(index)"))
        }
        self.topics = topics
        data = try log.bytes("data")
        blockHash = try log.optionalHash("blockHash")
        blockNumber = try log.optionalUInt64("blockNumber")
        transactionHash = try log.optionalHash("transactionHash")
        transactionIndex = try log.optionalUInt64("transactionIndex")
        logIndex = try log.optionalUInt64("logIndex")
        switch log.optional("removed") {
        case nil, .bool(false)?: removed = false
        case .bool(true)?: removed = true
        case let other?: throw NodeError.garbage("\(context): removed is \(other.kindName), not a boolean")
        }
    }

    static func list(_ items: [JSONValue], context: String) throws(NodeError) -> [EthereumLog] {
        var logs: [EthereumLog] = []
        logs.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            logs.append(try EthereumLog(item, context: "\(context) \(index)"))
        }
        return logs
    }
}

/// Which logs `eth_getLogs` returns: one block (by hash, EIP-234) or a range of blocks, emitted
/// by any of `addresses` (all contracts when empty), with `topics` matched by position.
public struct EthereumLogFilter: Sendable, Equatable {
    public enum Blocks: Sendable, Equatable {
        case range(from: EthereumBlockTag, to: EthereumBlockTag)
        /// Exactly this block, whether or not it is still on the best chain (EIP-234).
        case hash(String)
    }

    public var blocks: Blocks
    public var addresses: [String]
    /// Position i: nil matches any topic, else a list of alternatives (any of them matches).
    public var topics: [[String]?]

    public init(blocks: Blocks, addresses: [String] = [], topics: [[String]?] = []) {
        self.blocks = blocks
        self.addresses = addresses
        self.topics = topics
    }

    var parameter: JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        switch blocks {
        case .range(let from, let to):
            members.append(("fromBlock", from.parameter))
            members.append(("toBlock", to.parameter))
        case .hash(let hash):
            members.append(("blockHash", .string(hash)))
        }
        if !addresses.isEmpty {
            members.append(("address", .array(addresses.map { .string($0) })))
        }
        if !topics.isEmpty {
            members.append(("topics", .array(topics.map { position in
                position.map { .array($0.map { .string($0) }) } ?? .null
            })))
        }
        return .object(members)
    }
}
