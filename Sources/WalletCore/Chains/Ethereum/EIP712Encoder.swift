import CofferBase

extension EIP712TypedData {
    /// `encodeType`, `hashStruct` and `encodeData` of EIP-712 over a validated set of types.
    struct Encoder {
        let types: [String: [Field]]

        /// `Name(type name,...)` then each referenced struct type, sorted by name.
        func encodeType(_ name: String) -> String {
            var dependencies = Set<String>()
            collectDependencies(of: name, into: &dependencies)
            dependencies.remove(name)
            let ordered = [name] + dependencies.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            return ordered.map { type in
                "\(type)(" + (types[type] ?? []).map { "\($0.type) \($0.name)" }.joined(separator: ",") + ")"
            }.joined()
        }

        private func collectDependencies(of name: String, into found: inout Set<String>) {
            guard found.insert(name).inserted else { return }
            for field in types[name] ?? [] {
                if let parsed = EIP712FieldType(field.type), case .structure(let child) = parsed.base {
                    collectDependencies(of: child, into: &found)
                }
            }
        }

        /// `keccak256(typeHash || encodeData(value))`; `value` must have exactly the declared fields.
        func hashStruct(_ name: String, _ value: JSONValue, at path: String) throws(EIP712Error) -> [UInt8] {
            guard case .object(let members) = value else {
                throw EIP712Error("\(path) must be an object of type \(name), got \(value.kindName)")
            }
            let fields = types[name] ?? []
            if let unknown = members.first(where: { member in !fields.contains(where: { $0.name == member.key }) }) {
                throw EIP712Error("\(path).\(unknown.key) is not a field of type \(name)")
            }
            var hasher = Keccak256.Hasher()
            hasher.update(Keccak256.hash(Array(encodeType(name).utf8)))
            for field in fields {
                guard let member = members.first(where: { $0.key == field.name }) else {
                    throw EIP712Error("\(path).\(field.name) is missing (type \(field.type))")
                }
                // Types were validated when parsed.
                guard let type = EIP712FieldType(field.type) else { throw EIP712Error("\(path).\(field.name): invalid type \(field.type)") }
                hasher.update(try encodeValue(member.value, as: type, at: "\(path).\(field.name)"))
            }
            return hasher.finalize()
        }

        /// The 32-byte encoding of one member: atomic values as a word, `bytes` and `string`
        /// hashed, structs by `hashStruct`, arrays as the hash of their encoded elements.
        private func encodeValue(_ value: JSONValue, as type: EIP712FieldType, at path: String) throws(EIP712Error) -> [UInt8] {
            if let element = type.element {
                guard case .array(let items) = value else { throw EIP712Error("\(path) must be an array, got \(value.kindName)") }
                if let length = type.dimensions.last ?? nil, items.count != length {
                    throw EIP712Error("\(path) must have exactly \(length) elements, got \(items.count)")
                }
                var hasher = Keccak256.Hasher()
                for (index, item) in items.enumerated() {
                    hasher.update(try encodeValue(item, as: element, at: "\(path)[\(index)]"))
                }
                return hasher.finalize()
            }
            switch type.base {
            case .structure(let name):
                return try hashStruct(name, value, at: path)
            case .string:
                guard case .string(let text) = value else { throw EIP712Error("\(path) must be a string, got \(value.kindName)") }
                return Keccak256.hash(Array(text.utf8))
            case .bytes:
                return Keccak256.hash(try json { () throws(JSONError) in try value.ethereumHexBytes(field: path) })
            case .fixedBytes(let count):
                let bytes = try json { () throws(JSONError) in try value.ethereumHexBytes(field: path, count: count) }
                return bytes + [UInt8](repeating: 0, count: 32 - count)
            case .bool:
                guard case .bool(let flag) = value else { throw EIP712Error("\(path) must be true or false, got \(value.kindName)") }
                return [UInt8](repeating: 0, count: 31) + [flag ? 1 : 0]
            case .address:
                let address = try json { () throws(JSONError) in try value.ethereumAddress(field: path) }
                return [UInt8](repeating: 0, count: 12) + address
            case .unsigned(let bits):
                let number = try json { () throws(JSONError) in try value.ethereumQuantity(field: path) }
                guard number.bitWidth <= bits else { throw EIP712Error("\(path) = \(number) does not fit in uint\(bits)") }
                return number.word
            case .signed(let bits):
                return try signedWord(value, bits: bits, at: path)
            }
        }

        /// Two's complement in 256 bits, after checking -2^(bits-1) <= value < 2^(bits-1).
        private func signedWord(_ value: JSONValue, bits: Int, at path: String) throws(EIP712Error) -> [UInt8] {
            let number = try json { () throws(JSONError) in try value.ethereumSignedInteger(field: path) }
            guard number.fits(bits: bits) else { throw EIP712Error("\(path) = \(number) does not fit in int\(bits)") }
            return number.bitPattern.word
        }

        private func json<T>(_ body: () throws(JSONError) -> T) throws(EIP712Error) -> T {
            do { return try body() } catch { throw EIP712Error("\(error)") }
        }
    }
}
