import CofferBase
import CofferTestSupport
import Foundation
import PropertyBased
import Testing
import Vault

struct PolicyEvaluatorTests {
    static let alice = "0x1111111111111111111111111111111111111111"
    static let mallory = "0x6666666666666666666666666666666666666666"
    /// Tuesday 2026-11-24 12:00 UTC.
    static let tuesdayNoon: Int64 = 1_795_521_600

    static func intent(_ amount: UInt128, to destination: String = alice, asset: String = "ETH") -> SigningIntent {
        SigningIntent(chain: "ethereum", wallet: "hot", destination: destination, asset: asset, amount: amount, fee: 21_000)
    }

    static let policy = try! SigningPolicy(json: Array("""
        {"rules":[
          {"type":"deny_destinations","name":"sanctions","destinations":["\(mallory)"]},
          {"type":"allow_destinations","name":"whitelist","wallets":["hot"],"destinations":["\(alice.uppercased().replacingOccurrences(of: "0X", with: "0x"))","0x2222222222222222222222222222222222222222"]},
          {"type":"time_window","name":"office-hours","from_hour":8,"to_hour":18,"weekdays":[1,2,3,4,5]},
          {"type":"max_per_transaction","name":"cap","asset":"ETH","amount":"10000"},
          {"type":"rolling_limit","name":"daily","asset":"ETH","window":"24h","amount":"25000"},
          {"type":"approvals","name":"big","asset":"ETH","above":"5000","required":2,"approvers":["a","b","c"]}
        ]}
        """.utf8))

    static func decide(_ intent: SigningIntent, now: Int64 = tuesdayNoon, spent: UInt128 = 0, approvers: Set<String> = [], wallet: String = "hot") -> PolicyDecision {
        PolicyEvaluator.evaluate(policy, intent: intent, walletReferences: [wallet],
                                 context: PolicyContext(now: now, spent: { _, _ in spent }, approvers: approvers))
    }

    @Test func eachRuleDecidesAndIsNamed() {
        #expect(Self.decide(Self.intent(100)).outcome == .allowed)
        #expect(Self.decide(Self.intent(100, to: Self.mallory)).rule == "sanctions")
        #expect(Self.decide(Self.intent(100, to: "0x3333333333333333333333333333333333333333")).rule == "whitelist")
        // The allow list is scoped to the "hot" wallet; another wallet may pay anyone not denied.
        #expect(Self.decide(Self.intent(100, to: "0x3333333333333333333333333333333333333333"), wallet: "cold").outcome == .allowed)
        #expect(Self.decide(Self.intent(100), now: Self.tuesdayNoon + 7 * 3_600).rule == "office-hours")
        #expect(Self.decide(Self.intent(100), now: Self.tuesdayNoon + 4 * 86_400).rule == "office-hours")  // Saturday
        #expect(Self.decide(Self.intent(10_001)).rule == "cap")
        #expect(Self.decide(Self.intent(4_000), spent: 21_001).rule == "daily")
        #expect(Self.decide(Self.intent(4_000), spent: 21_000).outcome == .allowed)
        #expect(Self.decide(Self.intent(4_000, asset: "USDT"), spent: UInt128.max).outcome == .allowed)
    }

    @Test func approvalsCountOnlyListedApprovers() {
        let pending = Self.decide(Self.intent(6_000))
        #expect(pending.outcome == .pendingApproval && pending.approvalsRequired == 2 && pending.approvalsReceived == 0)
        #expect(Self.decide(Self.intent(6_000), approvers: ["a", "mallory", "eve"]).outcome == .pendingApproval)
        let approved = Self.decide(Self.intent(6_000), approvers: ["a", "c"])
        #expect(approved.outcome == .allowed && approved.rule == "big")
        // A deny rule wins over any number of approvals.
        #expect(Self.decide(Self.intent(6_000, to: Self.mallory), approvers: ["a", "b", "c"]).outcome == .denied)
    }

