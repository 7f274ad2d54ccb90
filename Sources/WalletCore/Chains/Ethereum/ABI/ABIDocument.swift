import CofferBase

/// A contract's ABI JSON (the array solc and Vyper emit): its functions, events and custom
/// errors. Constructors, `fallback` and `receive` entries are read for validity and then not
/// kept; members this reader does not use (`internalType`, `gas`) are ignored.
public struct ABIDocument: Sendable {
    public let functions: [ABIFunction]
    public let events: [ABIEvent]
    /// Custom errors, which revert data encodes like a call: selector, then the arguments.
    public let errors: [ABIFunction]

    /// Parses ABI JSON text.
    public init(json text: String) throws(ABIError) {
        let value: JSONValue
        do { value = try JSONValue(parsing: text) } catch { throw .invalidABI("ABI JSON: \(error.description)") }
        try self.init(json: value)
    }

    /// Reads a parsed ABI JSON array.
    public init(json: JSONValue) throws(ABIError) {
        guard case .array(let entries) = json else { throw .invalidABI("an ABI is a JSON array, got \(json.kindName)") }
        var functions: [ABIFunction] = []
        var events: [ABIEvent] = []
        var errors: [ABIFunction] = []
        for (index, entry) in entries.enumerated() {
            let path = "abi[\(index)]"
            guard case .object = entry else { throw .invalidABI("\(path) must be an object, got \(entry.kindName)") }
            let kind = try ABIParameter.string(entry["type"], at: "\(path).type")
            let inputs = try Self.parameters(entry["inputs"], at: "\(path).inputs")
            switch kind {
            case "function", "":
                let name = try ABIParameter.string(entry["name"], at: "\(path).name")
                let outputs = try Self.parameters(entry["outputs"], at: "\(path).outputs")
                let mutability = try ABIParameter.string(entry["stateMutability"], at: "\(path).stateMutability")
                functions.append(try Self.at(path) { () throws(ABIError) in
                    try ABIFunction(name: name, inputs: inputs, outputs: outputs, stateMutability: mutability.isEmpty ? "nonpayable" : mutability)
                })
            case "event":
                let name = try ABIParameter.string(entry["name"], at: "\(path).name")
                let anonymous: Bool
                switch entry["anonymous"] {
                case nil, .null: anonymous = false
                case .bool(let flag): anonymous = flag
                case let other?: throw .invalidABI("\(path).anonymous must be true or false, got \(other.kindName)")
                }
                events.append(try Self.at(path) { () throws(ABIError) in try ABIEvent(name: name, inputs: inputs, anonymous: anonymous) })
            case "error":
                let name = try ABIParameter.string(entry["name"], at: "\(path).name")
                errors.append(try Self.at(path) { () throws(ABIError) in try ABIFunction(name: name, inputs: inputs) })
            case "constructor", "fallback", "receive":
                continue
            default:
                throw .invalidABI("\(path).type \"\(kind.prefix(40))\" is not function, event, error, constructor, fallback or receive")
            }
        }
        self.functions = functions
        self.events = events
        self.errors = errors
    }

    /// The functions called `name` (several when overloaded).
    public func functions(named name: String) -> [ABIFunction] { functions.filter { $0.name == name } }

    /// The function whose selector starts `callData`.
    public func function(forCallData callData: [UInt8]) -> ABIFunction? {
        guard callData.count >= 4 else { return nil }
        return functions.first { $0.selector[...] == callData.prefix(4) }
    }

    /// The events called `name`.
    public func events(named name: String) -> [ABIEvent] { events.filter { $0.name == name } }

    /// The events, to recognise logs by.
    public var eventSet: ABIEventSet { ABIEventSet(events) }

    private static func parameters(_ value: JSONValue?, at path: String) throws(ABIError) -> [ABIParameter] {
        switch value {
        case nil, .null: return []
        case .array(let items):
            var parameters: [ABIParameter] = []
            for (index, item) in items.enumerated() { parameters.append(try ABIParameter(json: item, at: "\(path)[\(index)]")) }
            return parameters
        case let other?: throw .invalidABI("\(path) must be an array, got \(other.kindName)")
        }
    }

    private static func at<T>(_ path: String, _ body: () throws(ABIError) -> T) throws(ABIError) -> T {
        do { return try body() } catch { throw ABIError(error.category, error.code, "\(path): \(error.description)") }
    }
}
