import CofferBase
import Foundation
import Ledger
import Testing

/// Hand-written cases for each rule of the engine.
struct LedgerEngineTests {
    static let t0: UInt64 = 1_700_000_000_000_000_000

    static func id(_ text: String) -> LedgerID { LedgerID(text)! }

    static func state(_ accounts: [(String, String, AccountFlags, AccountBalances)]) -> LedgerState {
        var state = LedgerState()
        for (name, asset, flags, balances) in accounts {
            state.accounts[id(name)] = Account(id: id(name), asset: asset, flags: flags, balances: balances)
        }
        return state
    }

    static func transfer(
        _ name: String, _ debit: String?, _ credit: String?, _ amount: UInt128, asset: String? = "USDT",
        flags: TransferFlags = [], pending: String? = nil, timeout: UInt32 = 0
    ) -> Transfer {
        Transfer(id: id(name), debitAccountID: debit.map(id), creditAccountID: credit.map(id), amount: amount, asset: asset,
                 flags: flags, pendingID: pending.map(id), timeout: timeout)
    }

    static func basic() -> LedgerState {
        state([
            ("a", "USDT", [], .zero), ("b", "USDT", [], .zero),
            ("limited", "USDT", .debitsMustNotExceedCredits, AccountBalances(creditsPosted: 100)),
            ("btc", "BTC", [], .zero), ("closed", "USDT", .closed, .zero),
        ])
    }

    @Test func simpleTransferMovesPostedBalances() {
        var state = Self.basic()
        let outcome = LedgerEngine.apply([Self.transfer("t1", "a", "b", 1_500_000)], to: &state, now: Self.t0)
        #expect(outcome.results == [.created])
        #expect(state.accounts[Self.id("a")]?.balances == AccountBalances(debitsPosted: 1_500_000))
        #expect(state.accounts[Self.id("b")]?.balances == AccountBalances(creditsPosted: 1_500_000))
        #expect(outcome.created.map(\.timestamp) == [Self.t0])
        #expect(outcome.balanceChanges.count == 2)
    }

    @Test func rejectionsWriteNothing() {
        let cases: [(Transfer, TransferResult)] = [
            (Self.transfer("x", "a", "a", 1), .accountsMustBeDifferent),
            (Self.transfer("x", "a", "b", 0), .amountMustNotBeZero),
            (Self.transfer("x", "nobody", "b", 1), .debitAccountNotFound),
            (Self.transfer("x", "a", "nobody", 1), .creditAccountNotFound),
            (Self.transfer("x", "a", "btc", 1), .accountsMustHaveTheSameAsset),
            (Self.transfer("x", "a", "b", 1, asset: "BTC"), .transferMustHaveTheSameAssetAsAccounts),
            (Self.transfer("x", "closed", "b", 1), .debitAccountClosed),
            (Self.transfer("x", "limited", "b", 101), .exceedsCredits),
            (Self.transfer("x", nil, "b", 1), .debitAccountRequired),
            (Self.transfer("x", "a", nil, 1), .creditAccountRequired),
            (Self.transfer("x", "a", "b", 1, asset: nil), .assetRequired),
            (Self.transfer("x", "a", "b", 1, flags: [.pending, .postPending]), .flagsAreMutuallyExclusive),
            (Self.transfer("x", "a", "b", 1, flags: .postPending), .pendingIDRequired),
            (Self.transfer("x", "a", "b", 1, pending: "p"), .pendingIDMustBeAbsent),
            (Self.transfer("x", "a", "b", 1, flags: .voidPending, pending: "x"), .pendingIDMustBeDifferent),
            (Self.transfer("x", "a", "b", 1, timeout: 5), .timeoutReservedForPendingTransfer),
            (Self.transfer("x", nil, nil, 0, asset: nil, flags: .postPending, pending: "p"), .pendingTransferNotFound),
            (Self.transfer("x", "a", "b", 1, flags: .linked), .linkedEventChainOpen),
        ]
        for (transfer, expected) in cases {
            var state = Self.basic()
            let before = state
            let outcome = LedgerEngine.apply([transfer], to: &state, now: Self.t0)
            #expect(outcome.results == [expected], "\(transfer.id)")
            #expect(outcome.isEmpty)
            #expect(state == before)
        }
    }

