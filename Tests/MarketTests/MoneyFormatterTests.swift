import Testing
@testable import Market

@Suite struct MoneyFormatterTests {
    /// Expectations printed by Babel 2.19.0 (format_currency / format_compact_currency, fraction_digits=1).
    static let fixed: [(String, String, String, Bool, String)] = [
        ("en-US", "1234567.891", "USD", false, "$1,234,567.89"),
        ("de-DE", "1234567.891", "EUR", false, "1.234.567,89\u{a0}\u{20ac}"),
        ("hi-IN", "1234567.891", "INR", false, "\u{20b9}12,34,567.89"),
        ("ja-JP", "1234.5", "JPY", false, "\u{ffe5}1,234"),
        ("zh-CN", "1234567.891", "CNY", false, "\u{a5}1,234,567.89"),
        ("zh-TW", "1234567.891", "TWD", false, "$1,234,567.89"),
        ("ko-KR", "-1234567", "KRW", false, "-\u{20a9}1,234,567"),
        ("fr-FR", "1234567.891", "EUR", false, "1\u{202f}234\u{202f}567,89\u{a0}\u{20ac}"),
        ("es-ES", "1234.5", "EUR", false, "1.234,50\u{a0}\u{20ac}"),
        ("pt-BR", "-1234.5", "BRL", false, "-R$\u{a0}1.234,50"),
        ("ru-RU", "1234567.891", "RUB", false, "1\u{a0}234\u{a0}567,89\u{a0}\u{20bd}"),
        ("ar-SA", "-1234567.891", "SAR", false, "\u{200f}-1,234,567.89\u{a0}\u{631}.\u{633}.\u{200f}"),
        ("en-US", "1234.5675", "KWD", false, "KWD1,234.568"),
        ("en-US", "-0", "USD", false, "-$0.00"),
        ("en-US", "2.5", "JPY", false, "\u{a5}2"),
        ("en-US", "3.5", "JPY", false, "\u{a5}4"),
        ("en-US", "0.005", "USD", false, "$0.00"),
        ("en-US", "0.015", "USD", false, "$0.02"),
        ("hi-IN", "1234567890123", "INR", false, "\u{20b9}12,34,56,78,90,123.00"),
        ("en-US", "1250000", "USD", true, "$1.2M"),
        ("zh-CN", "1234567", "CNY", true, "\u{a5}123.5\u{4e07}"),
        ("zh-TW", "123456789", "TWD", true, "$1.2\u{5104}"),
        ("de-DE", "123456789", "EUR", true, "123,5\u{a0}Mio.\u{a0}\u{20ac}"),
        ("de-DE", "999999.5", "EUR", true, "999999,5\u{a0}\u{20ac}"),
        ("fr-FR", "1500", "EUR", true, "1,5\u{a0}k\u{a0}\u{20ac}"),
        ("es-ES", "1234567890", "EUR", true, "1234,6\u{a0}M\u{a0}\u{20ac}"),
        ("pt-BR", "2500000", "BRL", true, "R$\u{a0}2,5\u{a0}mi"),
        ("ja-JP", "123456789", "JPY", true, "\u{ffe5}1.2\u{5104}"),
        ("ko-KR", "123456789", "KRW", true, "\u{20a9}1.2\u{c5b5}"),
        ("hi-IN", "12345678", "INR", true, "\u{20b9}1.2\u{a0}\u{915}\u{970}"),
        ("ar-SA", "3000", "SAR", true, "\u{200f}3\u{a0}\u{622}\u{644}\u{627}\u{641}\u{a0}\u{631}.\u{633}.\u{200f}"),
        ("ar-SA", "3500", "SAR", true, "\u{200f}3.5\u{a0}\u{623}\u{644}\u{641}\u{a0}\u{631}.\u{633}.\u{200f}"),
        ("en-US", "999999.96", "USD", true, "$1M"),
        ("en-US", "123.456", "USD", true, "$123.456"),
        ("ru-RU", "-2500000", "RUB", true, "-2,5\u{a0}\u{43c}\u{43b}\u{43d}\u{a0}\u{20bd}"),
        ("en-US", "1234567", "BTC", true, "BTC1.2M"),
    ]

    @Test func fixedExpectations() throws {
        for (locale, amount, currency, compact, expected) in Self.fixed {
            let formatter = try MoneyFormatter(locale: locale)
            let got = try formatter.format(amount: amount, currency: currency, compact: compact)
            #expect(Array(got.utf8) == Array(expected.utf8), "\(locale) \(amount) \(currency) compact=\(compact): got \(got.debugDescription) expected \(expected.debugDescription)")
        }
    }

    @Test func everyLocaleHasFixedCase() {
        let covered = Set(Self.fixed.map(\.0))
        #expect(covered == Set(MoneyFormatter.supportedLocales))
        #expect(MoneyFormatter.supportedLocales.count == 12)
    }

