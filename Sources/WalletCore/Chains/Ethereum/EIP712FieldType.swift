/// A parsed EIP-712 member type: a base type and any array dimensions (`Person[2][]`).
struct EIP712FieldType: Equatable {
    enum Base: Equatable {
        case bool
        case address
        /// `bytes1` ... `bytes32`.
        case fixedBytes(Int)
        /// `uint8` ... `uint256`.
        case unsigned(bits: Int)
        /// `int8` ... `int256`.
        case signed(bits: Int)
        /// Hashed: `bytes`.
        case bytes
        /// Hashed: `string`.
        case string
        /// A struct defined in `types`.
        case structure(String)
    }

    let base: Base
    /// Outermost last: `uint8[2][]` is `[2, nil]`; nil is a dynamic length.
    let dimensions: [Int?]

    /// Parses `type`; nil if it is malformed (`uint7`, `bytes33`, `Foo[`, `uint` without size).
    init?(_ type: String) {
        var rest = Substring(type)
        var dimensions: [Int?] = []
        while rest.hasSuffix("]") {
            guard let open = rest.lastIndex(of: "[") else { return nil }
            let inside = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
            if inside.isEmpty {
                dimensions.append(nil)
            } else {
                guard let length = Self.size(inside), length > 0 else { return nil }
                dimensions.append(length)
            }
            rest = rest[..<open]
        }
        guard let base = Self.base(String(rest)) else { return nil }
        self.base = base
        self.dimensions = dimensions.reversed()
    }

    /// The type of one element when this is an array.
    var element: EIP712FieldType? {
        guard !dimensions.isEmpty else { return nil }
        return EIP712FieldType(base: base, dimensions: Array(dimensions.dropLast()))
    }

    private init(base: Base, dimensions: [Int?]) {
        self.base = base
        self.dimensions = dimensions
    }

    private static func base(_ name: String) -> Base? {
        switch name {
        case "bool": return .bool
        case "address": return .address
        case "bytes": return .bytes
        case "string": return .string
        default: break
        }
        if name.hasPrefix("bytes"), let size = size(name.dropFirst(5)), (1...32).contains(size) { return .fixedBytes(size) }
        if name.hasPrefix("uint"), let bits = size(name.dropFirst(4)), bits % 8 == 0, (8...256).contains(bits) { return .unsigned(bits: bits) }
        if name.hasPrefix("int"), let bits = size(name.dropFirst(3)), bits % 8 == 0, (8...256).contains(bits) { return .signed(bits: bits) }
        // A malformed built-in name (uint, int7, bytes33, fixed128x18) is not taken for a struct.
        if let prefix = ["uint", "int", "bytes", "ufixed", "fixed"].first(where: { name.hasPrefix($0) }),
            name.dropFirst(prefix.count).allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "x") })
        {
            return nil
        }
        return EIP712TypedData.isIdentifier(name) ? .structure(name) : nil
    }

    /// A decimal size without sign or leading zeros, at most 4 digits.
    private static func size(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.count <= 4, digits.first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}
