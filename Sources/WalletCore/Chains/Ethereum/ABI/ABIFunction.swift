/// A contract function (or a custom error, which is encoded the same way): its selector, and
/// the encoding of its call data and return data.
public struct ABIFunction: Sendable, Hashable {
    public let name: String
    public let inputs: [ABIParameter]
    public let outputs: [ABIParameter]
    /// `pure`, `view`, `nonpayable` or `payable`.
    public let stateMutability: String
    /// The first 4 bytes of Keccak-256 of ``signature``.
    public let selector: [UInt8]

    /// A function from its parts; the name must be a Solidity identifier and no input indexed.
    public init(name: String, inputs: [ABIParameter], outputs: [ABIParameter] = [], stateMutability: String = "nonpayable") throws(ABIError) {
        guard ABISignature.isIdentifier(name) else { throw .invalidABI("\"\(name.prefix(100))\" is not a function name") }
        if let indexed = (inputs + outputs).first(where: \.indexed) {
            throw .invalidABI("\(name): parameter \(indexed.name.isEmpty ? indexed.type.description : indexed.name) is indexed; only event parameters can be")
        }
        self.init(verified: name, inputs, outputs: outputs, stateMutability: stateMutability)
    }

    /// A function known to be valid (the built-in token calls).
    init(verified name: String, _ inputs: [ABIParameter], outputs: [ABIParameter] = [], stateMutability: String = "nonpayable") {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.stateMutability = stateMutability
        selector = Array(Keccak256.hash(Array(ABISignature.canonical(name, inputs).utf8)).prefix(4))
    }

    /// Parses a declaration such as `transfer(address,uint256)` or
    /// `function balanceOf(address owner) view returns (uint256)`.
    public init(signature text: String) throws(ABIError) {
        let parsed = try ABISignature(parsing: text, subject: "function signature")
        guard parsed.keyword == nil || parsed.keyword == "function" || parsed.keyword == "error", !parsed.anonymous else {
            throw .invalidABI("function signature \"\(text.prefix(100))\" declares \(parsed.anonymous ? "an anonymous event" : "an event")")
        }
        try self.init(name: parsed.name, inputs: parsed.inputs, outputs: parsed.outputs, stateMutability: parsed.stateMutability ?? "nonpayable")
    }

    /// The canonical signature, `name(type1,type2)`.
    public var signature: String { ABISignature.canonical(name, inputs) }

    /// The selector as `0x` and 8 lower-case hex digits.
    public var selectorHex: String { "0x" + Hex.encode(selector) }

    /// The call data: the selector, then the arguments encoded as a tuple.
    public func encodeCall(_ arguments: [ABIValue]) throws(ABIError) -> [UInt8] {
        selector + (try ABIEncoder.encode(arguments, as: inputs.map(\.type), names: inputs.map(\.name)))
    }

    /// The arguments of call data, which must start with this function's selector.
    public func decodeCall(_ data: [UInt8]) throws(ABIError) -> [ABIValue] {
        guard data.count >= 4 else { throw .invalidData("call data of \(data.count) bytes has no 4-byte selector") }
        guard Array(data.prefix(4)) == selector else {
            throw .invalidData("call data starts with selector 0x\(Hex.encode(data.prefix(4))), not \(selectorHex) of \(signature)")
        }
        return try ABIDecoder.decode(inputs.map(\.type), from: Array(data.dropFirst(4)), names: inputs.map(\.name), origin: 4)
    }

    /// The return data for `values`.
    public func encodeOutput(_ values: [ABIValue]) throws(ABIError) -> [UInt8] {
        try ABIEncoder.encode(values, as: outputs.map(\.type), names: outputs.map(\.name))
    }

    /// The values of return data.
    public func decodeOutput(_ data: [UInt8]) throws(ABIError) -> [ABIValue] {
        try ABIDecoder.decode(outputs.map(\.type), from: data, names: outputs.map(\.name), origin: 0)
    }
}
