import PropertyBased
import Testing
import WalletCore

@Suite("Ethereum quantities (uint256)")
struct EthereumQuantityTests {
    static let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

    @Test("decimal and hex parse exactly", arguments: [
        ("0", ""),
        ("21000", "5208"),
        ("0x5208", "5208"),
        ("0X00", ""),
        ("0xabc", "0abc"),
        ("1000000000000000000", "0de0b6b3a7640000"),
        ("18446744073709551616", "010000000000000000"),
        (max, String(repeating: "ff", count: 32)),
        ("0x" + String(repeating: "0", count: 70) + "1", "01"),
    ])
    func parses(text: String, minimalHex: String) throws {
        let value = try EthereumQuantity(parsing: text)
        #expect(Hex.encode(value.minimalBytes) == minimalHex)
        #expect(value.word.count == 32)
        #expect(try EthereumQuantity(parsing: value.description) == value)
    }

    @Test("refuses what is not a uint256, with a one-line reason", arguments: [
        ("", "empty"),
        ("-1", "negative"),
        ("1.5", "not a whole number"),
        ("1e18", "not a whole number"),
        (" 1", "not a decimal integer"),
        ("1_000", "not a decimal integer"),
        ("+1", "not a decimal integer"),
        ("0x", "no hex digits"),
        ("0xg1", "not a hex number"),
        ("115792089237316195423570985008687907853269984665640564039457584007913129639936", "larger than 2^256 - 1"),
        ("0x1" + String(repeating: "0", count: 64), "larger than 2^256 - 1"),
        (String(repeating: "9", count: 200), "larger than 2^256 - 1"),
    ])
    func refuses(text: String, fragment: String) {
        #expect {
            try EthereumQuantity(parsing: text)
        } throws: { error in
            "\(error)".contains(fragment) && !"\(error)".contains("\n")
        }
    }

    @Test func arithmetic() throws {
        let max = try EthereumQuantity(parsing: Self.max)
        #expect(max == EthereumQuantity.max)
        #expect(max.adding(1) == nil)
        #expect(max.multiplied(by: 2) == nil)
        #expect(EthereumQuantity.zero.subtracting(1) == nil)
        #expect(EthereumQuantity(36).subtracting(35) == EthereumQuantity(1))
        #expect(max.bitWidth == 256 && EthereumQuantity.zero.bitWidth == 0 && EthereumQuantity(255).bitWidth == 8)
        #expect(EthereumQuantity(1).twosComplementNegation == max)
        #expect(EthereumQuantity.zero.twosComplementNegation == .zero)
        #expect(EthereumQuantity(5) < EthereumQuantity(1 << 40))
        let (quotient, remainder) = try EthereumQuantity(parsing: "1000000000000000000000000000007").dividedReportingRemainder(by: 10)
        #expect(quotient.description == "100000000000000000000000000000" && remainder == 7)
    }

    @Test("bytes -> decimal text -> parse is the identity")
    func decimalRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.uint8().array(of: 0...32)) { bytes throws in
            let value = try EthereumQuantity(bigEndian: bytes)
            #expect(try EthereumQuantity(decimal: value.description) == value)
            #expect(value.minimalBytes == Array(bytes.drop(while: { $0 == 0 })))
            #expect(try EthereumQuantity(parsing: "0x" + Hex.encode(bytes)) == value || bytes.isEmpty)
        }
    }
}
