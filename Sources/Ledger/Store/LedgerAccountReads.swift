import CofferStorage

extension CofferDatabase {
    /// Accounts as the readers last saw them, served again while no commit changed them (see
    /// `CommitStampedCache`): the embedded store's commits name every account whose balances they
    /// change, and account attributes never change. Shared by every store on this database.
    /// Closing accounts (not built yet) must name the account closed as well.
    var ledgerAccounts: CommitStampedCache<LedgerID, Account> {
        commitStampedCache("ledger.accounts", capacity: 100_000)
    }
}
