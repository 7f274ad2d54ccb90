public import Chains
import CofferBase

/// Amounts as Bitcoin Core writes them in JSON: coins in fixed point with eight places
/// (`0.00012345`, `50.00000000`), read exactly from the number's literal text into the smallest
/// unit (satoshi, litoshi). Never through a `Double`.
public enum BitcoinAmount {
    /// Decimal places of one coin.
    public static let decimals = 8

    /// The smallest units of a coin amount literal; nil when it is negative, not fixed-point
    /// decimal (Bitcoin Core never writes an exponent), finer than one smallest unit or beyond
    /// `UInt64`.
    public static func units(literal: String) -> UInt64? {
        var text = literal.utf8[...]
        let negative = text.first == UInt8(ascii: "-")
        if negative { text = text.dropFirst() }
        let point = text.firstIndex(of: UInt8(ascii: "."))
        let whole = text[..<(point ?? text.endIndex)]
        var fraction = point.map { text[text.index(after: $0)...] } ?? text[text.endIndex...]
        guard !whole.isEmpty, point == nil || !fraction.isEmpty else { return nil }
        // Places beyond the eighth may only be zeros.
        while fraction.count > decimals, fraction.last == UInt8(ascii: "0") { fraction = fraction.dropLast() }
        guard fraction.count <= decimals else { return nil }
        var units: UInt64 = 0
        for digit in Array(whole) + Array(fraction) + Array(repeating: UInt8(ascii: "0"), count: decimals - fraction.count) {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = units.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            units = sum
        }
        guard !negative || units == 0 else { return nil }
        return units
    }

    /// `units` as a coin amount literal with eight places, as Bitcoin Core takes it (`0.00012345`).
    public static func literal(_ units: UInt64) -> JSONValue {
        .number(AmountText.display(UInt128(units), decimals: UInt8(decimals)))
    }
}

extension NodeAnswer {
    /// A coin amount in smallest units.
    public func amount() throws(NodeError) -> UInt64 {
        guard case .number(let literal) = value else { throw bad("expected an amount, got \(value.kindName)") }
        guard let units = BitcoinAmount.units(literal: literal) else {
            throw bad("\(literal.prefix(40)) is not an amount of whole smallest units (fixed point with at most \(BitcoinAmount.decimals) places, not negative)")
        }
        return units
    }

    public func amount(_ key: String) throws(NodeError) -> UInt64 { try member(key).amount() }
}
