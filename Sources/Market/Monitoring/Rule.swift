/// The kinds of monitoring rule, coded by their snake_case JSON names.
public enum RuleKind: String, Sendable, Hashable, Codable, CaseIterable {
    case flashMove = "flash_move"
    case circuitBreaker = "circuit_breaker"
    case depeg
    case whale
    case velocity
    case sourceStale = "source_stale"
    case sourceDivergence = "source_divergence"

    /// The JSON fields this kind accepts besides `name`, `kind`, `severity`, `cooldown_seconds`.
    public var fields: [String] {
        switch self {
        case .flashMove: ["pair", "bps", "window_seconds"]
        case .circuitBreaker: ["pair"]
        case .depeg: ["pair", "peg", "warning_bps", "critical_bps"]
        case .whale: ["asset", "min_amount", "min_value"]
        case .velocity: ["asset", "max_count", "max_amount", "window_seconds"]
        case .sourceStale: ["pair", "max_age_seconds"]
        case .sourceDivergence: ["pair", "bps"]
        }
    }
}

/// What a rule watches for. `"*"` as a pair or asset matches every pair or asset. Thresholds are
/// integers: bps as whole basis points, prices and fiat values at 18 decimals, amounts in the
/// asset's smallest units.
public enum RuleCondition: Sendable, Hashable {
    /// The pair's price moved more than `bps` within `windowSeconds`: the current price is
    /// compared with the lowest (spike) and highest (crash) price seen in the window
    /// `(now − windowSeconds, now]`.
    case flashMove(pair: String, bps: UInt32, windowSeconds: Int64)
    /// The pair's aggregator froze its price (status `breaker`): the breaker tripped on a move
    /// within its window or on a spot too far from the TWAP (the pair's own settings).
    case circuitBreaker(pair: String)
    /// `|price − peg|` is more than `warningBps` of the peg (the rule's severity, warning by
    /// default) or more than `criticalBps` of the peg (critical). `peg` is at 18 decimals.
    case depeg(pair: String, peg: UInt128, warningBps: UInt32, criticalBps: UInt32)
    /// One transfer's amount is at least `minAmount` (smallest units; needs a specific asset)
    /// or its known fiat value is at least `minValue` (18 decimals). At least one is set.
    case whale(asset: String, minAmount: UInt128?, minValue: UInt128?)
    /// Per tenant and account, the transfers of `asset` in `(now − windowSeconds, now]` number
    /// more than `maxCount` or total more than `maxAmount` (smallest units; needs a specific
    /// asset). At least one is set.
    case velocity(asset: String, maxCount: Int?, maxAmount: UInt128?, windowSeconds: Int64)
    /// A source's latest observation is more than `maxAgeSeconds` old at the engine time.
    case sourceStale(pair: String, maxAgeSeconds: Int64)
    /// A source's price differs from the aggregate price by more than `bps` of the aggregate.
    case sourceDivergence(pair: String, bps: UInt32)

    public var kind: RuleKind {
        switch self {
        case .flashMove: .flashMove
        case .circuitBreaker: .circuitBreaker
        case .depeg: .depeg
        case .whale: .whale
        case .velocity: .velocity
        case .sourceStale: .sourceStale
        case .sourceDivergence: .sourceDivergence
        }
    }
}

/// A rule configuration error, naming the rule and the JSON field at fault.
public struct MonitorRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule's name, or its position in the decoded document (e.g. `"#2"`) when the name
    /// itself is missing or bad; nil when unknown.
    public var rule: String?
    /// The JSON field name (`"bps"`, `"peg"`…); `""` when the error is about the whole rule.
    public var field: String
    /// What is wrong, e.g. `"must be a whole number from 0 to 4294967295"`.
    public var problem: String

    public init(rule: String?, field: String, problem: String) {
        self.rule = rule
        self.field = field
        self.problem = problem
    }

    /// E.g. `rule 'usdt-peg': field 'critical_bps' must be greater than warning_bps (50)`.
    public var description: String {
        let prefix = rule.map { "rule '\($0)': " } ?? "rule: "
        return field.isEmpty ? prefix + problem : prefix + "field '\(field)' " + problem
    }
}

/// Where an alert goes besides the alert store: the server's log (at a level by severity) and
/// the events outbox (`market.alert`), from which webhooks deliver it.
public enum AlertRoute: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case log, webhook

    public static func < (lhs: AlertRoute, rhs: AlertRoute) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A validated monitoring rule. Construct it in code with the throwing initializer or decode it
