/// A value of an ``ABIType``. Integers are exact 256-bit values (``EthereumQuantity``,
/// ``Int256``), never floating point; fixed and dynamic arrays are both `.array`, and the type
/// they are encoded as decides which.
public indirect enum ABIValue: Sendable, Hashable {
    case uint(EthereumQuantity)
    case int(Int256)
    /// The 20 address bytes.
    case address([UInt8])
    case bool(Bool)
    /// `bytesN`: exactly N bytes.
    case fixedBytes([UInt8])
    case bytes([UInt8])
    case string(String)
    /// `T[k]` and `T[]`.
    case array([ABIValue])
    /// `(T1,T2,...)`: the components in order.
    case tuple([ABIValue])

    /// An address from its `0x` text (lower case, or mixed case with a valid EIP-55 checksum).
    public static func address(_ text: String) throws(ABIError) -> ABIValue {
        do { return .address(try EthereumAddress.decode(text)) } catch { throw .invalidValue("\(error)") }
    }

    /// The `0x` lower-case hex of an address, else nil.
    public var addressText: String? {
        guard case .address(let bytes) = self else { return nil }
        return "0x" + Hex.encode(bytes)
    }

    /// The number held by a `uint`, else nil.
    public var uintValue: EthereumQuantity? {
        guard case .uint(let value) = self else { return nil }
        return value
    }

    /// What kind of value this is, for error messages.
    var kindName: String {
        switch self {
        case .uint: "an unsigned integer"
        case .int: "a signed integer"
        case .address: "an address"
        case .bool: "a bool"
        case .fixedBytes(let bytes): "\(bytes.count) fixed bytes"
        case .bytes: "a byte string"
        case .string: "a string"
        case .array(let items): "an array of \(items.count)"
        case .tuple(let items): "a tuple of \(items.count)"
        }
    }
}

/// Where a value sits inside what is encoded or decoded, for messages: `value 1[2].0` is
/// component 0 of element 2 of the second value; parameters with names use them (`amount`).
struct ABIPath: Sendable, CustomStringConvertible {
    private enum Step: Sendable {
        case top(Int, name: String)
        case element(Int)
        case component(Int)
    }

    private var steps: [Step]

    private init(steps: [Step]) { self.steps = steps }

    /// The `index`th value of a list, shown by `name` when it has one.
    static func top(_ index: Int, name: String = "") -> ABIPath { ABIPath(steps: [.top(index, name: name)]) }

    func element(_ index: Int) -> ABIPath { ABIPath(steps: steps + [.element(index)]) }
    func component(_ index: Int) -> ABIPath { ABIPath(steps: steps + [.component(index)]) }

    var description: String {
        steps.map { step in
            switch step {
            case .top(let index, let name): name.isEmpty ? "value \(index)" : name
            case .element(let index): "[\(index)]"
            case .component(let index): ".\(index)"
            }
        }.joined()
    }
}
