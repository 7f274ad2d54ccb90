/// The AML rules, by their stored names.
public enum AMLRule: String, Sendable, CaseIterable {
    /// Several movements each just below the reporting threshold within a day.
    case structuring
    /// Funds received and most of them sent on within minutes.
    case rapidInOut = "rapid_in_out"
    /// A counterparty on a screening list.
    case screening
    /// A movement after a long silence.
    case dormant
    /// A burst of movements in round amounts.
    case roundAmounts = "round_amounts"
}

/// What a rule found: the movements it rests on (their ids, in time order) and a sentence for the
/// reviewer. Alerts are findings for a person to judge, not decisions.
public struct AMLAlert: Sendable, Equatable {
    public let rule: AMLRule
    public let customer: String
    public let asset: String
    /// The ids of the movements the alert rests on, in time order.
    public let evidence: [String]
    /// The time of the last evidence movement (seconds since 1970).
    public let at: Int64
    /// A sentence for the reviewer: what was seen, with amounts in major units.
    public let detail: String
    /// The same finding's key in every scan, so a store can keep one alert per finding: the rule,
    /// customer, asset and first evidence movement. A burst that grows between scans keeps its
    /// first movement, hence its key. Parts are joined by "/" with "%" and "/" percent-escaped,
    /// so different parts never make the same key.
    public let key: String

    public init(rule: AMLRule, customer: String, asset: String, evidence: [String], at: Int64, detail: String) {
        self.rule = rule
        self.customer = customer
        self.asset = asset
        self.evidence = evidence
        self.at = at
        self.detail = detail
        self.key = [rule.rawValue, customer, asset, evidence.first ?? ""].map(Self.escaped).joined(separator: "/")
    }

    private static func escaped(_ part: String) -> String {
        var escaped = ""
        for character in part {
            switch character {
            case "%": escaped += "%25"
            case "/": escaped += "%2F"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
