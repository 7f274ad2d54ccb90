/// A human-readable declaration: `transfer(address to,uint256 amount) returns (bool)`,
/// `event Transfer(address indexed from,address indexed to,uint256 value)`. Types are canonical
/// type strings; a parameter may be followed by `indexed`, a data location and a name.
struct ABISignature {
    var keyword: String?
    var name: String
    var inputs: [ABIParameter]
    var outputs: [ABIParameter] = []
    var anonymous = false
    var stateMutability: String?

    static let mutabilities: Set<String> = ["pure", "view", "nonpayable", "payable"]

    /// Parses `text`; `subject` names it in messages ("function signature", "event signature").
    init(parsing text: String, subject: String) throws(ABIError) {
        var parser = ABITextParser(text, subject: subject)
        parser.skipSpaces()
        var start = parser.position
        var name = parser.word()
        if ["function", "event", "error"].contains(name) {
            keyword = name
            parser.skipSpaces()
            start = parser.position
            name = parser.word()
        }
        guard ABISignature.isIdentifier(name) else { throw parser.failure("expected a name", at: start) }
        self.name = name
        parser.skipSpaces()
        inputs = try Self.parameters(&parser)
        while true {
            parser.skipSpaces()
            if parser.isAtEnd { break }
            let wordStart = parser.position
            let word = parser.word()
            switch word {
            case "anonymous": anonymous = true
            case "external", "public": break
            case _ where Self.mutabilities.contains(word): stateMutability = word
            case "returns":
                parser.skipSpaces()
                outputs = try Self.parameters(&parser)
            default:
                throw parser.failure(word.isEmpty ? "unexpected \(parser.currentCharacter)" : "unexpected \"\(word)\"", at: wordStart)
            }
        }
    }

    /// `(param, param, ...)`.
    private static func parameters(_ parser: inout ABITextParser) throws(ABIError) -> [ABIParameter] {
        try parser.expect("(")
        parser.skipSpaces()
        if parser.consume(")") { return [] }
        var parameters: [ABIParameter] = []
        repeat {
            parser.skipSpaces()
            var parameter = ABIParameter("", try parser.type())
            while true {
                let before = parser.position
                parser.skipSpaces()
                guard parser.position > before, let next = parser.peek, ABITextParser.isWordByte(next) else { break }
                let wordStart = parser.position
                let word = parser.word()
                switch word {
                case "indexed": parameter.indexed = true
                case "memory", "calldata", "storage": break
                case _ where parameter.name.isEmpty && isIdentifier(word): parameter.name = word
                default: throw parser.failure("unexpected \"\(word)\"", at: wordStart)
                }
            }
            parameters.append(parameter)
            parser.skipSpaces()
        } while parser.consume(",")
        try parser.expect(")")
        return parameters
    }

    /// A Solidity identifier: a letter, `_` or `$`, then letters, digits, `_` or `$`.
    static func isIdentifier(_ text: String) -> Bool {
        EIP712TypedData.isIdentifier(text)
    }

    /// `name(type1,type2,...)`: what the selector and topic 0 hash.
    static func canonical(_ name: String, _ parameters: [ABIParameter]) -> String {
        name + "(" + parameters.map(\.type.description).joined(separator: ",") + ")"
    }
}
