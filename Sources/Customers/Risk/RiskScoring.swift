/// A request's risk score as a sum of points, one reason per signal seen, so every score can be
/// explained: the reasons' points add up to the score before its cap. Pure: the application
/// gathers the signals (devices, networks, destinations, password changes, step-ups, history).
public enum RiskScoring {
    /// Scores stop here, however many signals add up.
    public static let maximumScore = 100

    public static func assess(_ signals: RiskSignals, policy: RiskPolicy = RiskPolicy()) -> RiskAssessment {
        var reasons: [RiskReason] = []
        // Reasons worth nothing are left out: they explain nothing.
        func add(_ code: String, _ points: Int, _ detail: String) {
            if points > 0 { reasons.append(RiskReason(code: code, points: points, detail: detail)) }
        }
        if signals.newDevice == true { add("new_device", policy.newDevicePoints, "a device the customer has not used before") }
        if signals.newNetwork == true { add("new_network", policy.newNetworkPoints, "an IP network the customer has not been seen from") }
        if signals.newDestination == true {
            add("new_destination", policy.newDestinationPoints, "a destination the customer has not paid before")
        }
        if let seconds = signals.secondsSincePasswordChange {
            // A change stamped after now (clocks disagree) counts as just now.
            let age = max(seconds, 0)
            if age < policy.veryRecentPasswordChangeSeconds {
                add("password_change_very_recent", policy.veryRecentPasswordChangePoints, "the password changed \(age) s ago")
            } else if age < policy.recentPasswordChangeSeconds {
                add("password_change_recent", policy.recentPasswordChangePoints, "the password changed \(age) s ago")
            }
        }
        if let failed = signals.failedStepUps, failed > 0 {
            let (points, overflow) = failed.multipliedReportingOverflow(by: max(policy.failedStepUpPoints, 0))
            add("failed_step_ups", min(overflow ? .max : points, policy.failedStepUpPointsCap),
                failed == 1 ? "1 failed step-up in the last 24 h" : "\(failed) failed step-ups in the last 24 h")
        }
        if signals.amount > 0 {
            if let median = signals.historyMedian {
                if isAtLeast(signals.amount, 10, times: median) {
                    add("amount_10x_median", policy.amount10xMedianPoints, "the amount is at least 10× the customer's median (\(median))")
                } else if isAtLeast(signals.amount, 3, times: median) {
                    add("amount_3x_median", policy.amount3xMedianPoints, "the amount is at least 3× the customer's median (\(median))")
                }
            } else {
                add("no_history", policy.noHistoryPoints, "no earlier movements in this asset to compare the amount with")
            }
        }

        let total = reasons.reduce(0) { sum, reason in
            let (next, overflow) = sum.addingReportingOverflow(reason.points)
            return overflow ? .max : next
        }
        let score = min(total, maximumScore)
        let loweredBps = min(max(policy.lowerLimitsToBps, 0), 10_000)
        let decision: RiskDecision =
            if score >= policy.holdAt { .hold }
            else if score >= policy.lowerLimitsAt { .lowerLimits(bps: loweredBps) }
            else if score >= policy.stepUpAt { .stepUp }
            else { .allow }
        return RiskAssessment(score: score, reasons: reasons, decision: decision, requiresStepUp: score >= policy.stepUpAt,
                              limitFactorBps: score >= policy.lowerLimitsAt ? loweredBps : 10_000)
    }

    /// Whether `amount` ≥ `multiple` × `median`; a product past UInt128 is above every amount.
    private static func isAtLeast(_ amount: UInt128, _ multiple: UInt128, times median: UInt128) -> Bool {
        let (product, overflow) = median.multipliedReportingOverflow(by: multiple)
        return !overflow && amount >= product
    }
}
