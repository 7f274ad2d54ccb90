import CofferBase
/// The outcome of evaluating a request against the policy, with the rule that decided.
public struct PolicyDecision: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable { case allowed, denied, pendingApproval = "pending_approval" }
    public let outcome: Outcome
    /// The deciding rule's name ("default" when no rule objected).
    public let rule: String
    public let reason: String
    /// For pending approvals: how many are needed and how many valid ones exist.
    public let approvalsRequired: Int
    public let approvalsReceived: Int

    static func allowed(_ rule: String = "default", _ reason: String = "no rule objected", required: Int = 0, received: Int = 0) -> PolicyDecision {
        PolicyDecision(outcome: .allowed, rule: rule, reason: reason, approvalsRequired: required, approvalsReceived: received)
    }
    static func denied(_ rule: String, _ reason: String) -> PolicyDecision {
        PolicyDecision(outcome: .denied, rule: rule, reason: reason, approvalsRequired: 0, approvalsReceived: 0)
    }
}

/// Facts the evaluator needs beyond the request: time and history, gathered by the caller so the
/// evaluation itself is a pure function.
public struct PolicyContext: Sendable {
    /// Seconds since 1970, UTC.
    public var now: Int64
    /// Amount already signed from this wallet in `asset` during the window ending now.
    public var spent: @Sendable (_ asset: String, _ window: LimitWindow) -> UInt128
    /// Distinct registered approvers with a valid signature over this request's hash.
    public var approvers: Set<String>

    public init(now: Int64, spent: @escaping @Sendable (String, LimitWindow) -> UInt128 = { _, _ in 0 }, approvers: Set<String> = []) {
        self.now = now
        self.spent = spent
        self.approvers = approvers
    }
}

/// Evaluates a policy: deny lists, allow lists, time windows, per-transaction caps, rolling caps,
/// then approvals. Runs before any key is touched.
///
/// A batch intent (many payments in one transaction) is judged payment by payment where a rule
/// is about a recipient or a payout, and as a whole where it is about the wallet's outflow:
/// - deny and allow lists apply to every destination: one listed (or unlisted) recipient refuses
///   the whole batch;
/// - `max_per_transaction` caps each payment, since each is one payout; it does not cap the
///   batch's total;
/// - rolling limits count the batch's total (``SigningIntent/total``), which is also what the
///   signing store records as spent; they are the rule that bounds what a batch moves in all;
/// - approvals are required when any payment is above the threshold.
public enum PolicyEvaluator {
    public static func evaluate(_ policy: SigningPolicy, intent: SigningIntent, walletReferences: Set<String>, context: PolicyContext) -> PolicyDecision {
        let payments = intent.payments
        let destinations = intent.normalizedPayments.map(\.destination)
        /// Which payment of a batch a refusal is about (indices from 0, as in `outputs`); nothing
        /// for a single payment, whose reasons read as before batches.
        func which(_ index: Int, to: Bool) -> String {
            intent.isBatch ? " (output \(index) of \(payments.count)\(to ? ", to \(payments[index].destination)" : ""))" : ""
        }
        var approvalRule: (name: String, required: Int, approvers: Set<String>)?
        for rule in policy.rules where rule.applies(to: walletReferences) {
            switch rule.kind {
            case .denyDestinations(let denied):
                if let index = destinations.firstIndex(where: denied.contains) {
                    return .denied(rule.name, "destination \(payments[index].destination) is on the deny list\(which(index, to: false))")
                }
            case .allowDestinations(let allowed):
                if let index = destinations.firstIndex(where: { !allowed.contains($0) }) {
                    return .denied(rule.name, "destination \(payments[index].destination) is not on the allow list\(which(index, to: false))")
                }
            case .timeWindow(let from, let to, let weekdays):
                let (weekday, hour) = utcWeekdayAndHour(context.now)
                let inHours = from <= to ? (from <= hour && hour < to) : (hour >= from || hour < to)
                if !weekdays.contains(weekday) || !inHours {
                    return .denied(rule.name, "signing is allowed only \(from):00-\(to):00 UTC on days \(weekdays.sorted().map(String.init).joined(separator: ",")) (now: day \(weekday), \(hour):00 UTC)")
                }
            case .maxPerTransaction(let asset, let limit):
                if asset == intent.asset, let index = payments.firstIndex(where: { $0.amount > limit }) {
                    return .denied(rule.name, "amount \(payments[index].amount) \(asset)\(which(index, to: true)) exceeds the per-transaction limit of \(limit)")
                }
            case .rollingLimit(let asset, let window, let limit):
                guard asset == intent.asset else { continue }
                let spent = context.spent(asset, window)
                let amount = intent.total
                let (total, overflow) = spent.addingReportingOverflow(amount)
                if overflow || total > limit {
                    let what = intent.isBatch ? "the batch's total of \(amount) \(asset) (\(payments.count) payments)" : "amount \(amount) \(asset)"
                    return .denied(rule.name, "\(what) would bring the \(window.rawValue) total to \(overflow ? "more than 2^128" : String(total)), above the limit of \(limit) (already \(spent))")
                }
            case .approvals(let asset, let above, let required, let approvers):
                if asset == intent.asset && payments.contains(where: { $0.amount > above }) {
                    let strongest = approvalRule.map { $0.required } ?? 0
                    if required > strongest { approvalRule = (rule.name, required, approvers) }
                }
            }
        }
        if let approvalRule {
            let valid = context.approvers.intersection(approvalRule.approvers).count
            if valid < approvalRule.required {
                return PolicyDecision(outcome: .pendingApproval, rule: approvalRule.name,
                                      reason: "needs \(approvalRule.required) approvals, has \(valid)",
                                      approvalsRequired: approvalRule.required, approvalsReceived: valid)
            }
            return .allowed(approvalRule.name, "approved by \(valid) of \(approvalRule.required) required", required: approvalRule.required, received: valid)
        }
        return .allowed()
    }

    /// ISO weekday (1 = Monday) and hour of a Unix time, UTC, without calendars.
    static func utcWeekdayAndHour(_ time: Int64) -> (weekday: Int, hour: Int) {
        let days = time >= 0 ? time / 86_400 : (time - 86_399) / 86_400
        let secondsOfDay = time - days * 86_400
        // 1970-01-01 was a Thursday (ISO weekday 4).
        let weekday = Int(((days % 7) + 7 + 3) % 7) + 1
        return (weekday, Int(secondsOfDay / 3_600))
    }
}

/// Exposes internal calendar arithmetic to tests.
public enum PolicyEvaluatorProbe {
    public static func weekdayAndHour(_ time: Int64) -> (Int, Int) { PolicyEvaluator.utcWeekdayAndHour(time) }
}
