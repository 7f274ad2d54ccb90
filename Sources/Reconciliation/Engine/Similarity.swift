/// Which string similarity a description condition uses.
public enum SimilarityMethod: String, Sendable, Hashable, CaseIterable {
    /// Jaro-Winkler with prefix scale 1/10 and maximum prefix 4 (the default).
    case jaroWinkler = "jaro_winkler"
    /// 1 - editDistance / max(length), Levenshtein edit distance.
    case levenshtein
}

/// An exact similarity in 0...1 as a reduced fraction.
///
/// Scores are rationals computed in integers, so thresholds compare exactly and results are
/// bit-identical on every platform; `perMille` is the rounded form for reporting.
public struct SimilarityScore: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    public static let zero = SimilarityScore(numerator: 0, denominator: 1)
    public static let one = SimilarityScore(numerator: 1, denominator: 1)

    /// Creates `numerator/denominator` reduced to lowest terms (so `==`/hash agree with value).
    public init(numerator: Int64, denominator: Int64) {
        precondition(denominator > 0 && numerator >= 0 && numerator <= denominator, "similarity must be in 0...1")
        var a = numerator, b = denominator
        while b != 0 { (a, b) = (b, a % b) }
        let g = max(a, 1)
        self.numerator = numerator / g
        self.denominator = denominator / g
    }

    /// Rounded to the nearest per-mille, halves rounded up (0.9615 → 962, 0.8405 → 841).
    public var perMille: Int {
        Int((Int128(numerator) * 2000 + Int128(denominator)) / (Int128(denominator) * 2))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        Int128(lhs.numerator) * Int128(rhs.denominator) < Int128(rhs.numerator) * Int128(lhs.denominator)
    }

    public var description: String { "\(numerator)/\(denominator)" }
}

/// A minimum similarity parsed exactly from decimal text ("0.8" is exactly 8/10).
public struct SimilarityThreshold: Sendable, Hashable, CustomStringConvertible {
    /// Most decimal places accepted: finer thresholds are meaningless for text similarity
    /// and keeping denominators ≤ 10^9 keeps every comparison inside `Int128`.
    public static let maxDecimalPlaces = 9

    public let numerator: Int64
    /// A power of ten, 10^0 ... 10^9.
    public let denominator: Int64
    /// The original decimal text, canonicalised (for messages and round-tripping).
    public let text: String

    /// Parses a decimal in 0...1 such as `"0.8"`, `"1"`, `"8e-1"` without floating point.
    public init(_ text: String) throws(ReconError) {
        guard let f = DecimalText.fraction(text, maxScale: Self.maxDecimalPlaces) else {
            throw ReconError(.ruleInvalidValue, "min_similarity \"\(text)\" is not a decimal with at most \(Self.maxDecimalPlaces) decimal places; write e.g. 0.8")
        }
        var den: Int128 = 1
        for _ in 0..<f.scale { den *= 10 }
        guard !f.negative, f.numerator <= den else {
            throw ReconError(.ruleInvalidValue, "min_similarity \(text) is outside 0...1; use a value such as 0.8")
        }
        self.numerator = Int64(f.numerator)
        self.denominator = Int64(den)
        self.text = text
    }

    /// True when `score ≥ threshold`, compared exactly by cross-multiplication.
    @inlinable
    public func isSatisfied(by score: SimilarityScore) -> Bool {
        Int128(score.numerator) * Int128(denominator) >= Int128(numerator) * Int128(score.denominator)
    }

    public var description: String { text }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        Int128(lhs.numerator) * Int128(rhs.denominator) == Int128(rhs.numerator) * Int128(lhs.denominator)
    }

    public func hash(into hasher: inout Hasher) {
        // Hash the reduced value so "0.8" and "0.80" hash alike, consistent with ==.
        var a = numerator, b = denominator
        while b != 0 { (a, b) = (b, a % b) }
        let g = max(a, 1)
        hasher.combine(numerator / g)
        hasher.combine(denominator / g)
    }
}

/// Text normalisation and similarity measures used by description conditions.
///
/// Everything works on the *normalised* UTF-8 bytes: ASCII letters lowercased, ASCII digits and
/// non-ASCII bytes kept, every run of other ASCII characters (spaces, punctuation) collapsed to one
/// space, and the result trimmed. Non-ASCII text is compared byte-wise (a multi-byte character
/// counts as several positions) — a deliberate, documented simplification that keeps the hot path
/// free of Unicode tables and identical on every platform.
public enum Similarity {
    /// Hard cap on compared bytes; keeps every intermediate of the exact arithmetic inside `Int64`.
    public static let maxComparedBytes = 4096

    /// The normalised form of `text` (see the type documentation).
    public static func normalize(_ text: String) -> String {
        String(decoding: normalizedBytes(text, maxBytes: maxComparedBytes), as: UTF8.self)
    }

    /// Jaro-Winkler similarity of the normalised forms, exact.
    public static func jaroWinkler(_ a: String, _ b: String) -> SimilarityScore {
        score(a, b, method: .jaroWinkler)
    }

    /// Normalised Levenshtein similarity `1 - d / max(len)` of the normalised forms, exact.
    public static func levenshtein(_ a: String, _ b: String) -> SimilarityScore {
        score(a, b, method: .levenshtein)
    }

