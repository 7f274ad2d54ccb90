import CofferTestSupport
import Foundation
import Ledger
import PropertyBased
import Testing

/// Random operation sequences applied to `LedgerEngine` and to `ReferenceLedger`: after every
/// step the results, balances and invariants agree. Each case is driven by one seed that the
/// failure message prints (with the step); `replayOneSeed` replays it.
struct LedgerPropertyTests {
    @Test func engineAgreesWithTheReferenceModel() async {
        await propertyCheck(count: 300, input: Gen.uint64(), Gen.int(in: 1...40)) { seed, steps throws in
            var scenario = LedgerScenario(seed: seed)
            try scenario.run(steps: steps)
        }
    }

    /// Replays one failing case: `LEDGER_SCENARIO_SEED=<seed> LEDGER_SCENARIO_STEPS=<steps> swift test --filter replay`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LEDGER_SCENARIO_SEED"] != nil))
    func replayOneSeed() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = try #require(environment["LEDGER_SCENARIO_SEED"].flatMap { UInt64($0) })
        var scenario = LedgerScenario(seed: seed, accountPool: environment["LEDGER_SCENARIO_ACCOUNTS"].flatMap { Int($0) } ?? 8)
        try scenario.run(steps: environment["LEDGER_SCENARIO_STEPS"].flatMap { Int($0) } ?? 40)
    }

    @Test func generatorReachesTheInterestingPaths() throws {
        var seen: Set<TransferResult> = []
        var expiries = 0
        for seed in UInt64(0)..<200 {
            var scenario = LedgerScenario(seed: seed, accountPool: 4)
            try scenario.run(steps: 120)
            seen.formUnion(scenario.seen)
            expiries += scenario.expiries
        }
        let wanted: [TransferResult] = [
            .created, .exists, .linkedEventFailed, .linkedEventChainOpen, .exceedsCredits, .exceedsDebits, .existsWithDifferentAmount,
            .pendingTransferAlreadyPosted, .pendingTransferAlreadyVoided, .pendingTransferExpired, .exceedsPendingTransferAmount,
            .overflowsCreditsPosted, .accountsMustHaveTheSameAsset, .debitAccountNotFound, .flagsAreMutuallyExclusive,
        ]
        for result in wanted { #expect(seen.contains(result), "never produced \(result)") }
        #expect(expiries > 0)
    }

    @Test func longScenariosWithFewAccounts() async {
        await propertyCheck(count: 40, input: Gen.uint64(), Gen.int(in: 100...300)) { seed, steps throws in
            var scenario = LedgerScenario(seed: seed, accountPool: 4)
            try scenario.run(steps: steps)
        }
    }
}


struct ScenarioFailure: Error, CustomStringConvertible {
    let description: String
}

struct LedgerScenario {
    let seed: UInt64
    var random: SplitMix64
    var engine = LedgerState()
    var reference = ReferenceLedger()
    var now: UInt64 = 1_700_000_000_000_000_000
    let accountPool: Int
    var transferCounter = 0
    var history: [Transfer] = []
    /// Which results the run produced, to prove the generator reaches the interesting paths.
    var seen: Set<TransferResult> = []
    var expiries = 0

    init(seed: UInt64, accountPool: Int = 8) {
        self.seed = seed
        random = SplitMix64(state: seed)
        self.accountPool = accountPool
    }

    static let assets = ["USDT", "BTC"]

    mutating func run(steps: Int) throws {
        for step in 0..<steps {
            switch Int.random(in: 0..<10, using: &random) {
            case 0: createAccount()
            case 1: now += UInt64.random(in: 0...40, using: &random) * 1_000_000_000  // time passes: pending transfers expire
            default:
                let batch = makeBatch()
                let outcome = LedgerEngine.apply(batch, to: &engine, now: now)
                let expected = reference.apply(batch, now: now)
                guard outcome.results == expected else {
                    throw ScenarioFailure(description: "seed \(seed) step \(step): engine \(outcome.results.map(\.rawValue)) but model \(expected.map(\.rawValue)) for \(batch.map(describe))")
                }
                history += batch
                seen.formUnion(outcome.results)
                if !outcome.pendingOutcomes.isEmpty { seen.insert(.created) }
                expiries += outcome.pendingOutcomes.filter { $0.kind == .expired }.count
            }
            now += UInt64.random(in: 0...3, using: &random)
            try checkAgreement(step: step)
        }
    }

