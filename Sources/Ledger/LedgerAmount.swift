/// Exact amounts on the wire: decimal strings of smallest units into `UInt128`, and the
/// display form with the asset's decimals. Never a floating-point value.
public enum LedgerAmount {
    /// Digits only, no sign, point or exponent, no leading zeros (except "0"), at most 2^128-1.
    public static func parse(_ text: String, field: String = "amount") throws(LedgerError) -> UInt128 {
        guard !text.isEmpty else { throw LedgerError("\(field) is empty; amounts are decimal strings of smallest units, e.g. \"1500000\"") }
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw LedgerError("\(field) \"\(text.prefix(40))\" is not a whole number of smallest units (digits only, no sign, point or exponent)")
        }
        guard text == "0" || !text.hasPrefix("0") else { throw LedgerError("\(field) \"\(text.prefix(40))\" has leading zeros") }
        guard let value = UInt128(text) else { throw LedgerError("\(field) \"\(text.prefix(40))\" exceeds 2^128-1") }
        return value
    }

    /// `value` smallest units shown with `decimals` places, e.g. 1500000 with 6 -> "1.500000".
    public static func display(_ value: UInt128, decimals: UInt8) -> String {
        let digits = String(value)
        let places = Int(decimals)
        guard places > 0 else { return digits }
        let padded = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -places)
        return "\(padded[..<split]).\(padded[split...])"
    }
}
