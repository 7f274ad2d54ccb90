import CofferBase
import CofferTestSupport
import Foundation
import Ledger
import Testing

/// The property test of `LedgerPropertyTests`, through a real store: random scenarios (accounts,
/// transfers, linked chains, pending/post/void, expiries, identical and altered resubmissions)
/// are submitted to SQLite or PostgreSQL, and every result and every balance must equal the
/// reference model's after every step. This is what pins the commit's optimistic path (which
/// skips looking up the batches' own ids) to the model: resubmissions are frequent here.
struct LedgerStorePropertyTests {
    @Test(arguments: LedgerBackend.all) func storeAgreesWithTheReferenceModel(backend: LedgerBackend) async throws {
        let seeds: [UInt64] = backend == .postgres ? Array(1...5) : Array(1...15)
        var resultsSeen: Set<TransferResult> = []
        for seed in seeds {
            let ledger = try await TemporaryLedger(backend)
            #expect(try await ledger.store.createAsset(try Asset(code: "USDT", decimals: 6)))
            #expect(try await ledger.store.createAsset(try Asset(code: "BTC", decimals: 8)))
            var scenario = LedgerScenario(seed: seed &* 0x9E37_79B9_7F4A_7C15, accountPool: 4)
            for step in 0..<120 {
                let where_ = "seed \(scenario.seed) step \(step)"
                switch Int.random(in: 0..<10, using: &scenario.random) {
                case 0:
                    let before = scenario.reference.accounts.count
                    scenario.createAccount()
                    for account in scenario.reference.accounts.dropFirst(before) {
                        #expect(try await ledger.store.createAccount(account) == .created, "\(where_)")
                    }
                case 1:
                    scenario.now += UInt64.random(in: 0...40, using: &scenario.random) * 1_000_000_000
                default:
                    let batch = scenario.makeBatch()
                    ledger.clock.set(scenario.now)
                    let results = try await ledger.store.submit(batch)
                    let expected = scenario.reference.apply(batch, now: scenario.now)
                    _ = LedgerEngine.apply(batch, to: &scenario.engine, now: scenario.now)
                    scenario.history += batch
                    resultsSeen.formUnion(results)
                    try #require(results == expected, "\(where_): store \(results.map(\.rawValue)) but model \(expected.map(\.rawValue)) for \(batch.map(scenario.describe))")
                }
                scenario.now += UInt64.random(in: 0...3, using: &scenario.random)
                for account in scenario.reference.accounts {
                    let stored = try await ledger.store.account(account.id)?.balances
                    try #require(stored == account.balances, "\(where_): account \(account.id) stored \(String(describing: stored)) but model \(account.balances)")
                }
            }
            guard case .intact = try await ledger.store.verify() else {
                Issue.record("seed \(scenario.seed): the ledger does not verify")
                continue
            }
        }
        // The scenarios reach resubmissions, both to be created again and to be rejected otherwise.
        #expect(resultsSeen.isSuperset(of: [.created, .exists, .exceedsCredits, .linkedEventFailed, .pendingTransferNotFound]))
        #expect(!resultsSeen.isDisjoint(with: [.existsWithDifferentAmount, .existsWithDifferentReference, .existsWithDifferentCode]))
    }
}
