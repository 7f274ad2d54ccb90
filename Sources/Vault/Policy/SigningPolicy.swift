import CofferBase
/// Rolling windows for cumulative limits.
public enum LimitWindow: String, Sendable, Codable, CaseIterable {
    case day = "24h", week = "7d", month = "30d"

    public var seconds: Int64 {
        switch self {
        case .day: 86_400
        case .week: 7 * 86_400
        case .month: 30 * 86_400
        }
    }
}

/// One rule of a signing policy. A rule applies to every wallet unless `wallets` names some.
public struct PolicyRule: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Destinations that are always refused.
        case denyDestinations(Set<String>)
        /// When present, only these destinations are allowed.
        case allowDestinations(Set<String>)
        /// No single transaction above `amount` of `asset`.
        case maxPerTransaction(asset: String, amount: UInt128)
        /// At most `amount` of `asset` per wallet in any rolling window.
        case rollingLimit(asset: String, window: LimitWindow, amount: UInt128)
        /// Signing only between `fromHour` (inclusive) and `toHour` (exclusive), UTC, on `weekdays`
        /// (1 = Monday ... 7 = Sunday). A window may wrap midnight (22 to 6).
        case timeWindow(fromHour: Int, toHour: Int, weekdays: Set<Int>)
        /// Above `above` of `asset`, `required` distinct approvals from `approvers`.
        case approvals(asset: String, above: UInt128, required: Int, approvers: Set<String>)
    }

    public var name: String
    public var kind: Kind
    /// Wallet ids or names this rule is limited to; empty means every wallet.
    public var wallets: Set<String>

    public init(name: String, kind: Kind, wallets: Set<String> = []) {
        self.name = name
        self.kind = kind
        self.wallets = wallets
    }

    func applies(to walletReferences: Set<String>) -> Bool {
        wallets.isEmpty || !wallets.isDisjoint(with: walletReferences)
    }
}

/// An ordered set of rules; the first rule that denies decides.
public struct SigningPolicy: Sendable, Equatable {
    public var rules: [PolicyRule]
    public init(rules: [PolicyRule]) { self.rules = rules }

    /// Every asset/window pair a rolling limit needs history for.
    public var rollingWindows: [(asset: String, window: LimitWindow)] {
        rules.compactMap { rule in
            if case .rollingLimit(let asset, let window, _) = rule.kind { return (asset, window) }
            return nil
        }
    }
}
