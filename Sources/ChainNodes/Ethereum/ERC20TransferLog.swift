public import Chains
import WalletCore

/// An ERC-20 `Transfer(address indexed from, address indexed to, uint256 value)` log, decoded by
/// the ABI module's built-in event (`ERC20.decodeTransfer`), with what a credit needs on top: the
/// amount must fit Coffer's UInt128. (An ERC-721 `Transfer` has the same topic 0 but the token id
/// as a fourth topic and no data: not this.)
public struct ERC20TransferLog: Sendable, Equatable {
    /// keccak256("Transfer(address,address,uint256)").
    public static let topic = ERC20.transferTopic

    public let from: String
    public let to: String
    /// In the token's smallest unit.
    public let amount: UInt128

    public init(from: String, to: String, amount: UInt128) {
        self.from = from
        self.to = to
        self.amount = amount
    }

    /// nil when `log` is not an ERC-20 transfer (another event, or ERC-721's four topics). A log
    /// that has the shape but not the content (a padded address with bits in its padding, data
    /// that is not one word, an amount above 2^128 − 1) is `NodeError.garbage`: a token the
    /// operator follows must not be credited from a value Coffer cannot hold exactly.
    public static func decode(_ log: EthereumLog) throws(NodeError) -> ERC20TransferLog? {
        guard log.topics.count == 3, log.topics[0] == topic else { return nil }
        let what = "the Transfer log \(log.logIndex.map { "\($0) " } ?? "")of \(log.address)"
        // The ABI decoder accepts bytes after the last value, as the EVM does; a Transfer log's data
        // is exactly its one word, and anything else is not what a token contract writes.
        guard log.data.count == 32 else {
            throw NodeError.garbage("\(what) carries \(log.data.count) bytes of data, not one 32-byte uint256")
        }
        let decoded: (from: String, to: String, value: EthereumQuantity)
        do {
            decoded = try ERC20.decodeTransfer(topics: log.topics, data: "0x" + Hex.encode(log.data))
        } catch {
            throw NodeError.garbage("\(what) cannot be read: \(error)")
        }
        guard let amount = decoded.value.uint128 else {
            throw NodeError.garbage("\(what) moves \(decoded.value), more than 2^128 - 1, the largest amount Coffer holds")
        }
        return ERC20TransferLog(from: decoded.from, to: decoded.to, amount: amount)
    }
}
