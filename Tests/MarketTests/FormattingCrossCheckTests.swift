import Foundation
import Testing
@testable import Market

/// Runs the Babel cross-check file produced by `scripts/crosscheck/format_babel.py N SEED`.
/// Skipped unless COFFER_FORMAT_CROSSCHECK names the JSON Lines file.
@Suite struct FormattingCrossCheckTests {
    struct Case: Decodable {
        let locale: String
        let currency: String
        let amount: String
        let compact: Bool
        let cryptoDigits: Int?
        let expected: String
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["COFFER_FORMAT_CROSSCHECK"] != nil))
    func crossCheckAgainstBabel() throws {
        let path = try #require(ProcessInfo.processInfo.environment["COFFER_FORMAT_CROSSCHECK"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let decoder = JSONDecoder()
        var formatters: [String: MoneyFormatter] = [:]
        var total = 0
        var mismatches: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let c = try decoder.decode(Case.self, from: Data(line.utf8))
            total += 1
            let formatter = try formatters[c.locale] ?? MoneyFormatter(locale: c.locale)
            formatters[c.locale] = formatter
            let got: String
            do {
                got = try formatter.format(amount: c.amount, currency: c.currency, compact: c.compact, cryptoDigits: c.cryptoDigits)
            } catch {
                got = "<error: \(error)>"
            }
            if Array(got.utf8) != Array(c.expected.utf8) {
                mismatches.append("\(c.locale) \(c.currency) \(c.amount) compact=\(c.compact) digits=\(c.cryptoDigits.map(String.init) ?? "nil"): got \(got.debugDescription) expected \(c.expected.debugDescription)")
            }
        }
        print("format crosscheck: \(total) cases, \(mismatches.count) mismatches")
        for m in mismatches.prefix(10) { print("  " + m) }
        #expect(total > 0)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches; first: \(mismatches.prefix(5).joined(separator: "\n"))")
    }
}