    @Test func cryptoDefaultKeepsOwnDigits() throws {
        let f = try MoneyFormatter(locale: "en-US")
        #expect(try f.format(amount: "1", currency: "BTC") == "BTC1.00")
        #expect(try f.format(amount: "1.000", currency: "btc") == "BTC1.00")
        #expect(try f.format(amount: "0.12345678", currency: "BTC") == "BTC0.12345678")
        #expect(try f.format(amount: "-1234.5", currency: "ETH") == "-ETH1,234.50")
        let de = try MoneyFormatter(locale: "de_DE")
        #expect(try de.format(amount: "1.23456789", currency: "ETH") == "1,23456789\u{a0}ETH")
    }

    @Test func cryptoDigitsRoundsHalfEven() throws {
        let f = try MoneyFormatter(locale: "en-US")
        #expect(try f.format(amount: "1.23456789", currency: "ETH", cryptoDigits: 4) == "ETH1.2346")
        #expect(try f.format(amount: "0.125", currency: "USDT", cryptoDigits: 2) == "USDT0.12")
        #expect(try f.format(amount: "2.5", currency: "USDT", cryptoDigits: 0) == "USDT2")
        #expect(try f.format(amount: "1", currency: "BTC", cryptoDigits: 8) == "BTC1.00000000")
        // ignored for fiat
        #expect(try f.format(amount: "1.23456", currency: "USD", cryptoDigits: 4) == "$1.23")
        #expect(throws: FormatError.self) { try f.format(amount: "1", currency: "BTC", cryptoDigits: -1) }
    }

    @Test func localeParsing() throws {
        #expect(try MoneyFormatter(locale: "en_US").locale == "en-US")
        #expect(try MoneyFormatter(locale: "ZH-tw").locale == "zh-TW")
        do {
            _ = try MoneyFormatter(locale: "xx-YY")
            Issue.record("expected error")
        } catch {
            #expect(error.description.contains("xx-YY"))
            #expect(error.description.contains("hi-IN"))
        }
    }

    @Test(arguments: ["", "-", ".", "1e5", "1E5", "1.2.3", "12a", "1,000", " 1", "1 ", "--1", "1-", "0x10", "NaN", "Infinity", "١٢"])
    func badAmounts(_ amount: String) throws {
        let f = try MoneyFormatter(locale: "en-US")
        #expect(throws: FormatError.self) { try f.format(amount: amount, currency: "USD") }
    }

    @Test func badAmountMessages() throws {
        let f = try MoneyFormatter(locale: "en-US")
        func message(_ a: String) -> String {
            do { _ = try f.format(amount: a, currency: "USD"); return "" } catch { return error.description }
        }
        #expect(message("").contains("empty"))
        #expect(message("1e5").contains("exponent"))
        #expect(message("1.2.3").contains("more than one decimal point"))
        #expect(message("12a").contains("unexpected character"))
    }

    @Test(arguments: ["", "US", "TOOLONG", "U$D", "€"])
    func badCurrencies(_ code: String) throws {
        let f = try MoneyFormatter(locale: "en-US")
        #expect(throws: FormatError.self) { try f.format(amount: "1", currency: code) }
    }

    @Test func acceptedAmountSpellings() throws {
        let f = try MoneyFormatter(locale: "en-US")
        #expect(try f.format(amount: "+5", currency: "USD") == "$5.00")
        #expect(try f.format(amount: ".5", currency: "USD") == "$0.50")
        #expect(try f.format(amount: "5.", currency: "USD") == "$5.00")
        #expect(try f.format(amount: "000123.4", currency: "USD") == "$123.40")
    }

    @Test func pluralRulesInDataMatchHandWrittenRules() {
        for locale in CLDRMoneyData.shared.locales {
            #expect(PluralRules.expectedRules[locale.language] == locale.pluralRules, "\(locale.locale)")
        }
    }

    @Test func dataVersion() {
        #expect(CLDRMoneyData.shared.babelVersion == "2.19.0")
        #expect(CLDRMoneyData.shared.currencyDigits["JPY"] == 0)
        #expect(CLDRMoneyData.shared.currencyDigits["KWD"] == 3)
        #expect(CLDRMoneyData.shared.currencyDigits["BTC"] == nil)
        for locale in CLDRMoneyData.shared.locales {
            #expect(locale.compactFallback?.hasCurrencySign == true, "\(locale.locale)")
        }
    }

    @Test func halfEvenRounding() throws {
        func r(_ s: String, _ n: Int) throws -> String {
            let d = try DecimalAmount(parsing: s).roundedHalfEven(places: n)
            return (d.negative ? "-" : "") + d.integerString + (n > 0 ? "." + d.fractionString : "")
        }
        #expect(try r("0.125", 2) == "0.12")
        #expect(try r("0.135", 2) == "0.14")
        #expect(try r("0.1251", 2) == "0.13")
        #expect(try r("9.995", 2) == "10.00")
        #expect(try r("-2.5", 0) == "-2")
        #expect(try r("99999.5", 0) == "100000")
    }
}
