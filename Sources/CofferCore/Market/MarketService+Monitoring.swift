import Chains
public import CofferBase
import CofferStorage
import Foundation
import Ledger
public import Market
import Tenancy
import Vault

/// Market monitoring as every door offers it: the rule set (the operator's, like sources and
/// pairs), the alerts it raised (a tenant sees market-wide alerts and its own accounts'), and
/// each alert's decision trail: acknowledged and resolved by someone, with what was done, in
/// the alert's history and in the audit log.
extension MarketService {
    /// Used until the operator stores a rule set: a tripped circuit breaker is always worth a
    /// critical alert.
    public static let defaultMonitorRules: [MonitorRule] = [
        try! MonitorRule(name: "circuit-breaker", severity: .critical, cooldownSeconds: 300, condition: .circuitBreaker(pair: "*")),
    ]

    /// The rules in force: the stored set, or the defaults when none was ever stored.
    func monitorRules() async throws -> (rules: [MonitorRule], configured: Bool) {
        if let stored = try await store.monitorRules() { return (stored, true) }
        return (Self.defaultMonitorRules, false)
    }

    func monitorCurrency() async throws -> String { try await store.monitorSetting("currency") ?? "USD" }

    /// Replaces the rule set with `request.rules` (a JSON array, validated as a whole: every
    /// rule, unique names) and sets the valuation currency.
    public func setMonitorRules(_ request: SetMonitorRulesRequest, by caller: Caller) async throws -> MonitorRulesView {
        try Self.requireOperator(caller, "setting monitoring rules")
        let rules: [MonitorRule]
        do {
            let value = try JSONValue(parsing: request.rules)
            guard case let .array(items) = value else { throw ServiceError.invalid("rules: the file must hold a JSON array of rules") }
            guard items.count <= 1_000 else { throw ServiceError.invalid("rules: at most 1000 rules") }
            rules = try items.map { item throws(JSONError) in try JSONDecoding.decode(MonitorRule.self, from: item) }
            try MonitorRule.validate(rules)
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError.invalid("rules: \(error)")
        }
        let currency = (request.currency ?? "USD").uppercased()
        guard ISO4217.minorUnits(currency) != nil else { throw ServiceError.invalid("currency: \(currency.prefix(10)) is not an ISO 4217 currency") }
        let names = rules.map(\.name).joined(separator: ",")
        try await store.setMonitorRules(rules, settings: ["currency": currency])
        try await audit(AuditEvent(actor: caller.actor, action: "market.rules.set", subject: "market-rules", outcome: "ok",
                                   detail: "rules=\(rules.count) currency=\(currency) names=\(names.prefix(400))"))
        return MonitorRulesView(rules: rules, currency: currency, configured: true)
    }

    public func monitorRules(by caller: Caller) async throws -> MonitorRulesView {
        try caller.require(.read)
        let (rules, configured) = try await monitorRules()
        return MonitorRulesView(rules: rules, currency: try await monitorCurrency(), configured: configured)
    }

    // MARK: Alerts

    public static let maximumAlertPage = 1_000

    /// Alerts the caller may see, oldest first: every alert for the operator; market-wide
    /// alerts and its own for a tenant.
    public func alerts(_ query: MarketAlertQuery, by caller: Caller) async throws -> [MarketAlertView] {
        try caller.require(.read)
        var filter = MarketAlertFilter(scope: caller.tenant?.tenantID, after: query.after ?? 0, limit: query.limit ?? 100)
        guard (1...Self.maximumAlertPage).contains(filter.limit) else { throw ServiceError.invalid("limit must be from 1 to \(Self.maximumAlertPage)") }
        guard filter.after >= 0 else { throw ServiceError.invalid("after must not be negative") }
        if let status = query.status {
            guard let parsed = StoredMarketAlert.Status(rawValue: status) else { throw ServiceError.invalid("status must be open, acknowledged or resolved") }
            filter.status = parsed
        }
        if let severity = query.severity {
            guard let parsed = Severity(rawValue: severity) else { throw ServiceError.invalid("severity must be info, warning or critical") }
            filter.minimumSeverity = parsed
        }
        if let rule = query.rule {
            guard (1...200).contains(rule.utf8.count) else { throw ServiceError.invalid("rule: 1-200 characters") }
            filter.rule = rule
        }
        let stored = try await store.alerts(filter)
        let trails = try await store.actions(of: stored.map(\.id))
        return stored.map { MarketAlertView($0, trail: trails[$0.id] ?? []) }
    }

    public func alert(_ id: Int64, by caller: Caller) async throws -> MarketAlertView {
        try caller.require(.read)
        let stored = try await visibleAlert(id, caller)
        return MarketAlertView(stored, trail: try await store.actions(of: id))
    }

