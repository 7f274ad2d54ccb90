/// The words of alert details: amounts in major units, spans of time, shares, counts.
enum AMLText {
    /// `amount` of `asset` in major units ("9500 USD", "0.25 ETH"); in smallest units, said so,
    /// when the asset's decimals are unknown.
    static func amount(_ amount: UInt128, _ asset: String, decimals: Int?) -> String {
        guard let decimals, let scale = AMLScanner.power10(decimals) else { return "\(amount) smallest units of \(asset)" }
        let whole = amount / scale
        let fraction = amount % scale
        guard fraction > 0 else { return "\(whole) \(asset)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: decimals - digits.count) + digits
        while digits.last == "0" { digits.removeLast() }
        return "\(whole).\(digits) \(asset)"
    }

    /// A span of seconds as a person says it, to its two largest units: "45 s", "12 min",
    /// "3 h 5 min", "200 d 3 h".
    static func duration(_ seconds: UInt64) -> String {
        let days = seconds / 86_400
        let hours = seconds % 86_400 / 3_600
        let minutes = seconds % 3_600 / 60
        if days > 0 { return hours > 0 ? "\(days) d \(hours) h" : "\(days) d" }
        if hours > 0 { return minutes > 0 ? "\(hours) h \(minutes) min" : "\(hours) h" }
        return minutes > 0 ? "\(minutes) min" : "\(seconds) s"
    }

    /// Basis points as a percentage: "80%", "80.5%", "80.25%".
    static func percent(bps: UInt128) -> String {
        let whole = bps / 100
        let hundredths = bps % 100
        if hundredths == 0 { return "\(whole)%" }
        if hundredths % 10 == 0 { return "\(whole).\(hundredths / 10)%" }
        return "\(whole).\(hundredths < 10 ? "0" : "")\(hundredths)%"
    }

    /// "1 movement", "3 movements".
    static func movements(_ count: Int) -> String { count == 1 ? "1 movement" : "\(count) movements" }
}
