/// Formats fiat and crypto money amounts exactly as Babel 2.19.0 (CLDR 47 data) does.
///
/// Numbers always use the Latin digits and the `latn` symbols of the locale (Babel's default
/// `numbering_system="latn"`), including for ar-SA. The negative sign is the ASCII "-" that
/// Babel's pattern parser inserts (or the locale's explicit negative sub-pattern, as in ar-SA).
///
/// Definitions (each is what the cross-check compares against):
/// - **Fiat** = any code in CLDR's currency list (Babel `list_currencies()`, 307 codes).
///   `format` == `babel.numbers.format_currency(amount, code, locale=L)`: standard currency
///   pattern, rounded half-even to the currency's CLDR digits (`get_currency_precision`:
///   USD 2, JPY 0, KWD 3, …). `cryptoDigits` is ignored for fiat.
/// - **Crypto** = any other 3–5 character code of ASCII letters/digits (BTC, ETH, USDT, …).
///   The symbol is the code itself (unless CLDR has one for the locale), placed exactly where
///   the pattern puts "¤" (so en-US gives "BTC1.50", with no space — that is Babel's output).
///   - `cryptoDigits == nil`: `format_currency(amount, code, locale=L, currency_digits=False,
///     decimal_quantization=False)` — all of the amount's own digits, trailing zeros trimmed,
///     but never fewer than the pattern's 2 fraction digits ("1" → "1.00", "0.12345678" → "0.12345678").
///   - `cryptoDigits == N`: round half-even to exactly N fraction digits, i.e.
///     `format_currency(amount, code, format=<standard pattern with N fraction digits>, locale=L,
///     currency_digits=False)`.
/// - **Compact** (`compact: true`, fiat or crypto, `cryptoDigits` ignored):
///   `format_compact_currency(amount, code, locale=L, fraction_digits=1)`
///   ("$1.2M", "1,2 Mio. €", "¥123.5万"). Where CLDR has no abbreviation for the magnitude
///   (below 1000 everywhere; below 10 000 in zh/ja; below 1 000 000 in de) Babel falls back to a
///   bare "¤0"-style pattern *without rounding or grouping*: "$123.456", "999999,5 €". That is
///   reproduced as-is.
/// - A leading "-" makes the result negative even when the value is or rounds to zero
///   ("-0.001" USD → "-$0.00"), as in Babel.
public struct MoneyFormatter: Sendable {
    /// Fraction digits used for `compact: true` (Babel `fraction_digits`).
    public static let compactFractionDigits = 1

    /// "en-US", "zh-CN", … in the order of the data file.
    public static let supportedLocales: [String] = CLDRMoneyData.shared.locales.map(\.locale)

    /// Canonical identifier ("en-US") of this formatter's locale.
    public let locale: String
    let data: CLDRLocaleData

    /// Locales as "en-US" (also accepts "en_US", any letter case); unknown → throws.
    public init(locale: String) throws(FormatError) {
        let wanted = locale.replacingUnderscores().lowercased()
        guard let match = CLDRMoneyData.shared.locales.first(where: { $0.locale.lowercased() == wanted }) else {
            throw FormatError("Unsupported locale \"\(locale)\"; supported locales: \(Self.supportedLocales.joined(separator: ", "))")
        }
        self.locale = match.locale
        self.data = match
    }

    /// `amount` is a decimal string in the currency's MAJOR unit ("1234567.891", "-12.5", "0").
    /// See the type documentation for the exact fiat / crypto / compact rules.
    public func format(amount: String, currency: String, compact: Bool = false, cryptoDigits: Int? = nil) throws(FormatError) -> String {
        let value = try DecimalAmount(parsing: amount)
        let code = try Self.validatedCode(currency)
        let symbol = data.currencySymbols[code] ?? code
        let all = CLDRMoneyData.shared

        if compact {
            return formatCompact(value, symbol: symbol)
        }
        let pattern = data.currencyStandard
        if let digits = all.currencyDigits[code] {
            return NumberRenderer.render(value, pattern: pattern, minFrac: digits, maxFrac: digits, locale: data, symbol: symbol)
        }
        if let cryptoDigits {
            guard (0...40).contains(cryptoDigits) else {
                throw FormatError("cryptoDigits must be between 0 and 40, got \(cryptoDigits)")
            }
            return NumberRenderer.render(value, pattern: pattern, minFrac: cryptoDigits, maxFrac: cryptoDigits, locale: data, symbol: symbol)
        }
        return NumberRenderer.render(value, pattern: pattern, minFrac: pattern.minFrac,
                                     maxFrac: max(pattern.maxFrac, value.precision), locale: data, symbol: symbol)
    }

