import CofferBase

/// What happened to a payout (or its batch), as the pipeline reports it.
public enum PayoutEvent: Sendable, Equatable {
    case reserved
    case rejected(String)
    case approvalRequired
    case signed
    case broadcast
    /// Seen in a block with this many confirmations (fewer than the chain asks for).
    case confirmed(UInt64)
    /// Its block was reorganised away: back to waiting in the mempool.
    case unconfirmed
    case settled
    case failed(String)
    case compensated
}

/// The payout state machine as a pure function: which status an event leads to, and which
/// events a status accepts. The store applies a transition only from the status it was computed
/// from (compare-and-set), so two workers can never both apply one.
public enum PayoutMachine {
    /// The statuses each status may move to.
    public static let successors: [PayoutStatus: Set<PayoutStatus>] = [
        .created: [.reserved, .rejected],
        .reserved: [.pendingApproval, .signed, .rejected],
        .pendingApproval: [.pendingApproval, .signed, .rejected],
        .signed: [.broadcast, .confirmed, .failed],
        .broadcast: [.broadcast, .confirmed, .settled, .failed],
        .confirmed: [.confirmed, .broadcast, .settled, .failed],
        .failed: [.compensated],
        .settled: [], .rejected: [], .compensated: [],
    ]

    /// The status `event` leads to from `status`, or an error naming both when the machine does
    /// not allow it (a bug or a stale worker, never applied).
    public static func next(_ status: PayoutStatus, _ event: PayoutEvent) throws(PayoutError) -> PayoutStatus {
        let target: PayoutStatus = switch event {
        case .reserved: .reserved
        case .rejected: .rejected
        case .approvalRequired: .pendingApproval
        case .signed: .signed
        case .broadcast, .unconfirmed: .broadcast
        case .confirmed: .confirmed
        case .settled: .settled
        case .failed: .failed
        case .compensated: .compensated
        }
        guard successors[status, default: []].contains(target) else {
            throw PayoutError(.conflict, "payout-transition-refused", "a \(status.rawValue) payout cannot become \(target.rawValue)")
        }
        return target
    }

    /// Whether anything signed for a payout in `status` could still reach the chain: while it can,
    /// nothing else may be signed for it, and its hold stays.
    public static func mayStillConfirm(_ status: PayoutStatus) -> Bool {
        switch status {
        case .signed, .broadcast, .confirmed: true
        default: false
        }
    }
}