    @Test func precedenceReportsTheFirstListedRule() {
        var state = Self.basic()
        // Unknown debit account, zero amount and same account: zero amount is listed first of these.
        #expect(LedgerEngine.apply([Self.transfer("x", "nobody", "nobody", 0)], to: &state, now: Self.t0).results == [.amountMustNotBeZero])
        #expect(TransferResult.allCases.first == .created)
        #expect(Set(TransferResult.allCases.map(\.rawValue)).count == TransferResult.allCases.count)
    }

    @Test func overflowIsRejectedNotTrapped() {
        var state = Self.state([("a", "USDT", [], .zero), ("b", "USDT", [], AccountBalances(creditsPosted: UInt128.max))])
        #expect(LedgerEngine.apply([Self.transfer("x", "a", "b", 1)], to: &state, now: Self.t0).results == [.overflowsCreditsPosted])
        var pendingState = Self.state([("a", "USDT", [], AccountBalances(debitsPosted: UInt128.max)), ("b", "USDT", [], .zero)])
        #expect(LedgerEngine.apply([Self.transfer("x", "a", "b", 1, flags: .pending)], to: &pendingState, now: Self.t0).results == [.overflowsDebits])
        var timeoutState = Self.basic()
        #expect(LedgerEngine.apply([Self.transfer("x", "a", "b", 1, flags: .pending, timeout: UInt32.max)], to: &timeoutState, now: UInt64.max - 10).results
            == [.overflowsTimeout])
    }

    @Test func idempotencyNamesTheFirstDifferingField() {
        var state = Self.basic()
        let original = Self.transfer("t1", "a", "b", 10)
        #expect(LedgerEngine.apply([original], to: &state, now: Self.t0).results == [.created])
        let after = state
        #expect(LedgerEngine.apply([original], to: &state, now: Self.t0 + 5).results == [.exists])
        #expect(state == after)
        var changed = original
        changed.amount = 11
        changed.reference = "other"
        #expect(LedgerEngine.apply([changed], to: &state, now: Self.t0).results == [.existsWithDifferentAmount])
        changed.amount = 10
        #expect(LedgerEngine.apply([changed], to: &state, now: Self.t0).results == [.existsWithDifferentReference])
        changed.reference = ""
        changed.creditAccountID = Self.id("limited")
        #expect(LedgerEngine.apply([changed], to: &state, now: Self.t0).results == [.existsWithDifferentCreditAccountID])
        #expect(state == after)
    }

    @Test func pendingPostPartiallyThenNeverAgain() {
        var state = Self.basic()
        #expect(LedgerEngine.apply([Self.transfer("p", "a", "b", 100, flags: .pending)], to: &state, now: Self.t0).results == [.created])
        #expect(state.accounts[Self.id("a")]?.balances == AccountBalances(debitsPending: 100))
        let post = Self.transfer("post", nil, nil, 60, asset: nil, flags: .postPending, pending: "p")
        let tooMuch = Self.transfer("big", nil, nil, 101, asset: nil, flags: .postPending, pending: "p")
        #expect(LedgerEngine.apply([tooMuch, post], to: &state, now: Self.t0 + 1).results == [.exceedsPendingTransferAmount, .created])
        #expect(state.accounts[Self.id("a")]?.balances == AccountBalances(debitsPosted: 60))
        #expect(state.accounts[Self.id("b")]?.balances == AccountBalances(creditsPosted: 60))
        let again = Self.transfer("post2", nil, nil, 0, asset: nil, flags: .postPending, pending: "p")
        let void = Self.transfer("void", nil, nil, 0, asset: nil, flags: .voidPending, pending: "p")
        #expect(LedgerEngine.apply([again, void], to: &state, now: Self.t0 + 2).results == [.pendingTransferAlreadyPosted, .pendingTransferAlreadyPosted])
        #expect(state.pendingOutcomes[Self.id("p")]?.kind == .posted)
    }

    @Test func voidReleasesAndFullPostTakesThePendingAmount() {
        var state = Self.basic()
        _ = LedgerEngine.apply([Self.transfer("p1", "a", "b", 40, flags: .pending), Self.transfer("p2", "a", "b", 7, flags: .pending)], to: &state, now: Self.t0)
        let results = LedgerEngine.apply([
            Self.transfer("v", nil, nil, 0, asset: nil, flags: .voidPending, pending: "p1"),
            Self.transfer("f", "a", "b", 0, flags: .postPending, pending: "p2"),
            Self.transfer("w", "b", nil, 0, asset: nil, flags: .postPending, pending: "p2"),
        ], to: &state, now: Self.t0 + 1).results
        #expect(results == [.created, .created, .pendingTransferHasDifferentDebitAccountID])
        #expect(state.accounts[Self.id("a")]?.balances == AccountBalances(debitsPosted: 7))
        #expect(state.transfers[Self.id("f")]?.amount == 7)
    }

    @Test func pendingExpiresOnceWithTheInjectedClock() {
        var state = Self.basic()
        _ = LedgerEngine.apply([Self.transfer("p", "a", "b", 40, flags: .pending, timeout: 30)], to: &state, now: Self.t0)
        // Not yet: 29 seconds later it can still be posted; here it is not, so it stays pending.
        var early = state
        #expect(LedgerEngine.apply([], to: &early, now: Self.t0 + 29_000_000_000).pendingOutcomes.isEmpty)
        let later = LedgerEngine.apply([Self.transfer("post", nil, nil, 0, asset: nil, flags: .postPending, pending: "p")], to: &state, now: Self.t0 + 30_000_000_000)
        #expect(later.results == [.pendingTransferExpired])
        #expect(later.pendingOutcomes.map(\.kind) == [.expired])
        #expect(state.accounts[Self.id("a")]?.balances == .zero)
        let again = LedgerEngine.apply([], to: &state, now: Self.t0 + 90_000_000_000)
        #expect(again.pendingOutcomes.isEmpty)
    }

    /// An expiry is timestamped at the timeout, not at the batch that notices it, and the
    /// batch's transfers keep the batch's clock.
    @Test func expiryTakesTheMomentOfTheTimeout() {
        var state = Self.basic()
        _ = LedgerEngine.apply([
            Self.transfer("p1", "a", "b", 40, flags: .pending, timeout: 30), Self.transfer("p2", "a", "b", 2, flags: .pending, timeout: 10),
        ], to: &state, now: Self.t0)
        let p1Expiry = Self.t0 + 30_000_000_000, p2Expiry = Self.t0 + 1 + 10_000_000_000
        let late = Self.t0 + 100_000_000_000
        let outcome = LedgerEngine.apply([Self.transfer("t", "a", "b", 1)], to: &state, now: late)
        #expect(outcome.pendingOutcomes.map(\.pendingID) == [Self.id("p2"), Self.id("p1")])  // oldest expiry first
        #expect(outcome.pendingOutcomes.map(\.timestamp) == [p2Expiry, p1Expiry])
        #expect(outcome.expiryBalances.map(\.timestamp) == [p2Expiry, p2Expiry, p1Expiry, p1Expiry])
        #expect(outcome.created.map(\.timestamp) == [late])
        #expect(state.lastTimestamp == late)
        #expect(state.accounts[Self.id("a")]?.balances == AccountBalances(debitsPosted: 1))
    }

    /// Expiries never go back before the ledger's last event: one due earlier takes the next
    /// nanosecond, and so do expiries due at the same moment; transfers follow the last of them.
    @Test func expiryTimestampsStayUniqueAndIncreasing() {
        var state = Self.basic()
        _ = LedgerEngine.apply([
            Self.transfer("p1", "a", "b", 1, flags: .pending, timeout: 5), Self.transfer("p2", "a", "b", 1, flags: .pending, timeout: 5),
        ], to: &state, now: Self.t0)
        // The ledger's last event came after both timeouts (as when a pending transfer falls due
        // during a large batch, whose transfers run past the batch's clock): expiries follow it.
        state.lastTimestamp = Self.t0 + 20_000_000_000
        let outcome = LedgerEngine.apply([Self.transfer("t", "a", "b", 1)], to: &state, now: Self.t0 + 6_000_000_000)
        #expect(outcome.pendingOutcomes.map(\.timestamp) == [Self.t0 + 20_000_000_001, Self.t0 + 20_000_000_002])
        #expect(outcome.created.map(\.timestamp) == [Self.t0 + 20_000_000_003])

        // Two expiries at the same timeout: the timeout, then the nanosecond after; a transfer of a
        // batch whose clock is that very timeout comes after both.
        var same = Self.basic()
        _ = LedgerEngine.apply([Self.transfer("q1", "a", "b", 1, flags: .pending, timeout: 5)], to: &same, now: Self.t0)
        _ = LedgerEngine.apply([Self.transfer("q2", "a", "b", 1, flags: .pending, timeout: 5)], to: &same, now: Self.t0)  // t0 + 1
        let due = Self.t0 + 1 + 5_000_000_000
        let atDue = LedgerEngine.apply([Self.transfer("u", "a", "b", 1)], to: &same, now: due)
        #expect(atDue.pendingOutcomes.map(\.timestamp) == [due - 1, due])
        #expect(atDue.created.map(\.timestamp) == [due + 1])
    }

    /// An empty batch is the pulse: it only expires, and writes nothing when nothing is due.
    @Test func emptyBatchOnlyExpires() {
        var state = Self.basic()
        _ = LedgerEngine.apply([Self.transfer("p", "a", "b", 3, flags: .pending, timeout: 1)], to: &state, now: Self.t0)
        var early = state
        #expect(LedgerEngine.apply([], to: &early, now: Self.t0 + 999_999_999).isEmpty)
        #expect(early == state)
        let pulse = LedgerEngine.apply([], to: &state, now: Self.t0 + 1_500_000_000)
        #expect(pulse.results.isEmpty && pulse.created.isEmpty)
        #expect(pulse.pendingOutcomes == [PendingOutcome(pendingID: Self.id("p"), kind: .expired, transferID: nil, timestamp: Self.t0 + 1_000_000_000)])
        #expect(state.lastTimestamp == Self.t0 + 1_000_000_000)
    }

    @Test func linkedChainFailsTogetherAndNamesTheBreaker() {
        var state = Self.basic()
        let before = state
        let outcome = LedgerEngine.apply([
            Self.transfer("c1", "a", "b", 5, flags: .linked),
            Self.transfer("c2", "limited", "b", 500, flags: .linked),
            Self.transfer("c3", "a", "b", 5),
            Self.transfer("solo", "a", "b", 1),
        ], to: &state, now: Self.t0)
        #expect(outcome.results == [.linkedEventFailed, .exceedsCredits, .linkedEventFailed, .created])
        #expect(outcome.created.map(\.id.value) == ["solo"])
        #expect(state.accounts[Self.id("a")]?.balances == AccountBalances(debitsPosted: 1))
        #expect(state.transfers[Self.id("c1")] == nil)
        _ = before
    }

    @Test func linkedChainCommitsWhole() {
        var state = Self.basic()
        let outcome = LedgerEngine.apply([
            Self.transfer("c1", "a", "b", 5, flags: .linked), Self.transfer("c2", "b", "a", 3),
        ], to: &state, now: Self.t0)
        #expect(outcome.results == [.created, .created])
        #expect(state.accounts[Self.id("a")]?.balances == AccountBalances(debitsPosted: 5, creditsPosted: 3))
    }

    @Test func balancingTransferIsClampedToTheLimit() {
        var state = Self.basic()
        let outcome = LedgerEngine.apply([
            Self.transfer("sweep", "limited", "b", 1_000, flags: .balancingDebit),
            Self.transfer("again", "limited", "b", 1_000, flags: .balancingDebit),
        ], to: &state, now: Self.t0)
        #expect(outcome.results == [.created, .exceedsCredits])
        #expect(state.transfers[Self.id("sweep")]?.amount == 100)
        #expect(state.transfers[Self.id("sweep")]?.request.amount == 1_000)
    }

    @Test func aReversalReferenceIsClaimedOnce() {
        var state = Self.basic()
        let reference = TransferReversal.reference(reversing: Self.id("t1"))
        func reversal(_ id: String) -> Transfer {
            Transfer(id: Self.id(id), debitAccountID: Self.id("b"), creditAccountID: Self.id("a"), amount: 5, asset: "USDT", reference: reference)
        }
        // In one batch: the first claims it, the second is refused, a resubmission is `exists`.
        var outcome = LedgerEngine.apply([reversal("r1"), reversal("r2"), reversal("r1")], to: &state, now: Self.t0)
        #expect(outcome.results == [.created, .alreadyReversed, .exists])
        // In a later batch too, and the refusal writes nothing.
        outcome = LedgerEngine.apply([reversal("r3")], to: &state, now: Self.t0 + 1)
        #expect(outcome.results == [.alreadyReversed])
        #expect(outcome.created.isEmpty && state.transfers[Self.id("r3")] == nil)
        // Only `reversal:<id>` naming an id in the transfer's own namespace is a claim.
        func claim(_ id: String, _ reference: String) -> String? {
            TransferReversal.claimedReference(of: Transfer(id: Self.id(id), debitAccountID: nil, creditAccountID: nil, amount: 0, asset: nil, reference: reference))
        }
        #expect(claim("x", "reversal:") == nil)
        #expect(claim("x", "order-7") == nil)
        #expect(claim("x", "reversal:t1/y") == nil)
        #expect(claim("t1/x", "reversal:t2/y") == nil)
        #expect(claim("t1/x", "reversal:y") == nil)
        #expect(claim("t1/x", "reversal:t1/y") == "reversal:t1/y")
        #expect(claim("x", reference) == reference)
    }

    @Test func aFailedLinkedChainReleasesItsReversalClaim() {
        var state = Self.basic()
        let reference = TransferReversal.reference(reversing: Self.id("t9"))
        let claim = Transfer(id: Self.id("r1"), debitAccountID: Self.id("b"), creditAccountID: Self.id("a"), amount: 1, asset: "USDT",
                             flags: .linked, reference: reference)
        let failing = Transfer(id: Self.id("bad"), debitAccountID: Self.id("a"), creditAccountID: Self.id("nobody"), amount: 1, asset: "USDT")
        let retry = Transfer(id: Self.id("r2"), debitAccountID: Self.id("b"), creditAccountID: Self.id("a"), amount: 1, asset: "USDT", reference: reference)
        let outcome = LedgerEngine.apply([claim, failing, retry], to: &state, now: Self.t0)
        #expect(outcome.results == [.linkedEventFailed, .creditAccountNotFound, .created])
        #expect(state.reversals[reference] == Self.id("r2"))
    }

    @Test func amountsParseExactly() throws {
        #expect(try AmountText.parse("1500000") == 1_500_000)
        #expect(try AmountText.parse("340282366920938463463374607431768211455") == UInt128.max)
        for bad in ["", "-1", "1.5", "1e6", "01", " 1", "340282366920938463463374607431768211456", "abc"] {
            #expect(throws: AmountError.self) { try AmountText.parse(bad) }
            // Through the ledger, a malformed amount is the ledger's input error.
            #expect(throws: LedgerError.self) { try LedgerError.checking { () throws(AmountError) in try AmountText.parse(bad) } }
        }
        #expect(AmountText.display(1_500_000, decimals: 6) == "1.500000")
        #expect(AmountText.display(5, decimals: 3) == "0.005")
        #expect(AmountText.display(5, decimals: 0) == "5")
    }

    @Test func idsAreValidated() {
        #expect(LedgerID("acct-b:1_x.y") != nil)
        #expect(LedgerID("") == nil)
        #expect(LedgerID(String(repeating: "a", count: 65)) == nil)
        #expect(LedgerID("a b") == nil)
        #expect(LedgerID("é") == nil)
    }
}

