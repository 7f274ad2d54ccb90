/// CLDR cardinal plural categories for the shipped locales, hand-written from the rules in
/// `cldr-money.json` (`pluralRules`). A unit test checks the JSON rules still equal
/// ``PluralRules/expectedRules`` so a data refresh that changes them fails loudly.
///
/// Only used to choose compact patterns (CLDR/Babel picks the compact pattern by the plural
/// category of the displayed, rounded number). Operands follow UTS #35 with the compact
/// exponent `e` = 0, as Babel does.
enum PluralRules {
    static let expectedRules: [String: [String: String]] = [
        "en": ["one": "i in 1 and v in 0"],
        "de": ["one": "i in 1 and v in 0"],
        "fr": ["many": "e in 0 and i not in 0 and i mod 1000000 in 0 and v in 0 or e not in 0..5", "one": "i in 0..1"],
        "es": ["many": "e in 0 and i not in 0 and i mod 1000000 in 0 and v in 0 or e not in 0..5", "one": "n in 1"],
        "pt": ["many": "e in 0 and i not in 0 and i mod 1000000 in 0 and v in 0 or e not in 0..5", "one": "i in 0..1"],
        "ru": [
            "few": "v in 0 and i mod 10 in 2..4 and i mod 100 not in 12..14",
            "many": "v in 0 and i mod 10 in 0 or v in 0 and i mod 10 in 5..9 or v in 0 and i mod 100 in 11..14",
            "one": "v in 0 and i mod 10 in 1 and i mod 100 not in 11",
        ],
        "ar": ["few": "n mod 100 in 3..10", "many": "n mod 100 in 11..99", "one": "n in 1", "two": "n in 2", "zero": "n in 0"],
        "hi": ["one": "i in 0 or n in 1"],
        "zh": [:], "ja": [:], "ko": [:],
    ]

    /// Category ("zero", "one", "two", "few", "many", "other") of |value|.
    static func category(language: String, value: DecimalAmount) -> String {
        let n = value.magnitude.normalized
        let v = n.fractionDigits.count
        let nIsInteger = v == 0
        let iIsZero = n.integerDigits.isEmpty
        let iIsOne = n.integerDigits == [1]
        let i10 = n.integerModulo(powerOfTen: 1)
        let i100 = n.integerModulo(powerOfTen: 2)
        let manyMillions = !iIsZero && n.integerModulo(powerOfTen: 6) == 0 && v == 0
        switch language {
        case "en", "de":
            return iIsOne && v == 0 ? "one" : "other"
        case "fr", "pt":
            if iIsZero || iIsOne { return "one" }
            return manyMillions ? "many" : "other"
        case "es":
            if iIsOne && nIsInteger { return "one" }
            return manyMillions ? "many" : "other"
        case "ru":
            guard v == 0 else { return "other" }
            if i10 == 1 && i100 != 11 { return "one" }
            if (2...4).contains(i10) && !(12...14).contains(i100) { return "few" }
            if i10 == 0 || (5...9).contains(i10) || (11...14).contains(i100) { return "many" }
            return "other"
        case "ar":
            guard nIsInteger else { return "other" }
            if iIsZero { return "zero" }
            if iIsOne { return "one" }
            if n.integerDigits == [2] { return "two" }
            if (3...10).contains(i100) { return "few" }
            if (11...99).contains(i100) { return "many" }
            return "other"
        case "hi":
            return iIsZero || (iIsOne && nIsInteger) ? "one" : "other"
        default:
            return "other"
        }
    }
}
