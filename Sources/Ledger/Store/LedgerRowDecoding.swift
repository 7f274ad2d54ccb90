import CofferBase
import CofferStorage

/// Ledger values from stored rows: the one decoding path of every ledger read on both engines
/// (GRDB rows, SQLite statements stepped in place by the commit, PostgreSQL rows), so they decode
/// identically. Column orders: `transfer` (id, debit_account_id, credit_account_id, asset, amount,
/// request_debit_account_id, request_credit_account_id, request_asset, request_amount, flags,
/// pending_id, timeout, code, reference, metadata, timestamp); `account` (id, asset, owner, code,
/// metadata, flags, timestamp, then the four balances); balances (debits_pending, debits_posted,
/// credits_pending, credits_posted); `outcome` (pending_id, kind, transfer_id, timestamp).
enum LedgerRowDecoding {
    static func id(_ row: some SQLRow, _ index: Int, _ column: String) throws -> LedgerID {
        try LedgerID(validating: try row.text(index), field: column)
    }

    static func optionalID(_ row: some SQLRow, _ index: Int, _ column: String) throws -> LedgerID? {
        try row.optionalText(index).map { text throws(LedgerError) in try LedgerID(validating: text, field: column) }
    }

    static func balances(_ row: some SQLRow, at start: Int) throws -> AccountBalances {
        AccountBalances(
            debitsPending: try row.amount(start, "debits_pending"), debitsPosted: try row.amount(start + 1, "debits_posted"),
            creditsPending: try row.amount(start + 2, "credits_pending"), creditsPosted: try row.amount(start + 3, "credits_posted"))
    }

    static func account(_ row: some SQLRow) throws -> Account {
        Account(
            id: try id(row, 0, "account id"), asset: try row.text(1), owner: try row.text(2),
            code: UInt16(clamping: try row.int64(3)), metadata: try row.text(4),
            flags: AccountFlags(rawValue: UInt32(clamping: try row.int64(5))),
            timestamp: UInt64(clamping: try row.int64(6)), balances: try balances(row, at: 7))
    }

    static func transfer(_ row: some SQLRow) throws -> CommittedTransfer {
        let request = Transfer(
            id: try id(row, 0, "transfer id"), debitAccountID: try optionalID(row, 5, "request_debit_account_id"),
            creditAccountID: try optionalID(row, 6, "request_credit_account_id"), amount: try row.amount(8, "request_amount"),
            asset: try row.optionalText(7), flags: TransferFlags(rawValue: UInt32(clamping: try row.int64(9))),
            pendingID: try optionalID(row, 10, "pending_id"), timeout: UInt32(clamping: try row.int64(11)),
            code: UInt16(clamping: try row.int64(12)), reference: try row.text(13), metadata: try row.text(14))
        return CommittedTransfer(
            request: request, debitAccountID: try id(row, 1, "debit_account_id"), creditAccountID: try id(row, 2, "credit_account_id"),
            asset: try row.text(3), amount: try row.amount(4, "amount"), timestamp: UInt64(clamping: try row.int64(15)))
    }

    static func outcome(_ row: some SQLRow) throws -> PendingOutcome {
        let kindText = try row.text(1)
        guard let kind = PendingOutcome.Kind(rawValue: kindText) else { throw LedgerError.corrupt("pending outcome \"\(kindText.prefix(20))\"") }
        return PendingOutcome(
            pendingID: try id(row, 0, "pending_id"), kind: kind, transferID: try optionalID(row, 2, "transfer_id"),
            timestamp: UInt64(clamping: try row.int64(3)))
    }

    /// A balance-history row (timestamp, the four balances, transfer id, expired id): the event is
    /// the transfer at its timestamp, else the expiry recorded there.
    static func historyEntry(of account: LedgerID, _ row: some SQLRow) throws -> BalanceHistoryEntry {
        let timestamp = try row.int64(0)
        let event: BalanceHistoryEntry.Event
        let eventID: String
        if let transferID = try row.optionalText(5) {
            (event, eventID) = (.transfer, transferID)
        } else if let expiredID = try row.optionalText(6) {
            (event, eventID) = (.expiry, expiredID)
        } else {
            throw LedgerError.corrupt("balance history of \(account) at \(timestamp) matches no transfer or expiry")
        }
        return BalanceHistoryEntry(
            event: event, transferID: try LedgerID(validating: eventID, field: "transfer id"),
            timestamp: UInt64(clamping: timestamp), balances: try balances(row, at: 1))
    }
}
