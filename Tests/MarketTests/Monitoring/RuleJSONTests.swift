import Foundation
import Testing
@testable import Market

@Suite struct RuleJSONTests {
    static let example = """
    [
      {"name": "btc-flash", "kind": "flash_move", "severity": "critical", "cooldown_seconds": 300, "pair": "BTC/USD", "bps": 500, "window_seconds": 60},
      {"name": "breaker", "kind": "circuit_breaker", "severity": "critical", "cooldown_seconds": 300, "pair": "*", "route": ["log"]},
      {"name": "usdt-peg", "kind": "depeg", "cooldown_seconds": 600, "pair": "USDT/USD", "peg": "1.00", "warning_bps": 50, "critical_bps": 200},
      {"name": "whales", "kind": "whale", "severity": "info", "cooldown_seconds": 0, "asset": "*", "min_value": "250000.50"},
      {"name": "usdc-velocity", "kind": "velocity", "cooldown_seconds": 900, "asset": "USDC", "max_count": 20, "max_amount": "50000000000", "window_seconds": 3600},
      {"name": "stale", "kind": "source_stale", "cooldown_seconds": 120, "pair": "*", "max_age_seconds": 90},
      {"name": "divergence", "kind": "source_divergence", "cooldown_seconds": 120, "pair": "*", "bps": 150}
    ]
    """

    static func decode(_ json: String) throws -> [MonitorRule] {
        try JSONDecoder().decode([MonitorRule].self, from: Data(json.utf8))
    }

    /// The decode error's description, or "decoded" when the rule was accepted.
    static func error(_ object: String) -> String {
        do {
            _ = try decode("[\(object)]")
            return "decoded"
        } catch let error as MonitorRuleError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func decodesEveryKind() throws {
        let rules = try Self.decode(Self.example)
        #expect(rules.map(\.kind) == RuleKind.allCases)
        #expect(rules[0].severity == .critical && rules[0].cooldownSeconds == 300)
        #expect(rules[0].condition == .flashMove(pair: "BTC/USD", bps: 500, windowSeconds: 60))
        #expect(rules[0].routes == [.log, .webhook])  // default
        #expect(rules[1].condition == .circuitBreaker(pair: "*") && rules[1].routes == [.log])
        #expect(rules[2].severity == .warning)  // default
        #expect(rules[2].condition == .depeg(pair: "USDT/USD", peg: 1_000_000_000_000_000_000, warningBps: 50, criticalBps: 200))
        #expect(rules[3].condition == .whale(asset: "*", minAmount: nil, minValue: 250_000_500_000_000_000_000_000))
        #expect(rules[4].condition == .velocity(asset: "USDC", maxCount: 20, maxAmount: 50_000_000_000, windowSeconds: 3600))
        #expect(rules[5].condition == .sourceStale(pair: "*", maxAgeSeconds: 90))
        #expect(rules[6].condition == .sourceDivergence(pair: "*", bps: 150))
        try MonitorRule.validate(rules)
    }

    @Test func roundTrips() throws {
        let rules = try Self.decode(Self.example)
        let encoded = try JSONEncoder().encode(rules)
        #expect(try JSONDecoder().decode([MonitorRule].self, from: encoded) == rules)
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains("\"peg\":\"1\"") && text.contains("\"min_value\":\"250000.5\"") && text.contains("\"max_amount\":\"50000000000\""))
    }

