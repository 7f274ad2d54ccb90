extension ABIType {
    /// How deeply arrays and tuples may nest (`uint8[][]` is 2): deeper types are refused, so no
    /// input can exhaust the stack of the recursive encoder and decoder.
    public static let maximumNesting = 32

    /// Parses a canonical type string: `uint8`...`uint256`, `int8`...`int256`, `address`, `bool`,
    /// `bytes1`...`bytes32`, `bytes`, `string`, `T[k]`, `T[]` and tuples `(T1,T2)`. No spaces,
    /// no aliases (`uint` is refused: write `uint256`), no fixed-point types.
    public init(parsing text: String) throws(ABIError) {
        var parser = ABITextParser(text, subject: "type")
        let type = try parser.type()
        guard parser.isAtEnd else { throw parser.failure("unexpected \(parser.currentCharacter) after the type") }
        self = type
    }

    /// How deeply arrays and tuples nest: 0 for an elementary type.
    var nesting: Int {
        switch self {
        case .array(let element, _), .dynamicArray(let element): 1 + element.nesting
        case .tuple(let components): 1 + (components.map(\.nesting).max() ?? 0)
        default: 0
        }
    }
}

/// Reads ABI type strings and human-readable signatures (`transfer(address to,uint256 amount)`)
/// one ASCII byte at a time; every error names the text and the character where it stopped.
struct ABITextParser {
    private let text: String
    private let subject: String
    private let bytes: [UInt8]
    private(set) var position = 0
    /// Tuples open around the current position.
    private var openTuples = 0

    init(_ text: String, subject: String) {
        self.text = text
        self.subject = subject
        bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { position >= bytes.count }
    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// The character at the position, for messages.
    var currentCharacter: String {
        guard let byte = peek else { return "the end" }
        let scalar = Unicode.Scalar(byte)
        return byte >= 0x21 && byte < 0x7F ? "'\(Character(scalar))'" : "byte 0x" + Hex.encode([byte])
    }

    /// An error naming the text and the 1-based character where parsing stopped.
    func failure(_ message: String, at index: Int? = nil) -> ABIError {
        let shown = text.utf8.count <= 120 ? text : String(text.prefix(100)) + "..."
        return .invalidABI("\(subject) \"\(shown)\": \(message) at character \((index ?? position) + 1)")
    }

    /// Consumes `character` if it is next.
    mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard peek == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    mutating func expect(_ character: Unicode.Scalar) throws(ABIError) {
        guard consume(character) else { throw failure("expected '\(character)' but found \(currentCharacter)") }
    }

    mutating func skipSpaces() {
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") { position += 1 }
    }

    /// A run of ASCII letters, digits, `_` and `$` (possibly empty).
    mutating func word() -> String {
        let start = position
        while let byte = peek, Self.isWordByte(byte) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "$"):
            true
        default: false
        }
    }

    /// One type: an elementary name or a tuple, then any `[k]` / `[]` suffixes.
    mutating func type() throws(ABIError) -> ABIType {
        let start = position
        let base: ABIType
        if consume("(") {
            openTuples += 1
            guard openTuples <= ABIType.maximumNesting else { throw failure("types nest more than \(ABIType.maximumNesting) levels deep") }
            guard !consume(")") else { throw failure("the empty tuple () is not a type", at: start) }
            var components: [ABIType] = []
            repeat {
                components.append(try type())
            } while consume(",")
            try expect(")")
            openTuples -= 1
            base = .tuple(components)
        } else {
            let name = word()
            guard !name.isEmpty else { throw failure("expected a type but found \(currentCharacter)") }
            base = try elementary(name, at: start)
        }
        let type = try arraySuffixes(on: base)
        guard type.nesting <= ABIType.maximumNesting else {
            throw failure("types nest more than \(ABIType.maximumNesting) levels deep", at: start)
        }
        return type
    }

    /// `[k]` and `[]` suffixes, innermost first: `uint8[2][]` is a dynamic array of `uint8[2]`.
    mutating func arraySuffixes(on base: ABIType) throws(ABIError) -> ABIType {
        var type = base
        while consume("[") {
            let start = position
            let digits = word()
            if digits.isEmpty {
                type = .dynamicArray(type)
            } else {
                guard digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), digits.utf8.count <= 9,
                    digits == "0" || !digits.hasPrefix("0"), let length = Int(digits)
                else {
                    throw failure("\"\(digits)\" is not an array length (a decimal number without leading zeros)", at: start)
                }
                guard length >= 1 else { throw failure("an array type needs a length of at least 1", at: start) }
                type = .array(type, length: length)
            }
            try expect("]")
            guard type.nesting <= ABIType.maximumNesting else {
                throw failure("types nest more than \(ABIType.maximumNesting) levels deep", at: start)
            }
        }
        return type
    }

    /// `uint256`, `bytes32`, `address`, ... (`name` is a run of word characters).
    private func elementary(_ name: String, at start: Int) throws(ABIError) -> ABIType {
        switch name {
        case "address": return .address
        case "bool": return .bool
        case "bytes": return .bytes
        case "string": return .string
        case "uint", "int": throw failure("\(name) is not canonical: write \(name)256", at: start)
        case "tuple": throw failure("write a tuple as its components, (T1,T2,...)", at: start)
        case "function": throw failure("the function type is not supported", at: start)
        default: break
        }
        let sized: (prefix: String, make: (Int) -> ABIType)? =
            if name.hasPrefix("uint") { ("uint", { .uint(bits: $0) }) }
            else if name.hasPrefix("int") { ("int", { .int(bits: $0) }) }
            else if name.hasPrefix("bytes") { ("bytes", { .fixedBytes($0) }) }
            else { nil }
        if let sized {
            let digits = name.dropFirst(sized.prefix.count)
            if digits.utf8.count <= 3, digits.first != "0", digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let size = Int(digits)
            {
                let type = sized.make(size)
                if let problem = type.problem { throw failure(problem, at: start) }
                return type
            }
        }
        if name.hasPrefix("fixed") || name.hasPrefix("ufixed") { throw failure("fixed-point types (\(name)) are not supported", at: start) }
        throw failure("\"\(name)\" is not an ABI type", at: start)
    }
}
