import Ledger
import Testing

/// The batch hash must never change for the same batch: stored chains are re-verified with it.
/// Expected values come from scripts/vectors/ledger_batch_hash.py, an independent implementation
/// of the documented encoding.
struct LedgerBatchHashTests {
    @Test func matchesTheIndependentEncoding() throws {
        let a = LedgerID("acct-a")!, b = LedgerID("acct-b")!
        let pending = CommittedTransfer(
            request: Transfer(id: LedgerID("t1")!, debitAccountID: a, creditAccountID: b, amount: .max, asset: "USDT",
                              flags: .pending, timeout: 30, code: 7, reference: "order-77", metadata: "méta"),
            debitAccountID: a, creditAccountID: b, asset: "USDT", amount: .max, timestamp: 1_700_000_000_000_000_001)
        let post = CommittedTransfer(
            request: Transfer(id: LedgerID("t2")!, debitAccountID: nil, creditAccountID: nil, amount: 0, asset: nil,
                              flags: .postPending, pendingID: LedgerID("t0")!),
            debitAccountID: a, creditAccountID: b, asset: "USDT", amount: 10_000_000_000_000_000_000, timestamp: 1_700_000_000_000_000_002)
        let outcomes = [
            PendingOutcome(pendingID: LedgerID("t0")!, kind: .posted, transferID: LedgerID("t2")!, timestamp: 1_700_000_000_000_000_002),
            PendingOutcome(pendingID: LedgerID("p9")!, kind: .expired, transferID: nil, timestamp: 1_700_000_000_000_000_000),
        ]
        #expect(hex(LedgerBatchHash.compute(previous: LedgerBatchHash.genesis, seq: 1, transfers: [pending, post], outcomes: outcomes))
            == "d410dd6bfadc24c9cf1ccbb042d1ba2d9eea8745d716fc92c8f6eaa9dccd7435")
        #expect(hex(LedgerBatchHash.compute(previous: (0..<32).map { UInt8($0) }, seq: 42, transfers: [], outcomes: []))
            == "c60ef04e7e8ad270fd70745602555e8584c77ad5ec7a9b92fbca1c90fe637a72")
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
