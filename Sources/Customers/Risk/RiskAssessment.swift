/// One signal's share of a score, for the customer's support and the audit log.
public struct RiskReason: Sendable, Equatable {
    /// Stable snake_case: "new_device", "new_network", "new_destination",
    /// "password_change_very_recent", "password_change_recent", "failed_step_ups",
    /// "amount_10x_median", "amount_3x_median", "no_history".
    public let code: String
    public let points: Int
    /// What was seen, in a sentence.
    public let detail: String

    public init(code: String, points: Int, detail: String) {
        self.code = code
        self.points = points
        self.detail = detail
    }
}

/// What a score leads to, each step including the ones before it.
public enum RiskDecision: Sendable, Equatable {
    case allow
    /// Proceed after a step-up (a TOTP code).
    case stepUp
    /// Step up, and the customer's limits apply at `bps` / 10 000 of themselves.
    case lowerLimits(bps: Int)
    /// Hold the request for review.
    case hold

    /// Its stored name: "allow", "step_up", "lower_limits", "hold".
    public var name: String {
        switch self {
        case .allow: "allow"
        case .stepUp: "step_up"
        case .lowerLimits: "lower_limits"
        case .hold: "hold"
        }
    }
}

/// A request's risk: the score, the reasons that make it up, and what follows.
public struct RiskAssessment: Sendable, Equatable {
    /// 0-100: the reasons' points summed, capped at `RiskScoring.maximumScore`.
    public let score: Int
    public let reasons: [RiskReason]
    public let decision: RiskDecision
    /// Whether the request needs a step-up: the score reached the policy's `stepUpAt`, which is
    /// also so when limits are lowered or the request is held.
    public let requiresStepUp: Bool
    /// The factor on the customer's limits, in basis points: 10 000, or the policy's
    /// `lowerLimitsToBps` once the score reached `lowerLimitsAt` (held requests included).
    public let limitFactorBps: Int

    public init(score: Int, reasons: [RiskReason], decision: RiskDecision, requiresStepUp: Bool, limitFactorBps: Int) {
        self.score = score
        self.reasons = reasons
        self.decision = decision
        self.requiresStepUp = requiresStepUp
        self.limitFactorBps = limitFactorBps
    }
}
