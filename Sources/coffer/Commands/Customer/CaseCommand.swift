import ArgumentParser
import CofferBase
import CofferCore
import Foundation

/// `coffer case open | decide | list | show`: appeals and temporary limit raises.
struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Customers' appeals and requests for higher limits; temporary raises (audited).",
        subcommands: [Open.self, Decide.self, List.self, Show.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a case for a customer.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Case id.") var id: String
        @Option(help: "Customer id.") var customer: String
        @Option(help: "limit_raise or appeal.") var kind: String
        @Option(help: "For a limit_raise: the asset.") var asset: String?
        @Option(help: "For a limit_raise: per_tx, daily, weekly, monthly, payouts_per_hour, ...") var limit: String?
        @Option(help: "For a limit_raise: the amount asked for.") var requested: String?
        @Option(help: "The customer's statement.") var statement: String

        func run() async throws {
            let request = OpenCaseRequest(id: id, customer: customer, kind: kind, asset: asset, limit: limit, requested: requested, statement: statement)
            try Output.print(try await options.run { try await $0.customers.openCase(request, by: $1) }.resource)
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve (a raise: with --amount and --expires-at) or reject a case, with the reason.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Case id.") var id: String
        @Option(help: "approve or reject.") var decision: String
        @Option(help: "Why.") var reason: String
        @Option(help: "An approved raise: the limit's value until it lapses.") var amount: String?
        @Option(help: "An approved raise: when it lapses (RFC 3339).") var expiresAt: String?

        func run() async throws {
            let request = DecideCaseRequest(decision: decision, reason: reason, amount: amount, expiresAt: expiresAt)
            try Output.print(try await options.run { try await $0.customers.decideCase(id, request, by: $1) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cases, newest first, one per line.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "open, approved or rejected.") var status: String?

        func run() async throws { for c in try await options.run({ try await $0.customers.cases(status: status, by: $1) }) { try Output.print(c) } }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One case.")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Case id.") var id: String

        func run() async throws { try Output.print(try await options.run { try await $0.customers.customerCase(id, by: $1) }) }
    }
}

/// `coffer aml screening-list import | scan | alerts | disposition | report`.
struct AMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aml", abstract: "AML rules over the ledger and payouts: screening lists, alerts, dispositions, suspicious-activity reports.",
        discussion: """
            Rules: structuring (3 or more payments of a customer between 90% and 100% of the 10,000 reporting threshold, in \
            the asset's major unit, within 24 hours), rapid in-and-out, screening-list hits, dormant accounts suddenly active, \
            round-amount bursts. docs/customers.md lists their settings.
            """,
        subcommands: [ScreeningList.self, Scan.self, Alerts.self, Disposition.self, Report.self])

    struct ScreeningList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "screening-list", abstract: "Screening lists.", subcommands: [Import.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Replace list NAME with the addresses of a CSV file (first column; header `address` optional).")
            @OptionGroup var options: ServiceOptions
            @Option(help: "List name.") var name: String
            @Option(help: "CSV file.") var file: String

            func run() async throws {
                let text = String(decoding: try InputFile.bytes(at: file, what: "screening list"), as: UTF8.self)
                try Output.print(try await options.run { try await $0.customers.importScreeningList(name: name, csv: text, by: $1) })
            }
        }
    }

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the rules over a range (default the last 30 days): JSON Lines of alerts {\"rule\",\"customer\",\"evidence\":[...],...}.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "RFC 3339 start.") var from: String?
        @Option(help: "RFC 3339 end (exclusive).") var to: String?

        func run() async throws { for alert in try await options.run({ try await $0.customers.scan(from: from, to: to, by: $1) }) { try Output.print(alert) } }
    }

    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stored alerts in a range, one per line.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "RFC 3339 start.") var from: String?
        @Option(help: "RFC 3339 end (exclusive).") var to: String?
        @Option(help: "open, dismissed, escalated or reported.") var status: String?

        func run() async throws {
            for alert in try await options.run({ try await $0.customers.alerts(from: from, to: to, status: status, by: $1) }) { try Output.print(alert) }
        }
    }

    struct Disposition: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decide an alert: dismissed, escalated or reported, with the reason (audited).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Alert key.") var key: String
        @Option(help: "dismissed, escalated or reported.") var status: String
        @Option(help: "Why.") var reason: String

        func run() async throws {
            try Output.print(try await options.run { try await $0.customers.disposition(key, AlertDispositionRequest(status: status, reason: reason), by: $1) })
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suspicious-activity report of a range: one row per flagged transaction (customer, amounts, rule, evidence).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "RFC 3339 start.") var from: String
        @Option(help: "RFC 3339 end (exclusive).") var to: String
        @Option(help: "csv or json.") var format: String = "json"

        func run() async throws {
            let text = try await options.run { try await $0.customers.report(from: from, to: to, format: format, by: $1) }
            FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
        }
    }
}
