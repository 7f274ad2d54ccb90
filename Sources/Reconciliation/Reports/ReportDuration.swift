/// Human text of durations kept as whole seconds.
public enum ReportDuration {
    /// Formats seconds as `"1 h 2 min 3 s"`, leaving out zero parts
    /// (`"45 s"`, `"2 min"`, `"0 s"`). Durations of a day or more start with
    /// days (`"1 d 2 h"`). Negative values get a leading `-`; `Int64.min`
    /// is safe because the magnitude is used.
    public static func text(seconds: Int64) -> String {
        let total = seconds.magnitude
        let days = total / 86_400
        let hours = total % 86_400 / 3_600
        let minutes = total % 3_600 / 60
        let secs = total % 60
        var parts: [String] = []
        if days > 0 { parts.append("\(days) d") }
        if hours > 0 { parts.append("\(hours) h") }
        if minutes > 0 { parts.append("\(minutes) min") }
        if secs > 0 || parts.isEmpty { parts.append("\(secs) s") }
        return (seconds < 0 ? "-" : "") + parts.joined(separator: " ")
    }
}
