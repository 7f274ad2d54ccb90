/// How many points each risk signal is worth and what a score leads to. Points below 0 count as
/// 0, so a signal never lowers a score. The amount multiples (10× and 3× the median) are fixed,
/// as the reason codes name them.
public struct RiskPolicy: Sendable, Equatable {
    /// A device the customer has not used before: 20.
    public var newDevicePoints: Int
    /// An IP network the customer has not been seen from: 15.
    public var newNetworkPoints: Int
    /// A destination the customer has not paid before: 20.
    public var newDestinationPoints: Int
    /// A password changed less than `veryRecentPasswordChangeSeconds` (24 h) ago: 25 ...
    public var veryRecentPasswordChangePoints: Int
    public var veryRecentPasswordChangeSeconds: Int64
    /// ... else less than `recentPasswordChangeSeconds` (7 days) ago: 10.
    public var recentPasswordChangePoints: Int
    public var recentPasswordChangeSeconds: Int64
    /// Each failed step-up in the last 24 h: 10, at most `failedStepUpPointsCap` (30) in all.
    public var failedStepUpPoints: Int
    public var failedStepUpPointsCap: Int
    /// An amount at least 10× the customer's median: 30 ...
    public var amount10xMedianPoints: Int
    /// ... else at least 3× the median: 15.
    public var amount3xMedianPoints: Int
    /// A non-zero amount from a customer with no history in the asset to compare it with: 10.
    public var noHistoryPoints: Int
    /// From this score (40) the request needs a step-up (a TOTP code) ...
    public var stepUpAt: Int
    /// ... from this one (50) the customer's limits are also lowered to `lowerLimitsToBps` of
    /// themselves (5 000: halved) ...
    public var lowerLimitsAt: Int
    public var lowerLimitsToBps: Int
    /// ... and from this one (70) the request is held for review.
    public var holdAt: Int

    public init(newDevicePoints: Int = 20, newNetworkPoints: Int = 15, newDestinationPoints: Int = 20,
                veryRecentPasswordChangePoints: Int = 25, veryRecentPasswordChangeSeconds: Int64 = 86_400,
                recentPasswordChangePoints: Int = 10, recentPasswordChangeSeconds: Int64 = 7 * 86_400,
                failedStepUpPoints: Int = 10, failedStepUpPointsCap: Int = 30,
                amount10xMedianPoints: Int = 30, amount3xMedianPoints: Int = 15, noHistoryPoints: Int = 10,
                stepUpAt: Int = 40, lowerLimitsAt: Int = 50, lowerLimitsToBps: Int = 5_000, holdAt: Int = 70) {
        self.newDevicePoints = newDevicePoints
        self.newNetworkPoints = newNetworkPoints
        self.newDestinationPoints = newDestinationPoints
        self.veryRecentPasswordChangePoints = veryRecentPasswordChangePoints
        self.veryRecentPasswordChangeSeconds = veryRecentPasswordChangeSeconds
        self.recentPasswordChangePoints = recentPasswordChangePoints
        self.recentPasswordChangeSeconds = recentPasswordChangeSeconds
        self.failedStepUpPoints = failedStepUpPoints
        self.failedStepUpPointsCap = failedStepUpPointsCap
        self.amount10xMedianPoints = amount10xMedianPoints
        self.amount3xMedianPoints = amount3xMedianPoints
        self.noHistoryPoints = noHistoryPoints
        self.stepUpAt = stepUpAt
        self.lowerLimitsAt = lowerLimitsAt
        self.lowerLimitsToBps = lowerLimitsToBps
        self.holdAt = holdAt
    }
}
