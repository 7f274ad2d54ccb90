import CofferBase
/// RFC 3339 timestamps to Unix seconds, without Foundation date formatters (which are
/// locale- and platform-dependent and go through `Double`).
public enum RFC3339 {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` into whole Unix seconds.
    ///
    /// - `T` may also be `t` or a space, `Z` may be `z` (RFC 3339 §5.6 and its note).
    /// - The fraction (any number of digits, at least one) is truncated: the result is the floor
    ///   of the instant, also for instants before 1970.
    /// - Fields are range-checked (month 1–12, day within the month of that (proleptic
    ///   Gregorian) year, hour 0–23, minute 0–59, second 0–60, offset up to ±23:59).
    /// - A leap second (`:60`) is read as `:59` of the same minute, so a time never jumps forward.
    /// - Returns `nil` for anything else (missing offset, two-digit years, trailing text, …).
    public static func unixSeconds(_ text: String) -> Int64? {
        let u = Array(text.utf8)
        guard u.count >= 20 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int64? {
            var value: Int64 = 0
            for k in start..<start + length {
                guard ExactDecimal.isDigit(u[k]) else { return nil }
                value = value * 10 + Int64(u[k] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), u[4] == UInt8(ascii: "-"),
              let month = number(5, 2), u[7] == UInt8(ascii: "-"),
              let day = number(8, 2),
              u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: "t") || u[10] == UInt8(ascii: " "),
              let hour = number(11, 2), u[13] == UInt8(ascii: ":"),
              let minute = number(14, 2), u[16] == UInt8(ascii: ":"),
              let second = number(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }

        var i = 19
        if u[i] == UInt8(ascii: ".") {
            i += 1
            let digitsStart = i
            while i < u.count, ExactDecimal.isDigit(u[i]) { i += 1 }
            guard i > digitsStart else { return nil }
        }
        guard i < u.count else { return nil }
        var offsetSeconds: Int64 = 0
        switch u[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 <= u.count, let offsetHour = number(i + 1, 2), u[i + 3] == UInt8(ascii: ":"),
                  let offsetMinute = number(i + 4, 2), offsetHour <= 23, offsetMinute <= 59
            else { return nil }
            offsetSeconds = (offsetHour * 3600 + offsetMinute * 60) * (u[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == u.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
    }

    static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
