import CofferBase

/// One stored monitoring alert: what the engine raised, whose it is and where its decision
/// trail stands.
public struct StoredMarketAlert: Sendable, Equatable {
    /// The alert's lifecycle: raised (`open`), seen and being handled (`acknowledged`), done
    /// with (`resolved`). Only forward: open → acknowledged → resolved, or open → resolved.
    public enum Status: String, Sendable, CaseIterable {
        case open, acknowledged, resolved
    }

    /// Assigned by the store, increasing in the order alerts were recorded.
    public let id: Int64
    /// The tenant whose accounts the alert is about; "" for a market-wide alert (prices,
    /// sources), which only the operator decides on.
    public let scope: String
    public let alert: MonitorAlert
    /// `replay` or `live`: which run of the rules raised it.
    public let origin: String
    public let status: Status
    /// When the status last changed (seconds since 1970); the raise time while open.
    public let updatedAt: Int64

    public init(id: Int64, scope: String, alert: MonitorAlert, origin: String, status: Status, updatedAt: Int64) {
        self.id = id
        self.scope = scope
        self.alert = alert
        self.origin = origin
        self.status = status
        self.updatedAt = updatedAt
    }

    /// The evidence as one JSON object, keys sorted: how it is stored and shown.
    public static func evidenceJSON(_ evidence: [String: String]) -> JSONValue {
        .object(evidence.keys.sorted().map { (key: $0, value: .string(evidence[$0]!)) })
    }
}

/// One step of an alert's decision trail: who did what, when, and the status it left.
public struct MarketAlertAction: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case acknowledge, resolve
    }

    public let alert: Int64
    public let action: Kind
    public let actor: String
    /// What was done, in the actor's words.
    public let note: String
    public let status: StoredMarketAlert.Status
    public let time: Int64

    public init(alert: Int64, action: Kind, actor: String, note: String, status: StoredMarketAlert.Status, time: Int64) {
        self.alert = alert
        self.action = action
        self.actor = actor
        self.note = note
        self.status = status
        self.time = time
    }
}

/// Which alerts a listing wants; nil fields do not filter.
public struct MarketAlertFilter: Sendable, Equatable {
    /// Market-wide alerts and this tenant's ("" = market-wide only); nil: every alert (operator).
    public var scope: String?
    public var status: StoredMarketAlert.Status?
    /// This severity or a higher one.
    public var minimumSeverity: Severity?
    public var rule: String?
    /// Only alerts with an id greater than this (paging).
    public var after: Int64
    public var limit: Int

    public init(scope: String? = nil, status: StoredMarketAlert.Status? = nil, minimumSeverity: Severity? = nil, rule: String? = nil, after: Int64 = 0, limit: Int = 100) {
        self.scope = scope
        self.status = status
        self.minimumSeverity = minimumSeverity
        self.rule = rule
        self.after = after
        self.limit = limit
    }
}
