import Payouts
import Testing

/// The tracker's decisions, one situation each, and the state machine's refusals.
struct BatchTrackingTests {
    static let policy = TrackingPolicy(confirmations: 3, replaceAfter: 600, maximumAttempts: 3)

    static func batch(attempt: Int = 1, conflictHeight: UInt64? = nil, status: PayoutStatus = .broadcast) -> PayoutBatch {
        PayoutBatch(id: "pb-1", chain: "ltc", status: status, attempt: attempt, conflictHeight: conflictHeight, reason: nil, createdAt: 0, updatedAt: 0)
    }

    static func attempt(_ number: Int, sentAt: Int64? = 1_000) -> PayoutAttempt {
        PayoutAttempt(batchID: "pb-1", number: number, unsigned: "", signingRequest: "payout-pb-1-\(number)", raw: [1], transactionID: "t\(number)",
                      fee: 1_000, size: 200, broadcastAt: sentAt, change: nil)
    }

    static func decide(_ states: [Int: AttemptState], spent: Bool = false, tip: UInt64 = 100, now: Int64 = 1_100, batch: PayoutBatch = batch(),
                       latest: PayoutAttempt = attempt(1)) -> TrackingAction {
        BatchTracking.decide(batch, latest: latest, observation: BatchObservation(attempts: states, inputSpent: spent, tip: tip, now: now), policy: policy)
    }

    @Test func deepEnoughSettlesOnTheMinedAttempt() {
        #expect(Self.decide([1: .mined(confirmations: 3, height: 98)]) == .settle(attempt: 1, confirmations: 3, height: 98))
        // A replacement was signed but the first transaction was mined: settle on the first.
        #expect(Self.decide([1: .mined(confirmations: 5, height: 96), 2: .unknown], batch: Self.batch(attempt: 2), latest: Self.attempt(2))
                == .settle(attempt: 1, confirmations: 5, height: 96))
        #expect(Self.decide([1: .mined(confirmations: 1, height: 100)]) == .confirming(attempt: 1, confirmations: 1, height: 100))
    }

    @Test func goneWithoutAConflictIsSentAgain() {
        #expect(Self.decide([1: .unknown]) == .rebroadcast(attempt: 1))
        // Reorganised out of a block back to nowhere: the same bytes again.
        #expect(Self.decide([1: .unknown], batch: Self.batch(status: .confirmed)) == .rebroadcast(attempt: 1))
    }

    @Test func aConflictMustBeAsDeepAsTheConfirmationsBeforeFailing() {
        #expect(Self.decide([1: .unknown], spent: true, tip: 100) == .conflictSeen(height: 100))
        #expect(Self.decide([1: .unknown], spent: true, tip: 101, batch: Self.batch(conflictHeight: 100)) == .wait)
        guard case .fail = Self.decide([1: .unknown], spent: true, tip: 102, batch: Self.batch(conflictHeight: 100)) else {
            Issue.record("a conflict 3 blocks deep with 3 confirmations must fail the batch")
            return
        }
    }

    @Test func stuckInTheMempoolIsReplacedWithinTheAttemptLimit() {
        #expect(Self.decide([1: .mempool], now: 1_599) == .wait)
        #expect(Self.decide([1: .mempool], now: 1_600) == .replace)
        #expect(Self.decide([1: .mempool, 2: .mempool, 3: .mempool], now: 9_999, batch: Self.batch(attempt: 3), latest: Self.attempt(3)) == .wait)
        // The replacement never reached the mempool while the first waits there: offer it again.
        #expect(Self.decide([1: .mempool, 2: .unknown], batch: Self.batch(attempt: 2), latest: Self.attempt(2)) == .rebroadcast(attempt: 2))
    }

    @Test func theMachineRefusesSkippingAndGoingBack() throws {
        #expect(try PayoutMachine.next(.created, .reserved) == .reserved)
        #expect(try PayoutMachine.next(.reserved, .approvalRequired) == .pendingApproval)
        #expect(try PayoutMachine.next(.confirmed, .settled) == .settled)
        #expect(try PayoutMachine.next(.failed, .compensated) == .compensated)
        #expect(throws: PayoutError.self) { try PayoutMachine.next(.reserved, .settled) }
        #expect(throws: PayoutError.self) { try PayoutMachine.next(.settled, .compensated) }
        #expect(throws: PayoutError.self) { try PayoutMachine.next(.broadcast, .rejected("late")) }
        #expect(throws: PayoutError.self) { try PayoutMachine.next(.signed, .compensated) }
        // Nothing signed can be rejected or compensated without first failing.
        for status in PayoutStatus.allCases where PayoutMachine.mayStillConfirm(status) {
            #expect(!PayoutMachine.successors[status, default: []].contains(.compensated))
            #expect(!PayoutMachine.successors[status, default: []].contains(.rejected))
        }
    }
}