/// from JSON; either way an invalid rule cannot exist.
///
/// JSON shape (snake_case, one flat object; fields not used by the kind are rejected so typos
/// are caught):
/// ```json
/// {"name": "usdt-peg", "kind": "depeg", "severity": "warning", "cooldown_seconds": 300,
///  "pair": "USDT/USD", "peg": "1.00", "warning_bps": 50, "critical_bps": 200}
/// ```
/// Common fields: `name` (required, non-empty), `kind` (required), `severity` (`"info"`,
/// `"warning"` or `"critical"`, default `"warning"`), `cooldown_seconds` (required, ≥ 0),
/// `route` (an array of `"log"` and `"webhook"`, default both; `[]` only stores the alert).
/// Decimal thresholds (`peg`, `min_value`, `min_amount`, `max_amount`) are JSON strings, never
/// JSON numbers, so they stay exact.
public struct MonitorRule: Sendable, Hashable {
    /// Unique name, reported in alerts.
    public let name: String
    /// Severity of the rule's alerts (for `depeg`: of the warning band; the critical band is
    /// always `.critical`).
    public let severity: Severity
    /// Minimum seconds between two alerts of the same rule and key, unless severity escalates.
    public let cooldownSeconds: Int64
    public let condition: RuleCondition
    /// Where its alerts are routed besides the store.
    public let routes: Set<AlertRoute>

    public var kind: RuleKind { condition.kind }

    /// Validates and builds a rule; throws naming the offending JSON field.
    public init(
        name: String, severity: Severity = .warning, cooldownSeconds: Int64, condition: RuleCondition, routes: Set<AlertRoute> = Set(AlertRoute.allCases)
    ) throws(MonitorRuleError) {
        func fail(_ field: String, _ problem: String) -> MonitorRuleError {
            MonitorRuleError(rule: name.isEmpty ? nil : name, field: field, problem: problem)
        }
        guard !name.isEmpty else { throw fail("name", "must not be empty") }
        guard cooldownSeconds >= 0 else { throw fail("cooldown_seconds", "must not be negative (got \(cooldownSeconds))") }
        func checkName(_ field: String, _ value: String) throws(MonitorRuleError) {
            guard !value.isEmpty else { throw fail(field, "must not be empty (use \"*\" for all)") }
        }
        switch condition {
        case let .flashMove(pair, bps, windowSeconds):
            try checkName("pair", pair)
            guard bps > 0 else { throw fail("bps", "must be at least 1") }
            guard windowSeconds > 0 else { throw fail("window_seconds", "must be at least 1 (got \(windowSeconds))") }
        case let .circuitBreaker(pair):
            try checkName("pair", pair)
        case let .depeg(pair, peg, warningBps, criticalBps):
            try checkName("pair", pair)
            guard pair != "*" else { throw fail("pair", "must name one pair (a peg does not apply to \"*\")") }
            guard peg > 0 else { throw fail("peg", "must be greater than 0") }
            guard warningBps > 0 else { throw fail("warning_bps", "must be at least 1") }
            guard criticalBps > warningBps else { throw fail("critical_bps", "must be greater than warning_bps (\(warningBps)), got \(criticalBps)") }
            guard severity < .critical else { throw fail("severity", "must be info or warning for depeg (it is the warning band's; the critical_bps band is always critical)") }
        case let .whale(asset, minAmount, minValue):
            try checkName("asset", asset)
            guard minAmount != nil || minValue != nil else { throw fail("", "needs min_amount and/or min_value") }
            if let minAmount {
                guard asset != "*" else { throw fail("min_amount", "needs a specific asset (amounts of different assets are not comparable); use min_value for \"*\"") }
                guard minAmount > 0 else { throw fail("min_amount", "must be greater than 0") }
            }
            if let minValue { guard minValue > 0 else { throw fail("min_value", "must be greater than 0") } }
        case let .velocity(asset, maxCount, maxAmount, windowSeconds):
            try checkName("asset", asset)
            guard maxCount != nil || maxAmount != nil else { throw fail("", "needs max_count and/or max_amount") }
            if let maxCount { guard maxCount >= 0 else { throw fail("max_count", "must not be negative (got \(maxCount))") } }
            if maxAmount != nil, asset == "*" {
                throw fail("max_amount", "needs a specific asset (amounts of different assets cannot be summed)")
            }
            guard windowSeconds > 0 else { throw fail("window_seconds", "must be at least 1 (got \(windowSeconds))") }
        case let .sourceStale(pair, maxAgeSeconds):
            try checkName("pair", pair)
            guard maxAgeSeconds >= 0 else { throw fail("max_age_seconds", "must not be negative (got \(maxAgeSeconds))") }
        case let .sourceDivergence(pair, bps):
            try checkName("pair", pair)
            guard bps > 0 else { throw fail("bps", "must be at least 1") }
        }
        self.name = name
        self.severity = severity
        self.cooldownSeconds = cooldownSeconds
        self.condition = condition
        self.routes = routes
    }

