import Foundation
import Ledger

/// Statement times to whole seconds since 1970 (UTC): RFC 3339, Unix seconds, or a strftime-like
/// pattern read in the mapping's zone. Patterns are parsed by hand (not by a locale-dependent
/// date formatter), so "%Y-%m-%d %H:%M:%S" reads the same on every machine.
public enum StatementTime {
    /// The zone a pattern's wall-clock times are read in.
    public enum Zone: Sendable {
        case fixed(seconds: Int64)
        case named(TimeZone)

        /// The offset from UTC of a wall-clock time in this zone (for a time in a daylight-saving
        /// gap or overlap, the offset in force just before it).
        func offset(ofLocal local: Int64) -> Int64 {
            switch self {
            case .fixed(let seconds): return seconds
            case .named(let zone):
                let guess = local - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local))))
                return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess))))
            }
        }
    }

    static let fields: Set<UInt8> = Set("YmdHMS%".utf8)

    /// Refuses a pattern without a full date or with unknown directives.
    static func validate(pattern: String) throws(ReconError) {
        let bytes = Array(pattern.utf8)
        var seen = Set<UInt8>()
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%") {
                guard i + 1 < bytes.count, fields.contains(bytes[i + 1]) else {
                    throw ReconError(.mappingInvalid, "mapping: \"time_format\" \"\(pattern.prefix(40))\" has an unknown directive; use rfc3339, unix, or a pattern of %Y %m %d %H %M %S",
                                     field: "time_format")
                }
                seen.insert(bytes[i + 1])
                i += 2
            } else {
                i += 1
            }
        }
        guard seen.isSuperset(of: Set("Ymd".utf8)), bytes.count <= 64 else {
            throw ReconError(.mappingInvalid, "mapping: \"time_format\" \"\(pattern.prefix(40))\" needs at least %Y, %m and %d (at most 64 characters)",
                             field: "time_format")
        }
    }

    /// `UTC`, `Z`, `±HH:MM` or an IANA zone name; nil when none of these.
    public static func zone(_ name: String) -> Zone? {
        if name == "UTC" || name == "Z" { return .fixed(seconds: 0) }
        let u = Array(name.utf8)
        if u.count == 6, u[0] == UInt8(ascii: "+") || u[0] == UInt8(ascii: "-"), u[3] == UInt8(ascii: ":"),
           let h = Int64(String(decoding: u[1...2], as: UTF8.self)), let m = Int64(String(decoding: u[4...5], as: UTF8.self)), h <= 23, m <= 59 {
            return .fixed(seconds: (h * 3600 + m * 60) * (u[0] == UInt8(ascii: "-") ? -1 : 1))
        }
        guard name.utf8.count <= 64, name.contains("/"), let zone = TimeZone(identifier: name) else { return nil }
        return .named(zone)
    }

    /// Seconds since 1970 of `text` read with `format`; nil when it does not fit the format.
    public static func seconds(_ text: String, format: StatementMapping.TimeFormat, zone: Zone) -> Int64? {
        switch format {
        case .rfc3339:
            guard let nanos = try? LedgerTime.parseRFC3339(text), nanos / 1_000_000_000 < UInt64(ReconTime.latestSeconds) else { return nil }
            return Int64(nanos / 1_000_000_000)
        case .unixSeconds:
            guard let value = Int64(text), value >= 0, value < ReconTime.latestSeconds else { return nil }
            return value
        case .pattern(let pattern):
            guard let local = localSeconds(text, pattern: pattern) else { return nil }
            let utc = local - zone.offset(ofLocal: local)
            return utc >= 0 && utc < ReconTime.latestSeconds ? utc : nil
        }
    }

    /// The wall-clock time as if it were UTC.
    static func localSeconds(_ text: String, pattern: String) -> Int64? {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var year: Int64 = 1970, month: Int64 = 1, day: Int64 = 1, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        var i = 0, j = 0
        func number(_ width: Int) -> Int64? {
            guard j + width <= t.count else { return nil }
            var value: Int64 = 0
            for k in j..<j + width {
                guard t[k] >= 0x30 && t[k] <= 0x39 else { return nil }
                value = value * 10 + Int64(t[k] - 0x30)
            }
            j += width
            return value
        }
        while i < p.count {
            if p[i] == UInt8(ascii: "%") {
                let directive = p[i + 1]
                i += 2
                switch directive {
                case UInt8(ascii: "Y"): guard let v = number(4) else { return nil }; year = v
                case UInt8(ascii: "m"): guard let v = number(2) else { return nil }; month = v
                case UInt8(ascii: "d"): guard let v = number(2) else { return nil }; day = v
                case UInt8(ascii: "H"): guard let v = number(2) else { return nil }; hour = v
                case UInt8(ascii: "M"): guard let v = number(2) else { return nil }; minute = v
                case UInt8(ascii: "S"): guard let v = number(2) else { return nil }; second = v
                default:
                    guard j < t.count, t[j] == UInt8(ascii: "%") else { return nil }
                    j += 1
                }
            } else {
                guard j < t.count, t[j] == p[i] else { return nil }
                i += 1
                j += 1
            }
        }
        guard j == t.count, year >= 1970, (1...12).contains(month), day >= 1, day <= Int64(LedgerTime.daysIn(month: Int(month), year: Int(year))),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        return Int64(LedgerTime.daysFromCivil(year: Int(year), month: Int(month), day: Int(day))) * 86_400 + hour * 3600 + minute * 60 + second
    }
}
