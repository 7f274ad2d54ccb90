public import CofferBase
public import Chains
import WalletCore

/// A node's JSON answer read field by field: each accessor names the method and the field when the
/// answer does not have the promised shape, as `node-bad-answer` (retryable: nothing is guessed).
public struct NodeAnswer: Sendable {
    public let value: JSONValue
    /// What the answer is to and where in it this value sits, e.g. `getblockheader: previousblockhash`.
    public let context: String

    public init(_ value: JSONValue, context: String) {
        self.value = value
        self.context = context
    }

    func bad(_ what: String) -> NodeError { NodeError.garbage("\(context): \(what)") }

    /// The member `key`; null counts as missing.
    public func optional(_ key: String) -> NodeAnswer? {
        guard let member = value[key], member != .null else { return nil }
        return NodeAnswer(member, context: "\(context).\(key)")
    }

    public func member(_ key: String) throws(NodeError) -> NodeAnswer {
        guard case .object = value else { throw bad("expected an object, got \(value.kindName)") }
        guard let member = optional(key) else { throw bad("the member \(key) is missing") }
        return member
    }

    public func string() throws(NodeError) -> String {
        guard case .string(let text) = value else { throw bad("expected a string, got \(value.kindName)") }
        return text
    }

    public func bool() throws(NodeError) -> Bool {
        guard case .bool(let flag) = value else { throw bad("expected true or false, got \(value.kindName)") }
        return flag
    }

    /// A whole number that fits `I`; `1e3` and `5.0` are refused.
    public func integer<I: FixedWidthInteger>(_ type: I.Type = I.self) throws(NodeError) -> I {
        guard case .number(let literal) = value else { throw bad("expected a whole number, got \(value.kindName)") }
        guard let number = I(literal) else { throw bad("\(literal.prefix(40)) is not a whole number in \(I.min)...\(I.max)") }
        return number
    }

    public func array() throws(NodeError) -> [NodeAnswer] {
        guard case .array(let items) = value else { throw bad("expected an array, got \(value.kindName)") }
        return items.enumerated().map { NodeAnswer($0.element, context: "\(context)[\($0.offset)]") }
    }

    /// Bytes given as hex text.
    public func hexBytes() throws(NodeError) -> [UInt8] {
        let text = try string()
        guard let bytes = try? Hex.decode(text), !text.hasPrefix("0x") else { throw bad("expected hex, got \"\(text.prefix(40))\"") }
        return bytes
    }

    public func string(_ key: String) throws(NodeError) -> String { try member(key).string() }
    public func bool(_ key: String) throws(NodeError) -> Bool { try member(key).bool() }
    public func integer<I: FixedWidthInteger>(_ key: String, as type: I.Type = I.self) throws(NodeError) -> I { try member(key).integer(type) }
    public func array(_ key: String) throws(NodeError) -> [NodeAnswer] { try member(key).array() }
}
