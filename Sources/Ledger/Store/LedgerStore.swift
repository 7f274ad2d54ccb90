/// Where the ledger lives. Every implementation decides transfers with `LedgerEngine`, commits
/// a batch atomically and returns results only after the commit is durable.
public protocol LedgerStore: Sendable {
    /// Creates an asset; true if created, false if an identical one exists. Throws if one with
    /// the same code differs.
    func createAsset(_ asset: Asset) async throws -> Bool
    func asset(_ code: String) async throws -> Asset?
    /// Creates an account with zero balances (its timestamp and balances are set by the store).
    func createAccount(_ account: Account) async throws -> AccountResult
    func account(_ id: LedgerID) async throws -> Account?
    /// Decides and commits a batch of at most `LedgerEngine.maximumBatchSize` transfers; one result per transfer, in order.
    func submit(_ transfers: [Transfer]) async throws -> [TransferResult]
    /// The account's balances after the last event at or before `timestamp` (nanoseconds); nil if no such account.
    func balances(of id: LedgerID, at timestamp: UInt64) async throws -> AccountBalances?
    /// Recomputes the hash chain and every balance from the committed transfers.
    func verify() async throws -> LedgerVerification
}

/// The result of recomputing a ledger.
public enum LedgerVerification: Sendable, Equatable {
    case intact(batches: Int, transfers: Int, head: [UInt8])
    /// The first discrepancy found, in words.
    case broken(String)
}