    static func validatedCode(_ currency: String) throws(FormatError) -> String {
        let upper = currency.uppercased()
        let scalars = Array(upper.unicodeScalars)
        let isAlnum: (Unicode.Scalar) -> Bool = { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        guard (3...5).contains(scalars.count), scalars.allSatisfy(isAlnum) else {
            throw FormatError("Invalid currency code \"\(currency)\": expected an ISO 4217 code or a 3-5 character crypto ticker (letters/digits)")
        }
        return upper
    }

    // MARK: Compact (babel.numbers.format_compact_currency / _get_compact_format)

    func formatCompact(_ number: DecimalAmount, symbol: String) -> String {
        let (value, found) = compactPattern(number, fractionDigits: Self.compactFractionDigits)
        var pattern = found
        if pattern == nil || !(pattern!.hasCurrencySign) {
            // Babel: first "other" pattern with a ¤, reduced to ¤/0/spaces (precomputed).
            pattern = data.compactFallback ?? pattern
        }
        guard let pattern else {
            // Babel raises ValueError here; no shipped locale reaches it (checked by tests).
            return NumberRenderer.render(number, pattern: data.currencyStandard, minFrac: 2, maxFrac: max(2, number.precision), locale: data, symbol: symbol)
        }
        return NumberRenderer.render(value, pattern: pattern, minFrac: pattern.minFrac,
                                     maxFrac: max(pattern.maxFrac, value.precision), locale: data, symbol: symbol)
    }

    func compactPattern(_ number: DecimalAmount, fractionDigits: Int) -> (DecimalAmount, CLDRPattern?) {
        let entries = data.compactCurrency
        for (index, entry) in entries.enumerated() {
            guard number.magnitudeIsAtLeast(powerOfTen: entry.magnitudeExponent) else { continue }
            if entry.isPlain { return (number, entry.other) }
            let scaled = number.shiftedRight(entry.divisorExponent)
            let rounded = scaled.roundedHalfEven(places: fractionDigits)
            if index > 0, rounded.shiftedLeft(entry.divisorExponent).magnitudeIsAtLeast(powerOfTen: entries[index - 1].magnitudeExponent) {
                let bumped = DecimalAmount(negative: number.negative,
                                           integerDigits: [1] + Array(repeating: 0, count: entries[index - 1].magnitudeExponent),
                                           fractionDigits: [])
                return compactPattern(bumped, fractionDigits: fractionDigits)
            }
            let category = PluralRules.category(language: data.language, value: rounded)
            var pattern = entry.forms[category] ?? entry.other
            let normalized = rounded.magnitude.normalized
            if let one = entry.explicitOne, !rounded.negative, normalized.integerDigits == [1], normalized.fractionDigits.isEmpty {
                pattern = one
            }
            return (rounded, pattern)
        }
        return (number, nil)
    }
}

/// Babel `NumberPattern.apply` for plain (non-scientific, non-significant-digit) patterns.
enum NumberRenderer {
    static func render(_ value: DecimalAmount, pattern: CLDRPattern, minFrac: Int, maxFrac: Int,
                       locale: CLDRLocaleData, symbol: String) -> String {
        let rounded = value.magnitude.normalized.roundedHalfEven(places: maxFrac)
        // Integer part: pad to the pattern's minimum digits, then group.
        var integer = rounded.integerString
        if integer.utf8.count < pattern.minInt {
            integer = String(repeating: "0", count: pattern.minInt - integer.utf8.count) + integer
        }
        var digits = Array(integer.utf8)
        var grouped = ""
        var size = pattern.primaryGrouping
        while digits.count > size {
            grouped = locale.groupSymbol + String(decoding: digits.suffix(size), as: UTF8.self) + grouped
            digits.removeLast(size)
            size = pattern.secondaryGrouping
        }
        var number = String(decoding: digits, as: UTF8.self) + grouped
        // Fraction part (Babel _format_frac).
        var fraction = rounded.fractionDigits.isEmpty ? [UInt8(0)] : rounded.fractionDigits
        if fraction.count < minFrac { fraction += Array(repeating: 0, count: minFrac - fraction.count) }
        if !(maxFrac == 0 || (minFrac == 0 && fraction.allSatisfy { $0 == 0 })) {
            while fraction.count > minFrac, fraction.last == 0 { fraction.removeLast() }
            number += locale.decimalSymbol + String(decoding: fraction.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        }
        let negative = value.negative
        let assembled = (negative ? pattern.negPrefix : pattern.posPrefix) + number + (negative ? pattern.negSuffix : pattern.posSuffix)
        return unquote(assembled.replacingCurrencySign(with: symbol))
    }

    /// Babel: re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", s)
    static func unquote(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains("'") else { return text }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "'", let close = scalars[(i + 1)...].firstIndex(of: "'") {
                if close == i + 1 { out.append("'") } else { out.append(contentsOf: scalars[(i + 1)..<close]) }
                i = close + 1
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }
}

extension String {
    func replacingUnderscores() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "_" ? "-" : $0 }))
    }

    func replacingCurrencySign(with symbol: String) -> String {
        guard unicodeScalars.contains("¤") else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar == "¤" { out.append(contentsOf: symbol.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }
}
