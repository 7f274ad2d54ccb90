import ArgumentParser
import CofferBase
import CofferCore

/// `coffer report`: the end-of-day or end-of-month report of the caller's books.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "End-of-day or end-of-month report: balances and flows per asset and account class, fees, deposits, reconciliation, payouts.",
        discussion: "json prints one line; csv and html print the document (html is self-contained, charts as inline SVG).")
    @OptionGroup var options: ServiceOptions
    @Option(help: "eod or eom.") var kind: String
    @Option(help: "A day of the period, YYYY-MM-DD (UTC).") var date: String
    @Option(help: "json, csv or html.") var format = "json"
    @Option(help: "Value balances and flows in this ISO 4217 currency where market data has prices.") var currency: String?

    func run() async throws {
        let document = try await options.run { try await $0.reports.report(kind: kind, date: date, format: format, currency: currency, by: $1) }
        try Terminal.write(document.body + (document.body.last == UInt8(ascii: "\n") ? [] : [UInt8(ascii: "\n")]), to: 1)
    }
}
