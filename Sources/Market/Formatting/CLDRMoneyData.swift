#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A CLDR number pattern, pre-parsed by Babel's `parse_pattern` in `scripts/cldr/generate.py`.
struct CLDRPattern: Decodable, Sendable, Equatable {
    let pattern: String
    let posPrefix: String
    let negPrefix: String
    let posSuffix: String
    let negSuffix: String
    /// Babel uses 1000 for "no grouping".
    let primaryGrouping: Int
    let secondaryGrouping: Int
    let minInt: Int
    let minFrac: Int
    let maxFrac: Int

    var hasCurrencySign: Bool { pattern.unicodeScalars.contains("¤") }
}

struct CLDRCompactEntry: Decodable, Sendable {
    /// Power of ten as a decimal string ("1000", "10000", ...).
    let magnitude: String
    let other: CLDRPattern
    /// Pattern is exactly "0": Babel does not divide or round.
    let isPlain: Bool
    /// divisor = 10^divisorExponent
    let divisorExponent: Int
    /// Plural-category patterns that differ from `other`.
    let forms: [String: CLDRPattern]
    /// CLDR explicit "1" pattern, if any (none in the shipped locales).
    let explicitOne: CLDRPattern?

    /// log10(magnitude); validated when the data is loaded.
    var magnitudeExponent: Int { magnitude.utf8.count - 1 }
}

struct CLDRLocaleData: Decodable, Sendable {
    let locale: String
    let babelIdentifier: String
    let language: String
    let decimalSymbol: String
    let groupSymbol: String
    let minusSign: String
    let plusSign: String
    let currencyStandard: CLDRPattern
    let currencyAccounting: CLDRPattern
    let decimal: CLDRPattern
    let currencySymbols: [String: String]
    let compactCurrency: [CLDRCompactEntry]
    let compactFallback: CLDRPattern?
    let pluralRules: [String: String]
}

struct CLDRMoneyData: Decodable, Sendable {
    let babelVersion: String
    let cldrVersion: String?
    let defaultCurrencyDigits: Int
    let currencyDigits: [String: Int]
    let locales: [CLDRLocaleData]

    /// Decoded once from the JSON embedded by SwiftPM (`PackageResources.cldr_money_json`).
    static let shared: CLDRMoneyData = {
        let bytes = PackageResources.cldr_money_json
        do {
            let data = try JSONDecoder().decode(CLDRMoneyData.self, from: Data(bytes))
            try data.validate()
            return data
        } catch {
            fatalError("Embedded cldr-money.json is invalid: \(error)")
        }
    }()

    struct InvalidData: Error, CustomStringConvertible {
        let description: String
    }

    func validate() throws {
        for locale in locales {
            var previous = Int.max
            for entry in locale.compactCurrency {
                let scalars = Array(entry.magnitude.unicodeScalars)
                guard scalars.first == "1", scalars.dropFirst().allSatisfy({ $0 == "0" }) else {
                    throw InvalidData(description: "\(locale.locale): compact magnitude \(entry.magnitude) is not a power of ten")
                }
                guard entry.magnitudeExponent < previous else {
                    throw InvalidData(description: "\(locale.locale): compact magnitudes not strictly descending")
                }
                previous = entry.magnitudeExponent
            }
        }
    }
}
