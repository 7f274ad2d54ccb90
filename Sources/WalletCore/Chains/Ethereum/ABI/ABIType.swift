/// A Solidity ABI type. ``description`` is the canonical type string used in signatures
/// (`uint256`, `bytes32[2]`, `(address,uint256)[]`); ``init(parsing:)`` reads it back.
///
/// Cases built by hand are checked when a value is encoded or decoded: a `uint7` or a
/// zero-length array is refused there, never trusted.
public indirect enum ABIType: Sendable, Hashable, CustomStringConvertible {
    /// `uint8` ... `uint256` (bits a multiple of 8).
    case uint(bits: Int)
    /// `int8` ... `int256` (bits a multiple of 8).
    case int(bits: Int)
    /// A 20-byte account.
    case address
    case bool
    /// `bytes1` ... `bytes32`.
    case fixedBytes(Int)
    /// `bytes`: a byte string of any length.
    case bytes
    /// `string`: UTF-8 text of any length.
    case string
    /// `T[k]`, k ≥ 1.
    case array(ABIType, length: Int)
    /// `T[]`.
    case dynamicArray(ABIType)
    /// `(T1,T2,...)`, at least one component (a Solidity struct).
    case tuple([ABIType])

    /// `uint256`, the type of token amounts and ids.
    public static let uint256 = ABIType.uint(bits: 256)

    /// The canonical type string.
    public var description: String {
        switch self {
        case .uint(let bits): "uint\(bits)"
        case .int(let bits): "int\(bits)"
        case .address: "address"
        case .bool: "bool"
        case .fixedBytes(let count): "bytes\(count)"
        case .bytes: "bytes"
        case .string: "string"
        case .array(let element, let length): "\(element)[\(length)]"
        case .dynamicArray(let element): "\(element)[]"
        case .tuple(let components): "(" + components.map(\.description).joined(separator: ",") + ")"
        }
    }

    /// Whether the encoding's length depends on the value: `bytes`, `string`, `T[]`, and arrays
    /// and tuples that contain one. A dynamic value sits in the tail, its head is an offset.
    public var isDynamic: Bool {
        switch self {
        case .bytes, .string, .dynamicArray: true
        case .array(let element, _): element.isDynamic
        case .tuple(let components): components.contains(where: \.isDynamic)
        default: false
        }
    }

    /// Whether the value fits one 32-byte word (and so is its own topic when indexed).
    var isWord: Bool {
        switch self {
        case .uint, .int, .address, .bool, .fixedBytes: true
        default: false
        }
    }

    /// The bytes the type takes in the head of the tuple around it: 32 (an offset) when dynamic,
    /// else its whole encoding. Saturates at `Int.max` for absurd fixed arrays, so a bounds check
    /// against the data fails instead of the arithmetic.
    var headSize: Int {
        switch self {
        case _ where isDynamic: 32
        case .array(let element, let length):
            Self.saturating(element.headSize.multipliedReportingOverflow(by: Swift.max(length, 0)))
        case .tuple(let components):
            components.reduce(0) { Self.saturating($0.addingReportingOverflow($1.headSize)) }
        default: 32
        }
    }

    static func saturating(_ result: (partialValue: Int, overflow: Bool)) -> Int {
        result.overflow ? Int.max : result.partialValue
    }

    /// Bit sizes of `uintN` / `intN`.
    static func isIntegerSize(_ bits: Int) -> Bool { bits % 8 == 0 && (8...256).contains(bits) }

    /// Why this type cannot be used (`uint7`, `bytes33`, `T[0]`, `()`), or nil when it is valid.
    /// Only the outer level is checked; components are checked as they are reached.
    var problem: String? {
        switch self {
        case .uint(let bits) where !Self.isIntegerSize(bits): "uint\(bits) is not a type: the size must be 8 to 256 bits in steps of 8"
        case .int(let bits) where !Self.isIntegerSize(bits): "int\(bits) is not a type: the size must be 8 to 256 bits in steps of 8"
        case .fixedBytes(let count) where !(1...32).contains(count): "bytes\(count) is not a type: the size must be 1 to 32 bytes"
        case .array(_, let length) where length < 1: "an array type needs a length of at least 1, got \(length)"
        case .tuple(let components) where components.isEmpty: "the empty tuple () is not a type"
        default: nil
        }
    }
}
