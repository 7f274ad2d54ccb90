import ArgumentParser
import Ledger

/// `coffer ledger history | transfers | totals | reverse`: the read side and corrections.
extension LedgerCommand {
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An account's balances after each transfer (or expiry) that changed them, oldest first, as JSON Lines.",
            discussion: "When more entries remain, the last line is {\"next_cursor\":\"...\"}: pass it to --cursor for the next page.")
        @OptionGroup var storage: LedgerStorageOptions
        @Argument(help: "Account id.") var id: String
        @Option(help: "Entries per page, 1-10000.") var limit: Int = 100
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?

        func run() async throws {
            let accountID = try LedgerID(validating: id, field: "account id")
            let pageSize = try TransferQuery.validate(limit: limit)
            let after = try cursor.map { text throws(LedgerError) in try LedgerCursor(parsing: text) }
            guard let page = try await storage.store().history(of: accountID, limit: pageSize, after: after) else {
                throw CLIError("no ledger account \"\(id)\"; create it with `coffer ledger account create`")
            }
            for entry in page.rows {
                try LedgerJSON.print([
                    ("id", .text(id)), ("event", .text(entry.event.rawValue)), ("transfer_id", .text(entry.transferID.value)),
                    ("timestamp", .text(LedgerTime.formatRFC3339(entry.timestamp))),
                    ("debits_posted", .text(String(entry.balances.debitsPosted))), ("credits_posted", .text(String(entry.balances.creditsPosted))),
                    ("debits_pending", .text(String(entry.balances.debitsPending))), ("credits_pending", .text(String(entry.balances.creditsPending))),
                ])
            }
            try LedgerJSON.printNextCursor(page.nextCursor)
        }
    }

    struct Transfers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Committed transfers in commit order, filtered by account, reference and time, as JSON Lines.",
            discussion: "Filters combine. When more transfers remain, the last line is {\"next_cursor\":\"...\"}: pass it to --cursor.")
        @OptionGroup var storage: LedgerStorageOptions
        @Option(help: "Only transfers debiting or crediting this account.") var account: String?
        @Option(help: "Only transfers with exactly this reference.") var reference: String?
        @Option(help: "RFC 3339 time: only transfers committed at or after it.") var from: String?
        @Option(help: "RFC 3339 time: only transfers committed before it.") var to: String?
        @Option(help: "Transfers per page, 1-10000.") var limit: Int = 100
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?

        func run() async throws {
            if let reference, reference.isEmpty { throw UsageError("--reference is empty; give the reference to search for") }
            let query = TransferQuery(
                account: try account.map { text throws(LedgerError) in try LedgerID(validating: text, field: "--account") },
                reference: reference,
                from: try from.map { text throws(LedgerError) in try LedgerTime.parseRFC3339(text) },
                to: try to.map { text throws(LedgerError) in try LedgerTime.parseRFC3339(text) },
                limit: try TransferQuery.validate(limit: limit),
                cursor: try cursor.map { text throws(LedgerError) in try LedgerCursor(parsing: text) })
            let page = try await storage.store().transfers(query)
            for transfer in page.rows {
                let request = transfer.request
                var fields: [(String, LedgerJSON.Value)] = [
                    ("id", .text(transfer.id.value)), ("debit", .text(transfer.debitAccountID.value)),
                    ("credit", .text(transfer.creditAccountID.value)), ("amount", .text(String(transfer.amount))),
                    ("asset", .text(transfer.asset)), ("flags", .texts(transfer.flags.names)),
                ]
                if let pendingID = request.pendingID { fields.append(("pending_id", .text(pendingID.value))) }
                fields += [
                    ("timeout", .number(Int(request.timeout))), ("code", .number(Int(request.code))),
                    ("reference", .text(request.reference)), ("metadata", .text(request.metadata)),
                    ("timestamp", .text(LedgerTime.formatRFC3339(transfer.timestamp))),
                ]
                try LedgerJSON.print(fields)
            }
            try LedgerJSON.printNextCursor(page.nextCursor)
        }
    }

    struct Totals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per asset, the sums of debits and credits posted and pending over all accounts (equal when the ledger is sound).")
        @OptionGroup var storage: LedgerStorageOptions

        func run() async throws {
            for totals in try await storage.store().totals() {
                try LedgerJSON.print([
                    ("asset", .text(totals.asset)),
                    ("debits_posted", .text(totals.debitsPosted.description)), ("credits_posted", .text(totals.creditsPosted.description)),
                    ("debits_pending", .text(totals.debitsPending.description)), ("credits_pending", .text(totals.creditsPending.description)),
                    ("balanced", .bool(totals.isBalanced)),
                ])
            }
        }
    }

    struct Reverse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo a posted transfer with a new one: debit and credit swapped, same amount and asset, reference reversal:<id>.",
            discussion: """
                Prints {"id":NEW_ID,"result":...} like `transfer` (a rejection such as exceeds_credits is a result, exit 0);
                rerunning with the same --id returns exists. Unknown, pending, void and already reversed transfers are refused (exit 1).
                """)
        @OptionGroup var storage: LedgerStorageOptions
        @Option(help: "Id of the posted transfer to undo.") var transfer: String
        @Option(help: "Id of the new, reversing transfer.") var id: String

        func run() async throws {
            let original = try LedgerID(validating: transfer, field: "--transfer")
            let newID = try LedgerID(validating: id, field: "--id")
            guard original != newID else { throw UsageError("--id must be a new id, not the transfer being reversed") }
            let result = try await storage.store().reverse(original, newID: newID)
            var fields: [(String, LedgerJSON.Value)] = [("id", .text(newID.value)), ("result", .text(result.rawValue))]
            if !result.isSuccess { fields.append(("message", .text(result.message))) }
            try LedgerJSON.print(fields)
        }
    }
}
