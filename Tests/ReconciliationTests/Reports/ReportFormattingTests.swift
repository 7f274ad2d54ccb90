import Testing
import Reconciliation

@Suite("Amount, rate and duration text")
struct ReportFormattingTests {
    @Test("Amounts are placed exactly at the asset's decimals", arguments: [
        (Int128(12_345), 2, "123.45"),
        (Int128(-5), 2, "-0.05"),
        (Int128(5), 2, "0.05"),
        (Int128(0), 2, "0.00"),
        (Int128(100), 2, "1.00"),
        (Int128(-100), 2, "-1.00"),
        (Int128(-12_345), 2, "-123.45"),
        (Int128(0), 0, "0"),
        (Int128(42), 0, "42"),
        (Int128(-42), 0, "-42"),
        (Int128(1), 18, "0.000000000000000001"),
        (Int128(-1), 18, "-0.000000000000000001"),
        (Int128(1_000_000_000_000_000_000), 18, "1.000000000000000000"),
        (Int128(123_456_789), 8, "1.23456789"),
    ])
    func amounts(units: Int128, decimals: Int, expected: String) {
        #expect(ReportAmount.text(units, decimals: decimals) == expected)
    }

    @Test("Int128 extremes do not trap and stay exact")
    func extremes() {
        #expect(ReportAmount.text(.max, decimals: 0) == "170141183460469231731687303715884105727")
        #expect(ReportAmount.text(.min, decimals: 0) == "-170141183460469231731687303715884105728")
        #expect(ReportAmount.text(.max, decimals: 18) == "170141183460469231731.687303715884105727")
        #expect(ReportAmount.text(.min, decimals: 18) == "-170141183460469231731.687303715884105728")
        #expect(ReportAmount.text(.max, decimals: 39) == "0.170141183460469231731687303715884105727")
        #expect(ReportAmount.text(.min, decimals: 40) == "-0.0170141183460469231731687303715884105728")
    }

    @Test("Negative decimals are treated as zero instead of trapping")
    func negativeDecimals() {
        #expect(ReportAmount.text(123, decimals: -2) == "123")
        #expect(ReportAmount.text(-1, decimals: .min) == "-1")
    }

    @Test("Basis points become percentages", arguments: [
        (9_850, "98.50%"), (10_000, "100.00%"), (0, "0.00%"), (5, "0.05%"), (-5, "-0.05%"),
    ])
    func rates(bps: Int, expected: String) {
        #expect(ReportRate.text(bps: bps) == expected)
    }

    @Test("Durations read like '1 h 2 min 3 s'", arguments: [
        (Int64(45), "45 s"), (Int64(0), "0 s"), (Int64(3_723), "1 h 2 min 3 s"),
        (Int64(60), "1 min"), (Int64(3_600), "1 h"), (Int64(3_601), "1 h 1 s"),
        (Int64(90_061), "1 d 1 h 1 min 1 s"), (Int64(-45), "-45 s"),
    ])
    func durations(seconds: Int64, expected: String) {
        #expect(ReportDuration.text(seconds: seconds) == expected)
    }

    @Test("Int64.min duration does not trap")
    func durationMin() {
        #expect(ReportDuration.text(seconds: .min).hasPrefix("-106751991167300 d "))
    }
}
