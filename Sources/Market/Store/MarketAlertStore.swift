public import CofferBase
public import CofferStorage

/// Monitoring rules, alerts and their decision trails, over either database.
extension MarketStore {
    // MARK: Rules

    /// Replaces the whole rule set (in order) and the monitor's settings in one transaction.
    public func setMonitorRules(_ rules: [MonitorRule], settings: [String: String]) async throws {
        let bodies = try rules.map { try JSONEncoding.text($0) }
        try await database.write { connection in
            _ = try connection.execute("DELETE FROM market_monitor_rules")
            for (position, (rule, body)) in zip(rules, bodies).enumerated() {
                _ = try connection.execute("INSERT INTO market_monitor_rules (position, name, body) VALUES (\(Int64(position)), \(rule.name), \(body))")
            }
            try Self.setMonitorSetting("rules_set", "1", on: connection)
            for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
                try Self.setMonitorSetting(name, value, on: connection)
            }
        }
    }

    /// The rule set in evaluation order; nil when no rule set was ever stored.
    public func monitorRules() async throws -> [MonitorRule]? {
        try await database.read { connection in
            let bodies = try connection.query("SELECT name, body FROM market_monitor_rules ORDER BY position") { (try $0.text(0), try $0.text(1)) }
            let everSet = try Self.monitorSetting("rules_set", on: connection) != nil
            guard !bodies.isEmpty || everSet else { return nil }
            return try bodies.map { name, body in
                do { return try JSONDecoding.decode(MonitorRule.self, from: Array(body.utf8)) } catch {
                    throw StorageError.corrupt("monitoring rule \"\(name.prefix(40))\" is stored unreadable")
                }
            }
        }
    }

    public func monitorSetting(_ name: String) async throws -> String? {
        try await database.read { connection in try Self.monitorSetting(name, on: connection) }
    }

    static func monitorSetting(_ name: String, on connection: any SQLConnection) throws -> String? {
        try connection.queryOne("SELECT value FROM market_monitor_settings WHERE name = \(name)") { try $0.text(0) }
    }

    /// Sets one setting on the caller's connection (the ledger cursor moves with the alerts it
    /// caused, in their transaction).
    public static func setMonitorSetting(_ name: String, _ value: String, on connection: any SQLConnection) throws {
        _ = try connection.execute("""
            INSERT INTO market_monitor_settings (name, value) VALUES (\(name), \(value))
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """)
    }

    // MARK: Alerts

    static let alertColumns = "id, scope, rule, kind, severity, alert_key, subject, message, evidence, time, suppressed, origin, status, updated_at"

    static func storedAlert(_ row: any SQLRow) throws -> StoredMarketAlert {
        let kind = try row.text(3), severity = try row.text(4), status = try row.text(12)
        guard let parsedKind = RuleKind(rawValue: kind), let parsedSeverity = Severity(rawValue: severity),
              let parsedStatus = StoredMarketAlert.Status(rawValue: status) else {
            throw StorageError.corrupt("market alert \(try row.int64(0)) has an unknown kind, severity or status")
        }
        var evidence: [String: String] = [:]
        if case let .object(members) = try JSONValue(parsing: try row.text(8)) {
            for member in members { if case let .string(text) = member.value { evidence[member.key] = text } }
        }
        let alert = MonitorAlert(
            rule: try row.text(2), kind: parsedKind, severity: parsedSeverity, key: try row.text(5), subject: try row.text(6),
            message: try row.text(7), evidence: evidence, time: try row.int64(9), suppressed: Int(try row.int64(10)))
        return StoredMarketAlert(id: try row.int64(0), scope: try row.text(1), alert: alert, origin: try row.text(11), status: parsedStatus,
                                 updatedAt: try row.int64(13))
    }

    /// Records alerts (an alert already recorded for the same rule, key, time and origin is
    /// skipped: a replay run again raises nothing twice), then runs `alongside` with the new
    /// ones on the same connection, in the same transaction: the events outbox and the ledger
    /// cursor move with them or not at all. Returns the new alerts.
    @discardableResult
    public func record(
        _ alerts: [(scope: String, alert: MonitorAlert)], origin: String,
        alongside: @escaping @Sendable (any SQLConnection, [StoredMarketAlert]) throws -> Void = { _, _ in }
    ) async throws -> [StoredMarketAlert] {
        let rows = alerts.map { ($0.scope, $0.alert, StoredMarketAlert.evidenceJSON($0.alert.evidence).text) }
        return try await database.write { connection in
            var recorded: [StoredMarketAlert] = []
            for (scope, alert, evidence) in rows {
                let id = try connection.queryOne("""
                    INSERT INTO market_alerts (scope, rule, kind, severity, severity_rank, alert_key, subject, message, evidence, time, suppressed,
                        origin, status, updated_at)
                    VALUES (\(scope), \(alert.rule), \(alert.kind.rawValue), \(alert.severity.rawValue), \(Int64(alert.severity.rank)), \(alert.key),
                        \(alert.subject), \(alert.message), \(evidence), \(alert.time), \(Int64(alert.suppressed)), \(origin), 'open', \(alert.time))
                    ON CONFLICT DO NOTHING RETURNING id
                    """) { try $0.int64(0) }
                if let id {
                    recorded.append(StoredMarketAlert(id: id, scope: scope, alert: alert, origin: origin, status: .open, updatedAt: alert.time))
                }
            }
            try alongside(connection, recorded)
            return recorded
        }
    }

    public func alert(_ id: Int64) async throws -> StoredMarketAlert? {
        try await database.read { connection in
            try connection.queryOne("SELECT \(raw: Self.alertColumns) FROM market_alerts WHERE id = \(id)", Self.storedAlert)
        }
    }

    /// Alerts matching `filter`, oldest first.
    public func alerts(_ filter: MarketAlertFilter) async throws -> [StoredMarketAlert] {
        var sql: SQL = "SELECT \(raw: Self.alertColumns) FROM market_alerts WHERE id > \(filter.after)"
        if let scope = filter.scope { sql = sql + " AND scope IN ('', \(scope))" }
        if let status = filter.status { sql = sql + " AND status = \(status.rawValue)" }
        if let severity = filter.minimumSeverity { sql = sql + " AND severity_rank >= \(Int64(severity.rank))" }
        if let rule = filter.rule { sql = sql + " AND rule = \(rule)" }
        sql = sql + " ORDER BY id LIMIT \(Int64(filter.limit))"
        let query = sql
        return try await database.read { connection in try connection.query(query, Self.storedAlert) }
    }

    /// The latest live alert of each rule and key: what a restarted monitor remembers so its
    /// cool-downs hold (the engine itself judges whether each is still cooling down).
    public func latestLiveAlerts() async throws -> [MonitorAlert] {
        try await database.read { connection in
            try connection.query("""
                SELECT \(raw: Self.alertColumns) FROM market_alerts
                WHERE id IN (SELECT MAX(id) FROM market_alerts WHERE origin = 'live' GROUP BY rule, alert_key) ORDER BY id
                """, Self.storedAlert).map(\.alert)
        }
    }

    /// Moves an alert to `action.status` if its status is one of `from` (compare-and-set), adds
    /// the step to its trail and runs `alongside` (the audit record) in the same transaction.
    /// False, with nothing written, when the alert was not in one of `from`.
    public func act(
        _ action: MarketAlertAction, from: [StoredMarketAlert.Status], alongside: @escaping @Sendable (any SQLConnection) throws -> Void
    ) async throws -> Bool {
        try await database.write { connection in
            let changed = try connection.execute("""
                UPDATE market_alerts SET status = \(action.status.rawValue), updated_at = \(action.time)
                WHERE id = \(action.alert) AND status IN \(list: from.map(\.rawValue))
                """)
            guard changed == 1 else { return false }
            _ = try connection.execute("""
                INSERT INTO market_alert_actions (alert_id, action, actor, note, status, time)
                VALUES (\(action.alert), \(action.action.rawValue), \(action.actor), \(action.note), \(action.status.rawValue), \(action.time))
                """)
            try alongside(connection)
            return true
        }
    }

    /// The decision trails of several alerts, by alert.
    public func actions(of alerts: [Int64]) async throws -> [Int64: [MarketAlertAction]] {
        guard !alerts.isEmpty else { return [:] }
        let trails = try await database.read { connection in
            try connection.query("""
                SELECT alert_id, action, actor, note, status, time FROM market_alert_actions WHERE alert_id IN \(list: alerts) ORDER BY seq
                """, Self.action)
        }
        return Dictionary(grouping: trails, by: \.alert)
    }

    static func action(_ row: any SQLRow) throws -> MarketAlertAction {
        guard let action = MarketAlertAction.Kind(rawValue: try row.text(1)), let status = StoredMarketAlert.Status(rawValue: try row.text(4)) else {
            throw StorageError.corrupt("market alert action of alert \(try row.int64(0)) is unknown")
        }
        return MarketAlertAction(alert: try row.int64(0), action: action, actor: try row.text(2), note: try row.text(3), status: status, time: try row.int64(5))
    }

    /// An alert's decision trail, in order.
    public func actions(of alert: Int64) async throws -> [MarketAlertAction] {
        try await actions(of: [alert])[alert] ?? []
    }
}
