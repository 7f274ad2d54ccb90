@testable import Market

/// An arbitrary-precision model of non-negative decimals as digit strings, written independently
/// of the implementation (no UInt256, no Double, no Decimal): the oracle of the property tests.
enum Model {
    static let maxUInt128 = "340282366920938463463374607431768211455"

    static func strip(_ s: String) -> String {
        let t = s.drop(while: { $0 == "0" })
        return t.isEmpty ? "0" : String(t)
    }

    static func compare(_ a: String, _ b: String) -> Int {
        let x = strip(a), y = strip(b)
        if x.count != y.count { return x.count < y.count ? -1 : 1 }
        return x == y ? 0 : (x < y ? -1 : 1)
    }

    static func multiply(_ a: String, _ b: String) -> String {
        let x = a.utf8.map { Int($0) - 48 }, y = b.utf8.map { Int($0) - 48 }
        var out = [Int](repeating: 0, count: x.count + y.count)
        for i in stride(from: x.count - 1, through: 0, by: -1) {
            for j in stride(from: y.count - 1, through: 0, by: -1) {
                out[i + j + 1] += x[i] * y[j]
            }
        }
        for k in stride(from: out.count - 1, to: 0, by: -1) {
            out[k - 1] += out[k] / 10
            out[k] %= 10
        }
        return strip(String(out.map { Character(String($0)) }))
    }

    static func addOne(_ a: String) -> String {
        var d = Array(strip(a).utf8.map { Int($0) - 48 })
        var i = d.count - 1
        while i >= 0 {
            if d[i] < 9 { d[i] += 1; break }
            d[i] = 0
            i -= 1
        }
        if i < 0 { d.insert(1, at: 0) }
        return String(d.map { Character(String($0)) })
    }

    /// a − b for a ≥ b.
    static func subtract(_ a: String, _ b: String) -> String {
        var x = Array(strip(a).utf8.map { Int($0) - 48 })
        let y = Array(strip(b).utf8.map { Int($0) - 48 })
        var borrow = 0
        for k in 0..<x.count {
            let i = x.count - 1 - k
            let yd = k < y.count ? y[y.count - 1 - k] : 0
            var v = x[i] - yd - borrow
            borrow = v < 0 ? 1 : 0
            if v < 0 { v += 10 }
            x[i] = v
        }
        precondition(borrow == 0)
        return strip(String(x.map { Character(String($0)) }))
    }

    static func zeros(_ n: Int) -> String { String(repeating: "0", count: max(0, n)) }

    /// digits × 10^shift, rounded by `rule` when shift < 0.
    static func scale(_ digits: String, _ shift: Int, _ rule: RoundingRule) -> String {
        if shift >= 0 { return strip(digits + zeros(shift)) }
        let k = -shift
        let padded = zeros(k + 1 - digits.count) + digits
        let q = strip(String(padded.dropLast(k)))
        let r = String(padded.suffix(k))
        let half = "5" + zeros(k - 1)
        let rIsZero = strip(r) == "0"
        let c = compare(r, half)
        let odd = Int(q.utf8.last! - 48) % 2 == 1
        let increment: Bool
        if rIsZero {
            increment = false
        } else {
            switch rule {
            case .down, .floor: increment = false
            case .up, .ceiling: increment = true
            case .halfUp: increment = c >= 0
            case .halfDown: increment = c > 0
            case .halfEven: increment = c > 0 || (c == 0 && odd)
            }
        }
        return increment ? addOne(q) : q
    }

    static func fits(_ digits: String) -> Bool { compare(digits, maxUInt128) <= 0 }

    /// m × 10^(e − base) as digits (e ≥ base).
    static func at(_ m: UInt128, _ e: Int, base: Int) -> String { strip(String(m) + zeros(e - base)) }

    /// The order of two prices by digit strings.
    static func compare(_ a: Price, _ b: Price) -> Int {
        let base = min(a.exponent, b.exponent)
        return compare(at(a.mantissa, a.exponent, base: base), at(b.mantissa, b.exponent, base: base))
    }
}