    /// Checks a rule set as a whole: names must be unique (alerts and
    /// ``MonitorEngine/suppressedCount(rule:key:)`` identify rules by name).
    public static func validate(_ rules: [MonitorRule]) throws(MonitorRuleError) {
        var seen: Set<String> = []
        for rule in rules where !seen.insert(rule.name).inserted {
            throw MonitorRuleError(rule: rule.name, field: "name", problem: "is used by more than one rule")
        }
    }
}

// MARK: - JSON

/// A string coding key, so the decoder can see every field present (and reject unknown ones).
struct FieldKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension MonitorRule: Codable {
    public init(from decoder: any Decoder) throws {
        let position = decoder.codingPath.last?.intValue.map { "#\($0)" }
        let container: KeyedDecodingContainer<FieldKey>
        do {
            container = try decoder.container(keyedBy: FieldKey.self)
        } catch {
            throw MonitorRuleError(rule: position, field: "", problem: "must be a JSON object")
        }
        var reader = FieldReader(container: container, rule: position)
        guard let name = try reader.string("name") else { throw reader.missing("name") }
        guard !name.isEmpty else { throw reader.fail("name", "must not be empty") }
        reader.rule = name
        guard let kindName = try reader.string("kind") else { throw reader.missing("kind") }
        guard let kind = RuleKind(rawValue: kindName) else {
            throw reader.fail("kind", "is \"\(kindName)\", expected one of \(RuleKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        reader.kind = kind
        let allowed = Set(["name", "kind", "severity", "cooldown_seconds", "route"] + kind.fields)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) {
            throw reader.fail(unknown, "is not a field of kind \(kind.rawValue) (its fields: \(kind.fields.joined(separator: ", ")))")
        }
        var severity = Severity.warning
        if let text = try reader.string("severity") {
            guard let parsed = Severity(rawValue: text) else { throw reader.fail("severity", "is \"\(text)\", expected info, warning or critical") }
            severity = parsed
        }
        guard let cooldown: Int64 = try reader.integer("cooldown_seconds") else { throw reader.missing("cooldown_seconds") }
        let routes = try reader.routes("route") ?? Set(AlertRoute.allCases)
        let condition: RuleCondition
        switch kind {
        case .flashMove:
            condition = .flashMove(pair: try reader.required("pair", reader.string), bps: try reader.required("bps", reader.integer), windowSeconds: try reader.required("window_seconds", reader.integer))
        case .circuitBreaker:
            condition = .circuitBreaker(pair: try reader.required("pair", reader.string))
        case .depeg:
            condition = .depeg(
                pair: try reader.required("pair", reader.string), peg: try reader.required("peg", reader.fixed18),
                warningBps: try reader.required("warning_bps", reader.integer), criticalBps: try reader.required("critical_bps", reader.integer))
        case .whale:
            condition = .whale(asset: try reader.required("asset", reader.string), minAmount: try reader.units("min_amount"), minValue: try reader.fixed18("min_value"))
        case .velocity:
            condition = .velocity(
                asset: try reader.string("asset") ?? "*", maxCount: try reader.integer("max_count"), maxAmount: try reader.units("max_amount"),
                windowSeconds: try reader.required("window_seconds", reader.integer))
        case .sourceStale:
            condition = .sourceStale(pair: try reader.required("pair", reader.string), maxAgeSeconds: try reader.required("max_age_seconds", reader.integer))
        case .sourceDivergence:
            condition = .sourceDivergence(pair: try reader.required("pair", reader.string), bps: try reader.required("bps", reader.integer))
        }
        try self.init(name: name, severity: severity, cooldownSeconds: cooldown, condition: condition, routes: routes)
    }

    /// Encodes the same flat snake_case shape the decoder reads (decimal fields as canonical
    /// exact strings, e.g. a peg of 1 as `"1"`; an unset optional threshold as null, which the
    /// decoder reads as unset).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        try container.encode(name, forKey: FieldKey("name"))
        try container.encode(kind.rawValue, forKey: FieldKey("kind"))
        try container.encode(severity, forKey: FieldKey("severity"))
        try container.encode(cooldownSeconds, forKey: FieldKey("cooldown_seconds"))
        try container.encode(routes.sorted().map(\.rawValue), forKey: FieldKey("route"))
        func put(_ key: String, _ value: some Encodable) throws { try container.encode(value, forKey: FieldKey(key)) }
        // A threshold that is not set is written as null, so every member of a kind is always there.
        func putOrNull(_ key: String, _ value: (some Encodable)?) throws {
            if let value { try put(key, value) } else { try container.encodeNil(forKey: FieldKey(key)) }
        }
        switch condition {
        case let .flashMove(pair, bps, windowSeconds):
            try put("pair", pair); try put("bps", bps); try put("window_seconds", windowSeconds)
        case let .circuitBreaker(pair):
            try put("pair", pair)
        case let .depeg(pair, peg, warningBps, criticalBps):
            try put("pair", pair); try put("peg", DecimalText.format(peg, decimals: 18))
            try put("warning_bps", warningBps); try put("critical_bps", criticalBps)
        case let .whale(asset, minAmount, minValue):
            try put("asset", asset)
            try putOrNull("min_amount", minAmount.map { String($0) })
            try putOrNull("min_value", minValue.map { DecimalText.format($0, decimals: 18) })
        case let .velocity(asset, maxCount, maxAmount, windowSeconds):
            try put("asset", asset)
            try putOrNull("max_count", maxCount)
            try putOrNull("max_amount", maxAmount.map { String($0) })
            try put("window_seconds", windowSeconds)
        case let .sourceStale(pair, maxAgeSeconds):
            try put("pair", pair); try put("max_age_seconds", maxAgeSeconds)
        case let .sourceDivergence(pair, bps):
            try put("pair", pair); try put("bps", bps)
        }
    }
}

