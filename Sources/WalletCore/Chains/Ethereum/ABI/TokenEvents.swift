/// The events of ERC-20 fungible tokens.
public enum ERC20 {
    /// `Transfer(address indexed from, address indexed to, uint256 value)`: 3 topics.
    public static let transfer = ABIEvent(verified: "Transfer", [
        ABIParameter("from", .address, indexed: true), ABIParameter("to", .address, indexed: true), ABIParameter("value", .uint256),
    ])
    /// `Approval(address indexed owner, address indexed spender, uint256 value)`.
    public static let approval = ABIEvent(verified: "Approval", [
        ABIParameter("owner", .address, indexed: true), ABIParameter("spender", .address, indexed: true), ABIParameter("value", .uint256),
    ])

    /// Topic 0 of `Transfer` (shared with ERC-721's), `0xddf252ad…`, for `eth_getLogs` filters.
    public static let transferTopic = transfer.topic0Hex

    /// The sender, recipient (lower-case `0x` addresses) and amount of an ERC-20 `Transfer` log,
    /// from the `0x` hex topics and data of a JSON-RPC log. An ERC-721 `Transfer` (4 topics, the
    /// token id indexed) and any other log are refused.
    public static func decodeTransfer(topics: [String], data: String) throws(ABIError) -> (from: String, to: String, value: EthereumQuantity) {
        let topicBytes = try ABIEvent.hexTopics(topics)
        if topicBytes.count == ERC721.transfer.topicCount, topicBytes.first == transfer.topic0 {
            throw .invalidData("the log is an ERC-721 Transfer (4 topics, the token id indexed), not an ERC-20 Transfer (3 topics)")
        }
        let log = try transfer.decodeLog(topics: topicBytes, data: try ABIEvent.hexData(data))
        guard let from = log.arguments[0].value?.addressText, let to = log.arguments[1].value?.addressText,
            let value = log.arguments[2].value?.uintValue
        else { throw .invalidData("the log does not hold an ERC-20 Transfer") }  // unreachable: the event's types fix these
        return (from, to, value)
    }
}

/// The events of ERC-721 non-fungible tokens.
public enum ERC721 {
    /// `Transfer(address indexed from, address indexed to, uint256 indexed tokenId)`: 4 topics,
    /// the same topic 0 as ERC-20's.
    public static let transfer = ABIEvent(verified: "Transfer", [
        ABIParameter("from", .address, indexed: true), ABIParameter("to", .address, indexed: true),
        ABIParameter("tokenId", .uint256, indexed: true),
    ])
    /// `Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)`.
    public static let approval = ABIEvent(verified: "Approval", [
        ABIParameter("owner", .address, indexed: true), ABIParameter("approved", .address, indexed: true),
        ABIParameter("tokenId", .uint256, indexed: true),
    ])
    /// `ApprovalForAll(address indexed owner, address indexed operator, bool approved)`.
    public static let approvalForAll = ABIEvent(verified: "ApprovalForAll", [
        ABIParameter("owner", .address, indexed: true), ABIParameter("operator", .address, indexed: true), ABIParameter("approved", .bool),
    ])
}

/// The events of ERC-1155 multi-tokens.
public enum ERC1155 {
    /// `TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value)`.
    public static let transferSingle = ABIEvent(verified: "TransferSingle", [
        ABIParameter("operator", .address, indexed: true), ABIParameter("from", .address, indexed: true),
        ABIParameter("to", .address, indexed: true), ABIParameter("id", .uint256), ABIParameter("value", .uint256),
    ])
    /// `TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values)`.
    public static let transferBatch = ABIEvent(verified: "TransferBatch", [
        ABIParameter("operator", .address, indexed: true), ABIParameter("from", .address, indexed: true),
        ABIParameter("to", .address, indexed: true), ABIParameter("ids", .dynamicArray(.uint256)),
        ABIParameter("values", .dynamicArray(.uint256)),
    ])
    /// `ApprovalForAll(address indexed account, address indexed operator, bool approved)`: the
    /// same event as ERC-721's, which ``TokenEvents/all`` decodes it as.
    public static let approvalForAll = ABIEvent(verified: "ApprovalForAll", [
        ABIParameter("account", .address, indexed: true), ABIParameter("operator", .address, indexed: true), ABIParameter("approved", .bool),
    ])
    /// `URI(string value, uint256 indexed id)`.
    public static let uri = ABIEvent(verified: "URI", [ABIParameter("value", .string), ABIParameter("id", .uint256, indexed: true)])
}

/// All built-in token events.
public enum TokenEvents {
    /// ERC-20, then ERC-721, then ERC-1155 events: a `Transfer` log decodes as ERC-20's or
    /// ERC-721's by its topic count; `ApprovalForAll` as ERC-721's (ERC-1155's is the same event).
    public static let all = ABIEventSet([
        ERC20.transfer, ERC20.approval,
        ERC721.transfer, ERC721.approval, ERC721.approvalForAll,
        ERC1155.transferSingle, ERC1155.transferBatch, ERC1155.approvalForAll, ERC1155.uri,
    ])
}
