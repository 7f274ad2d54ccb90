import Testing
@testable import Reconciliation

@Suite("Similarity")
struct SimilarityTests {
    @Test("Jaro-Winkler published examples (per-mille, halves rounded up)",
          arguments: [("MARTHA", "MARHTA", 961), ("DWAYNE", "DUANE", 840), ("DIXON", "DICKSONX", 813)])
    func jaroWinklerExamples(a: String, b: String, expected: Int) {
        #expect(Similarity.jaroWinkler(a, b).perMille == expected)
        #expect(Similarity.jaroWinkler(b, a).perMille == expected, "symmetric")
    }

    @Test func jaroWinklerIsExactRational() throws {
        // J(MARTHA, MARHTA) = 17/18, l = 3 → 17/18 + 3/10 · 1/18 = 173/180.
        #expect(Similarity.jaroWinkler("MARTHA", "MARHTA") == SimilarityScore(numerator: 173, denominator: 180))
        // DWAYNE/DUANE is exactly 0.84 = 21/25, so it satisfies "0.84" and not "0.840000001".
        let s = Similarity.jaroWinkler("DWAYNE", "DUANE")
        #expect(s == SimilarityScore(numerator: 21, denominator: 25))
        #expect(try SimilarityThreshold("0.84").isSatisfied(by: s))
        #expect(try !SimilarityThreshold("0.840000001").isSatisfied(by: s))
    }

    @Test func jaroWinklerEdgeCases() {
        #expect(Similarity.jaroWinkler("", "") == .one)
        #expect(Similarity.jaroWinkler("abc", "") == .zero)
        #expect(Similarity.jaroWinkler("abc", "xyz") == .zero)
        #expect(Similarity.jaroWinkler("same text", "Same  TEXT!") == .one, "compared after normalisation")
        #expect(Similarity.jaroWinkler("a", "a") == .one)
    }

    @Test("Levenshtein distances", arguments: [("kitten", "sitting", 3), ("flaw", "lawn", 2), ("saturday", "sunday", 3), ("", "abc", 3), ("abc", "abc", 0)])
    func levenshteinDistance(a: String, b: String, expected: Int) {
        #expect(Similarity.levenshteinDistance(a, b) == expected)
        #expect(Similarity.levenshteinDistance(b, a) == expected)
    }

    @Test func levenshteinSimilarity() {
        #expect(Similarity.levenshtein("kitten", "sitting") == SimilarityScore(numerator: 4, denominator: 7))
        #expect(Similarity.levenshtein("kitten", "sitting").perMille == 571)
        #expect(Similarity.levenshtein("", "") == .one)
        #expect(Similarity.levenshtein("abc", "") == .zero)
    }

    @Test func normalisation() {
        #expect(Similarity.normalize("  Hello,   WORLD!! 42 ") == "hello world 42")
        #expect(Similarity.normalize("--") == "")
        #expect(Similarity.normalize("Café #1") == "café 1", "non-ASCII bytes are kept verbatim")
        let capped = Similarity.normalizedBytes("abcd efgh", maxBytes: 5)
        #expect(capped == Array("abcd".utf8), "never ends on a separator when truncated")
    }

    @Test func perMilleRounding() {
        #expect(SimilarityScore(numerator: 1, denominator: 2000).perMille == 1, "half rounds up")
        #expect(SimilarityScore(numerator: 1, denominator: 2001).perMille == 0)
        #expect(SimilarityScore(numerator: 2, denominator: 4) == SimilarityScore(numerator: 1, denominator: 2))
    }

    @Test func thresholdParsingIsExact() throws {
        let t = try SimilarityThreshold("0.8")
        #expect(t.numerator == 8 && t.denominator == 10)
        #expect(try SimilarityThreshold("8e-1") == t)
        #expect(try SimilarityThreshold("0.800") == t)
        #expect(try SimilarityThreshold("1").isSatisfied(by: .one))
        #expect(try SimilarityThreshold("0").isSatisfied(by: .zero))
        #expect(t.isSatisfied(by: SimilarityScore(numerator: 4, denominator: 5)))
        #expect(!t.isSatisfied(by: SimilarityScore(numerator: 799_999, denominator: 1_000_000)))
        for bad in ["1.01", "-0.1", "abc", "0.1234567891", ".8", "0.8 ", "2e0"] {
            #expect(throws: ReconError.self, "\(bad)") { try SimilarityThreshold(bad) }
        }
    }
}
