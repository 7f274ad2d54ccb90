import Foundation

extension SigningPolicy {
    /// Parses the policy document:
    /// `{"rules":[{"type":"deny_destinations","destinations":[..]}, {"type":"max_per_transaction",
    /// "asset":"ETH","amount":"..."}, ...]}`. Unknown fields and types are errors that name them.
    public init(json: [UInt8]) throws(PolicyError) {
        let root = try JSONObject.parse(json, what: "policy")
        try JSONObject.allowOnly(["rules"], in: root, context: "policy")
        guard let rules = root["rules"] as? [Any] else { throw PolicyError("policy: \"rules\" must be an array") }
        var parsed: [PolicyRule] = []
        var names: Set<String> = []
        for (index, element) in rules.enumerated() {
            let context = "policy rule \(index + 1)"
            guard let rule = element as? [String: Any] else { throw PolicyError("\(context) must be an object") }
            let type = try JSONObject.string("type", in: rule, context: context)
            let name = try JSONObject.optionalString("name", in: rule, context: context) ?? "\(type)#\(index + 1)"
            guard names.insert(name).inserted else { throw PolicyError("\(context): the name \"\(name)\" is used twice") }
            let wallets = Set(try JSONObject.optionalStrings("wallets", in: rule, context: context) ?? [])
            let common: Set<String> = ["type", "name", "wallets"]
            let kind: PolicyRule.Kind
            switch type {
            case "deny_destinations", "allow_destinations":
                try JSONObject.allowOnly(common.union(["destinations", "chain"]), in: rule, context: context)
                let chain = try JSONObject.optionalString("chain", in: rule, context: context) ?? "ethereum"
                let list = try JSONObject.optionalStrings("destinations", in: rule, context: context) ?? []
                let set = Set(list.map { SigningIntent.normalize($0, chain: chain) })
                kind = type == "deny_destinations" ? .denyDestinations(set) : .allowDestinations(set)
            case "max_per_transaction":
                try JSONObject.allowOnly(common.union(["asset", "amount"]), in: rule, context: context)
                kind = .maxPerTransaction(
                    asset: try JSONObject.string("asset", in: rule, context: context),
                    amount: try AmountText.parse(try JSONObject.string("amount", in: rule, context: context), field: "\(context) amount"))
            case "rolling_limit":
                try JSONObject.allowOnly(common.union(["asset", "amount", "window"]), in: rule, context: context)
                let windowText = try JSONObject.string("window", in: rule, context: context)
                guard let window = LimitWindow(rawValue: windowText) else {
                    throw PolicyError("\(context): window \"\(windowText)\" must be 24h, 7d or 30d")
                }
                kind = .rollingLimit(
                    asset: try JSONObject.string("asset", in: rule, context: context), window: window,
                    amount: try AmountText.parse(try JSONObject.string("amount", in: rule, context: context), field: "\(context) amount"))
            case "time_window":
                try JSONObject.allowOnly(common.union(["from_hour", "to_hour", "weekdays"]), in: rule, context: context)
                let from = try JSONObject.integer("from_hour", in: rule, context: context, range: 0...23)
                let to = try JSONObject.integer("to_hour", in: rule, context: context, range: 0...24)
                let days = try (rule["weekdays"] == nil ? [1, 2, 3, 4, 5, 6, 7] : JSONObject.integers("weekdays", in: rule, context: context, range: 1...7))
                kind = .timeWindow(fromHour: from, toHour: to, weekdays: Set(days))
            case "approvals":
                try JSONObject.allowOnly(common.union(["asset", "above", "required", "approvers"]), in: rule, context: context)
                let approvers = Set(try JSONObject.optionalStrings("approvers", in: rule, context: context) ?? [])
                let required = try JSONObject.integer("required", in: rule, context: context, range: 1...100)
                guard required <= approvers.count else {
                    throw PolicyError("\(context): \(required) approvals required but only \(approvers.count) approvers listed")
                }
                kind = .approvals(
                    asset: try JSONObject.string("asset", in: rule, context: context),
                    above: try AmountText.parse(try JSONObject.string("above", in: rule, context: context), field: "\(context) above"),
                    required: required, approvers: approvers)
            default:
                throw PolicyError("\(context): unknown type \"\(type)\"; expected deny_destinations, allow_destinations, max_per_transaction, rolling_limit, time_window or approvals")
            }
            parsed.append(PolicyRule(name: name, kind: kind, wallets: wallets))
        }
        self.init(rules: parsed)
    }
}

/// Strict reading of JSON objects with errors that name the field.
enum JSONObject {
    static func parse(_ bytes: [UInt8], what: String) throws(PolicyError) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else {
            throw PolicyError("\(what) is not valid JSON")
        }
        guard let dictionary = object as? [String: Any] else { throw PolicyError("\(what) must be a JSON object") }
        return dictionary
    }

    static func allowOnly(_ keys: Set<String>, in object: [String: Any], context: String) throws(PolicyError) {
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw PolicyError("\(context): unknown field \"\(unknown)\"")
        }
    }

    static func string(_ key: String, in object: [String: Any], context: String) throws(PolicyError) -> String {
        guard let value = try optionalString(key, in: object, context: context) else { throw PolicyError("\(context): \"\(key)\" is required") }
        return value
    }

    static func optionalString(_ key: String, in object: [String: Any], context: String) throws(PolicyError) -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let string = value as? String else { throw PolicyError("\(context): \"\(key)\" must be a string") }
        return string
    }

    static func optionalStrings(_ key: String, in object: [String: Any], context: String) throws(PolicyError) -> [String]? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let strings = value as? [String] else { throw PolicyError("\(context): \"\(key)\" must be an array of strings") }
        return strings
    }

    static func integer(_ key: String, in object: [String: Any], context: String, range: ClosedRange<Int>) throws(PolicyError) -> Int {
        guard let value = object[key], !isBoolean(value), let number = value as? NSNumber,
              number.doubleValue == Double(number.intValue), range.contains(number.intValue)
        else { throw PolicyError("\(context): \"\(key)\" must be a whole number in \(range.lowerBound)...\(range.upperBound)") }
        return number.intValue
    }

    /// JSON `true`/`false` arrive as NSNumber too; their type encoding is "c" (char).
    static func isBoolean(_ value: Any) -> Bool {
        if type(of: value) == Bool.self { return true }
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    static func integers(_ key: String, in object: [String: Any], context: String, range: ClosedRange<Int>) throws(PolicyError) -> [Int] {
        guard let numbers = object[key] as? [Any] else { throw PolicyError("\(context): \"\(key)\" must be an array of numbers") }
        var result: [Int] = []
        for number in numbers {
            result.append(try integer(key, in: [key: number], context: context, range: range))
        }
        return result
    }
}
