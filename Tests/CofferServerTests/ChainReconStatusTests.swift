import Testing
@testable import CofferCore

/// How a chain run judges one asset from on chain − ledger, the custody account's pending
/// transfers and the deposits not yet credited (docs/reconciliation.md, "Chains against the ledger").
struct ChainReconStatusTests {
    @Test(arguments: [
        // difference, pending, uncredited, status
        (Int128(0), Int128(0), Int128(0), "balanced"),
        (5, 0, 5, "in_flight"),            // a deposit still confirming
        (5, 0, 0, "different"),            // a deposit the ledger missed
        (-5, -10, 0, "in_flight"),         // a payout mined before it is settled
        (-5, 0, 0, "different"),           // coins gone with nothing leaving
        (5, -10, 0, "different"),          // more on chain: nothing leaving adds coins
        (0, 0, 5, "different"),            // the syncer saw a deposit the chain does not hold
        (8, -10, 10, "in_flight"),         // both at once
        (15, -10, 10, "different"),        // both, and five more on chain
    ])
    func status(_ figures: (Int128, Int128, Int128, String)) {
        #expect(ReconService.status(difference: figures.0, pending: figures.1, uncredited: figures.2) == figures.3)
    }
}