    /// Levenshtein edit distance between the normalised forms.
    public static func levenshteinDistance(_ a: String, _ b: String) -> Int {
        let x = normalizedBytes(a, maxBytes: maxComparedBytes), y = normalizedBytes(b, maxBytes: maxComparedBytes)
        return x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in levenshteinDistance(xp, yp) } }
    }

    /// Similarity of the normalised forms with the given method.
    public static func score(_ a: String, _ b: String, method: SimilarityMethod) -> SimilarityScore {
        let x = normalizedBytes(a, maxBytes: maxComparedBytes), y = normalizedBytes(b, maxBytes: maxComparedBytes)
        return score(x, y, method: method)
    }

    // MARK: - Byte-level core (used by the engine on pre-normalised, cached bytes)

    static func score(_ x: [UInt8], _ y: [UInt8], method: SimilarityMethod) -> SimilarityScore {
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                switch method {
                case .jaroWinkler: jaroWinkler(xp, yp)
                case .levenshtein: levenshtein(xp, yp)
                }
            }
        }
    }

    static func normalizedBytes(_ text: String, maxBytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(text.utf8.count, maxBytes))
        var pendingSpace = false
        for byte in text.utf8 {
            let c: UInt8
            switch byte {
            case 65...90: c = byte + 32  // A-Z → a-z
            case 97...122, 48...57, 128...255: c = byte
            default:
                pendingSpace = !out.isEmpty  // leading separators are dropped (trim)
                continue
            }
            if pendingSpace {
                if out.count + 1 >= maxBytes { break }  // never end on a separator
                out.append(32)
                pendingSpace = false
            }
            out.append(c)
            if out.count >= maxBytes { break }
        }
        return out
    }

    /// Jaro-Winkler as an exact rational.
    ///
    /// With m matches, t2 half-transpositions (t = t2/2), lengths n1, n2:
    /// `J = (m/n1 + m/n2 + (m - t)/m) / 3 = N / D` with `N = 2m²(n1+n2) + (2m - t2)·n1·n2`,
    /// `D = 6m·n1·n2`; then `JW = J + l/10 · (1 - J) = (10N + l(D - N)) / 10D` with l the common
    /// prefix (≤ 4). The prefix bonus is applied unconditionally (no 0.7 boost threshold).
    /// Two empty strings are identical (1); one empty string scores 0.
    static func jaroWinkler(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> SimilarityScore {
        let n1 = min(a.count, maxComparedBytes), n2 = min(b.count, maxComparedBytes)
        if n1 == 0 && n2 == 0 { return .one }
        if n1 == 0 || n2 == 0 { return .zero }
        let window = max(0, max(n1, n2) / 2 - 1)
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: n1 + n2) { flags -> SimilarityScore in
            flags.initialize(repeating: false)
            var m = 0
            for i in 0..<n1 {
                let lo = max(0, i - window), hi = min(n2 - 1, i + window)
                if lo > hi { continue }
                let ch = a[i]
                for j in lo...hi where !flags[n1 + j] && b[j] == ch {
                    flags[i] = true
                    flags[n1 + j] = true
                    m += 1
                    break
                }
            }
            if m == 0 { return .zero }
            var t2 = 0, k = 0
            for i in 0..<n1 where flags[i] {
                while !flags[n1 + k] { k += 1 }
                if a[i] != b[k] { t2 += 1 }
                k += 1
            }
            var l = 0
            while l < min(4, n1, n2) && a[l] == b[l] { l += 1 }
            let mm = Int64(m), l1 = Int64(n1), l2 = Int64(n2)
            let num = 2 * mm * mm * (l1 + l2) + (2 * mm - Int64(t2)) * l1 * l2
            let den = 6 * mm * l1 * l2
            return SimilarityScore(numerator: 10 * num + Int64(l) * (den - num), denominator: 10 * den)
        }
    }

    static func levenshtein(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> SimilarityScore {
        let longest = max(min(a.count, maxComparedBytes), min(b.count, maxComparedBytes))
        if longest == 0 { return .one }
        let d = levenshteinDistance(a, b)
        return SimilarityScore(numerator: Int64(longest - d), denominator: Int64(longest))
    }

    /// Classic two-row dynamic programme, O(n1·n2) time, O(n2) scratch on the stack.
    static func levenshteinDistance(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n1 = min(a.count, maxComparedBytes), n2 = min(b.count, maxComparedBytes)
        if n1 == 0 { return n2 }
        if n2 == 0 { return n1 }
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * (n2 + 1)) { buf -> Int in
            var prev = 0, cur = n2 + 1  // offsets of the two rows inside buf
            for j in 0...n2 { buf.initializeElement(at: j, to: Int32(j)) }
            for j in 0...n2 { buf.initializeElement(at: cur + j, to: 0) }
            for i in 1...n1 {
                buf[cur] = Int32(i)
                let ch = a[i - 1]
                for j in 1...n2 {
                    let cost: Int32 = b[j - 1] == ch ? 0 : 1
                    buf[cur + j] = min(buf[prev + j] + 1, buf[cur + j - 1] + 1, buf[prev + j - 1] + cost)
                }
                swap(&prev, &cur)
            }
            return Int(buf[prev + n2])
        }
    }
}
