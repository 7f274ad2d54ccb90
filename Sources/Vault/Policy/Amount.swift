import CofferBase
/// Exact parsing of on-the-wire amounts: decimal strings of smallest units into `UInt128`.
public enum AmountText {
    /// Digits only, no sign, no fraction, no leading zeros (except "0"), at most 2^128-1.
    public static func parse(_ text: String, field: String) throws(PolicyError) -> UInt128 {
        guard !text.isEmpty else { throw PolicyError("\(field) is empty; amounts are decimal strings of smallest units, e.g. \"1500000\"") }
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw PolicyError("\(field) \"\(text.prefix(40))\" is not a whole number of smallest units (digits only, no sign, point or exponent)")
        }
        guard text == "0" || !text.hasPrefix("0") else { throw PolicyError("\(field) \"\(text.prefix(40))\" has leading zeros") }
        guard let value = UInt128(text) else { throw PolicyError("\(field) \"\(text.prefix(40))\" exceeds 2^128-1") }
        return value
    }
}