    mutating func createAccount() {
        let id = LedgerID("acct-\(engine.accounts.count)")!
        guard engine.accounts.count < accountPool else { return }
        let flagChoices: [AccountFlags] = [[], [], .debitsMustNotExceedCredits, .creditsMustNotExceedDebits, .closed]
        let account = Account(
            id: id, asset: Self.assets[Int.random(in: 0..<2, using: &random) == 0 ? 0 : (engine.accounts.count % 3 == 2 ? 1 : 0)],
            flags: flagChoices.randomElement(using: &random)!)
        engine.accounts[id] = account
        reference.accounts.append(account)
    }

    mutating func accountID() -> LedgerID? {
        let count = max(engine.accounts.count, 1)
        let pick = Int.random(in: 0...count, using: &random)  // one past the end: an unknown account
        return Int.random(in: 0..<25, using: &random) == 0 ? nil : LedgerID("acct-\(pick)")!
    }

    mutating func amount() -> UInt128 {
        switch Int.random(in: 0..<12, using: &random) {
        case 0: 0
        case 1: UInt128.max
        case 2: UInt128.max / 2 + UInt128(UInt64.random(in: 0...5, using: &random))
        case 3, 4, 5, 6: UInt128(UInt64.random(in: 1...4, using: &random))  // small: limits are hit exactly
        default: UInt128(UInt64.random(in: 1...1_000, using: &random))
        }
    }

    mutating func newID() -> LedgerID {
        transferCounter += 1
        return LedgerID("t\(transferCounter)")!
    }

    mutating func makeTransfer() -> Transfer {
        let pendings = history.filter { $0.flags.contains(.pending) }
        switch Int.random(in: 0..<14, using: &random) {
        case 0 where !history.isEmpty:  // identical resubmission
            return history.randomElement(using: &random)!
        case 1 where !history.isEmpty:  // resubmission with one field changed
            var old = history.randomElement(using: &random)!
            switch Int.random(in: 0..<5, using: &random) {
            case 0: old.amount &+= 1
            case 1: old.reference += "x"
            case 2: old.code &+= 1
            case 3: old.creditAccountID = accountID()
            default: old.metadata = "changed"
            }
            return old
        case 2 where !pendings.isEmpty, 3 where !pendings.isEmpty, 4 where !pendings.isEmpty:  // post or void
            let pending = pendings.randomElement(using: &random)!
            let post = Bool.random(using: &random)
            var amount: UInt128 = 0
            switch Int.random(in: 0..<4, using: &random) {
            case 0: amount = pending.amount
            case 1: amount = pending.amount / 2
            case 2: amount = pending.amount &+ 1
            default: amount = 0
            }
            let keepAccounts = Int.random(in: 0..<4, using: &random) != 0
            return Transfer(
                id: newID(), debitAccountID: keepAccounts ? nil : accountID(), creditAccountID: keepAccounts ? nil : pending.creditAccountID,
                amount: amount, asset: Bool.random(using: &random) ? nil : pending.asset,
                flags: post ? .postPending : .voidPending, pendingID: Int.random(in: 0..<20, using: &random) == 0 ? nil : pending.id)
        default:
            var flags: TransferFlags = []
            var timeout: UInt32 = 0
            switch Int.random(in: 0..<10, using: &random) {
            case 0, 1, 2:
                flags.insert(.pending)
                timeout = [0, 1, 5, 30, UInt32.max][Int.random(in: 0..<5, using: &random)]
            case 3: flags.insert(.balancingDebit)
            case 4: flags.insert(.balancingCredit)
            case 5: flags.formUnion([.pending, .voidPending])  // mutually exclusive
            default: break
            }
            if Int.random(in: 0..<30, using: &random) == 0 { timeout = 7 }  // timeout without pending
            let debit = accountID()
            let credit = Int.random(in: 0..<15, using: &random) == 0 ? debit : accountID()
            let asset = Int.random(in: 0..<15, using: &random) == 0 ? Self.assets[1] : (debit.flatMap { engine.accounts[$0]?.asset } ?? Self.assets[0])
            return Transfer(
                id: newID(), debitAccountID: debit, creditAccountID: credit, amount: amount(), asset: asset, flags: flags,
                timeout: timeout, code: 1, reference: "r")
        }
    }

