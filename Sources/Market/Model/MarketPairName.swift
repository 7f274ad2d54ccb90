import CofferBase

/// A pair as operators write it, `BASE/QUOTE` ("BTC/USD"): two codes of 1-16 characters from
/// A-Z and 0-9 (upper case; lower case is accepted and raised). The quote of a fiat pair is an
/// ISO 4217 code; the base is any asset code.
public struct MarketPairName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let base: String
    public let quote: String

    public init(base: String, quote: String) {
        self.base = base
        self.quote = quote
    }

    public init(parsing text: String, field: String = "pair") throws(MarketInputError) {
        let parts = text.uppercased().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let base = parts.first.map(String.init), let quote = parts.last.map(String.init),
              Self.isCode(base), Self.isCode(quote) else {
            throw MarketInputError("\(field): \"\(text.prefix(40))\" is not a pair like BTC/USD (two codes of 1-16 letters or digits)")
        }
        guard base != quote else { throw MarketInputError("\(field): \(text.prefix(40)) quotes an asset in itself") }
        self.init(base: base, quote: quote)
    }

    static func isCode(_ code: String) -> Bool {
        (1...16).contains(code.utf8.count) && code.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }
    }

    public var description: String { base + "/" + quote }

    public static func < (lhs: MarketPairName, rhs: MarketPairName) -> Bool { lhs.description < rhs.description }
}

/// A market request that is malformed: names what was wrong.
public struct MarketInputError: CofferError, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
    public var code: String { "invalid-request" }
    public var category: ErrorCategory { .invalidInput }
}