/// Reads one rule object's fields, turning every decoding failure into a ``MonitorRuleError``
/// that names the field.
private struct FieldReader {
    let container: KeyedDecodingContainer<FieldKey>
    var rule: String?
    var kind: RuleKind?

    init(container: KeyedDecodingContainer<FieldKey>, rule: String?) {
        self.container = container
        self.rule = rule
    }

    func fail(_ field: String, _ problem: String) -> MonitorRuleError {
        MonitorRuleError(rule: rule, field: field, problem: problem)
    }

    func missing(_ field: String) -> MonitorRuleError {
        fail(field, kind.map { "is required for kind \($0.rawValue)" } ?? "is required")
    }

    func required<T>(_ field: String, _ read: (String) throws -> T?) throws -> T {
        guard let value = try read(field) else { throw missing(field) }
        return value
    }

    func string(_ field: String) throws -> String? {
        do {
            return try container.decodeIfPresent(String.self, forKey: FieldKey(field))
        } catch {
            throw fail(field, "must be a string")
        }
    }

    func integer<T: FixedWidthInteger & Decodable>(_ field: String) throws -> T? {
        do {
            return try container.decodeIfPresent(T.self, forKey: FieldKey(field))
        } catch {
            throw fail(field, "must be a whole number from \(T.min) to \(T.max)")
        }
    }

    /// An array of route names, each at most once.
    func routes(_ field: String) throws -> Set<AlertRoute>? {
        let names: [String]?
        do {
            names = try container.decodeIfPresent([String].self, forKey: FieldKey(field))
        } catch {
            throw fail(field, "must be an array of \"log\" and \"webhook\"")
        }
        guard let names else { return nil }
        var routes: Set<AlertRoute> = []
        for name in names {
            guard let route = AlertRoute(rawValue: name) else { throw fail(field, "has \"\(name.prefix(20))\", expected \"log\" or \"webhook\"") }
            guard routes.insert(route).inserted else { throw fail(field, "names \"\(name)\" twice") }
        }
        return routes
    }

    /// A decimal string at 18 decimals (prices, fiat values).
    func fixed18(_ field: String) throws -> UInt128? { try decimal(field, decimals: 18) }

    /// A whole-number string of smallest units.
    func units(_ field: String) throws -> UInt128? { try decimal(field, decimals: 0) }

    private func decimal(_ field: String, decimals: Int) throws -> UInt128? {
        let text: String?
        do {
            text = try container.decodeIfPresent(String.self, forKey: FieldKey(field))
        } catch {
            let example = decimals == 0 ? "\"1000000\"" : "\"1.00\""
            throw fail(field, "must be a decimal string such as \(example) (a JSON string, not a number, so it stays exact)")
        }
        guard let text else { return nil }
        do {
            return try DecimalText.parse(text, decimals: decimals)
        } catch {
            throw fail(field, "\"\(text)\" \(error)")
        }
    }
}