    mutating func makeBatch() -> [Transfer] {
        var batch: [Transfer] = []
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            var transfer = makeTransfer()
            if Int.random(in: 0..<3, using: &random) == 0 { transfer.flags.insert(.linked) }
            batch.append(transfer)
        }
        return batch
    }

    func describe(_ t: Transfer) -> String {
        "\(t.id):\(t.debitAccountID?.value ?? "-")->\(t.creditAccountID?.value ?? "-") \(t.amount) \(t.asset ?? "-") \(t.flags.names) p=\(t.pendingID?.value ?? "-") to=\(t.timeout)"
    }

    func checkAgreement(step: Int) throws {
        func fail(_ what: String) -> ScenarioFailure { ScenarioFailure(description: "seed \(seed) step \(step): \(what)") }
        for account in reference.accounts {
            guard engine.accounts[account.id]?.balances == account.balances else {
                throw fail("account \(account.id): engine \(String(describing: engine.accounts[account.id]?.balances)) but model \(account.balances)")
            }
        }
        guard engine.transfers.count == reference.entries.count else {
            throw fail("engine holds \(engine.transfers.count) transfers, model \(reference.entries.count)")
        }
        for entry in reference.entries {
            guard let committed = engine.transfers[entry.request.id], committed.amount == entry.amount, committed.timestamp == entry.timestamp,
                engine.pendingOutcomes[entry.request.id]?.kind == entry.ended
            else { throw fail("transfer \(entry.request.id) differs") }
            guard engine.pendingOutcomes[entry.request.id]?.timestamp == entry.endedAt else {
                throw fail("pending \(entry.request.id) ended at \(String(describing: engine.pendingOutcomes[entry.request.id]?.timestamp)) but model \(String(describing: entry.endedAt))")
            }
        }
        // Invariants, checked on the engine's state alone.
        var sums: [String: (dp: UInt128, cp: UInt128, dn: UInt128, cn: UInt128)] = [:]
        for account in engine.accounts.values {
            let b = account.balances
            var s = sums[account.asset] ?? (0, 0, 0, 0)
            s = (s.dp &+ b.debitsPosted, s.cp &+ b.creditsPosted, s.dn &+ b.debitsPending, s.cn &+ b.creditsPending)
            sums[account.asset] = s
            if account.flags.contains(.debitsMustNotExceedCredits) {
                guard Wide(b.debitsPosted) + Wide(b.debitsPending) <= Wide(b.creditsPosted) else { throw fail("\(account.id) debits exceed credits") }
            }
            if account.flags.contains(.creditsMustNotExceedDebits) {
                guard Wide(b.creditsPosted) + Wide(b.creditsPending) <= Wide(b.debitsPosted) else { throw fail("\(account.id) credits exceed debits") }
            }
        }
        for (asset, s) in sums where s.dp != s.cp || s.dn != s.cn {
            throw fail("asset \(asset): debits and credits differ (wrapping sums)")
        }
        // Every event has a timestamp of its own, and an expiry never precedes its timeout.
        let expiries = engine.pendingOutcomes.values.filter { $0.kind == .expired }
        let stamps = engine.transfers.values.map(\.timestamp) + expiries.map(\.timestamp)
        guard Set(stamps).count == stamps.count else { throw fail("two events share a timestamp") }
        for expiry in expiries where expiry.timestamp < (engine.transfers[expiry.pendingID]?.expiresAt ?? UInt64.max) {
            throw fail("pending \(expiry.pendingID) expired at \(expiry.timestamp), before its timeout")
        }
        var resolvers: [LedgerID: Int] = [:]
        for transfer in engine.transfers.values where transfer.flags.contains(.postPending) || transfer.flags.contains(.voidPending) {
            if let pending = transfer.request.pendingID { resolvers[pending, default: 0] += 1 }
        }
        for (pending, count) in resolvers where count > 1 {
            throw fail("pending \(pending) was posted or voided \(count) times")
        }
        for (pending, outcome) in engine.pendingOutcomes where outcome.kind == .expired && resolvers[pending] != nil {
            throw fail("pending \(pending) both expired and resolved")
        }
    }
}
