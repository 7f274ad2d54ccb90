import Customers
import PropertyBased
import Testing

/// Each signal's points, the decisions at their exact thresholds, the cap, and as properties:
/// the score is the capped sum of the reasons, and a further signal never lowers it.
struct RiskScoringTests {
    static func assess(_ signals: RiskSignals, _ policy: RiskPolicy = RiskPolicy()) -> RiskAssessment {
        RiskScoring.assess(signals, policy: policy)
    }

    /// The reasons as (code, points).
    static func reasons(_ signals: RiskSignals) -> [String] {
        assess(signals).reasons.map { "\($0.code) \($0.points)" }
    }

    @Test func noSignalsAllow() {
        let assessment = Self.assess(RiskSignals())
        #expect(assessment == RiskAssessment(score: 0, reasons: [], decision: .allow, requiresStepUp: false, limitFactorBps: 10_000))
        // Known and harmless is no different from unknown.
        let harmless = RiskSignals(deviceID: "d1", ipAddress: "203.0.113.7", newDevice: false, newNetwork: false, newDestination: false,
                                   secondsSincePasswordChange: 30 * 86_400, failedStepUps: 0, amount: 100, historyMedian: 100)
        #expect(Self.assess(harmless).score == 0 && Self.assess(harmless).decision == .allow)
    }

    @Test func eachSignalsPoints() {
        #expect(Self.reasons(RiskSignals(newDevice: true)) == ["new_device 20"])
        #expect(Self.reasons(RiskSignals(newNetwork: true)) == ["new_network 15"])
        #expect(Self.reasons(RiskSignals(newDestination: true)) == ["new_destination 20"])
        #expect(Self.reasons(RiskSignals(secondsSincePasswordChange: 0)) == ["password_change_very_recent 25"])
        #expect(Self.reasons(RiskSignals(secondsSincePasswordChange: 86_399)) == ["password_change_very_recent 25"])
        #expect(Self.reasons(RiskSignals(secondsSincePasswordChange: 86_400)) == ["password_change_recent 10"])
        #expect(Self.reasons(RiskSignals(secondsSincePasswordChange: 7 * 86_400 - 1)) == ["password_change_recent 10"])
        #expect(Self.reasons(RiskSignals(secondsSincePasswordChange: 7 * 86_400)) == [])
        #expect(Self.reasons(RiskSignals(secondsSincePasswordChange: -5)) == ["password_change_very_recent 25"])
        #expect(Self.reasons(RiskSignals(failedStepUps: 1)) == ["failed_step_ups 10"])
        #expect(Self.reasons(RiskSignals(failedStepUps: 2)) == ["failed_step_ups 20"])
        #expect(Self.reasons(RiskSignals(failedStepUps: 3)) == ["failed_step_ups 30"])
        #expect(Self.reasons(RiskSignals(failedStepUps: 4)) == ["failed_step_ups 30"])
        #expect(Self.reasons(RiskSignals(failedStepUps: .max)) == ["failed_step_ups 30"])
        #expect(Self.reasons(RiskSignals(failedStepUps: -1)) == [])
        #expect(Self.reasons(RiskSignals(amount: 1_000, historyMedian: 100)) == ["amount_10x_median 30"])
        #expect(Self.reasons(RiskSignals(amount: 999, historyMedian: 100)) == ["amount_3x_median 15"])
        #expect(Self.reasons(RiskSignals(amount: 300, historyMedian: 100)) == ["amount_3x_median 15"])
        #expect(Self.reasons(RiskSignals(amount: 299, historyMedian: 100)) == [])
        #expect(Self.reasons(RiskSignals(amount: .max, historyMedian: .max)) == [])
        #expect(Self.reasons(RiskSignals(amount: 1, historyMedian: 0)) == ["amount_10x_median 30"])
        #expect(Self.reasons(RiskSignals(amount: 1)) == ["no_history 10"])
        #expect(Self.reasons(RiskSignals(amount: 0)) == [])
    }

    @Test func reasonsExplainThemselves() {
        let reasons = Self.assess(RiskSignals(failedStepUps: 2, amount: 5_000, historyMedian: 400)).reasons
        #expect(reasons.map(\.detail) == ["2 failed step-ups in the last 24 h", "the amount is at least 10× the customer's median (400)"])
    }

    /// With the default thresholds (40, 50, 70), scores made of the default points.
    @Test func defaultThresholds() {
        let allow = Self.assess(RiskSignals(newDevice: true, newNetwork: true))  // 35
        #expect(allow.score == 35 && allow.decision == .allow && !allow.requiresStepUp && allow.limitFactorBps == 10_000)
        let stepUp = Self.assess(RiskSignals(newDevice: true, newDestination: true))  // 40
        #expect(stepUp.score == 40 && stepUp.decision == .stepUp && stepUp.requiresStepUp && stepUp.limitFactorBps == 10_000)
        let lowered = Self.assess(RiskSignals(newDevice: true, newDestination: true, failedStepUps: 1))  // 50
        #expect(lowered.score == 50 && lowered.decision == .lowerLimits(bps: 5_000) && lowered.requiresStepUp && lowered.limitFactorBps == 5_000)
        let held = Self.assess(RiskSignals(newDevice: true, newDestination: true, failedStepUps: 3))  // 70
        #expect(held.score == 70 && held.decision == .hold && held.requiresStepUp && held.limitFactorBps == 5_000)
        #expect([allow, stepUp, lowered, held].map(\.decision.name) == ["allow", "step_up", "lower_limits", "hold"])
    }