struct LedgerTimeTests {
    @Test func rfc3339RoundTripsExactly() throws {
        #expect(try LedgerTime.parseRFC3339("1970-01-01T00:00:00Z") == 0)
        #expect(try LedgerTime.parseRFC3339("2023-11-14T22:13:20Z") == 1_700_000_000_000_000_000)
        #expect(try LedgerTime.parseRFC3339("2023-11-14T23:13:20.000000001+01:00") == 1_700_000_000_000_000_001)
        #expect(LedgerTime.formatRFC3339(1_700_000_000_000_000_001) == "2023-11-14T22:13:20.000000001Z")
        #expect(try LedgerTime.parseRFC3339("2024-02-29T12:00:00Z") == LedgerTime.parseRFC3339(LedgerTime.formatRFC3339(try LedgerTime.parseRFC3339("2024-02-29T12:00:00Z"))))
        for bad in ["", "2023-11-14", "2023-02-30T00:00:00Z", "2023-11-14T25:00:00Z", "1969-12-31T23:59:59Z", "2023-11-14T22:13:20", "2023-11-14T22:13:20.Z", "9999-12-31T23:59:59Z", "2023-11-14T22:13:20.1234567890Z"] {
            #expect(throws: LedgerError.self) { try LedgerTime.parseRFC3339(bad) }
        }
    }
}

struct LedgerDocumentationTests {
    /// docs/ledger.md lists the result codes in exactly the engine's precedence order.
    @Test func resultCodeTableMatchesTheEngine() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/ledger.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let documented = text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| "), let start = line.firstIndex(of: "`"), let end = line[line.index(after: start)...].firstIndex(of: "`") else { return nil }
            return String(line[line.index(after: start)..<end])
        }
        #expect(documented == TransferResult.allCases.map(\.rawValue))
    }
}
