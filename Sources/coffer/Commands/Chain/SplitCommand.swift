import ArgumentParser
import CofferBase
import CofferCore

/// `coffer split set | show | remove`: split rules of accounts and invoices.
struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split", abstract: "Split rules: divide each payment credited to an account, or paid to an invoice, among recipients.",
        discussion: """
            Fixed amounts are paid first, in order; what is left is divided by basis points (they add up
            to exactly 10000) by largest remainder: each recipient gets the whole units of its exact share,
            and the units left over go one each to the largest fractions, ties to the recipient listed
            first. The parts always add up to the payment. The credited account may be a recipient (its
            part stays). The split is committed with the credit as one linked ledger chain, and reversed
            with it. See docs/receiving.md, "Split settlement".
            """,
        subcommands: [Set.self, Show.self, Remove.self])

    /// What the rule is set on: exactly one of --account and --invoice.
    struct Target: ParsableArguments {
        @Option(help: "The ledger account whose credits are divided.") var account: String?
        @Option(help: "The invoice whose payments are divided, in place of its account's rule.") var invoice: String?

        func target() throws -> SplitTarget {
            switch (account, invoice) {
            case (let account?, nil): return .account(account)
            case (nil, let invoice?): return .invoice(invoice)
            default: throw UsageError("give either --account or --invoice")
            }
        }

        /// Prints what `call` answers for the target.
        func print(_ options: ServiceOptions, _ call: (SplitService, SplitTarget, Caller) async throws -> SplitRuleView) async throws {
            let target = try target()
            try Output.print(try await options.run { try await call($0.splits, target, $1) })
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set or replace a split rule; prints it.",
            discussion: """
                Recipients in order, each --to ACCOUNT:BPS (basis points of what the fixed amounts leave;
                the account is what precedes the last colon) or --to ACCOUNT=AMOUNT (a fixed amount in the
                asset's smallest unit). Or --file with the rule as PUT /v1/split-rules/... takes it:
                {"recipients":[{"account":"shop","bps":9000},{"account":"fees","amount":"100"}]}.
                Example: coffer split set --account shop --to fees=100 --to partner:1500 --to shop:8500
                """)
        @OptionGroup var options: ServiceOptions
        @OptionGroup var target: Target
        @Option(name: .customLong("to"), help: "A recipient: ACCOUNT:BPS or ACCOUNT=AMOUNT; repeat, in order.") var recipients: [String] = []
        @Option(help: "A JSON file with the rule (instead of --to).") var file: String?

        func run() async throws {
            let request: SetSplitRuleRequest
            switch (file, recipients.isEmpty) {
            case (let file?, true):
                request = try JSONDecoding.decode(SetSplitRuleRequest.self, from: try InputFile.bytes(at: file, what: "split rule file"))
            case (nil, false):
                request = SetSplitRuleRequest(recipients: try recipients.map(Self.recipient))
            default:
                throw UsageError("give the recipients with --to, or a rule with --file, not both")
            }
            try await self.target.print(options) { try await $0.set($1, request, by: $2) }
        }

        /// `ACCOUNT=AMOUNT` (no account has "="), or `ACCOUNT:BPS` split at the last colon (token
        /// accounts have one: `shop:USDT:2500`).
        static func recipient(_ text: String) throws -> SplitRecipientInput {
            if let equals = text.firstIndex(of: "=") {
                return SplitRecipientInput(account: String(text[..<equals]), amount: String(text[text.index(after: equals)...]))
            }
            guard let colon = text.lastIndex(of: ":"), let points = UInt16(text[text.index(after: colon)...]) else {
                throw UsageError("--to \(text.prefix(80)): write ACCOUNT:BPS (basis points, 1-10000) or ACCOUNT=AMOUNT (smallest units)")
            }
            return SplitRecipientInput(account: String(text[..<colon]), bps: points)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the split rule of an account or an invoice.")
        @OptionGroup var options: ServiceOptions
        @OptionGroup var target: Target

        func run() async throws { try await target.print(options) { try await $0.rule($1, by: $2) } }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the split rule of an account or an invoice; prints the rule removed.")
        @OptionGroup var options: ServiceOptions
        @OptionGroup var target: Target

        func run() async throws { try await target.print(options) { try await $0.remove($1, by: $2) } }
    }
}
