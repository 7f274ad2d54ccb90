import ArgumentParser
import CofferBase
import CofferCore

/// `coffer ledger history | transfers | show | totals | reverse`: the read side and corrections.
extension LedgerCommand {
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An account's balances after each transfer (or expiry) that changed them, oldest first, as JSON Lines.",
            discussion: "When more entries remain, the last line is {\"next_cursor\":\"...\"}: pass it to --cursor for the next page.")
        @OptionGroup var context: Context
        @Argument(help: "Account id.") var id: String
        @Option(help: "Entries per page, 1-10000.") var limit: Int?
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?

        func run() async throws {
            let page = try PageRequest(limit: limit, cursor: cursor, maximum: LedgerService.maximumPage)
            try Output.print(page: try await context.run { try await $0.history(of: id, page: page, by: $1) })
        }
    }

    struct Transfers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Committed transfers in commit order, filtered by account, reference and time, as JSON Lines.",
            discussion: "Filters combine. When more transfers remain, the last line is {\"next_cursor\":\"...\"}: pass it to --cursor.")
        @OptionGroup var context: Context
        @Option(help: "Only transfers debiting or crediting this account.") var account: String?
        @Option(help: "Only transfers with exactly this reference.") var reference: String?
        @Option(help: "RFC 3339 time: only transfers committed at or after it.") var from: String?
        @Option(help: "RFC 3339 time: only transfers committed before it.") var to: String?
        @Option(help: "Transfers per page, 1-10000.") var limit: Int?
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?

        func run() async throws {
            let page = try PageRequest(limit: limit, cursor: cursor, maximum: LedgerService.maximumPage)
            let query = TransferListQuery(account: account, reference: reference, from: from, to: to)
            try Output.print(page: try await context.run { try await $0.transfers(query, page: page, by: $1) })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show-transfer", abstract: "One committed transfer.")
        @OptionGroup var context: Context
        @Argument(help: "Transfer id.") var id: String

        func run() async throws { try Output.print(try await context.run { try await $0.transfer(id, by: $1) }) }
    }

    struct Totals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per asset, the sums of debits and credits posted and pending over all accounts (equal when the ledger is sound).")
        @OptionGroup var context: Context

        func run() async throws { try Output.print(try await context.run { try await $0.totals(by: $1) }) }
    }

    struct Reverse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo a posted transfer with a new one: debit and credit swapped, same amount and asset, reference reversal:<id>.",
            discussion: """
                Prints {"id":NEW_ID,"result":...}; rerunning with the same --id returns exists. Unknown, pending, void and already
                reversed transfers are refused, and so is a reversal the ledger rejects (transfer-rejected, e.g. exceeds_credits): exit 1.
                """)
        @OptionGroup var context: Context
        @Option(help: "Id of the posted transfer to undo.") var transfer: String
        @Option(help: "Id of the new, reversing transfer.") var id: String

        func run() async throws {
            try Output.print(try await context.run { try await $0.reverse(transfer, ReverseRequest(id: id), by: $1) })
        }
    }
}
