public import CofferBase
public import Market

/// The monitoring rule set as stored, each rule in its JSON shape, and the monitor's settings.
public struct MonitorRulesView: Encodable, Sendable {
    public let rules: [MonitorRule]
    /// The fiat currency transfers are valued in for `whale` rules' `min_value`.
    public let currency: String
    /// False while no rule set was ever stored: `rules` are then the defaults.
    public let configured: Bool
}

/// One step of an alert's decision trail.
public struct MarketAlertActionView: Codable, Sendable, Equatable {
    public let action: String
    public let actor: String
    public let note: String
    public let status: String
    public let time: String

    init(_ action: MarketAlertAction) {
        self.action = action.action.rawValue
        actor = action.actor
        note = action.note
        status = action.status.rawValue
        time = MarketTime.format(action.time)
    }
}

/// A monitoring alert as every door shows it: what fired, why (the evidence, exact decimal
/// strings), whose it is, its status and who did what about it.
public struct MarketAlertView: Codable, Sendable, Equatable {
    public let id: Int64
    public let rule: String
    public let kind: String
    public let severity: String
    public let key: String
    public let subject: String
    public let message: String
    /// The numbers behind it, as exact decimal strings, keys in order.
    public let evidence: JSONValue
    public let time: String
    /// Repeats the cool-down suppressed before this alert.
    public let suppressed: Int
    /// The tenant whose accounts it is about; null for a market-wide alert.
    public let tenant: String?
    public let origin: String
    public let status: String
    public let updatedAt: String
    public let trail: [MarketAlertActionView]

    enum CodingKeys: String, CodingKey {
        case id, rule, kind, severity, key, subject, message, evidence, time, suppressed, tenant, origin, status, updatedAt = "updated_at", trail
    }

    init(_ stored: StoredMarketAlert, trail: [MarketAlertAction]) {
        id = stored.id
        rule = stored.alert.rule
        kind = stored.alert.kind.rawValue
        severity = stored.alert.severity.rawValue
        key = stored.alert.key
        subject = stored.alert.subject
        message = stored.alert.message
        evidence = StoredMarketAlert.evidenceJSON(stored.alert.evidence)
        time = MarketTime.format(stored.alert.time)
        suppressed = stored.alert.suppressed
        tenant = stored.scope.isEmpty ? nil : stored.scope
        origin = stored.origin
        status = stored.status.rawValue
        updatedAt = MarketTime.format(stored.updatedAt)
        self.trail = trail.map(MarketAlertActionView.init)
    }
}

/// `coffer market rules set` / the rules file: the rule set in order and the currency whale
/// values are measured in.
public struct SetMonitorRulesRequest: Sendable {
    /// The JSON text of an array of rules.
    public var rules: String
    public var currency: String?

    public init(rules: String, currency: String? = nil) {
        self.rules = rules
        self.currency = currency
    }
}

/// `GET /v1/market/alerts` / `coffer market alert list`: which alerts.
public struct MarketAlertQuery: Sendable {
    public var status: String?
    public var severity: String?
    public var rule: String?
    public var after: Int64?
    public var limit: Int?

    public init(status: String? = nil, severity: String? = nil, rule: String? = nil, after: Int64? = nil, limit: Int? = nil) {
        self.status = status
        self.severity = severity
        self.rule = rule
        self.after = after
        self.limit = limit
    }
}

/// An acknowledgement or resolution: what was done, in the actor's words.
public struct MarketAlertDecisionRequest: Codable, Sendable {
    public var note: String

    public init(note: String) { self.note = note }
}