    @Test func velocityAssetDefaultsToAll() throws {
        let rules = try Self.decode(#"[{"name": "v", "kind": "velocity", "cooldown_seconds": 0, "max_count": 3, "window_seconds": 60}]"#)
        #expect(rules[0].condition == .velocity(asset: "*", maxCount: 3, maxAmount: nil, windowSeconds: 60))
    }

    @Test(arguments: [
        (#"{"kind": "whale"}"#, "rule '#0': field 'name' is required"),
        (#"{"name": "", "kind": "whale"}"#, "rule '#0': field 'name' must not be empty"),
        (#"{"name": 7}"#, "rule '#0': field 'name' must be a string"),
        (#""just a string""#, "rule '#0': must be a JSON object"),
        (#"{"name": "f", "kind": "flash"}"#, #"rule 'f': field 'kind' is "flash", expected one of flash_move, circuit_breaker, depeg, whale, velocity, source_stale, source_divergence"#),
        (#"{"name": "f", "kind": "flash_move", "cooldown_seconds": 0, "pair": "X", "bsp": 5, "window_seconds": 1}"#, "rule 'f': field 'bsp' is not a field of kind flash_move (its fields: pair, bps, window_seconds)"),
        (#"{"name": "f", "kind": "flash_move", "cooldown_seconds": 0, "pair": "X", "bps": "5", "window_seconds": 1}"#, "rule 'f': field 'bps' must be a whole number from 0 to 4294967295"),
        (#"{"name": "f", "kind": "flash_move", "cooldown_seconds": 0, "pair": "X", "bps": -5, "window_seconds": 1}"#, "rule 'f': field 'bps' must be a whole number from 0 to 4294967295"),
        (#"{"name": "f", "kind": "flash_move", "cooldown_seconds": 0, "pair": "X", "bps": 0, "window_seconds": 1}"#, "rule 'f': field 'bps' must be at least 1"),
        (#"{"name": "f", "kind": "flash_move", "cooldown_seconds": 0, "pair": "X", "bps": 5}"#, "rule 'f': field 'window_seconds' is required for kind flash_move"),
        (#"{"name": "f", "kind": "flash_move", "cooldown_seconds": 0, "pair": "X", "bps": 5, "window_seconds": 0}"#, "rule 'f': field 'window_seconds' must be at least 1 (got 0)"),
        (#"{"name": "f", "kind": "flash_move", "pair": "X", "bps": 5, "window_seconds": 1}"#, "rule 'f': field 'cooldown_seconds' is required for kind flash_move"),
        (#"{"name": "f", "kind": "flash_move", "cooldown_seconds": -1, "pair": "X", "bps": 5, "window_seconds": 1}"#, "rule 'f': field 'cooldown_seconds' must not be negative (got -1)"),
        (#"{"name": "f", "kind": "flash_move", "severity": "high", "cooldown_seconds": 0, "pair": "X", "bps": 5, "window_seconds": 1}"#, #"rule 'f': field 'severity' is "high", expected info, warning or critical"#),
        (#"{"name": "f", "kind": "flash_move", "cooldown_seconds": 0, "pair": "", "bps": 5, "window_seconds": 1}"#, #"rule 'f': field 'pair' must not be empty (use "*" for all)"#),
        (#"{"name": "d", "kind": "depeg", "cooldown_seconds": 0, "pair": "U", "peg": 1.0, "warning_bps": 5, "critical_bps": 9}"#, #"rule 'd': field 'peg' must be a decimal string such as "1.00" (a JSON string, not a number, so it stays exact)"#),
        (#"{"name": "d", "kind": "depeg", "cooldown_seconds": 0, "pair": "U", "peg": "-1", "warning_bps": 5, "critical_bps": 9}"#, #"rule 'd': field 'peg' "-1" has an invalid character "-" at offset 0 (only digits and one '.' are allowed; no signs, spaces or exponents)"#),
        (#"{"name": "d", "kind": "depeg", "cooldown_seconds": 0, "pair": "U", "peg": "1.0000000000000000001", "warning_bps": 5, "critical_bps": 9}"#, #"rule 'd': field 'peg' "1.0000000000000000001" has more than 18 fractional digits"#),
        (#"{"name": "d", "kind": "depeg", "cooldown_seconds": 0, "pair": "U", "peg": "", "warning_bps": 5, "critical_bps": 9}"#, #"rule 'd': field 'peg' "" is empty"#),
        (#"{"name": "d", "kind": "depeg", "cooldown_seconds": 0, "pair": "U", "peg": "0", "warning_bps": 5, "critical_bps": 9}"#, "rule 'd': field 'peg' must be greater than 0"),
        (#"{"name": "d", "kind": "depeg", "cooldown_seconds": 0, "pair": "U", "peg": "1", "warning_bps": 9, "critical_bps": 9}"#, "rule 'd': field 'critical_bps' must be greater than warning_bps (9), got 9"),
        (#"{"name": "d", "kind": "depeg", "cooldown_seconds": 0, "pair": "*", "peg": "1", "warning_bps": 5, "critical_bps": 9}"#, #"rule 'd': field 'pair' must name one pair (a peg does not apply to "*")"#),
        (#"{"name": "d", "kind": "depeg", "severity": "critical", "cooldown_seconds": 0, "pair": "U", "peg": "1", "warning_bps": 5, "critical_bps": 9}"#, "rule 'd': field 'severity' must be info or warning for depeg (it is the warning band's; the critical_bps band is always critical)"),
        (#"{"name": "w", "kind": "whale", "cooldown_seconds": 0, "asset": "*"}"#, "rule 'w': needs min_amount and/or min_value"),
        (#"{"name": "w", "kind": "whale", "cooldown_seconds": 0, "asset": "*", "min_amount": "5"}"#, #"rule 'w': field 'min_amount' needs a specific asset (amounts of different assets are not comparable); use min_value for "*""#),
        (#"{"name": "w", "kind": "whale", "cooldown_seconds": 0, "asset": "BTC", "min_amount": "1.5"}"#, #"rule 'w': field 'min_amount' "1.5" must be a whole number (no fractional digits)"#),
        (#"{"name": "w", "kind": "whale", "cooldown_seconds": 0, "asset": "BTC", "min_amount": "340282366920938463463374607431768211456"}"#, #"rule 'w': field 'min_amount' "340282366920938463463374607431768211456" is too large"#),
        (#"{"name": "w", "kind": "whale", "cooldown_seconds": 0, "min_value": "5"}"#, "rule 'w': field 'asset' is required for kind whale"),
        (#"{"name": "v", "kind": "velocity", "cooldown_seconds": 0, "window_seconds": 5}"#, "rule 'v': needs max_count and/or max_amount"),
        (#"{"name": "v", "kind": "velocity", "cooldown_seconds": 0, "max_amount": "5", "window_seconds": 5}"#, "rule 'v': field 'max_amount' needs a specific asset (amounts of different assets cannot be summed)"),
        (#"{"name": "v", "kind": "velocity", "cooldown_seconds": 0, "max_count": -1, "window_seconds": 5}"#, "rule 'v': field 'max_count' must not be negative (got -1)"),
        (#"{"name": "s", "kind": "source_stale", "cooldown_seconds": 0, "pair": "*", "max_age_seconds": -3}"#, "rule 's': field 'max_age_seconds' must not be negative (got -3)"),
        (#"{"name": "s", "kind": "source_stale", "cooldown_seconds": 0, "pair": "*", "max_age_seconds": 3, "bps": 5}"#, "rule 's': field 'bps' is not a field of kind source_stale (its fields: pair, max_age_seconds)"),
        (#"{"name": "s", "kind": "source_divergence", "cooldown_seconds": 0, "pair": "*"}"#, "rule 's': field 'bps' is required for kind source_divergence"),
    ])
    func clearErrors(json: String, expected: String) {
        #expect(Self.error(json) == expected)
    }

    @Test func errorNamesPositionInArrayWhenNameMissing() {
        let error = Self.error(#"{"name": "ok", "kind": "velocity", "cooldown_seconds": 0, "max_count": 1, "window_seconds": 1}, {"kind": "depeg"}"#)
        #expect(error == "rule '#1': field 'name' is required")
    }

    @Test func duplicateNamesRejectedBySetValidation() {
        let rules = [rule("same", .sourceStale(pair: "*", maxAgeSeconds: 1)), rule("same", .sourceDivergence(pair: "*", bps: 1))]
        #expect(throws: MonitorRuleError(rule: "same", field: "name", problem: "is used by more than one rule")) { try MonitorRule.validate(rules) }
    }

    @Test func alertEncodesSeverityAsString() throws {
        var engine = MonitorEngine(rules: [rule(.whale(asset: "*", minAmount: nil, minValue: px("1")))])
        let alert = try #require(engine.process(transferEvent(amount: 1, value: "1", at: 0)).first)
        let json = String(decoding: try JSONEncoder().encode(alert), as: UTF8.self)
        #expect(json.contains("\"severity\":\"warning\"") && json.contains("\"kind\":\"whale\""))
        #expect(try JSONDecoder().decode(MonitorAlert.self, from: Data(json.utf8)) == alert)
    }
}
