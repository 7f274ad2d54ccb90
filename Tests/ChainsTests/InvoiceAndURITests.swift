import Chains
import CofferBase
import PropertyBased
import QRCode
import Testing

@Suite struct InvoiceStatusTests {
    /// The rule against a model that adds the payments one by one, for random payments and times.
    @Test func statusFollowsTheOnTimePaymentsAndTheExpiry() async {
        await propertyCheck(count: 500, input: Gen.uint64(in: 1...1_000_000), Gen.uint64(in: 0...2_000_000), Gen.uint64(in: 0...2_000_000), Gen.int64(in: -100...100)) { amount, onTime, late, offset in
            let expiresAt: Int64 = 1_000
            let now = expiresAt + offset
            let status = Invoice.status(amount: UInt128(amount), onTime: UInt128(onTime), lateAmount: UInt128(late), expiresAt: expiresAt, now: now)
            let expected: InvoiceStatus =
                if onTime == 0 { (now > expiresAt || late > 0) ? .expired : .open }
                else if onTime == amount { .paid }
                else if onTime < amount { .underpaid }
                else { .overpaid }
            #expect(status == expected)
        }
    }

    @Test func statusNamesAreParsedOrRefusedWithTheList() throws {
        #expect(try InvoiceStatus.parse("underpaid") == .underpaid)
        #expect(try DepositStatus.parse("reversed") == .reversed)
        #expect(throws: ChainError.self) { try DepositStatus.parse("confirmed") }
        do {
            _ = try DepositStatus.parse("pending")
        } catch {
            #expect(error.description.contains("seen, confirming, credited, orphaned, reversed"))
        }
    }
}

@Suite struct PaymentURITests {
    @Test func bip21WritesTheAmountInCoinsExactlyWithoutTrailingZeros() {
        #expect(PaymentURI.bip21(scheme: "litecoin", address: "rltc1qxyz", amount: 1_000_000, decimals: 8, memo: nil) == "litecoin:rltc1qxyz?amount=0.01")
        #expect(PaymentURI.bip21(scheme: "bitcoin", address: "bc1q", amount: 150_000_000, decimals: 8, memo: "order 42/€") ==
            "bitcoin:bc1q?amount=1.5&message=order%2042%2F%E2%82%AC")
        #expect(PaymentURI.bip21(scheme: "bitcoin", address: "bc1q", amount: 2_100_000_000_000_000, decimals: 8, memo: "") == "bitcoin:bc1q?amount=21000000")
        #expect(PaymentURI.bip21(scheme: "bitcoin", address: "bc1q", amount: 1, decimals: 8, memo: nil) == "bitcoin:bc1q?amount=0.00000001")
    }

    @Test func eip681NamesTheChainAndTheTokenTransfer() {
        let address = "0x1234567890abcdef1234567890abcdef12345678"
        #expect(PaymentURI.eip681(address: address, chainID: 1, amount: 10_000_000_000_000_000_000, token: nil) ==
            "ethereum:\(address)@1?value=10000000000000000000")
        #expect(PaymentURI.eip681(address: address, chainID: 137, amount: 5_000_000, token: "0xdac17f958d2ee523a2206206994597c13d831ec7") ==
            "ethereum:0xdac17f958d2ee523a2206206994597c13d831ec7@137/transfer?address=\(address)&uint256=5000000")
    }
}

@Suite struct QRCodeTests {
    /// A small symbol (version n has 17 + 4n modules a side) with its three finder patterns, and an SVG of it.
    @Test func aShortURIIsASmallSymbolWithFinderPatterns() throws {
        let code = try QRCode("litecoin:rltc1q?amount=0.01")
        #expect((21...41).contains(code.size) && (code.size - 17) % 4 == 0, "\(code.size)")
        for (row, column) in [(0, 0), (0, code.size - 7), (code.size - 7, 0)] {
            // A finder pattern: a dark 7x7 ring around a light ring around a dark 3x3 core.
            for r in 0..<7 {
                for c in 0..<7 {
                    let ring = max(abs(r - 3), abs(c - 3))
                    #expect(code.isDark(row: row + r, column: column + c) == (ring != 2), "finder at \(row),\(column)")
                }
            }
        }
        let svg = code.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("<path fill=\"#000\" d=\"M"))
    }

    @Test func longerTextNeedsALargerSymbolAndAnEmptyTextIsRefused() throws {
        let long = try QRCode(String(repeating: "ethereum:0x1234567890abcdef1234567890abcdef12345678@1?value=1", count: 4))
        #expect(long.size > 25)
        #expect(throws: QRCodeError.self) { try QRCode("") }
        #expect(throws: QRCodeError.self) { try QRCode(String(repeating: "x", count: 4_000)) }
    }
}
