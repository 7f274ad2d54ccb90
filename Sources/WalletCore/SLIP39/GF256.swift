/// Arithmetic in GF(256) as SLIP-39 (and AES) defines it: bytes are polynomials over GF(2)
/// reduced modulo the Rijndael polynomial x^8 + x^4 + x^3 + x + 1 (0x11B).
///
/// Addition and subtraction are XOR. The log/exp tables (generator 3) serve the arithmetic on
/// share indices, which are public; secret bytes are multiplied with `multiply(_:_:)`, which
/// neither branches on nor looks up a table with its operands, so the time taken does not
/// depend on the secret.
enum GF256 {
    /// `exp[i]` = 3^i for i in 0..<255, repeated once so that `exp[a + b]` needs no reduction.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value: UInt8 = 1
        for i in 0..<255 {
            table[i] = value
            table[i + 255] = value
            value = multiply(value, 3)
        }
        return table
    }()

    /// `log[x]` for x in 1...255 (the inverse of `exp`); `log[0]` is unused and left 0.
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exp[i])] = i }
        return table
    }()

    /// The product of `a` and `b`, in constant time (shift-and-add with masks, no table, no branch).
    @inline(__always)
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var product: UInt8 = 0
        var a = a
        var b = b
        for _ in 0..<8 {
            product ^= a & (0 &- (b & 1))
            // Multiply a by x: shift, and reduce by 0x1B when the top bit falls out.
            let carry = 0 &- (a >> 7)
            a = (a << 1) ^ (0x1B & carry)
            b >>= 1
        }
        return product
    }

    /// The coefficient of the point at `xs[i]` in the Lagrange polynomial evaluated at `x`:
    /// the product over j != i of (x - xs[j]) / (xs[i] - xs[j]).
    ///
    /// The indices in `xs` must be pairwise distinct and none equal to `x`. They are public
    /// (share indices), so the table lookups here leak nothing secret.
    static func lagrangeBasis(at x: UInt8, points xs: [UInt8], for i: Int) -> UInt8 {
        var logNumerator = 0
        var logDenominator = 0
        for (j, other) in xs.enumerated() where j != i {
            logNumerator += log[Int(x ^ other)]
            logDenominator += log[Int(xs[i] ^ other)]
        }
        return exp[((logNumerator - logDenominator) % 255 + 255) % 255]
    }

    /// The values at `x` of the polynomials (one per byte position) of lowest degree through the
    /// points (`xs[i]`, `ys[i]`): Lagrange interpolation, byte by byte.
    ///
    /// `xs` must be pairwise distinct and every `ys[i]` as long as `ys[0]`. When `x` is one of
    /// the `xs`, the result is that point's value.
    static func interpolate(at x: UInt8, xs: [UInt8], ys: [[UInt8]]) -> [UInt8] {
        precondition(!xs.isEmpty && xs.count == ys.count, "interpolation needs one value per index")
        if let known = xs.firstIndex(of: x) { return ys[known] }
        let length = ys[0].count
        var result = [UInt8](repeating: 0, count: length)
        for i in xs.indices {
            let basis = lagrangeBasis(at: x, points: xs, for: i)
            for k in 0..<length {
                result[k] ^= multiply(ys[i][k], basis)
            }
        }
        return result
    }
}
