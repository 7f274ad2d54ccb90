/// A contract event: its topic 0, and how a log of it carries its parameters (indexed ones as
/// topics, the others encoded in the data).
public struct ABIEvent: Sendable, Hashable {
    public let name: String
    public let inputs: [ABIParameter]
    /// An anonymous event's logs carry no topic 0, only the indexed parameters.
    public let anonymous: Bool
    /// Keccak-256 of ``signature``: the first topic of every log of a non-anonymous event.
    public let topic0: [UInt8]

    /// An event from its parts; the name must be a Solidity identifier, and at most 3 parameters
    /// (4 when anonymous) can be indexed, as a log has at most 4 topics.
    public init(name: String, inputs: [ABIParameter], anonymous: Bool = false) throws(ABIError) {
        guard ABISignature.isIdentifier(name) else { throw .invalidABI("\"\(name.prefix(100))\" is not an event name") }
        let indexed = inputs.filter(\.indexed).count
        guard indexed <= (anonymous ? 4 : 3) else {
            throw .invalidABI("event \(name) has \(indexed) indexed parameters; at most \(anonymous ? 4 : 3) fit in a log's topics")
        }
        self.init(verified: name, inputs, anonymous: anonymous)
    }

    /// Parses a declaration such as `Transfer(address indexed from,address indexed to,uint256 value)`
    /// (optionally preceded by `event` and followed by `anonymous`).
    public init(signature text: String) throws(ABIError) {
        let parsed = try ABISignature(parsing: text, subject: "event signature")
        guard parsed.keyword == nil || parsed.keyword == "event", parsed.outputs.isEmpty, parsed.stateMutability == nil else {
            throw .invalidABI("event signature \"\(text.prefix(100))\" declares a function")
        }
        try self.init(name: parsed.name, inputs: parsed.inputs, anonymous: parsed.anonymous)
    }

    /// An event known to be valid (the built-in token events).
    init(verified name: String, _ inputs: [ABIParameter], anonymous: Bool = false) {
        self.name = name
        self.inputs = inputs
        self.anonymous = anonymous
        topic0 = Keccak256.hash(Array(ABISignature.canonical(name, inputs).utf8))
    }

    /// The canonical signature, `Name(type1,type2)` (without `indexed` or names).
    public var signature: String { ABISignature.canonical(name, inputs) }

    /// Topic 0 as `0x` and 64 lower-case hex digits.
    public var topic0Hex: String { "0x" + Hex.encode(topic0) }

    /// How many topics a log of this event has.
    public var topicCount: Int { inputs.filter(\.indexed).count + (anonymous ? 0 : 1) }

    /// The topic an indexed parameter of `type` holding `value` becomes: what a log filter
    /// matches on (`ABIEvent.topic(for: .address(...), as: .address)` for a `to` address).
    public static func topic(for value: ABIValue, as type: ABIType) throws(ABIError) -> [UInt8] {
        try ABIEncoder.topic(for: value, as: type, at: .top(0))
    }

    /// The topics and data of a log of this event with the parameter values `values`.
    public func encodeLog(_ values: [ABIValue]) throws(ABIError) -> (topics: [[UInt8]], data: [UInt8]) {
        guard values.count == inputs.count else { throw .invalidValue("\(signature) has \(inputs.count) parameters, got \(values.count) values") }
        var topics: [[UInt8]] = anonymous ? [] : [topic0]
        var dataValues: [ABIValue] = []
        for (index, parameter) in inputs.enumerated() {
            if parameter.indexed {
                topics.append(try ABIEncoder.topic(for: values[index], as: parameter.type, at: .top(index, name: parameter.name)))
            } else {
                dataValues.append(values[index])
            }
        }
        let data = inputs.filter { !$0.indexed }
        return (topics, try ABIEncoder.encode(dataValues, as: data.map(\.type), names: data.map(\.name)))
    }

    /// The parameters of a log: static indexed ones read from their topic, dynamic indexed ones
    /// (`string`, `bytes`, arrays, tuples) only as their hash, the others decoded from `data`.
    /// The topic count and topic 0 must be this event's.
    public func decodeLog(topics: [[UInt8]], data: [UInt8]) throws(ABIError) -> ABIDecodedLog {
        guard topics.count == topicCount else {
            throw .invalidData("\(signature) has \(topicCount) topics (\(topicCount - (anonymous ? 0 : 1)) indexed), the log has \(topics.count)")
        }
        if let bad = topics.firstIndex(where: { $0.count != 32 }) {
            throw .invalidData("topic \(bad) is \(topics[bad].count) bytes, not 32")
        }
        if !anonymous, topics[0] != topic0 {
            throw .invalidData("topic 0 is 0x\(Hex.encode(topics[0])), not \(topic0Hex) of \(signature)")
        }
        let dataParameters = inputs.filter { !$0.indexed }
        var dataValues = try ABIDecoder.decode(dataParameters.map(\.type), from: data, names: dataParameters.map(\.name), origin: 0)[...]
        var topicIndex = anonymous ? 0 : 1
        var arguments: [ABIDecodedLog.Argument] = []
        for (index, parameter) in inputs.enumerated() {
            if parameter.indexed {
                let topic = topics[topicIndex]
                let label = "\(parameter.name.isEmpty ? "value \(index)" : parameter.name) (topic \(topicIndex))"
                arguments.append(parameter.type.isWord ? .value(try ABIDecoder.decodeWord(topic, as: parameter.type, at: .top(index, name: label))) : .hashed(topic))
                topicIndex += 1
            } else {
                arguments.append(.value(dataValues.removeFirst()))
            }
        }
        return ABIDecodedLog(event: self, arguments: arguments)
    }

    /// ``decodeLog(topics:data:)`` for the `0x` hex strings of a JSON-RPC log.
    public func decodeLog(topics: [String], data: String) throws(ABIError) -> ABIDecodedLog {
        try decodeLog(topics: try Self.hexTopics(topics), data: try Self.hexData(data))
    }

    static func hexTopics(_ topics: [String]) throws(ABIError) -> [[UInt8]] {
        var decoded: [[UInt8]] = []
        for (index, topic) in topics.enumerated() {
            do { decoded.append(try Hex.decode(topic)) } catch { throw .invalidData("topic \(index): \(error)") }
        }
        return decoded
    }

    static func hexData(_ data: String) throws(ABIError) -> [UInt8] {
        do { return try Hex.decode(data) } catch { throw .invalidData("log data: \(error)") }
    }
}
