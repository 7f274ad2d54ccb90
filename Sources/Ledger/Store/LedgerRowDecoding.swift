/// One stored row, read by column position (stores select their columns in the documented order).
protocol LedgerColumnReader {
    func text(_ index: Int) throws -> String
    func optionalText(_ index: Int) throws -> String?
    func integer(_ index: Int) throws -> Int64
}

/// Ledger values from stored rows, shared by every store so they decode identically. Column
/// orders: `transfer` (id, debit_account_id, credit_account_id, asset, amount,
/// request_debit_account_id, request_credit_account_id, request_asset, request_amount, flags,
/// pending_id, timeout, code, reference, metadata, timestamp); `account` (id, asset, owner, code,
/// metadata, flags, timestamp, then the four balances); balances (debits_pending, debits_posted,
/// credits_pending, credits_posted); `outcome` (pending_id, kind, transfer_id, timestamp).
enum LedgerRowDecoding {
    static func amount(_ row: some LedgerColumnReader, _ index: Int, _ column: String) throws -> UInt128 {
        let text = try row.text(index)
        guard let value = UInt128(text) else { throw LedgerError("corrupt ledger database: \(column) \"\(text.prefix(40))\" is not an amount") }
        return value
    }

    static func id(_ row: some LedgerColumnReader, _ index: Int, _ column: String) throws -> LedgerID {
        try LedgerID(validating: try row.text(index), field: column)
    }

    static func optionalID(_ row: some LedgerColumnReader, _ index: Int, _ column: String) throws -> LedgerID? {
        try row.optionalText(index).map { text throws(LedgerError) in try LedgerID(validating: text, field: column) }
    }

    static func balances(_ row: some LedgerColumnReader, at start: Int) throws -> AccountBalances {
        AccountBalances(
            debitsPending: try amount(row, start, "debits_pending"), debitsPosted: try amount(row, start + 1, "debits_posted"),
            creditsPending: try amount(row, start + 2, "credits_pending"), creditsPosted: try amount(row, start + 3, "credits_posted"))
    }

    static func account(_ row: some LedgerColumnReader) throws -> Account {
        Account(
            id: try id(row, 0, "account id"), asset: try row.text(1), owner: try row.text(2),
            code: UInt16(clamping: try row.integer(3)), metadata: try row.text(4),
            flags: AccountFlags(rawValue: UInt32(clamping: try row.integer(5))),
            timestamp: UInt64(clamping: try row.integer(6)), balances: try balances(row, at: 7))
    }

    static func transfer(_ row: some LedgerColumnReader) throws -> CommittedTransfer {
        let request = Transfer(
            id: try id(row, 0, "transfer id"), debitAccountID: try optionalID(row, 5, "request_debit_account_id"),
            creditAccountID: try optionalID(row, 6, "request_credit_account_id"), amount: try amount(row, 8, "request_amount"),
            asset: try row.optionalText(7), flags: TransferFlags(rawValue: UInt32(clamping: try row.integer(9))),
            pendingID: try optionalID(row, 10, "pending_id"), timeout: UInt32(clamping: try row.integer(11)),
            code: UInt16(clamping: try row.integer(12)), reference: try row.text(13), metadata: try row.text(14))
        return CommittedTransfer(
            request: request, debitAccountID: try id(row, 1, "debit_account_id"), creditAccountID: try id(row, 2, "credit_account_id"),
            asset: try row.text(3), amount: try amount(row, 4, "amount"), timestamp: UInt64(clamping: try row.integer(15)))
    }

    static func outcome(_ row: some LedgerColumnReader) throws -> PendingOutcome {
        let kindText = try row.text(1)
        guard let kind = PendingOutcome.Kind(rawValue: kindText) else { throw LedgerError("corrupt ledger database: pending outcome \"\(kindText.prefix(20))\"") }
        return PendingOutcome(
            pendingID: try id(row, 0, "pending_id"), kind: kind, transferID: try optionalID(row, 2, "transfer_id"),
            timestamp: UInt64(clamping: try row.integer(3)))
    }

    /// A balance-history row: the event is the transfer at its timestamp, else the expiry recorded there.
    static func historyEntry(
        of account: LedgerID, timestamp: Int64, transferID: String?, expiredID: String?, balances: AccountBalances
    ) throws -> BalanceHistoryEntry {
        let event: BalanceHistoryEntry.Event
        let eventID: String
        if let transferID {
            (event, eventID) = (.transfer, transferID)
        } else if let expiredID {
            (event, eventID) = (.expiry, expiredID)
        } else {
            throw LedgerError("corrupt ledger database: balance history of \(account) at \(timestamp) matches no transfer or expiry")
        }
        return BalanceHistoryEntry(
            event: event, transferID: try LedgerID(validating: eventID, field: "transfer id"),
            timestamp: UInt64(clamping: timestamp), balances: balances)
    }
}
