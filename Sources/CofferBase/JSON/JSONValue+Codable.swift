/// `JSONValue` through `Codable`, so that types whose wire form is read and written as a
/// `JSONValue` (signing payloads, results) can also be used with any `Encoder`/`Decoder`.
///
/// A `Decoder` does not show a number's literal text: integers come back exactly (Int64, then
/// UInt64), other numbers as the shortest text of the nearest double. A `Decoder` does not keep
/// member order either: object members come back sorted by key (UTF-16 code units, as JCS
/// sorts them). Integer literals are encoded as integers, others as doubles.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: MemberKey.self) {
            var members: [(key: String, value: JSONValue)] = []
            for key in object.allKeys.sorted(by: { $0.stringValue.utf16.lexicographicallyPrecedes($1.stringValue.utf16) }) {
                members.append((key.stringValue, try object.decode(JSONValue.self, forKey: key)))
            }
            self = .object(members)
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !array.isAtEnd { elements.append(try array.decode(JSONValue.self)) }
            self = .array(elements)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let flag = try? single.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? single.decode(Int64.self) {
            self = .number(String(integer))
        } else if let integer = try? single.decode(UInt64.self) {
            self = .number(String(integer))
        } else if let number = try? single.decode(Double.self) {
            guard number.isFinite else {
                throw DecodingError.dataCorruptedError(in: single, debugDescription: "\(number) is not a JSON number")
            }
            self = .number(String(number))
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let members):
            var container = encoder.container(keyedBy: MemberKey.self)
            for member in members { try container.encode(member.value, forKey: MemberKey(member.key)) }
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .number(let literal):
            var container = encoder.singleValueContainer()
            if let integer = Int64(literal) {
                try container.encode(integer)
            } else if let integer = UInt64(literal) {
                try container.encode(integer)
            } else if let integer = CanonicalJSON.integer(literal) {
                try container.encode(integer)
            } else if let number = Double(literal), number.isFinite {
                try container.encode(number)
            } else {
                throw EncodingError.invalidValue(literal, .init(codingPath: encoder.codingPath, debugDescription: "\(literal) is not a JSON number"))
            }
        }
    }

    /// An object member's name as a coding key.
    struct MemberKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
