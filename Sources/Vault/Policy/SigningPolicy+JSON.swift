import CofferBase
import WalletCore

extension SigningPolicy {
    /// Parses the policy document:
    /// `{"rules":[{"type":"deny_destinations","destinations":[..]}, {"type":"max_per_transaction",
    /// "asset":"ETH","amount":"..."}, ...]}`. Unknown fields and types are errors that name them.
    public init(json: [UInt8]) throws(PolicyError) {
        let root = try JSONFields(try JSONFields.parse(json, what: "policy"), context: "policy")
        try root.allowOnly(["rules"])
        guard case .array(let rules)? = root.value("rules") else { throw PolicyError("policy: \"rules\" must be an array") }
        var parsed: [PolicyRule] = []
        var names: Set<String> = []
        for (index, element) in rules.enumerated() {
            let context = "policy rule \(index + 1)"
            let rule = try JSONFields(element, context: context)
            let type = try rule.string("type")
            let name = try rule.optionalString("name") ?? "\(type)#\(index + 1)"
            guard names.insert(name).inserted else { throw PolicyError("\(context): the name \"\(name)\" is used twice") }
            let wallets = Set(try rule.optionalStrings("wallets") ?? [])
            let common: Set<String> = ["type", "name", "wallets"]
            let kind: PolicyRule.Kind
            switch type {
            case "deny_destinations", "allow_destinations":
                try rule.allowOnly(common.union(["destinations", "chain"]))
                let chain = try rule.optionalString("chain") ?? "ethereum"
                let list = try rule.optionalStrings("destinations") ?? []
                let set = Set(list.map { SigningIntent.normalize($0, chain: chain) })
                kind = type == "deny_destinations" ? .denyDestinations(set) : .allowDestinations(set)
            case "max_per_transaction":
                try rule.allowOnly(common.union(["asset", "amount"]))
                kind = .maxPerTransaction(
                    asset: try rule.string("asset"),
                    amount: try PolicyError.amount(try rule.string("amount"), field: "\(context) amount"))
            case "rolling_limit":
                try rule.allowOnly(common.union(["asset", "amount", "window"]))
                let windowText = try rule.string("window")
                guard let window = LimitWindow(rawValue: windowText) else {
                    throw PolicyError("\(context): window \"\(windowText)\" must be 24h, 7d or 30d")
                }
                kind = .rollingLimit(
                    asset: try rule.string("asset"), window: window,
                    amount: try PolicyError.amount(try rule.string("amount"), field: "\(context) amount"))
            case "time_window":
                try rule.allowOnly(common.union(["from_hour", "to_hour", "weekdays"]))
                let from = Int(try rule.integer("from_hour", range: 0...23))
                let to = Int(try rule.integer("to_hour", range: 0...24))
                let days = try rule.has("weekdays") ? rule.integers("weekdays", range: 1...7).map { Int($0) } : [1, 2, 3, 4, 5, 6, 7]
                kind = .timeWindow(fromHour: from, toHour: to, weekdays: Set(days))
            case "approvals":
                try rule.allowOnly(common.union(["asset", "above", "required", "approvers"]))
                let approvers = Set(try rule.optionalStrings("approvers") ?? [])
                let required = Int(try rule.integer("required", range: 1...100))
                guard required <= approvers.count else {
                    throw PolicyError("\(context): \(required) approvals required but only \(approvers.count) approvers listed")
                }
                kind = .approvals(
                    asset: try rule.string("asset"),
                    above: try PolicyError.amount(try rule.string("above"), field: "\(context) above"),
                    required: required, approvers: approvers)
            default:
                throw PolicyError("\(context): unknown type \"\(type)\"; expected deny_destinations, allow_destinations, max_per_transaction, rolling_limit, time_window or approvals")
            }
            parsed.append(PolicyRule(name: name, kind: kind, wallets: wallets))
        }
        self.init(rules: parsed)
    }
}
