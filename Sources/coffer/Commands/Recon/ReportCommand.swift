import ArgumentParser
import CofferBase
import CofferCore

/// `coffer report`: the end-of-day or end-of-month report of the caller's books.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "End-of-day or end-of-month report: balances and flows per asset and account class, fees, deposits, reconciliation, payouts.",
        discussion: "json prints one line; csv and html print the document (html is self-contained, charts as inline SVG). `coffer report audit` exports a period's transfers and audit records with a checksum.",
        subcommands: [Audit.self])
    @OptionGroup var options: ServiceOptions
    @Option(help: "eod or eom (required).") var kind: String?
    @Option(help: "A day of the period, YYYY-MM-DD (UTC) (required).") var date: String?
    @Option(help: "json, csv or html.") var format = "json"
    @Option(help: "Value balances and flows in this ISO 4217 currency where market data has prices.") var currency: String?

    func run() async throws {
        guard let kind, let date else { throw ValidationError("give --kind eod|eom and --date YYYY-MM-DD") }
        let document = try await options.run { try await $0.reports.report(kind: kind, date: date, format: format, currency: currency, by: $1) }
        try Terminal.write(document.body + (document.body.last == UInt8(ascii: "\n") ? [] : [UInt8(ascii: "\n")]), to: 1)
    }

    /// `coffer report audit`: every transfer and audit record of a period, and their checksum.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a period's ledger transfers and audit records as JSON Lines, closed by their SHA-256.",
            discussion: "The last line is {\"type\":\"checksum\",\"algorithm\":\"sha256\",\"value\",…}: the hash of every byte before it. --verify FILE checks an export instead.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Start (RFC 3339).") var from: String?
        @Option(help: "End, exclusive (RFC 3339).") var to: String?
        @Option(help: "Check this export's checksum instead (exit 1 when it does not hold).") var verify: String?

        func run() async throws {
            if let verify {
                guard ReportService.verifyAuditExport(try InputFile.bytes(at: verify, what: "export")) else {
                    throw CLIError("the export's checksum does not hold: it was changed or cut short")
                }
                try Output.print(["intact": true])
                return
            }
            guard let from, let to else { throw ValidationError("give --from and --to (or --verify FILE)") }
            let bytes = try await options.run { try await $0.reports.auditExport(from: from, to: to, by: $1) }
            try Terminal.write(bytes, to: 1)
        }
    }
}
