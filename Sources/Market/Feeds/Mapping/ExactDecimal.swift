import CofferBase
/// Exact decimal text handling: validation and normalisation of prices, volumes and numeric
/// timestamps, entirely on digit strings (no `Double`, no `Decimal`).
public enum ExactDecimal {
    /// Why a text is not an acceptable non-negative decimal.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        /// Not of the form `[+]digits[.digits][e[+|-]digits]` (also covers NaN, Infinity, spaces, commas, hex).
        case notADecimal
        /// A leading `-` (including `-0`): prices and volumes are never negative.
        case negative
        /// The plain form would need more than the allowed number of digits.
        case tooManyDigits(limit: Int)

        public var description: String {
            switch self {
            case .empty: "is empty"
            case .notADecimal: "is not a decimal number"
            case .negative: "is negative"
            case .tooManyDigits(let limit): "needs more than \(limit) digits when written out"
            }
        }
    }

    /// The largest number of digits (integer + fraction) a normalised decimal may have. It bounds
    /// the work an exponent like `1e999999999` can cause, and is far beyond any real price.
    public static let maxDigits = 64

    /// Normalises a non-negative decimal written as in JSON (`64123.45`, `1e-8`, `1.5E+3`) or as
    /// exchanges put it in strings (`"+0.5"`, `".5"`, `"5."`, `"007.50"`).
    ///
    /// The result is the plain (exponent-free) text of exactly the same value with the same
    /// scale: a leading `+` is dropped, the exponent is expanded by moving the decimal point,
    /// redundant leading zeros of the integer part are removed (one `0` is kept before a `.`),
    /// and the number of fraction digits is `max(0, fractionDigits − exponent)` — so trailing zeros
    /// that the source wrote are kept (`"64123.40000"` stays so) and never invented or lost:
    /// `1e-8` → `0.00000001`, `1.5e3` → `1500`, `1.50e-3` → `0.00150`, `100e-2` → `1.00`.
    public static func normalize(_ text: String, maxDigits: Int = ExactDecimal.maxDigits) -> Result<String, Problem> {
        let u = Array(text.utf8)
        let n = u.count
        guard n > 0 else { return .failure(.empty) }
        var i = 0
        var negative = false
        if u[0] == UInt8(ascii: "+") {
            i = 1
        } else if u[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        let intStart = i
        while i < n, isDigit(u[i]) { i += 1 }
        let intEnd = i
        var fracStart = i
        var fracEnd = i
        if i < n, u[i] == UInt8(ascii: ".") {
            i += 1
            fracStart = i
            while i < n, isDigit(u[i]) { i += 1 }
            fracEnd = i
        }
        guard intEnd > intStart || fracEnd > fracStart else { return .failure(.notADecimal) }
        var exponent = 0
        if i < n, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            var exponentNegative = false
            if i < n, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
                exponentNegative = u[i] == UInt8(ascii: "-")
                i += 1
            }
            let digitsStart = i
            while i < n, isDigit(u[i]) {
                // Saturate: anything this large fails the digit limit anyway (or is zero).
                if exponent < 1_000_000_000 { exponent = exponent * 10 + Int(u[i] - UInt8(ascii: "0")) }
                i += 1
            }
            guard i > digitsStart else { return .failure(.notADecimal) }
            if exponentNegative { exponent = -exponent }
        }
        guard i == n else { return .failure(.notADecimal) }
        guard !negative else { return .failure(.negative) }

        // value = significant × 10^(−scale), significant without leading zeros (empty for zero).
        var coefficient = Array(u[intStart..<intEnd])
        coefficient.append(contentsOf: u[fracStart..<fracEnd])
        let significant = coefficient.drop(while: { $0 == UInt8(ascii: "0") })
        let scale = (fracEnd - fracStart) - exponent
        let zero = UInt8(ascii: "0")

        if scale <= 0 {
            if significant.isEmpty { return .success("0") }
            guard significant.count <= maxDigits, -scale <= maxDigits - significant.count else {
                return .failure(.tooManyDigits(limit: maxDigits))
            }
            var out = Array(significant)
            out.append(contentsOf: repeatElement(zero, count: -scale))
            return .success(String(decoding: out, as: UTF8.self))
        }
        let integerDigits = max(1, significant.count - scale)
        guard scale <= maxDigits, integerDigits <= maxDigits - scale else { return .failure(.tooManyDigits(limit: maxDigits)) }
        var out: [UInt8] = []
        out.reserveCapacity(integerDigits + scale + 1)
        if significant.count <= scale {
            out.append(zero)
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: repeatElement(zero, count: scale - significant.count))
            out.append(contentsOf: significant)
        } else {
            let split = significant.index(significant.endIndex, offsetBy: -scale)
            out.append(contentsOf: significant[..<split])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: significant[split...])
        }
        return .success(String(decoding: out, as: UTF8.self))
    }

    /// Whether a normalised decimal is zero (all its digits are `0`).
    public static func isZero(_ normalized: String) -> Bool {
        normalized.utf8.allSatisfy { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: ".") }
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
