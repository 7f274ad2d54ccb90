public import Chains
import WalletCore

/// An ERC-20 `Transfer(address indexed from, address indexed to, uint256 value)` log, decoded.
///
/// The one place that reads the event's layout: topic 0 the event's hash, topics 1 and 2 the
/// two addresses left-padded to 32 bytes, the data one 32-byte big-endian uint256. (An ERC-721
/// `Transfer` has the same topic 0 but the token id as a fourth topic and no data: not this.)
/// Kept to one function so it can move onto the ABI module when that lands.
public struct ERC20TransferLog: Sendable, Equatable {
    /// keccak256("Transfer(address,address,uint256)").
    public static let topic = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"

    public let from: String
    public let to: String
    /// In the token's smallest unit.
    public let amount: UInt128

    /// nil when `log` is not an ERC-20 transfer (another event, or ERC-721's four topics). A log
    /// that has the shape but not the content (a padded address with bits in its padding, data
    /// that is not one word, an amount above 2^128 − 1) is `NodeError.garbage`: a token the
    /// operator follows must not be credited from a value Coffer cannot hold exactly.
    public static func decode(_ log: EthereumLog) throws(NodeError) -> ERC20TransferLog? {
        guard log.topics.count == 3, log.topics[0] == topic else { return nil }
        let what = "the Transfer log \(log.logIndex.map { "\($0) " } ?? "")of \(log.address)"
        guard let from = paddedAddress(log.topics[1]), let to = paddedAddress(log.topics[2]) else {
            throw NodeError.garbage("\(what) has a topic that is not a 32-byte padded address")
        }
        guard log.data.count == 32 else {
            throw NodeError.garbage("\(what) carries \(log.data.count) bytes of data, not one 32-byte uint256")
        }
        guard log.data.prefix(16).allSatisfy({ $0 == 0 }) else {
            throw NodeError.garbage("\(what) moves 0x\(Hex.encode(log.data.drop(while: { $0 == 0 }))), more than 2^128 - 1, the largest amount Coffer holds")
        }
        let amount = log.data.suffix(16).reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
        return ERC20TransferLog(from: from, to: to, amount: amount)
    }

    /// "0x" + 24 zero digits + 40 address digits → the lowercase address.
    private static func paddedAddress(_ topic: String) -> String? {
        let digits = topic.utf8.dropFirst(2)
        guard topic.utf8.count == 66, digits.prefix(24).allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
        return "0x" + String(decoding: digits.suffix(40), as: UTF8.self).lowercased()
    }
}
