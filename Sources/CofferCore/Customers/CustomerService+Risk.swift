import CofferBase
import Tenancy
import Vault
import Customers
import Foundation

extension CustomerService {
    /// What the risk score let a request do.
    enum RiskVerdict: Sendable {
        /// Go on, with the limits scaled to this many basis points.
        case proceed(bps: Int)
        case stepUpRequired
        case stepUpFailed
        case hold
    }

    struct RiskOutcome: Sendable {
        let verdict: RiskVerdict
        let view: RiskView
    }

    /// Scores a request's signals against the customer's history, decides, and stores the
    /// decision with its reasons. A step-up is needed when the score asks for one or the amount
    /// is above the configured threshold; a code given is checked (and a failure counts).
    func assess(_ request: RiskSignalsRequest, customer: Customer, asset: String, amount: UInt128, at: Int64, destination: String?,
                stepUpAbove: UInt128?, requestID: String, caller: Caller) async throws -> RiskOutcome {
        var signals = RiskSignals(amount: amount)
        if let device = request.deviceID {
            guard (1...128).contains(device.utf8.count) else { throw ServiceError.invalid("device_id: 1-128 characters") }
            signals.deviceID = device
            signals.newDevice = !(try await store.seen(customer: customer.id, kind: "device", value: device))
        }
        var network: String?
        if let ip = request.ipAddress {
            guard let key = IPNetwork.of(ip) else { throw ServiceError.invalid("ip_address \"\(ip.prefix(64))\" is not an IPv4 or IPv6 address") }
            network = key
            signals.ipAddress = ip
            signals.newNetwork = !(try await store.seen(customer: customer.id, kind: "network", value: key))
        }
        if let destination {
            signals.newDestination = !(try await store.seen(customer: customer.id, kind: "destination", value: destination))
        }
        if let changed = request.passwordChangedAt {
            signals.secondsSincePasswordChange = max(0, at - (try Self.parseTime(changed, field: "password_changed_at")))
        }
        signals.failedStepUps = try await store.stepUpFailures(customer: customer.id, since: at - 86_400)
        let history = try await store.recentAmounts(customer: customer.id, asset: asset).sorted()
        signals.historyMedian = history.isEmpty ? nil : history[history.count / 2]

        let assessment = RiskScoring.assess(signals, policy: riskPolicy)
        var verdict: RiskVerdict
        switch assessment.decision {
        case .hold: verdict = .hold
        default: verdict = .proceed(bps: assessment.limitFactorBps)
        }
        let needsStepUp = assessment.requiresStepUp || (stepUpAbove.map { amount > $0 } ?? false)
        if case .proceed = verdict, needsStepUp {
            if let code = request.stepUpCode {
                if try await !checkCode(code, customer: customer, at: at, caller: caller) { verdict = .stepUpFailed }
            } else {
                verdict = .stepUpRequired
            }
        }
        var reasons = assessment.reasons.map { RiskReasonView(code: $0.code, points: $0.points, detail: $0.detail) }
        if let stepUpAbove, amount > stepUpAbove {
            reasons.append(RiskReasonView(code: "amount_above_step_up_threshold", points: 0, detail: "the amount is above \(stepUpAbove), which needs a step-up code"))
        }
        let view = RiskView(score: assessment.score, decision: assessment.decision.name, reasons: reasons)
        let outcome: String =
            switch verdict {
            case .hold: "held"
            case .stepUpRequired: "step_up_required"
            case .stepUpFailed: "step_up_failed"
            case .proceed(let bps): bps < 10_000 ? "limits_lowered" : "allowed"
            }
        try await store.recordRisk(customer: customer.id, requestID: requestID, score: assessment.score, decision: assessment.decision.name,
                                   reasons: try JSONEncoding.text(reasons), outcome: outcome, at: at)
        // Devices and networks become known once a request from them got past the score.
        if case .proceed = verdict {
            if let device = request.deviceID { try await store.remember(customer: customer.id, kind: "device", value: device, at: at) }
            if let network { try await store.remember(customer: customer.id, kind: "network", value: network, at: at) }
        }
        return RiskOutcome(verdict: verdict, view: view)
    }
}
