/// Exact parsing of decimal text (JSON number grammar) without floating point.
///
/// Rule values such as `"0.8"`, `0.8`, `8e-1` or `86400` are converted from their decimal
/// text, never through `Double`, so `0.8` means exactly 8/10 on every platform.
enum DecimalText {
    /// value = (negative ? -1 : 1) × digits × 10^exponent, digits without leading zeros ("" = 0).
    struct Parsed {
        var negative: Bool
        var digits: [UInt8]  // ASCII digits, no leading zeros
        var exponent: Int
    }

    /// Parses `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; returns nil otherwise.
    static func parse(_ text: String) -> Parsed? {
        let b = Array(text.utf8)
        var i = 0
        var negative = false
        if i < b.count && b[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        guard i < b.count, isDigit(b[i]) else { return nil }
        var digits: [UInt8] = []
        if b[i] == 48 {
            i += 1
            if i < b.count && isDigit(b[i]) { return nil }  // no leading zeros, like JSON
        } else {
            while i < b.count && isDigit(b[i]) { digits.append(b[i]); i += 1 }
        }
        var exponent = 0
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < b.count, isDigit(b[i]) else { return nil }
            while i < b.count && isDigit(b[i]) { digits.append(b[i]); exponent -= 1; i += 1 }
        }
        if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            i += 1
            var expNegative = false
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) {
                expNegative = b[i] == UInt8(ascii: "-"); i += 1
            }
            guard i < b.count, isDigit(b[i]) else { return nil }
            var e = 0
            while i < b.count && isDigit(b[i]) {
                // Saturate: anything beyond ±100000 is out of every range we accept anyway.
                e = min(e * 10 + Int(b[i] - 48), 100_000); i += 1
            }
            exponent += expNegative ? -e : e
        }
        guard i == b.count else { return nil }
        // Canonicalise: drop leading zeros, fold trailing zeros into the exponent.
        var start = 0
        while start < digits.count && digits[start] == 48 { start += 1 }
        digits.removeFirst(start)
        while let last = digits.last, last == 48 { digits.removeLast(); exponent += 1 }
        if digits.isEmpty { exponent = 0; negative = false }
        return Parsed(negative: negative, digits: digits, exponent: exponent)
    }

    /// The value as an exact integer, or nil if it has a fractional part or overflows `Int128`.
    static func integer(_ text: String) -> Int128? {
        guard let p = parse(text), p.exponent >= 0, p.digits.count + p.exponent <= 40 else { return nil }
        var value: Int128 = 0
        for d in p.digits + Array(repeating: 48, count: p.exponent) {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            // Accumulate with the final sign so that Int128.min (-2^127) is representable.
            let digit = Int128(d - 48)
            let (s, o2) = p.negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = s
        }
        return value
    }

    /// The value as numerator / 10^scale with scale ≤ maxScale, or nil when more precise.
    static func fraction(_ text: String, maxScale: Int) -> (negative: Bool, numerator: Int128, scale: Int)? {
        guard let p = parse(text) else { return nil }
        if p.digits.isEmpty { return (false, 0, 0) }
        let scale = max(0, -p.exponent)
        guard scale <= maxScale, p.digits.count + max(0, p.exponent) <= 38 else { return nil }
        var value: Int128 = 0
        for d in p.digits + Array(repeating: 48, count: max(0, p.exponent)) {
            value = value * 10 + Int128(d - 48)
        }
        return (p.negative, value, scale)
    }
}