    /// Marks an open alert as seen and being handled.
    public func acknowledge(_ id: Int64, _ request: MarketAlertDecisionRequest, by caller: Caller) async throws -> MarketAlertView {
        try await decide(id, .acknowledge, request, from: [.open], by: caller)
    }

    /// Closes an open or acknowledged alert with what was done.
    public func resolve(_ id: Int64, _ request: MarketAlertDecisionRequest, by caller: Caller) async throws -> MarketAlertView {
        try await decide(id, .resolve, request, from: [.open, .acknowledged], by: caller)
    }

    private func visibleAlert(_ id: Int64, _ caller: Caller) async throws -> StoredMarketAlert {
        guard let stored = try await store.alert(id), caller.tenant.map({ stored.scope.isEmpty || stored.scope == $0.tenantID }) ?? true else {
            throw ServiceError.notFound("no alert \(id)", code: "alert-not-found")
        }
        return stored
    }

    private func decide(
        _ id: Int64, _ kind: MarketAlertAction.Kind, _ request: MarketAlertDecisionRequest, from: [StoredMarketAlert.Status], by caller: Caller
    ) async throws -> MarketAlertView {
        try caller.require(.admin)
        let note = request.note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(note.count) else { throw ServiceError.invalid("note: 1-500 characters saying what was done") }
        let stored = try await visibleAlert(id, caller)
        if stored.scope.isEmpty, caller.tenant != nil {
            throw ServiceError(.forbidden, "operator-only", "alert \(id) is market-wide: the operator decides on it")
        }
        let status: StoredMarketAlert.Status = kind == .acknowledge ? .acknowledged : .resolved
        guard from.contains(stored.status) else {
            throw ServiceError(.conflict, "alert-\(stored.status.rawValue)", "alert \(id) is \(stored.status.rawValue); it can be \(kind == .acknowledge ? "acknowledged only while open" : "resolved only while open or acknowledged")")
        }
        let action = MarketAlertAction(alert: id, action: kind, actor: caller.actor, note: note, status: status, time: clock())
        let subject = (stored.scope.isEmpty ? "" : stored.scope + "/") + "market-alert:\(id)"
        let event = AuditEvent(actor: caller.actor, action: "market.alert.\(kind.rawValue)", subject: subject, outcome: "ok",
                               detail: "\(stored.alert.rule) \(stored.alert.key): \(note)")
        let time = VaultClock.format(Date())
        guard try await store.act(action, from: from, alongside: { connection in try AuditLog.append(event, at: time, on: connection) }) else {
            throw ServiceError(.conflict, "alert-changed", "alert \(id) was decided on meanwhile; read it again")
        }
        return MarketAlertView(try await store.alert(id) ?? stored, trail: try await store.actions(of: id))
    }

    /// Stores what the rules raised (skipping what was stored before) and, for rules routed to
    /// webhooks, appends a `market.alert` event per new alert in the same transaction: to the
    /// tenant's outbox for an alert about its accounts, to the operator's for a market-wide one.
    /// `also` runs in that transaction too (the ledger cursor of the live monitor); with
    /// neither alerts nor `also` nothing is written.
    @discardableResult
    func record(
        _ alerts: [MonitorAlert], rules: [MonitorRule], origin: String, also: (@Sendable (any SQLConnection) throws -> Void)? = nil
    ) async throws -> [StoredMarketAlert] {
        guard !alerts.isEmpty else {
            if let also { try await store.database.write { connection in try also(connection) } }
            return []
        }
        let webhooked = Set(rules.filter { $0.routes.contains(.webhook) }.map(\.name))
        let now = clock()
        return try await store.record(alerts.map { (scope: Self.scope(of: $0), alert: $0) }, origin: origin) { connection, recorded in
            let events = recorded.filter { webhooked.contains($0.alert.rule) }.map { stored in
                (scope: stored.scope, type: "market.alert", subject: "market-alert:\(stored.id)", data: Self.eventData(stored))
            }
            try EventOutbox.append(events, at: now, on: connection)
            try also?(connection)
        }
    }

    /// The tenant an alert is about: transfer rules name it in their evidence; price rules are
    /// market-wide.
    static func scope(of alert: MonitorAlert) -> String {
        switch alert.kind {
        case .whale, .velocity: alert.evidence["tenant"] ?? ""
        default: ""
        }
    }

    static func eventData(_ stored: StoredMarketAlert) -> JSONValue {
        let view = MarketAlertView(stored, trail: [])
        return (try? JSONValue(parsing: JSONEncoding.text(view))) ?? .null
    }

    func audit(_ event: AuditEvent) async throws {
        let time = VaultClock.format(Date())
        try await store.database.write { connection in try AuditLog.append(event, at: time, on: connection) }
    }
}
