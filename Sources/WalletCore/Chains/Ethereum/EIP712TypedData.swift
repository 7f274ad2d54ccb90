import CofferBase

/// EIP-712 typed structured data, as `eth_signTypedData_v4` receives it:
/// `{"types": {...}, "primaryType": "...", "domain": {...}, "message": {...}}`.
///
/// Everything is validated and hashed when the value is built: every type used is defined,
/// every struct value has exactly its declared fields, integers are in range for their size,
/// fixed arrays have their length. What is signed is
/// `keccak256(0x19 0x01 || domainSeparator || hashStruct(primaryType, message))`.
public struct EIP712TypedData: Sendable {
    /// One member of a struct type.
    public struct Field: Sendable, Equatable {
        public let name: String
        public let type: String
    }

    /// Struct types by name, `EIP712Domain` included.
    public let types: [String: [Field]]
    public let primaryType: String
    /// `hashStruct("EIP712Domain", domain)`.
    public let domainSeparator: [UInt8]
    /// `hashStruct(primaryType, message)`.
    public let messageHash: [UInt8]

    /// Parses and hashes a typed-data JSON document.
    public init(json text: [UInt8]) throws(EIP712Error) {
        let document: JSONValue
        do { document = try JSONValue(parsing: text) } catch { throw EIP712Error("typed data: \(error)") }
        try self.init(document: document)
    }

    /// Parses and hashes a typed-data JSON document.
    public init(json text: String) throws(EIP712Error) {
        try self.init(json: Array(text.utf8))
    }

    private init(document: JSONValue) throws(EIP712Error) {
        let top = try Self.wrap { () throws(JSONError) in try JSONObjectReader(document, path: "") }
        try Self.wrap { () throws(JSONError) in try top.rejectUnknown(allowed: ["types", "primaryType", "domain", "message"]) }
        types = try Self.parseTypes(try Self.wrap { () throws(JSONError) in try top.required("types") })
        primaryType = try Self.wrap { () throws(JSONError) in try top.string("primaryType") }
        guard types["EIP712Domain"] != nil else { throw EIP712Error("types must define EIP712Domain") }
        guard types[primaryType] != nil else { throw EIP712Error("primaryType \(primaryType) is not defined in types") }
        guard primaryType != "EIP712Domain" else {
            throw EIP712Error("primaryType must be the message's type, not EIP712Domain")
        }
        for (name, fields) in types {
            for field in fields { _ = try Self.checkType(field.type, in: types, at: "types.\(name).\(field.name)") }
        }
        let domain = try Self.wrap { () throws(JSONError) in try top.required("domain") }
        let message = try Self.wrap { () throws(JSONError) in try top.required("message") }
        let encoder = Encoder(types: types)
        domainSeparator = try encoder.hashStruct("EIP712Domain", domain, at: "domain")
        messageHash = try encoder.hashStruct(primaryType, message, at: "message")
    }

    /// The digest that is signed: `keccak256(0x19 0x01 || domainSeparator || messageHash)`.
    public func signingHash() -> [UInt8] {
        Keccak256.hash([0x19, 0x01] + domainSeparator + messageHash)
    }

    /// `encodeType`: `Name(type name,...)` followed by every struct it references, sorted by name.
    public func encodeType(_ name: String) throws(EIP712Error) -> String {
        guard types[name] != nil else { throw EIP712Error("type \(name) is not defined") }
        return Encoder(types: types).encodeType(name)
    }

    /// Signs ``signingHash()``; ``EthereumSignature/rsv`` gives `r || s || v` (v = 27 or 28).
    public func sign(with key: Secp256k1.PrivateKey) throws(EthereumSignatureError) -> EthereumSignature {
        try EthereumSignature.sign(digest: signingHash(), with: key)
    }

    private static func wrap<T>(_ body: () throws(JSONError) -> T) throws(EIP712Error) -> T {
        do { return try body() } catch { throw EIP712Error("typed data: \(error)") }
    }

    private static func parseTypes(_ value: JSONValue) throws(EIP712Error) -> [String: [Field]] {
        guard case .object(let members) = value else { throw EIP712Error("types must be an object, got \(value.kindName)") }
        var types: [String: [Field]] = [:]
        for (name, definition) in members {
            guard isIdentifier(name) else { throw EIP712Error("types: \"\(name)\" is not a valid type name") }
            guard case .array(let entries) = definition else {
                throw EIP712Error("types.\(name) must be an array of {name, type}, got \(definition.kindName)")
            }
            var fields: [Field] = []
            for (index, entry) in entries.enumerated() {
                let path = "types.\(name)[\(index)]"
                let field = try wrap { () throws(JSONError) in
                    let reader = try JSONObjectReader(entry, path: path)
                    try reader.rejectUnknown(allowed: ["name", "type"])
                    return Field(name: try reader.string("name"), type: try reader.string("type"))
                }
                guard isIdentifier(field.name) else { throw EIP712Error("\(path).name \"\(field.name)\" is not a valid field name") }
                guard !fields.contains(where: { $0.name == field.name }) else {
                    throw EIP712Error("types.\(name) declares field \(field.name) twice")
                }
                fields.append(field)
            }
            types[name] = fields
        }
        return types
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || first == "$" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return text.unicodeScalars.allSatisfy { $0 == "_" || $0 == "$" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// Checks that `type` is an atomic, dynamic, struct or array type; returns it parsed.
    @discardableResult
    static func checkType(_ type: String, in types: [String: [Field]], at path: String) throws(EIP712Error) -> EIP712FieldType {
        guard let parsed = EIP712FieldType(type) else {
            throw EIP712Error("\(path): \"\(type)\" is not a valid EIP-712 type")
        }
        if case .structure(let name) = parsed.base, types[name] == nil {
            throw EIP712Error("\(path): type \(name) is not defined in types")
        }
        return parsed
    }
}

/// Why typed data was refused; names the type or value path.
public struct EIP712Error: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
