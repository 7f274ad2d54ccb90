import CofferBase
import Ledger
import PropertyBased
import Testing

/// The byte-level formatters and validators the hot paths use, each checked against the plain
/// `String` rule it replaced, over random inputs of every size.
struct LedgerFormattingTests {
    /// The display rule written the obvious way: pad with zeros, insert the point.
    static func displayModel(_ value: UInt128, decimals: UInt8) -> String {
        let digits = String(value)
        let places = Int(decimals)
        guard places > 0 else { return digits }
        let padded = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -places)
        return "\(padded[..<split]).\(padded[split...])"
    }

    @Test func amountsFormatLikeTheModel() async {
        await propertyCheck(count: 500, input: Gen.uint64(), Gen.uint64(), Gen.int(in: 0...127), Gen.int(in: 0...30)) { high, low, shift, decimals in
            let value = (UInt128(high) << 64 | UInt128(low)) >> shift
            #expect(AmountText.decimal(value) == String(value))
            #expect(AmountText.display(value, decimals: UInt8(decimals)) == Self.displayModel(value, decimals: UInt8(decimals)))
        }
        #expect(AmountText.display(0, decimals: 6) == "0.000000")
        #expect(AmountText.display(UInt128.max, decimals: 30) == "340282366.920938463463374607431768211455")
        #expect(AmountText.display(UInt128.max, decimals: 0) == String(UInt128.max))
        #expect(AmountText.display(7, decimals: 255) == Self.displayModel(7, decimals: 255))
    }

    @Test func timesFormatAndParseBack() async throws {
        await propertyCheck(count: 500, input: Gen.uint64(in: 0...(18_446_744_073 * 1_000_000_000 - 1))) { timestamp throws in
            let text = LedgerTime.formatRFC3339(timestamp)
            #expect(text.utf8.count == 30)
            #expect(try LedgerTime.parseRFC3339(text) == timestamp)
        }
        #expect(LedgerTime.formatRFC3339(0) == "1970-01-01T00:00:00.000000000Z")
        #expect(LedgerTime.formatRFC3339(951_782_400_000_000_001) == "2000-02-29T00:00:00.000000001Z")
    }

    /// Ids: 1-64 bytes of `A-Za-z0-9._:-`, optionally after a 1-32 byte `a-z0-9` namespace and `/`.
    static func idModel(_ text: String) -> Bool {
        func local(_ part: Substring) -> Bool {
            (1...64).contains(part.utf8.count) && part.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "._:-".unicodeScalars.contains(scalar))
            }
        }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return local(Substring(text)) }
        let namespace = parts[0]
        return (1...32).contains(namespace.utf8.count)
            && namespace.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) } && local(parts[1])
    }

    @Test func idsValidateLikeTheModel() async {
        // Mostly valid characters, with the separators, upper case, non-ASCII and control
        // characters that must be refused, at lengths around both limits.
        let alphabet = Array("abcz09AZ._:-/ é\u{0}\u{301}x")
        await propertyCheck(count: 2_000, input: Gen.int(in: 0...70), Gen.uint64()) { length, seed in
            var state = seed | 1
            var text = ""
            for _ in 0..<length {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                text.append(alphabet[Int(state % UInt64(alphabet.count))])
            }
            #expect(LedgerID.isValid(text) == Self.idModel(text), "\(text.debugDescription)")
            if LedgerID.isValid(text), let id = LedgerID(text) {
                let slash = text.firstIndex(of: "/")
                #expect(id.local == (slash.map { text[text.index(after: $0)...] } ?? Substring(text)))
                #expect(id.namespace == slash.map { text[..<$0] })
            }
        }
        #expect(LedgerID.isValid(String(repeating: "a", count: 64)))
        #expect(!LedgerID.isValid(String(repeating: "a", count: 65)))
        #expect(LedgerID.isValid(String(repeating: "n", count: 32) + "/x"))
        #expect(!LedgerID.isValid(String(repeating: "n", count: 33) + "/x"))
    }

    @Test func tenantScopesStripOnlyTheirOwnPrefix() throws {
        let tenant = try TenantScope("t1")
        #expect(tenant.prefix == "t1/")
        #expect(tenant.local("t1/acct-a") == "acct-a")
        #expect(tenant.local("t10/acct-a") == nil)
        #expect(tenant.local("t1") == nil)
        #expect(tenant.local("t1/") == "")
        #expect(tenant.local(LedgerID("t1/acct-a")!) == LedgerID("acct-a")!)
        #expect(try TenantScope("t2").local(LedgerID("t1/acct-a")!) == LedgerID("t1/acct-a")!)
    }
}
