import Ledger

/// Seconds and the ledger's nanoseconds without traps: a time far in the future (a statement
/// line dated 9999, a rule window of a million years) saturates instead of overflowing.
public enum ReconTime {
    /// The latest time a statement line may carry: 2500-01-01T00:00:00Z (the ledger's clock, in
    /// nanoseconds, reaches 2554).
    public static let latestSeconds: Int64 = 16_725_225_600

    /// `seconds` (clamped at 0) in nanoseconds, saturating at `UInt64.max`.
    public static func nanos(_ seconds: Int128) -> UInt64 {
        let value = max(0, seconds) * 1_000_000_000
        return value > Int128(UInt64.max) ? UInt64.max : UInt64(value)
    }

    /// RFC 3339 text of whole seconds, e.g. `2026-12-03T00:00:00Z`.
    public static func text(_ seconds: Int64) -> String {
        let formatted = LedgerTime.formatRFC3339(nanos(Int128(min(seconds, latestSeconds))))
        return formatted.hasSuffix(".000000000Z") ? String(formatted.dropLast(11)) + "Z" : formatted
    }
}