    /// Every threshold at its exact boundary: one point below it and at it.
    @Test func thresholdsAtTheirBoundaries() {
        let expected: [(Int, RiskDecision)] = [
            (39, .allow), (40, .stepUp), (49, .stepUp), (50, .lowerLimits(bps: 5_000)), (69, .lowerLimits(bps: 5_000)), (70, .hold),
            (100, .hold),
        ]
        for (points, decision) in expected {
            let assessment = Self.assess(RiskSignals(newDevice: true), RiskPolicy(newDevicePoints: points))
            #expect(assessment.score == points && assessment.decision == decision, "\(points) points")
            #expect(assessment.requiresStepUp == (points >= 40) && assessment.limitFactorBps == (points >= 50 ? 5_000 : 10_000))
        }
        let quarter = Self.assess(RiskSignals(newDevice: true), RiskPolicy(newDevicePoints: 60, lowerLimitsToBps: 2_500))
        #expect(quarter.decision == .lowerLimits(bps: 2_500) && quarter.limitFactorBps == 2_500)
    }

    @Test func scoreIsCapped() {
        let everything = RiskSignals(newDevice: true, newNetwork: true, newDestination: true, secondsSincePasswordChange: 60,
                                     failedStepUps: 5, amount: 10_000, historyMedian: 10)
        let assessment = Self.assess(everything)
        #expect(assessment.reasons.map(\.points).reduce(0, +) == 140)
        #expect(assessment.score == 100 && assessment.decision == .hold)
    }

    /// Unknown, false or true.
    static let flag = Gen<Bool??>.element(of: [nil, false, true] as [Bool?])
    static let signals = zip(
        flag, flag, flag,
        Gen.int64(in: -10...800_000).map { $0 > 700_000 ? nil : $0 }, Gen.int(in: -1...6).map { $0 < 0 ? nil : $0 },
        Gen.uint64(in: 0...5_000), Gen.uint64(in: 0...1_000).map { $0 == 1_000 ? nil : $0 }
    ).map { device, network, destination, password, failed, amount, median in
        RiskSignals(newDevice: device ?? nil, newNetwork: network ?? nil, newDestination: destination ?? nil,
                    secondsSincePasswordChange: password, failedStepUps: failed, amount: UInt128(amount), historyMedian: median.map { UInt128($0) })
    }

    /// The score is the capped sum of the reasons' points, under any policy's points.
    @Test func scoreIsTheCappedSum() async {
        let points = Gen.int(in: -5...60)
        await propertyCheck(count: 500, input: Self.signals, points.array(of: 9)) { signals, points in
            let policy = RiskPolicy(newDevicePoints: points[0], newNetworkPoints: points[1], newDestinationPoints: points[2],
                                    veryRecentPasswordChangePoints: points[3], recentPasswordChangePoints: points[4],
                                    failedStepUpPoints: points[5], amount10xMedianPoints: points[6], amount3xMedianPoints: points[7],
                                    noHistoryPoints: points[8])
            let assessment = RiskScoring.assess(signals, policy: policy)
            #expect(assessment.score == min(100, assessment.reasons.map(\.points).reduce(0, +)))
            #expect(assessment.reasons.allSatisfy { $0.points > 0 })
        }
    }

    enum Riskier: CaseIterable, Sendable { case device, network, destination, password, failedStepUp, amount }

    /// A further signal (a flag raised, a more recent password change, one more failed step-up, a
    /// larger amount) never lowers the score nor softens the decision.
    @Test func scoreIsMonotone() async {
        func rank(_ decision: RiskDecision) -> Int { ["allow", "step_up", "lower_limits", "hold"].firstIndex(of: decision.name) ?? -1 }
        await propertyCheck(count: 1_000, input: Self.signals, Gen<Riskier?>.element(of: Riskier.allCases), Gen.int64(in: 0...800_000)) {
            signals, change, by in
            var riskier = signals
            switch change {
            case .device: riskier.newDevice = true
            case .network: riskier.newNetwork = true
            case .destination: riskier.newDestination = true
            case .password: riskier.secondsSincePasswordChange = min(signals.secondsSincePasswordChange ?? .max, by)
            case .failedStepUp: riskier.failedStepUps = (signals.failedStepUps ?? 0) + 1
            case .amount, nil: riskier.amount += UInt128(by)
            }
            let before = RiskScoring.assess(signals)
            let after = RiskScoring.assess(riskier)
            #expect(after.score >= before.score, "\(signals) → \(riskier)")
            #expect(rank(after.decision) >= rank(before.decision))
        }
    }
}
