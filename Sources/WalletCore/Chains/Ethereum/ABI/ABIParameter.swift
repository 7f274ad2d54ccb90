import CofferBase

/// A named input or output of a function, an event or an error.
public struct ABIParameter: Sendable, Hashable {
    /// The parameter's name; empty when the ABI gives none.
    public var name: String
    public var type: ABIType
    /// Whether an event parameter is carried as a topic rather than in the data.
    public var indexed: Bool
    /// The named members of a tuple type, or of the tuple inside an array of tuples, from the ABI
    /// JSON's `components`; empty when unnamed.
    public var components: [ABIParameter]

    public init(_ name: String = "", _ type: ABIType, indexed: Bool = false, components: [ABIParameter] = []) {
        self.name = name
        self.type = type
        self.indexed = indexed
        self.components = components
    }

    /// An entry of an ABI JSON `inputs` or `outputs` list: `{"name", "type", "indexed",
    /// "components"}`. A `tuple`, `tuple[]` or `tuple[2][]` type takes its components from
    /// `components`. Other members (`internalType`) are ignored.
    init(json: JSONValue, at path: String) throws(ABIError) {
        guard case .object = json else { throw .invalidABI("\(path) must be an object, got \(json.kindName)") }
        guard case .string(let typeText) = json["type"] else {
            throw .invalidABI("\(path).type must be a string, got \(json["type"]?.kindName ?? "nothing")")
        }
        name = try Self.string(json["name"], at: "\(path).name")
        switch json["indexed"] {
        case nil, .null: indexed = false
        case .bool(let flag): indexed = flag
        case let other?: throw .invalidABI("\(path).indexed must be true or false, got \(other.kindName)")
        }
        switch json["components"] {
        case nil, .null: components = []
        case .array(let items):
            var parsed: [ABIParameter] = []
            for (index, item) in items.enumerated() {
                parsed.append(try ABIParameter(json: item, at: "\(path).components[\(index)]"))
            }
            components = parsed
        case let other?: throw .invalidABI("\(path).components must be an array, got \(other.kindName)")
        }
        if typeText.hasPrefix("tuple") {
            guard !components.isEmpty else { throw .invalidABI("\(path): type \(typeText) needs a non-empty components list") }
            var parser = ABITextParser(typeText, subject: "\(path).type")
            guard parser.word() == "tuple" else { throw parser.failure("\"\(typeText)\" is not an ABI type", at: 0) }
            let tuple = ABIType.tuple(components.map(\.type))
            type = try parser.arraySuffixes(on: tuple)
            guard parser.isAtEnd else { throw parser.failure("unexpected \(parser.currentCharacter) after the type") }
            guard type.nesting <= ABIType.maximumNesting else {
                throw .invalidABI("\(path): types nest more than \(ABIType.maximumNesting) levels deep")
            }
        } else {
            guard components.isEmpty else { throw .invalidABI("\(path): components are given for type \(typeText), which is not a tuple") }
            do { type = try ABIType(parsing: typeText) } catch { throw .invalidABI("\(path).\(error.description)") }
        }
    }

    /// An optional string member (absent and null are "").
    static func string(_ value: JSONValue?, at path: String) throws(ABIError) -> String {
        switch value {
        case nil, .null: return ""
        case .string(let text): return text
        case let other?: throw .invalidABI("\(path) must be a string, got \(other.kindName)")
        }
    }
}