    @Test func checksumCaseDoesNotMatter() {
        #expect(Self.decide(Self.intent(1, to: Self.alice.lowercased())).outcome == .allowed)
    }

    /// Against a direct model of the caps: allowed iff amount <= cap and spent + amount <= daily,
    /// and pending iff also above the approval threshold.
    @Test func capsMatchModel() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0...30_000), Gen.uint64(in: 0...30_000)) { amount, spent in
            let decision = Self.decide(Self.intent(UInt128(amount)), spent: UInt128(spent))
            let withinCaps = amount <= 10_000 && spent + amount <= 25_000
            let expected: PolicyDecision.Outcome = !withinCaps ? .denied : amount > 5_000 ? .pendingApproval : .allowed
            #expect(decision.outcome == expected, "amount \(amount) spent \(spent)")
        }
    }

    // MARK: Batches

    static let bob = "0x2222222222222222222222222222222222222222"

    static func batch(_ outputs: [(String, UInt128)], asset: String = "ETH") throws -> SigningIntent {
        try SigningIntent(chain: "ethereum", wallet: "hot", outputs: outputs.map { .init(destination: $0.0, amount: $0.1) }, asset: asset, fee: 21_000)
    }

    /// Lists apply to every destination; the per-transaction cap and the approval threshold to
    /// each payment; the rolling limit to the total.
    @Test func batchesAreJudgedPaymentByPayment() throws {
        #expect(Self.decide(try Self.batch([(Self.alice, 100), (Self.bob, 200)])).outcome == .allowed)
        let sanctioned = Self.decide(try Self.batch([(Self.alice, 100), (Self.mallory.uppercased().replacingOccurrences(of: "0X", with: "0x"), 1)]))
        #expect(sanctioned.rule == "sanctions" && sanctioned.reason.contains("(output 1 of 2)"), "\(sanctioned.reason)")
        let unlisted = Self.decide(try Self.batch([(Self.alice, 1), (Self.bob, 1), ("0x3333333333333333333333333333333333333333", 1)]))
        #expect(unlisted.rule == "whitelist" && unlisted.reason.contains("0x3333333333333333333333333333333333333333 is not on the allow list (output 2 of 3)"))
        // Each payment is one payout: two of 4,000 are within the 10,000 cap and below the
        // approval threshold (5,000), whatever their total.
        #expect(Self.decide(try Self.batch([(Self.alice, 4_000), (Self.bob, 4_000), (Self.alice, 4_000)])).outcome == .allowed)
        let capped = Self.decide(try Self.batch([(Self.alice, 1), (Self.bob, 10_001)]))
        #expect(capped.rule == "cap" && capped.reason == "amount 10001 ETH (output 1 of 2, to \(Self.bob)) exceeds the per-transaction limit of 10000", "\(capped.reason)")
        // The rolling limit counts the batch's total: 17,001 + 8,000 > 25,000.
        let daily = Self.decide(try Self.batch([(Self.alice, 4_000), (Self.bob, 4_000)]), spent: 17_001)
        #expect(daily.rule == "daily" && daily.reason.contains("the batch's total of 8000 ETH (2 payments)"), "\(daily.reason)")
        #expect(Self.decide(try Self.batch([(Self.alice, 4_000), (Self.bob, 4_000)]), spent: 17_000).outcome == .allowed)
        // One payment above the threshold needs the approvals.
        let pending = Self.decide(try Self.batch([(Self.alice, 1), (Self.bob, 5_001)]))
        #expect(pending.outcome == .pendingApproval && pending.rule == "big" && pending.approvalsRequired == 2)
        #expect(Self.decide(try Self.batch([(Self.alice, 1), (Self.bob, 5_001)]), approvers: ["a", "b"]).outcome == .allowed)
        // Rules about another asset do not apply.
        #expect(Self.decide(try Self.batch([(Self.alice, 50_000)], asset: "USDT"), spent: UInt128.max).outcome == .allowed)
    }

    /// A single payment and a batch of that one payment are decided alike.
    @Test func aBatchOfOneIsDecidedAsItsPayment() async throws {
        await propertyCheck(count: 200, input: Gen.uint64(in: 0...30_000), Gen.uint64(in: 0...30_000)) { amount, spent in
            let single = Self.decide(Self.intent(UInt128(amount)), spent: UInt128(spent))
            let batch = Self.decide(try Self.batch([(Self.alice, UInt128(amount))]), spent: UInt128(spent))
            #expect(single.outcome == batch.outcome && single.rule == batch.rule, "amount \(amount) spent \(spent)")
        }
    }

    /// Against a direct model: denied iff some payment is above the cap or spent + total is above
    /// the daily limit; pending iff also some payment is above the approval threshold.
    @Test func batchCapsMatchModel() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let amounts = (0..<Int.random(in: 1...5, using: &random)).map { _ in UInt64.random(in: 0...11_000, using: &random) }
            let spent = UInt64.random(in: 0...25_000, using: &random)
            let decision = Self.decide(try Self.batch(amounts.map { (Self.alice, UInt128($0)) }), spent: UInt128(spent))
            let withinCaps = amounts.allSatisfy { $0 <= 10_000 } && spent + amounts.reduce(0, +) <= 25_000
            let expected: PolicyDecision.Outcome = !withinCaps ? .denied : amounts.contains { $0 > 5_000 } ? .pendingApproval : .allowed
            #expect(decision.outcome == expected, "amounts \(amounts) spent \(spent)")
        }
    }

    @Test func weekdayArithmetic() {
        // 1970-01-01 00:00 was a Thursday.
        #expect(PolicyEvaluatorProbe.weekdayAndHour(0) == (4, 0))
        #expect(PolicyEvaluatorProbe.weekdayAndHour(Self.tuesdayNoon) == (2, 12))
        #expect(PolicyEvaluatorProbe.weekdayAndHour(-1) == (3, 23))
    }

    @Test(arguments: [
        (#"{"rules":[{"type":"teleport"}]}"#, "unknown type"),
        (#"{"rules":[{"type":"max_per_transaction","asset":"ETH","amount":"1.5"}]}"#, "whole number"),
        (#"{"rules":[{"type":"max_per_transaction","asset":"ETH","amount":"-1"}]}"#, "whole number"),
        (#"{"rules":[{"type":"max_per_transaction","asset":"ETH","amount":"340282366920938463463374607431768211456"}]}"#, "exceeds"),
        (#"{"rules":[{"type":"max_per_transaction","asset":"ETH","amount":"100","colour":"red"}]}"#, "unknown field \"colour\""),
        (#"{"rules":[{"type":"rolling_limit","asset":"ETH","amount":"1","window":"1h"}]}"#, "24h, 7d or 30d"),
        (#"{"rules":[{"type":"approvals","asset":"ETH","above":"1","required":3,"approvers":["a","b"]}]}"#, "only 2 approvers"),
        (#"{"rules":[{"type":"time_window","from_hour":25,"to_hour":3}]}"#, "from_hour"),
        (#"{"rules":[{"type":"time_window","from_hour":true,"to_hour":3}]}"#, "from_hour"),
        (#"{"rules":"all"}"#, "array"),
        (#"[1,2]"#, "object"),
        (#"{"rules":[{"type":"cap"}"#, "not valid JSON"),
        (#"{"rules":[{"type":"deny_destinations","name":"x"},{"type":"deny_destinations","name":"x"}]}"#, "used twice"),
    ])
    func malformedPoliciesAreRejected(json: String, reason: String) {
        #expect {
            try SigningPolicy(json: Array(json.utf8))
        } throws: { error in
            (error as? PolicyError)?.description.contains(reason) == true
        }
    }
}
