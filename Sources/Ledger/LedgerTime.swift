import CofferBase

/// Ledger timestamps are nanoseconds since 1970-01-01T00:00:00Z (UTC), as integers; this converts
/// RFC 3339 text exactly, without going through floating-point seconds.
public enum LedgerTime {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`, fraction up to 9 digits.
    public static func parseRFC3339(_ text: String) throws(LedgerError) -> UInt64 {
        let invalid = LedgerError("time \"\(text.prefix(40))\" is not RFC 3339, e.g. 2026-11-22T10:30:00Z or 2026-11-22T10:30:00.5+01:00")
        let bytes = Array(text.utf8)
        var position = 0
        func number(_ width: Int) throws(LedgerError) -> Int {
            guard position + width <= bytes.count else { throw invalid }
            var value = 0
            for byte in bytes[position..<position + width] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw invalid }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += width
            return value
        }
        func expect(_ characters: String) throws(LedgerError) {
            guard position < bytes.count, characters.utf8.contains(bytes[position]) else { throw invalid }
            position += 1
        }
        let year = try number(4)
        try expect("-")
        let month = try number(2)
        try expect("-")
        let day = try number(2)
        try expect("Tt ")
        let hour = try number(2)
        try expect(":")
        let minute = try number(2)
        try expect(":")
        let second = try number(2)
        var nanos = 0
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            var digits = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                guard digits < 9 else { throw LedgerError("time \"\(text.prefix(40))\" has more than 9 fractional digits") }
                nanos = nanos * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                digits += 1
                position += 1
            }
            guard digits > 0 else { throw invalid }
            for _ in digits..<9 { nanos *= 10 }
        }
        var offsetSeconds = 0
        guard position < bytes.count else { throw invalid }
        if bytes[position] == UInt8(ascii: "Z") || bytes[position] == UInt8(ascii: "z") {
            position += 1
        } else {
            let sign = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            try expect("+-")
            let offsetHours = try number(2)
            try expect(":")
            let offsetMinutes = try number(2)
            guard offsetHours < 24, offsetMinutes < 60 else { throw invalid }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard position == bytes.count, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 61
        else { throw invalid }
        let seconds = daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        guard seconds >= 0 else { throw LedgerError("time \"\(text.prefix(40))\" is before 1970") }
        guard UInt64(seconds) < UInt64.max / 1_000_000_000 else { throw LedgerError("time \"\(text.prefix(40))\" is after 2554, the end of the ledger's clock") }
        return UInt64(seconds) * 1_000_000_000 + UInt64(nanos)
    }

    /// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`.
    public static func formatRFC3339(_ timestamp: UInt64) -> String {
        let seconds = Int(timestamp / 1_000_000_000), nanos = Int(timestamp % 1_000_000_000)
        let (year, month, day) = civilFromDays(seconds / 86_400)
        let rest = seconds % 86_400
        // Written into one fixed buffer: responses format a time per account and per history row.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 30) { out in
            var position = 0
            func put(_ value: Int, width: Int, then separator: UInt8?) {
                var value = value
                for offset in stride(from: width - 1, through: 0, by: -1) {
                    out[position + offset] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
                    value /= 10
                }
                position += width
                if let separator { out[position] = separator; position += 1 }
            }
            put(year, width: 4, then: UInt8(ascii: "-"))
            put(month, width: 2, then: UInt8(ascii: "-"))
            put(day, width: 2, then: UInt8(ascii: "T"))
            put(rest / 3600, width: 2, then: UInt8(ascii: ":"))
            put(rest / 60 % 60, width: 2, then: UInt8(ascii: ":"))
            put(rest % 60, width: 2, then: UInt8(ascii: "."))
            put(nanos, width: 9, then: UInt8(ascii: "Z"))
            return String(decoding: UnsafeBufferPointer(rebasing: out[..<position]), as: UTF8.self)
        }
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (the well-known era-based formula).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
