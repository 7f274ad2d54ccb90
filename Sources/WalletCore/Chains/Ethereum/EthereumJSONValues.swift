import CofferBase

/// How Ethereum request formats write values in JSON: quantities as integers or decimal/hex
/// strings, byte strings and addresses as `0x` hex. Errors name the field.
extension JSONValue {
    /// A non-negative integer: a JSON integer literal, or a string in decimal or `0x` hex.
    /// Negative, fractional and exponent forms are refused, never rounded.
    func ethereumQuantity(field: String) throws(JSONError) -> EthereumQuantity {
        let text = try integerText(field: field, expected: "a non-negative integer or a decimal string")
        do { return try EthereumQuantity(parsing: text) } catch { throw JSONError("\(field): \(error)") }
    }

    /// A signed integer: a JSON integer literal, or a string in decimal (`"-42"`) or, when not
    /// negative, `0x` hex. Fractions and exponents are refused, never rounded.
    func ethereumSignedInteger(field: String) throws(JSONError) -> Int256 {
        let text = try integerText(field: field, expected: "an integer or a decimal string")
        do { return try Int256(parsing: text) } catch { throw JSONError("\(field): \(error)") }
    }

    /// The literal of a JSON number or the text of a string, for the integer readers above.
    private func integerText(field: String, expected: String) throws(JSONError) -> String {
        switch self {
        case .number(let literal): return literal
        case .string(let string): return string
        default: throw JSONError("\(field) must be \(expected), got \(kindName)")
        }
    }

    /// `0x`-prefixed hex bytes; `count` fixes the length when given.
    func ethereumHexBytes(field: String, count: Int? = nil) throws(JSONError) -> [UInt8] {
        guard case .string(let text) = self else {
            throw JSONError("\(field) must be a 0x-prefixed hex string, got \(kindName)")
        }
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else {
            throw JSONError("\(field) must be a 0x-prefixed hex string")
        }
        let bytes: [UInt8]
        do { bytes = try Hex.decode(text) } catch { throw JSONError("\(field): \(error)") }
        if let count, bytes.count != count {
            throw JSONError("\(field) must be \(count) bytes, got \(bytes.count)")
        }
        return bytes
    }

    /// A 20-byte address; mixed case must be a valid EIP-55 checksum.
    func ethereumAddress(field: String) throws(JSONError) -> [UInt8] {
        guard case .string(let text) = self else {
            throw JSONError("\(field) must be an address string, got \(kindName)")
        }
        do {
            return try EthereumAddress.decode(text)
        } catch {
            throw JSONError("\(field): \(error)")
        }
    }
}
