@testable import Market

/// An 18-decimal value from its exact decimal string.
func px(_ text: String) -> UInt128 { try! DecimalText.parse(text, decimals: 18) }

/// A rule that must be valid.
func rule(_ name: String, severity: Severity = .warning, cooldown: Int64 = 0, _ condition: RuleCondition) -> MonitorRule {
    try! MonitorRule(name: name, severity: severity, cooldownSeconds: cooldown, condition: condition)
}

/// A valid rule named "r".
func rule(severity: Severity = .warning, cooldown: Int64 = 0, _ condition: RuleCondition) -> MonitorRule {
    rule("r", severity: severity, cooldown: cooldown, condition)
}

func priceEvent(_ pair: String, _ price: String?, at time: Int64, status: String = "ok", sources: [SourceQuote] = []) -> MonitorEvent {
    .price(PriceTick(pair: pair, price: price.map(px), time: time, status: status, sources: sources))
}

func transferEvent(_ id: String = "t", tenant: String = "ten", account: String = "acct-1", asset: String = "USDC", amount: UInt128, value: String? = nil, at time: Int64) -> MonitorEvent {
    .transfer(TransferTick(id: id, tenant: tenant, account: account, asset: asset, amount: amount, value: value.map(px), time: time))
}

extension MonitorEngine {
    /// Processes events in order, returning every alert.
    mutating func run(_ events: [MonitorEvent]) -> [MonitorAlert] {
        events.flatMap { process($0) }
    }
}
