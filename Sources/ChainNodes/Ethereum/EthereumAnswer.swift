import Chains
import CofferBase
import WalletCore

/// One JSON object of an Ethereum node's answer, read field by field: quantities exactly (0x hex,
/// no floating point), hashes and addresses as lowercase 0x hex of the right length. Whatever is
/// missing or malformed is `NodeError.garbage` naming the method and the field, so the syncer
/// retries instead of guessing.
struct EthereumAnswer {
    let value: JSONValue
    /// Where the object came from, for messages: "eth_getBlockByNumber", "eth_getLogs log 3".
    let context: String

    init(_ value: JSONValue, _ context: String) throws(NodeError) {
        guard case .object = value else { throw NodeError.garbage("\(context): expected an object, got \(value.kindName)") }
        self.value = value
        self.context = context
    }

    /// The member `key`, or nil when it is absent or null.
    func optional(_ key: String) -> JSONValue? {
        guard let member = value[key], member != .null else { return nil }
        return member
    }

    func required(_ key: String) throws(NodeError) -> JSONValue {
        guard let member = optional(key) else { throw NodeError.garbage("\(context): \(key) is missing") }
        return member
    }

    func quantity(_ key: String) throws(NodeError) -> EthereumQuantity {
        try Self.quantity(required(key), "\(context): \(key)")
    }

    func uint64(_ key: String) throws(NodeError) -> UInt64 {
        try Self.uint64(required(key), "\(context): \(key)")
    }

    func optionalUInt64(_ key: String) throws(NodeError) -> UInt64? {
        guard let member = optional(key) else { return nil }
        return try Self.uint64(member, "\(context): \(key)")
    }

    func uint128(_ key: String) throws(NodeError) -> UInt128 {
        try Self.uint128(required(key), "\(context): \(key)")
    }

    func optionalUInt128(_ key: String) throws(NodeError) -> UInt128? {
        guard let member = optional(key) else { return nil }
        return try Self.uint128(member, "\(context): \(key)")
    }

    func hash(_ key: String) throws(NodeError) -> String {
        try Self.hex(required(key), bytes: 32, "\(context): \(key)")
    }

    func optionalHash(_ key: String) throws(NodeError) -> String? {
        guard let member = optional(key) else { return nil }
        return try Self.hex(member, bytes: 32, "\(context): \(key)")
    }

    func address(_ key: String) throws(NodeError) -> String {
        try Self.hex(required(key), bytes: 20, "\(context): \(key)")
    }

    func optionalAddress(_ key: String) throws(NodeError) -> String? {
        guard let member = optional(key) else { return nil }
        return try Self.hex(member, bytes: 20, "\(context): \(key)")
    }

    func bytes(_ key: String) throws(NodeError) -> [UInt8] {
        try Self.bytes(required(key), "\(context): \(key)")
    }

    func array(_ key: String) throws(NodeError) -> [JSONValue] {
        guard case .array(let items) = try required(key) else { throw NodeError.garbage("\(context): \(key) is not an array") }
        return items
    }

    // MARK: - Single values

    static func quantity(_ value: JSONValue, _ what: String) throws(NodeError) -> EthereumQuantity {
        // The JSON-RPC spec writes quantities as 0x hex strings, never as JSON numbers.
        guard case .string(let text) = value, text.hasPrefix("0x") else {
            throw NodeError.garbage("\(what) is not a 0x hex quantity (got \(value.kindName))")
        }
        do {
            return try EthereumQuantity(parsing: text)
        } catch {
            throw NodeError.garbage("\(what): \(error)")
        }
    }

    static func uint64(_ value: JSONValue, _ what: String) throws(NodeError) -> UInt64 {
        guard let small = try quantity(value, what).uint64 else { throw NodeError.garbage("\(what) does not fit 64 bits") }
        return small
    }

    /// Amounts: anything above 2^128 − 1 is refused, never truncated.
    static func uint128(_ value: JSONValue, _ what: String) throws(NodeError) -> UInt128 {
        let wide = try quantity(value, what)
        guard let amount = UInt128(exactly: wide) else {
            throw NodeError.garbage("\(what) is \(wide), larger than 2^128 - 1, the largest amount Coffer holds")
        }
        return amount
    }

    static func bytes(_ value: JSONValue, _ what: String) throws(NodeError) -> [UInt8] {
        guard case .string(let text) = value, text.hasPrefix("0x") else {
            throw NodeError.garbage("\(what) is not 0x hex data (got \(value.kindName))")
        }
        do {
            return try Hex.decode(text.dropFirst(2))
        } catch {
            throw NodeError.garbage("\(what): \(error)")
        }
    }

    /// 0x hex of exactly `bytes` bytes, returned lowercase (addresses lose any EIP-55 case).
    static func hex(_ value: JSONValue, bytes count: Int, _ what: String) throws(NodeError) -> String {
        let decoded = try bytes(value, what)
        guard decoded.count == count else { throw NodeError.garbage("\(what) has \(decoded.count) bytes, not \(count)") }
        return "0x" + Hex.encode(decoded)
    }
}

extension UInt128 {
    /// The value when it fits 128 bits.
    init?(exactly quantity: EthereumQuantity) {
        guard quantity.bitWidth <= 128 else { return nil }
        self = quantity.word.suffix(16).reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }
}

/// Quantities as Ethereum JSON-RPC parameters: 0x hex without leading zeros.
func quantityParameter<Value: BinaryInteger>(_ value: Value) -> JSONValue {
    .string("0x" + String(value, radix: 16))
}
