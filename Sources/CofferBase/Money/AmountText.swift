/// Exact amounts as text: decimal strings of smallest units to and from `UInt128`, and the display
/// form with an asset's decimals. The one place Coffer turns money into text and back; never a
/// floating-point value.
public enum AmountText {
    /// Digits only, no sign, point or exponent, no leading zeros (except "0"), at most 2^128-1.
    public static func parse(_ text: String, field: String = "amount") throws(AmountError) -> UInt128 {
        guard !text.isEmpty else { throw AmountError("\(field) is empty; amounts are decimal strings of smallest units, e.g. \"1500000\"") }
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw AmountError("\(field) \"\(text.prefix(40))\" is not a whole number of smallest units (digits only, no sign, point or exponent)")
        }
        guard text == "0" || !text.hasPrefix("0") else { throw AmountError("\(field) \"\(text.prefix(40))\" has leading zeros") }
        guard let value = UInt128(text) else { throw AmountError("\(field) \"\(text.prefix(40))\" exceeds 2^128-1") }
        return value
    }

    /// Like `parse`, with an optional leading `-`: for signed quantities (adjustments, differences).
    public static func parseSigned(_ text: String, field: String = "amount") throws(AmountError) -> Int128 {
        let negative = text.hasPrefix("-")
        let magnitude = try parse(negative ? String(text.dropFirst()) : text, field: field)
        if negative {
            guard magnitude != 0 else { throw AmountError("\(field) \"-0\" is not a number; write 0") }
            guard magnitude <= UInt128(Int128.max) + 1 else { throw AmountError("\(field) \"\(text.prefix(40))\" is below -2^127") }
            return magnitude == UInt128(Int128.max) + 1 ? Int128.min : -Int128(magnitude)
        }
        guard magnitude <= UInt128(Int128.max) else { throw AmountError("\(field) \"\(text.prefix(40))\" exceeds 2^127-1") }
        return Int128(magnitude)
    }

    /// `value` as a decimal string of smallest units, what the wire carries.
    public static func decimal(_ value: UInt128) -> String {
        withDigits(of: value) { String(decoding: $0, as: UTF8.self) }
    }

    /// `value` smallest units shown with `decimals` places, e.g. 1500000 with 6 -> "1.500000".
    public static func display(_ value: UInt128, decimals: UInt8) -> String {
        let places = Int(decimals)
        guard places > 0 else { return decimal(value) }
        return withDigits(of: value) { digits in
            // The digits, zeros before them for values below one unit, and the point.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(digits.count, places + 1) + 1) { out in
                let padding = max(0, places + 1 - digits.count)
                let total = padding + digits.count
                var position = 0
                for index in 0..<total {
                    if index == total - places {
                        out[position] = UInt8(ascii: ".")
                        position += 1
                    }
                    out[position] = index < padding ? UInt8(ascii: "0") : digits[index - padding]
                    position += 1
                }
                return String(decoding: UnsafeBufferPointer(rebasing: out[..<position]), as: UTF8.self)
            }
        }
    }

    /// Calls `body` with the decimal digits of `value` (no sign, no leading zeros), without the
    /// `String` that `String(_:)` allocates: stores keep amounts as decimal text and a group
    /// commit formats tens of thousands of them.
    public static func withDigits<R>(of value: UInt128, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            var end = buffer.count
            var rest = value
            // 10^19 is the largest power of ten below 2^64: peel 19-digit groups off with one
            // 128-bit division each, then format the last group with 64-bit arithmetic.
            while rest > UInt128(UInt64.max) {
                let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: 10_000_000_000_000_000_000)
                var group = UInt64(remainder)
                for _ in 0..<19 {
                    end -= 1
                    buffer[end] = UInt8(truncatingIfNeeded: group % 10) &+ UInt8(ascii: "0")
                    group /= 10
                }
                rest = quotient
            }
            var group = UInt64(rest)
            repeat {
                end -= 1
                buffer[end] = UInt8(truncatingIfNeeded: group % 10) &+ UInt8(ascii: "0")
                group /= 10
            } while group > 0
            return body(UnsafeBufferPointer(rebasing: buffer[end...]))
        }
    }

    /// Digits only, at most 2^128-1; nil otherwise (no message: for stored values and fast paths).
    public static func parseDigits(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt128? {
        guard !bytes.isEmpty else { return nil }
        if bytes.count <= 19 {  // below 10^19 < 2^64: no overflow checks needed
            var small: UInt64 = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                small = small &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
            }
            return UInt128(small)
        }
        var value: UInt128 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt128(byte &- UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = sum
        }
        return value
    }
}

/// An amount that is not a well-formed decimal string of smallest units.
public struct AmountError: CofferError, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
    public var code: String { "invalid-amount" }
    public var category: ErrorCategory { .invalidInput }
}
