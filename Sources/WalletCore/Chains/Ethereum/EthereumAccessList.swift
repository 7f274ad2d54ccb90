/// One entry of an EIP-2930 access list: a contract address and the storage slots the
/// transaction declares it will touch (they are then cheaper to access).
public struct EthereumAccessListEntry: Sendable, Equatable {
    /// 20 bytes.
    public let address: [UInt8]
    /// 32 bytes each.
    public let storageKeys: [[UInt8]]

    public init(address: [UInt8], storageKeys: [[UInt8]]) throws(EthereumTransactionError) {
        guard address.count == 20 else {
            throw EthereumTransactionError("access list address must be 20 bytes, got \(address.count)")
        }
        if let bad = storageKeys.first(where: { $0.count != 32 }) {
            throw EthereumTransactionError("access list storage key must be 32 bytes, got \(bad.count)")
        }
        self.address = address
        self.storageKeys = storageKeys
    }

    /// `[address, [key, ...]]`.
    var rlp: RLP.Item { .list([.bytes(address), .list(storageKeys.map { .bytes($0) })]) }

    /// Reads `[address, [key, ...]]`; `field` names the entry in errors.
    init(rlp item: RLP.Item, field: String) throws(EthereumTransactionError) {
        self = try EthereumTransactionError.converting {
            let parts = try item.list(field)
            guard parts.count == 2 else {
                throw EthereumTransactionError("\(field) must have 2 items (address, storage keys), got \(parts.count)")
            }
            let keys = try parts[1].list("\(field) storage keys").enumerated().map { (index, key) throws(RLPError) in
                try key.bytes("\(field) storage key \(index)")
            }
            return try EthereumAccessListEntry(address: try parts[0].bytes("\(field) address"), storageKeys: keys)
        }
    }
}
