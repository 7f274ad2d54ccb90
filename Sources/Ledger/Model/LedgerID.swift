/// A client-chosen identifier of an account or transfer: 1-64 characters from `A-Za-z0-9._:-`.
/// Validated once, so every id the engine and stores see is well formed.
public struct LedgerID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    /// Accepts a well-formed id, else throws naming `field`.
    public init(validating text: String, field: String = "id") throws(LedgerError) {
        guard Self.isValid(text) else {
            throw LedgerError("\(field) \"\(text.prefix(70))\" is not an id: use 1-64 characters from A-Za-z0-9._:-")
        }
        value = text
    }

    /// Returns nil for a malformed id.
    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        value = text
    }

    public static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
        }
    }

    public var description: String { value }
    public static func < (lhs: LedgerID, rhs: LedgerID) -> Bool { lhs.value < rhs.value }
}
